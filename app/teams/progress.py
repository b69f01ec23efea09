"""What a campaign sees of its projects' progress (rendered by templates/teams/_campaign_progress.html)."""
from sqlalchemy import func

from app.extensions import db
from app.models import CheckIn, Deliverable, Metric, Project, Sprint

SHOWN_STATUSES = ("recruiting", "active", "completed")


def campaign_progress(campaign):
    """[{project, deliverables %, metrics, latest check-in, sprints done/total, to acknowledge}] (fixed queries)."""
    projects = list(db.session.scalars(
        db.select(Project)
        .where(Project.campaign_id == campaign.id, Project.status.in_(SHOWN_STATUSES))
        .order_by(Project.start_date, Project.id)
    ))
    ids = [p.id for p in projects]
    if not ids:
        return []
    avg = dict(db.session.execute(
        db.select(Deliverable.project_id, func.avg(Deliverable.progress))
        .where(Deliverable.project_id.in_(ids)).group_by(Deliverable.project_id)
    ).all())
    metrics = {}
    for m in db.session.scalars(db.select(Metric).where(Metric.project_id.in_(ids)).order_by(Metric.position, Metric.id)):
        metrics.setdefault(m.project_id, []).append(m)
    sprints = {}
    for pid, number, status, ack, cid in db.session.execute(
        db.select(Sprint.project_id, Sprint.number, CheckIn.status, CheckIn.acknowledged_at, CheckIn.id)
        .outerjoin(CheckIn, CheckIn.sprint_id == Sprint.id)
        .where(Sprint.project_id.in_(ids)).order_by(Sprint.project_id, Sprint.number)
    ):
        sprints.setdefault(pid, []).append((number, status, ack, cid))
    rows = []
    for p in projects:
        srows = sprints.get(p.id, [])
        reported = [s for s in srows if s[3] is not None]
        latest = reported[-1] if reported else None
        rows.append({
            "project": p,
            "deliverables_pct": round(float(avg.get(p.id) or 0)),
            "metrics": [
                {"name": m.name, "unit": m.unit, "target": m.target, "current": m.current_value,
                 "pct": round(100 * (m.current_value or 0) / m.target) if m.target else None}
                for m in metrics.get(p.id, [])
            ],
            "sprints_total": len(srows),
            "sprints_reported": len(reported),
            "latest_status": latest[1] if latest else None,
            "latest_sprint": latest[0] if latest else None,
            "to_acknowledge": [s[0] for s in reported if s[2] is None],
        })
    return rows
