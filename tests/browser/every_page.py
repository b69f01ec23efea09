"""The main pages of every role, on a small demo marketplace, for the layout and accessibility tests.

`build_site()` loads the demo (app/seed/demo.py: projects at every stage, check-ins, match runs,
charts) and returns, per role, the user to log in as and the pages that role reaches from the menu
or one click further.
"""
from dataclasses import dataclass, field

from app.extensions import db
from app.models import (
    Campaign,
    CampaignMember,
    HelpRequest,
    Invitation,
    Project,
    ProjectTemplate,
    Skill,
    TeamMembership,
    User,
    VolunteerProfile,
)
from app.seed.demo import ADMIN_EMAIL, PASSWORD, STAFF_EMAILS, create_demo

# "invited": a volunteer opening a pending invitation, as from the email on a phone.
ROLES = ("volunteer", "invited", "lead", "campaign", "staff", "admin")
# 390x844 is a current phone (iPhone 12-15) in CSS pixels; 1280 a common laptop.
SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}


@dataclass
class Role:
    email: str
    pages: list = field(default_factory=list)  # [(name, path)]


def _one(stmt):
    return db.session.scalars(stmt.limit(1)).first()


def _partner(campaign, member):
    """A caucus the campaign's member also belongs to, with the campaign in its portfolio and an open
    invitation to a colleague (the demo has no partners: app/seed/demo.py is being split)."""
    import secrets

    from app.models import Partner, PartnerCampaign, PartnerMember
    from app.orgs import teams
    from app.partners.team_routes import PARTNER

    partner = Partner(name="Virginia House Caucus", kind="caucus", state="VA", referral_code=secrets.token_urlsafe(8))
    db.session.add(partner)
    db.session.flush()
    db.session.add(PartnerMember(partner_id=partner.id, user_id=member.id, role="owner"))
    db.session.add(PartnerCampaign(partner_id=partner.id, campaign_id=campaign.id, status="active", priority_tier=1))
    db.session.commit()
    teams.invite(PARTNER, member, partner, "new.colleague@example.org")
    return partner


def build_site():
    """Load the demo and list each role's pages; returns {role: Role}."""
    create_demo(volunteers=60, campaigns=4)
    active = _one(db.select(Project).where(Project.status == "active").order_by(Project.id))
    recruiting = _one(db.select(Project).where(Project.status == "recruiting").order_by(Project.id))
    completed = _one(db.select(Project).where(Project.status == "completed").order_by(Project.id))
    lead_m = _one(db.select(TeamMembership).where(TeamMembership.project_id == active.id, TeamMembership.is_lead))
    mate_m = _one(db.select(TeamMembership).where(TeamMembership.project_id == active.id,
                                                  TeamMembership.is_lead.is_(False)))
    lead = db.session.get(VolunteerProfile, lead_m.volunteer_id).user
    mate = db.session.get(VolunteerProfile, mate_m.volunteer_id).user
    campaign = db.session.get(Campaign, active.campaign_id)
    member = db.session.get(User, _one(db.select(CampaignMember.user_id).where(
        CampaignMember.campaign_id == campaign.id).order_by(CampaignMember.id)))
    request = _one(db.select(HelpRequest).where(HelpRequest.campaign_id == campaign.id).order_by(HelpRequest.id))
    new_request = _one(db.select(HelpRequest).order_by(HelpRequest.id.desc()))
    template = _one(db.select(ProjectTemplate).order_by(ProjectTemplate.id))
    skill = _one(db.select(Skill).order_by(Skill.id))
    invitation = _one(db.select(Invitation).where(Invitation.project_id == active.id,
                                                  Invitation.volunteer_id == mate_m.volunteer_id))
    pending = _one(db.select(Invitation).where(Invitation.status == "pending").order_by(Invitation.id))
    pid = active.id
    partner = _partner(campaign, member)
    team_pages = [("team", f"/teams/{pid}"), ("team-progress", f"/teams/{pid}/progress"),
                  ("sprint", f"/teams/{pid}/sprints/1")]

    roles = {
        "volunteer": Role(mate.email, [
            ("dashboard", "/volunteer/"), ("profile", "/volunteer/profile"), ("teams", "/teams/"),
            *team_pages, ("opportunity", f"/opportunities/{invitation.id}"), ("account", "/account/"),
            ("notifications", "/notifications/"), ("notification-settings", "/notifications/settings"),
            ("projects", "/volunteer/projects/"), ("contact-choices", "/volunteer/contacts/"),
        ]),
        "lead": Role(lead.email, [
            ("dashboard", "/volunteer/"), ("teams", "/teams/"), *team_pages,
            ("checkin-form", f"/teams/{pid}/sprints/1/checkin"), ("team-links", f"/teams/{pid}/links"), ("lead-guide", "/leads/guide"),
        ]),
        "campaign": Role(member.email, [
            ("campaigns", "/campaigns/"), ("campaign", f"/campaigns/{campaign.id}"),
            ("request", f"/campaigns/{campaign.id}/requests/{request.id}"),
            ("scope", f"/campaigns/{campaign.id}/projects/{pid}"),
            ("new-request", f"/campaigns/{campaign.id}/requests/new"),
            ("edit-campaign", f"/campaigns/{campaign.id}/edit"), ("teams", "/teams/"), *team_pages,
            ("notifications", "/notifications/"), ("campaign-team", f"/campaigns/{campaign.id}/team"),
            ("partners", "/partners/"), ("portfolio", f"/partners/{partner.id}"),
            ("partner-team", f"/partners/{partner.id}/team"),
        ]),
        "staff": Role(STAFF_EMAILS[0], [
            ("overview", "/staff/"), ("requests", "/staff/scoping/"),
            ("request", f"/staff/scoping/requests/{new_request.id}"),
            ("scope-form", f"/staff/scoping/requests/{new_request.id}/scope/{template.id}"),
            ("project", f"/staff/scoping/projects/{recruiting.id}"), ("menu", "/staff/scoping/menu"),
            ("template", f"/staff/scoping/menu/{template.id}/edit"), ("skills", "/staff/scoping/skills"),
            ("skill", f"/staff/scoping/skills/{skill.id}/edit"),
            ("recruiting", "/staff/recruiting/"), ("match", f"/staff/recruiting/projects/{recruiting.id}"),
            ("candidate", f"/staff/recruiting/projects/{recruiting.id}/candidates/{mate_m.volunteer_id}"),
            ("health", "/teams/health"), ("outbox", "/staff/outbox/"), *team_pages,
            ("completed-team", f"/teams/{completed.id}"), ("notifications", "/notifications/"),
            ("volunteer-pool", "/staff/volunteers/"), ("leads", "/leads/"),
        ]),
        "admin": Role(ADMIN_EMAIL, [("overview", "/staff/"), ("users", "/staff/users"), ("health", "/teams/health")]),
    }
    if pending is not None:
        roles["invited"] = Role(db.session.get(VolunteerProfile, pending.volunteer_id).user.email,
                                [("opportunity", f"/opportunities/{pending.id}")])
    db.session.commit()
    return roles


def log_in(page, email):
    page.goto("/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)
