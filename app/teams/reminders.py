"""The daily reminders run (`flask reminders send`): safe to run any number of times a day.

For every sprint of every active project:
* the day before a check-in is due, the lead gets a reminder        (key remind-due:<sprint id>);
* the day after, if it is still missing, the lead gets an overdue one (remind-overdue:<sprint id>),
  while the check-in can still be written;
staff (every staff and admin user) are alerted when a project has missed two check-ins
(alert-missed:<project id>:<count>:<staff user id>, again at three, four...) or reported off track
twice (alert-offtrack:<project id>:<staff user id>). After the end date the lead is asked for the
final report (remind-final:<project id>), and projects whose report is in are completed once the
last check-in window has closed. Pending invitations past their time expire.

Every email goes through the outbox under its key, so a second run sends nothing twice.
"""
from collections import defaultdict
from datetime import date, datetime, timedelta

from app import clock
from app.extensions import db
from app.links import external_url
from app.mail.messages import render_message
from app.mail.outbox import queue_email
from app.models import CheckIn, FinalReport, OutboxEmail, Project, Sprint, TeamMembership, User, VolunteerProfile
from app.models.base import utcnow
from app.opportunities.services import expire_invitations
from app.teams.checkins import ON_TIME_GRACE_DAYS, edit_deadline
from app.teams.completion import auto_complete_due
from app.lifecycle import MembershipStatus, ProjectStatus

MISSED_ALERT_AT = 2
OFF_TRACK_ALERT_AT = 2


def missed(sprint, has_checkin, today):
    """A check-in is missed once its due date and the day of grace have passed without it."""
    return not has_checkin and today > sprint.due_on + timedelta(days=ON_TIME_GRACE_DAYS)


def send_reminders(today=None):
    """Queue every reminder due `today` (once each). Returns counts of what was queued or done."""
    today = today or clock.today()
    now = utcnow() if today == clock.today() else datetime.combine(today, utcnow().time())
    counts = {"invitations_expired": expire_invitations(now)}
    counts["projects_completed"] = auto_complete_due(today)

    rows = db.session.execute(
        db.select(Sprint, CheckIn.id, CheckIn.status)
        .join(Project, Project.id == Sprint.project_id)
        .outerjoin(CheckIn, CheckIn.sprint_id == Sprint.id)
        .where(Project.status == ProjectStatus.ACTIVE)
        .order_by(Sprint.project_id, Sprint.number)
    ).all()
    by_project = defaultdict(list)
    for sprint, checkin_id, status in rows:
        by_project[sprint.project_id].append((sprint, checkin_id, status))
    projects = {
        p.id: p for p in db.session.scalars(db.select(Project).where(Project.status == ProjectStatus.ACTIVE))
    }
    leads = {
        m.project_id: (m, u)
        for m, u in db.session.execute(
            db.select(TeamMembership, User)
            .join(VolunteerProfile, VolunteerProfile.id == TeamMembership.volunteer_id)
            .join(User, User.id == VolunteerProfile.user_id)
            .join(Project, Project.id == TeamMembership.project_id)
            .where(
                Project.status == ProjectStatus.ACTIVE, TeamMembership.is_lead.is_(True), TeamMembership.status == MembershipStatus.ACTIVE,
                User.closed_at.is_(None),
            )
        )
    }
    staff = list(
        db.session.scalars(
            db.select(User).where(User.role.in_(("staff", "admin")), User.active.is_(True), User.closed_at.is_(None))
            .order_by(User.id)
        )
    )
    reported = set(db.session.scalars(db.select(FinalReport.project_id)))

    wanted = []  # (kind, key, to, template, context)
    for project_id, sprint_rows in by_project.items():
        project = projects[project_id]
        sprints = [s for s, _c, _st in sprint_rows]
        lead = leads.get(project_id)
        workspace = external_url("teams.workspace", project_id=project_id)
        missed_count = 0
        off_track = 0
        for sprint, checkin_id, status in sprint_rows:
            has = checkin_id is not None
            off_track += status == "off_track"
            missed_count += missed(sprint, has, today)
            if lead is None or has:
                continue
            m, user = lead
            ctx = {"project": project, "sprint": sprint, "lead": user, "link": external_url(
                "teams.checkin_form", project_id=project_id, number=sprint.number)}
            if sprint.due_on == today + timedelta(days=1):
                wanted.append(("due_soon", f"remind-due:{sprint.id}", user.email, "reminder_due", ctx))
            elif sprint.due_on < today <= edit_deadline(sprint, project, sprints):
                ctx["deadline"] = edit_deadline(sprint, project, sprints)
                wanted.append(("overdue", f"remind-overdue:{sprint.id}", user.email, "reminder_overdue", ctx))
        if missed_count >= MISSED_ALERT_AT:
            for s in staff:
                wanted.append(("alerts_missed", f"alert-missed:{project_id}:{missed_count}:{s.id}", s.email,
                               "alert_missed", {"project": project, "count": missed_count, "staff": s,
                                                "link": workspace, "lead": lead[1] if lead else None}))
        if off_track >= OFF_TRACK_ALERT_AT:
            for s in staff:
                wanted.append(("alerts_off_track", f"alert-offtrack:{project_id}:{s.id}", s.email,
                               "alert_offtrack", {"project": project, "count": off_track, "staff": s,
                                                  "link": workspace, "lead": lead[1] if lead else None}))
        if today >= project.end_date and project_id not in reported and lead is not None:
            wanted.append(("final_report", f"remind-final:{project_id}", lead[1].email, "reminder_final_report",
                           {"project": project, "lead": lead[1],
                            "link": external_url("teams.final_report", project_id=project_id)}))

    already = set()
    keys = [w[1] for w in wanted]
    for start in range(0, len(keys), 500):
        already.update(db.session.scalars(
            db.select(OutboxEmail.idempotency_key).where(OutboxEmail.idempotency_key.in_(keys[start:start + 500]))
        ))
    for kind in ("due_soon", "overdue", "alerts_missed", "alerts_off_track", "final_report"):
        counts.setdefault(kind, 0)
    for kind, key, to, template, ctx in wanted:
        if key in already:
            continue
        subject, text = render_message(template, **ctx)
        queue_email(key, to, subject, text, category="reminder")
        counts[kind] += 1
    db.session.commit()
    return counts


def send_reminders_job(today_iso=None):
    """RQ job form of the daily run (see app/teams/rq_cron.py); safe to run any number of times."""
    from app.jobs.context import job_context

    with job_context():
        return send_reminders(date.fromisoformat(today_iso) if today_iso else None)
