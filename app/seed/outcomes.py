"""Outcome history for the demo: the runs that proposed its past teams, as training data.

The demo staffs its active and completed projects by hand (skills first, then place) and
records who accepted, declined, left early or completed, the team's check-ins and the
campaign's rating, but no match run, so `flask matching fit-weights` would find nothing to
learn from. This module stores, for each such project, the run that proposed its invitees:
their components from the real matcher (`explain_volunteers`), with the invitations linked
to it. It also plants a known signal: every past project invited a few more volunteers who
let the invitation expire, drawn from the least available of a random sample (availability
is what the demo's hand-picking ignores), so a fit on the demo data must find availability.
"""
from datetime import timedelta

from app.extensions import db
from app.lifecycle import InvitationStatus, ProjectStatus
from app.models import Invitation, MatchCandidate, MatchRun, Project

#: Expired invitations planted per past project, chosen among this many sampled volunteers.
EXPIRED_PER_PROJECT, SAMPLE = 3, 40


def record_outcome_history(rng, now, weights=None):
    """Store a run with components for every active or completed project's invitations, plant
    the expired ones; returns the number of invitations now carrying training data."""
    from app.matching import explain_volunteers
    from app.recruiting.features import load_project_needs, load_volunteer_features

    db.session.flush()
    features, labels = load_volunteer_features(now.date())
    known = {int(v) for v in features.ids}
    linked = 0
    projects = db.session.scalars(db.select(Project).where(
        Project.status.in_((ProjectStatus.ACTIVE, ProjectStatus.COMPLETED))).order_by(Project.id)).all()
    for project in projects:
        invites = [i for i in db.session.scalars(db.select(Invitation).where(
            Invitation.project_id == project.id, Invitation.match_run_id.is_(None)).order_by(Invitation.id))
            if i.volunteer_id in known]
        if not invites:
            continue
        needs = load_project_needs(project)
        invited = {i.volunteer_id for i in invites}
        anyone = set(db.session.scalars(db.select(Invitation.volunteer_id).where(Invitation.project_id == project.id)))
        others = sorted(known - invited - anyone)
        sample = rng.sample(others, min(SAMPLE, len(others)))
        pool = explain_volunteers(features, needs, sample, weights, labels) if sample else []
        pool.sort(key=lambda e: (e["components"]["availability"], e["volunteer_id"]))
        sent = min(i.created_at for i in invites)
        for e in pool[:EXPIRED_PER_PROJECT]:
            invites.append(Invitation(
                project_id=project.id, volunteer_id=e["volunteer_id"], invited_by_id=invites[0].invited_by_id,
                status=InvitationStatus.EXPIRED, created_at=sent, expires_at=sent + timedelta(days=5)))
            db.session.add(invites[-1])
        run = MatchRun(kind="project", project_id=project.id, status="done", progress=100,
                       created_by_id=invites[0].invited_by_id, created_at=sent - timedelta(hours=1),
                       started_at=sent - timedelta(hours=1), finished_at=sent - timedelta(minutes=59),
                       message="The run that proposed this team (demo history)", weights=dict(weights or {}),
                       suggested_team=sorted(i.volunteer_id for i in invites if i.status == "accepted"))
        db.session.add(run)
        db.session.flush()
        explained = explain_volunteers(features, needs, [i.volunteer_id for i in invites], weights, labels)
        explained.sort(key=lambda e: (-e["score"], e["volunteer_id"]))
        accepted = set(run.suggested_team)
        db.session.execute(db.insert(MatchCandidate), [
            {"run_id": run.id, "project_id": project.id, "volunteer_id": e["volunteer_id"], "rank": rank,
             "score": e["score"], "components": {k: round(float(v), 4) for k, v in e["components"].items()},
             "reasons": list(e["reasons"]), "suggested": e["volunteer_id"] in accepted}
            for rank, e in enumerate(explained, start=1)])
        for inv in invites:
            inv.match_run_id = run.id
        linked += len(invites)
    return linked
