"""Contact consent: when a project ends, each member says whether its campaign (and that campaign's
partners) may keep their contact details and contact them again. Changeable at any time.

Pages, exports and the API ask `may_contact` / `consented_profile_ids` instead of assuming.
"""
from app import audit
from app.errors.domain import DomainError
from app.extensions import db
from app.lifecycle import MembershipStatus, PortfolioStatus, ProjectStatus
from app.links import external_url
from app.models import ContactConsent, Project, TeamMembership
from app.models.base import utcnow
from app.notifications import notify

ENDED = ("completed", "cancelled")


def projects_to_decide(profile):
    """(project, consent row or None) for every ended project the volunteer was on, newest first."""
    rows = db.session.execute(
        db.select(Project, ContactConsent)
        .join(TeamMembership, TeamMembership.project_id == Project.id)
        .outerjoin(ContactConsent, db.and_(ContactConsent.project_id == Project.id,
                                           ContactConsent.volunteer_id == profile.id))
        .where(TeamMembership.volunteer_id == profile.id, Project.status.in_(ENDED))
        .order_by(Project.end_date.desc(), Project.id.desc())
    ).all()
    return [(p, c) for p, c in rows]


def undecided_count(profile):
    return sum(1 for _, c in projects_to_decide(profile) if c is None)


def decide(user, project_id, granted):
    """Record (or change) the volunteer's choice for one ended project they were on."""
    profile = user.volunteer_profile
    project = db.session.get(Project, project_id)
    member = profile is not None and project is not None and db.session.scalar(db.select(TeamMembership.id).where(
        TeamMembership.project_id == project_id, TeamMembership.volunteer_id == profile.id))
    if not member or project.status not in ENDED:
        raise DomainError("You can decide this once a project you were on has ended.")
    row = db.session.scalar(db.select(ContactConsent).where(
        ContactConsent.project_id == project_id, ContactConsent.volunteer_id == profile.id))
    if row is None:
        row = ContactConsent(volunteer_id=profile.id, project_id=project_id, campaign_id=project.campaign_id)
        db.session.add(row)
    row.granted = bool(granted)
    row.decided_at = utcnow()
    audit.record(user, "consent.granted" if granted else "consent.withheld", project, campaign_id=project.campaign_id)
    db.session.commit()
    return row


def consented_profile_ids(campaign_id):
    """A select of the volunteer profiles that let this campaign (and its partners) keep their contact."""
    return db.select(ContactConsent.volunteer_id).where(
        ContactConsent.campaign_id == campaign_id, ContactConsent.granted.is_(True))


def may_contact(volunteer_profile_id, campaign_id):
    """Whether a campaign (or its partner) may see this volunteer's contact details outside an active team."""
    return db.session.scalar(consented_profile_ids(campaign_id).where(
        ContactConsent.volunteer_id == volunteer_profile_id).limit(1)) is not None


def ask_members(project, users):
    """When a project ends: ask each member (in the app and by email) whether the campaign may keep their contact.

    Called in the transaction that ends the project. Until they answer, the answer is no.
    """
    partners = "and the partner organisations it works with " if _has_partners(project.campaign_id) else ""
    notify(users, "teams", f"consent-ask:{project.id}",
           f"May {project.campaign.name} keep your contact details?",
           f"{project.title} has ended. Thank you for your work on it.\n"
           f"May {project.campaign.name} {partners}keep your name and email and contact you about future work? "
           "Until you answer, they may not. You can change your answer at any time in your account.",
           external_url("consent.choices"))


def _has_partners(campaign_id):
    from app.models import PartnerCampaign

    return db.session.scalar(db.select(PartnerCampaign.id).where(
        PartnerCampaign.campaign_id == campaign_id, PartnerCampaign.status == PortfolioStatus.ACTIVE).limit(1)) is not None


def contact_visible_ids(project, memberships, role):
    """The volunteer ids whose contact details a workspace viewer with `role` sees.

    Staff and the team see each other's. The campaign's people see a member's details while that
    member's seat on a running project is active; after that, only if the volunteer consented.
    """
    ids = {m.volunteer_id for m in memberships}
    if role in ("staff", "lead", "member"):
        return ids  # any other viewer (the campaign's people, or a role added later) is held to consent
    running = project.status == ProjectStatus.ACTIVE
    shown = {m.volunteer_id for m in memberships if running and m.status == MembershipStatus.ACTIVE}
    rest = ids - shown
    if rest:
        shown |= set(db.session.scalars(consented_profile_ids(project.campaign_id).where(
            ContactConsent.volunteer_id.in_(rest))))
    return shown
