"""One world for the security tests: every role, with records of their own to reach for.

A campaign (with a help request, an active project and a team with a lead, a check-in with a note,
an invitation, a match run, an email in the outbox), a second campaign with its own member, a
volunteer with nothing to do with either, staff and an admin. `urls` fills every route's parameters
from it, so a test can walk app.url_map.
"""
import re
from dataclasses import dataclass
from datetime import date, timedelta

from app.auth.tokens import make_confirm_token, make_reset_token
from app.extensions import db
from app.models import HelpRequest, Invitation, MatchRun, Notification, OutboxEmail
from app.models.base import utcnow
from app.opportunities.tokens import make_invitation_token
from app.teams import calendar_feed, checkins
from tests.integration.team_helpers import active_team, checkin_data

_CSRF_ELEMENT = re.compile(r"<(input|meta)\b[^>]*csrf[^>]*>")


def page_without_csrf(resp):
    """The page's text with its CSRF tokens (signed with the time: the only part that may differ) blanked."""
    return _CSRF_ELEMENT.sub("<csrf>", resp.get_data(as_text=True))

ROLES = ("anonymous", "volunteer", "other_volunteer", "lead", "campaign", "other_campaign", "staff", "admin")

# What only the world's own people may read: none of it may appear in a page shown to anyone else.
SECRET_MARKERS = ("Spanberger for Delegate", "Donation page", "Built the form", "Launch it")


@dataclass
class World:
    team: object
    users: dict
    params: dict
    other_campaign: object
    other_request: object

    def login_as(self, client, role):
        from tests.factories import PASSWORD

        user = self.users[role]
        if user is not None:
            resp = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
            assert resp.status_code == 302, (role, resp.status_code)


def build_world(make):
    team = active_team(make, weeks=3, start=date.today() - timedelta(days=3))
    project, campaign = team.project, team.campaign
    checkin = checkins.submit_checkin(team.lead, team.sprint(1), checkin_data(team, status="at_risk"))
    checkins.add_note(team.members[1], checkin, "Looks good to me")
    help_request = HelpRequest(campaign_id=campaign.id, submitted_by_id=team.campaign_user.id,
                               goals="Raise $20k online", categories=["website"], status="scoped")
    db.session.add(help_request)
    volunteer = team.members[1]
    invitation = Invitation(project_id=project.id, volunteer_id=volunteer.volunteer_profile.id,
                            invited_by_id=team.staff.id, status="accepted",
                            expires_at=utcnow() + timedelta(days=5))
    db.session.add(invitation)
    run = MatchRun(project_id=project.id, status="done", created_by_id=team.staff.id)
    db.session.add(run)
    db.session.flush()
    team.memberships[1].invitation_id = invitation.id
    db.session.commit()

    other_member = make.user("campaign", name="Olivia Other")
    other_campaign = make.campaign(other_member, name="Other Campaign")
    other_request = HelpRequest(campaign_id=other_campaign.id, submitted_by_id=other_member.id,
                                goals="Other goals", categories=["website"], status="new")
    db.session.add(other_request)
    other_volunteer = make.volunteer()
    admin = make.user("admin", name="Ada Admin")
    template = make.template()
    skill = make.skill()
    db.session.commit()
    email = db.session.scalars(db.select(OutboxEmail).order_by(OutboxEmail.id)).first()
    assert email is not None, "the check-in should have queued an email to the campaign"

    users = {
        "anonymous": None, "volunteer": volunteer, "other_volunteer": other_volunteer, "lead": team.lead,
        "campaign": team.campaign_user, "other_campaign": other_member, "staff": team.staff, "admin": admin,
    }
    params = {
        "campaign_id": campaign.id, "project_id": project.id, "request_id": help_request.id,
        "template_id": template.id, "skill_id": skill.id, "invitation_id": invitation.id, "run_id": run.id,
        "email_id": email.id, "user_id": other_volunteer.id, "membership_id": team.memberships[2].id,
        "number": 1, "filename": "css/app.css",
        # one of the campaign's own notices (its team formed, the check-in logged above)
        "notification_id": db.session.scalars(db.select(Notification.id).where(
            Notification.user_id == team.campaign_user.id).order_by(Notification.id)).first(),
    }
    tokens = {
        "opportunities.by_link": make_invitation_token(invitation),
        "teams.calendar_feed": calendar_feed.feed_token(volunteer, project),
        "auth.reset_password": make_reset_token(other_volunteer),
        "auth.confirm": make_confirm_token(make.user(name="Nell Newcomer", confirmation_pending=True)),
    }
    # Campaign teams: an open invitation to a colleague, and the campaign member's own membership.
    from app.campaigns import team as campaign_team

    colleague_invite = campaign_team.invite_colleague(team.campaign_user, campaign, "colleague@example.org")
    params["invite_id"] = colleague_invite.id
    params["member_id"] = campaign_team.membership(campaign.id, team.campaign_user.id).id
    tokens["campaign_team.join"] = campaign_team.make_token(colleague_invite)
    # Organisations: an API key of the campaign, a referral link, OSDI ids.
    from app import tokens as signed
    from app.orgs import keys as api_keys
    from app.orgs.scope import Org

    params["key_id"] = api_keys.create_key(team.campaign_user, Org("campaign", campaign.id), "sync", "read")[0].id
    params.update(person_id=volunteer.volunteer_profile.id, tag_id=f"project-{project.id}",
                  tagging_id=f"project-{project.id}.{volunteer.volunteer_profile.id}")
    tokens["orgs.referred"] = signed.sign(signed.PERSON_SIGNUP,
                                          {"e": "ref@example.org", "n": "Ref", "o": ["campaign", campaign.id]})
    from app.webhooks import endpoints as webhook_endpoints
    from app.webhooks.events import emit_for_campaign

    webhook_endpoints.register_endpoint(team.campaign_user, Org("campaign", campaign.id), "http://127.0.0.1:9/h",
                                        ["member.left"])
    params["delivery_id"] = emit_for_campaign("member.left", campaign.id, {"project_id": project.id})[0].id
    db.session.commit()
    # A partner with this campaign in its portfolio; the campaign's member is also the partner's member.
    from tests.integration import org_helpers

    partner = org_helpers.partner(None, member=team.campaign_user)
    from app.models import PartnerCampaign

    db.session.add(PartnerCampaign(partner_id=partner.id, campaign_id=campaign.id, status="active"))
    db.session.commit()
    params.update(partner_id=partner.id, fmt="json")
    tokens["partners.referral"] = partner.referral_code
    from app.orgs import teams as teams_module
    from app.partners.team_routes import PARTNER

    tokens["partner_team.join"] = teams_module.make_token(
        PARTNER, teams_module.invite(PARTNER, team.campaign_user, partner, "ally@example.org"))
    params["_tokens"] = tokens
    # The lead pipeline and the volunteer pool (app/leads, app/pool): a training session staff run.
    from app.models import TrainingSession

    session = TrainingSession(starts_at=utcnow() + timedelta(days=2), timezone="America/New_York", capacity=5,
                              meeting_link="https://meet.example.org/t", trainer_id=team.staff.id)
    db.session.add(session)
    db.session.commit()
    params.update(session_id=session.id, volunteer_id=volunteer.volunteer_profile.id)
    return World(team, users, params, other_campaign, other_request)


def url_for_rule(rule, params, **override):
    """The rule's path with its arguments taken from the world (or from `override`)."""
    values = {}
    for arg in rule.arguments:
        if arg in override:
            values[arg] = override[arg]
        elif arg == "token":
            values[arg] = params["_tokens"][rule.endpoint]
        else:
            values[arg] = params[arg]
    path = rule.rule
    for arg, value in values.items():
        path = path.replace(f"<{_converter(rule, arg)}{arg}>", str(value))
    assert "<" not in path, path
    return path


def _converter(rule, arg):
    found = re.search(r"<([\w]+(?:\([^)]*\))?:)?" + re.escape(arg) + ">", rule.rule)  # e.g. int(max=9):
    if found is None:
        raise KeyError(arg)
    return found.group(1) or ""
