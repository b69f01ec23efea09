"""An organisation's whole record, streamed as JSON or CSV: requests, projects, check-ins, final
reports, ratings and consented contacts.

Read in keyset batches of 500, each in its own short app context, and written as they come: a
large portfolio never sits in memory, and no database session stays open while the client reads.
"""
import csv
import io
import json

from app.extensions import db
from app.models import CheckIn, FinalReport, HelpRequest, Project, Rating, Sprint, User, VolunteerProfile
from app.orgs.scope import campaign_ids, consented_people
from app.lifecycle import ProjectStatus

BATCH = 500
CSV_COLUMNS = ("record", "id", "campaign_id", "project_id", "date", "status", "title", "detail")


def _iso(value):
    return value.isoformat() if value else None


def _requests(org, after, limit):
    rows = db.session.scalars(db.select(HelpRequest).where(
        HelpRequest.campaign_id.in_(campaign_ids(org)), HelpRequest.id > after).order_by(HelpRequest.id).limit(limit))
    return [{"id": r.id, "campaign_id": r.campaign_id, "date": _iso(r.created_at), "status": str(r.status),
             "title": r.goals, "detail": {"categories": r.categories, "timing": r.timing,
                                          "constraints": r.constraints}} for r in rows]


def _projects(org, after, limit):
    rows = db.session.scalars(db.select(Project).where(
        Project.campaign_id.in_(campaign_ids(org)), Project.status != ProjectStatus.DRAFT, Project.id > after)
        .order_by(Project.id).limit(limit))
    return [{"id": p.id, "campaign_id": p.campaign_id, "project_id": p.id, "date": _iso(p.start_date),
             "status": str(p.status), "title": p.title,
             "detail": {"summary": p.summary, "weeks": p.weeks, "hours_per_week": p.hours_per_week,
                        "end_date": _iso(p.end_date), "approved_at": _iso(p.approved_at)}} for p in rows]


def _checkins(org, after, limit):
    rows = db.session.execute(
        db.select(CheckIn, Sprint.number, Project.campaign_id).join(Sprint, Sprint.id == CheckIn.sprint_id)
        .join(Project, Project.id == CheckIn.project_id)
        .where(Project.campaign_id.in_(campaign_ids(org)), CheckIn.id > after).order_by(CheckIn.id).limit(limit))
    return [{"id": c.id, "campaign_id": campaign_id, "project_id": c.project_id, "date": _iso(c.submitted_at),
             "status": str(c.status), "title": f"Sprint {number}",
             "detail": {"done": c.done, "next": c.next_steps, "blockers": c.blockers,
                        "acknowledged_at": _iso(c.acknowledged_at)}} for c, number, campaign_id in rows]


def _reports(org, after, limit):
    rows = db.session.execute(
        db.select(FinalReport, Project.campaign_id).join(Project, Project.id == FinalReport.project_id)
        .where(Project.campaign_id.in_(campaign_ids(org)), FinalReport.id > after).order_by(FinalReport.id)
        .limit(limit))
    return [{"id": f.id, "campaign_id": campaign_id, "project_id": f.project_id, "date": _iso(f.submitted_at),
             "title": "Final report", "detail": {"deliverables_done": f.deliverables_done,
                                                 "metrics_reached": f.metrics_reached,
                                                 "handover_notes": f.handover_notes}} for f, campaign_id in rows]


def _ratings(org, after, limit):
    rows = db.session.execute(
        db.select(Rating, Project.campaign_id).join(Project, Project.id == Rating.project_id)
        .where(Project.campaign_id.in_(campaign_ids(org)), Rating.id > after).order_by(Rating.id).limit(limit))
    return [{"id": r.id, "campaign_id": campaign_id, "project_id": r.project_id, "date": _iso(r.created_at),
             "status": r.kind, "title": str(r.score), "detail": {"comment": r.comment}} for r, campaign_id in rows]


def _contacts(org, after, limit):
    """Only the volunteers who agreed that this campaign (or its partners) may keep their details."""
    people = (consented_people(org).with_only_columns(VolunteerProfile.id, User.name, User.email)
              .join(User, User.id == VolunteerProfile.user_id).where(VolunteerProfile.id > after)
              .order_by(VolunteerProfile.id).limit(limit))
    return [{"id": pid, "title": name, "detail": {"email": email}} for pid, name, email in db.session.execute(people)]


SOURCES = (("help_request", _requests), ("project", _projects), ("check_in", _checkins),
           ("final_report", _reports), ("rating", _ratings), ("contact", _contacts))


def records(app, org):
    """(record type, dict) for everything the organisation may export; each batch in a fresh app context."""
    for kind, fetch in SOURCES:
        after = 0
        while True:
            with app.app_context():
                rows = fetch(org, after, BATCH)
            for row in rows:
                yield kind, row
            if len(rows) < BATCH:
                break
            after = rows[-1]["id"]


def as_json(app, org, name):
    """Chunks of one JSON document: {"organisation": ..., "records": [...]}."""
    yield json.dumps({"organisation": name})[:-1] + ', "records": ['
    first = True
    for kind, row in records(app, org):
        yield ("" if first else ",\n") + json.dumps({"record": kind, **row}, default=str)
        first = False
    yield "]}\n"


def as_csv(app, org):
    """Chunks of one CSV: a `record` column says what each row is; `detail` holds the rest as JSON."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for kind, row in records(app, org):
        writer.writerow([kind, row.get("id"), row.get("campaign_id"), row.get("project_id"), row.get("date"),
                         row.get("status"), row.get("title"), json.dumps(row.get("detail"), default=str)])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
