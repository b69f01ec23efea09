"""Partner priority as a per-project weight for batch matching.

Staff and a partner set each campaign's tier (1 top, 2 normal, 3 low; the best tier wins when a
campaign has several partners; no partner counts as normal). Batch matching maximises the total
score over all seats; `batch_match(project_weights=...)` multiplies everything a project earns
(seat scores, coverage and lead bonuses) by its project's multiplier, so
when two projects compete for the same volunteer the top-priority one wins unless the other scores
clearly higher. The multipliers are small on purpose: priority tips close calls, it does not send
a poorly matched volunteer to a priority campaign.
"""
from app.extensions import db
from app.models import PartnerCampaign, Project

TIER_MULTIPLIER = {1: 1.25, 2: 1.0, 3: 0.85}
NORMAL = 1.0


def multiplier(tier):
    return TIER_MULTIPLIER.get(tier, NORMAL)


def project_weights(project_ids):
    """{project_id: multiplier} for the batch's projects, in one query."""
    tiers = dict(db.session.execute(
        db.select(Project.id, db.func.min(PartnerCampaign.priority_tier))
        .join(PartnerCampaign, db.and_(PartnerCampaign.campaign_id == Project.campaign_id,
                                       PartnerCampaign.status == "active"))
        .where(Project.id.in_(list(project_ids))).group_by(Project.id)).all())
    return {pid: multiplier(tiers.get(pid)) for pid in project_ids}


def weighted(scores_by_project, weights):
    """Seat values as the solver should see them: each project's scores times its multiplier."""
    return {pid: [s * weights.get(pid, NORMAL) for s in scores] for pid, scores in scores_by_project.items()}
