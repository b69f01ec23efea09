"""A partner's own members: invited by a signed, expiring link, roles, leaving, handing ownership
over; a partner always keeps an owner. The rules are the campaign team's (app/orgs/teams.py)."""
import pytest

from app.errors.domain import DomainError
from app.models import AuditEntry, PartnerInvitation, PartnerMember
from app.orgs import teams
from app.partners.team_routes import PARTNER
from tests.integration import org_helpers
from tests.mailbox import latest_email, link_path


@pytest.fixture
def caucus(make, db):
    owner = make.user("campaign", name="Pat Partner")
    return org_helpers.partner(make, member=owner), owner


def _role(partner, user):
    m = teams.membership(PARTNER, partner.id, user.id)
    return m.role if m else None


def test_owner_invites_a_colleague_who_joins_and_sees_the_portfolio(client, login, make, db, caucus):
    partner, pat = caucus
    login(pat)
    resp = client.post(f"/partners/{partner.id}/team/invite", data={"email": "Quinn@Caucus.org", "role": "member"})
    assert resp.status_code == 302
    mail = latest_email("quinn@caucus.org", "partner-invite:")
    assert mail is not None and "Virginia House Caucus" in mail.subject
    path = link_path(mail, "/partners/join/")
    client.post("/auth/logout")
    page = client.get(path)
    assert page.status_code == 200 and "Log in to join" in page.get_data(as_text=True)
    assert "/auth/login" in client.post(path).headers["Location"]

    quinn = make.user("campaign", email="quinn@caucus.org", name="Quinn Colleague")
    assert client.get(f"/partners/{partner.id}").status_code in (302, 401)
    login(quinn)
    assert client.get(f"/partners/{partner.id}").status_code == 404  # not a member yet
    assert client.post(path).headers["Location"].endswith(f"/partners/{partner.id}")
    assert _role(partner, quinn) == "member"
    assert client.post(path).status_code == 302  # twice is harmless
    assert client.get(f"/partners/{partner.id}").status_code == 200
    assert "Quinn Colleague" in client.get(f"/partners/{partner.id}/team").get_data(as_text=True)
    # a member is not an owner: cannot invite, change roles or remove others
    assert client.post(f"/partners/{partner.id}/team/invite", data={"email": "x@y.org"}).status_code == 403
    owner_row = teams.membership(PARTNER, partner.id, pat.id)
    assert client.post(f"/partners/{partner.id}/team/{owner_row.id}/remove").status_code == 403
    assert db.session.scalar(db.select(db.func.count(PartnerMember.id))) == 2


def test_bad_invitations_change_nothing_and_keep_what_was_typed(client, login, make, db, caucus):
    partner, pat = caucus
    login(pat)
    resp = client.post(f"/partners/{partner.id}/team/invite", data={"email": "not-an-address", "role": "member"})
    assert resp.status_code == 422 and "not-an-address" in resp.get_data(as_text=True)
    resp = client.post(f"/partners/{partner.id}/team/invite", data={"email": pat.email, "role": "member"})
    assert resp.status_code == 422 and "already on this partner" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(PartnerInvitation.id))) == 0


def test_link_for_another_address_or_a_volunteer_does_not_join(client, login, make, db, caucus):
    partner, pat = caucus
    invitation = teams.invite(PARTNER, pat, partner, "ria@caucus.org")
    for user in (make.user("campaign", email="someone@else.org"), make.volunteer(email="ria@caucus.org")):
        with pytest.raises(DomainError):
            teams.accept_invitation(PARTNER, user, invitation)
    # a campaign-team link never opens a partner team (different token purpose)
    from app.campaigns import team as campaign_team

    path = link_path(latest_email("ria@caucus.org", "partner-invite:"), "/partners/join/")
    token = path.rsplit("/", 1)[1]
    assert campaign_team.invitation_for_token(token) is None
    assert db.session.scalar(db.select(db.func.count(PartnerMember.id))) == 1


def test_a_partner_keeps_an_owner_and_hand_over_then_leave(client, login, make, db, caucus):
    partner, pat = caucus
    quinn = make.user("campaign", email="quinn@caucus.org")
    teams.accept_invitation(PARTNER, quinn, teams.invite(PARTNER, pat, partner, quinn.email))
    mine = teams.membership(PARTNER, partner.id, pat.id)
    with pytest.raises(DomainError, match="always keeps an owner"):
        teams.remove_member(PARTNER, pat, partner, mine.id)
    with pytest.raises(DomainError, match="always keeps an owner"):
        teams.change_role(PARTNER, pat, partner, mine.id, "member")
    login(pat)
    quinn_row = teams.membership(PARTNER, partner.id, quinn.id)
    resp = client.post(f"/partners/{partner.id}/team/hand-over", data={"member_id": quinn_row.id, "leave": "y"})
    assert resp.status_code == 302
    assert _role(partner, quinn) == "owner" and _role(partner, pat) is None
    assert client.get(f"/partners/{partner.id}").status_code == 404  # gone with the membership
    actions = set(db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.action.like("partner.%"))))
    assert {"partner.member_invited", "partner.member_joined", "partner.ownership_handed_over",
            "partner.member_left"} <= actions


@pytest.mark.parametrize("role", ["owner", "member", "former", "outsider", "volunteer", "staff", "anonymous"])
def test_partner_team_routes_for_every_role(client, login, make, db, caucus, role):
    partner, pat = caucus
    member = make.user("campaign")
    teams.accept_invitation(PARTNER, member, teams.invite(PARTNER, pat, partner, member.email))
    former = make.user("campaign")
    teams.accept_invitation(PARTNER, former, teams.invite(PARTNER, pat, partner, former.email))
    teams.remove_member(PARTNER, pat, partner, teams.membership(PARTNER, partner.id, former.id).id)
    users = {"owner": pat, "member": member, "former": former, "outsider": make.user("campaign"),
             "volunteer": make.volunteer(), "staff": make.user("staff")}
    if role != "anonymous":
        login(users[role])
    view = client.get(f"/partners/{partner.id}/team").status_code
    invite = client.post(f"/partners/{partner.id}/team/invite", data={"email": "n@x.org", "role": "member"})
    expected_view = {"owner": 200, "member": 200, "staff": 200, "former": 404, "outsider": 404, "volunteer": 403}
    expected_invite = {"owner": 302, "member": 403, "staff": 403, "former": 404, "outsider": 404, "volunteer": 403}
    if role == "anonymous":
        assert view == 302 and invite.status_code == 302
    else:
        assert (view, invite.status_code) == (expected_view[role], expected_invite[role])


def test_the_only_owner_hands_over_before_closing_their_account(db, make, caucus):
    from app.account import services as account
    from tests.factories import PASSWORD

    partner, pat = caucus
    quinn = make.user("campaign", email="quinn@caucus.org")
    teams.accept_invitation(PARTNER, quinn, teams.invite(PARTNER, pat, partner, quinn.email))
    with pytest.raises(DomainError, match="Virginia House Caucus"):
        account.close_account(pat, PASSWORD)
    db.session.rollback()
    assert _role(partner, pat) == "owner"
    teams.hand_over(PARTNER, pat, partner, teams.membership(PARTNER, partner.id, quinn.id).id)
    account.close_account(pat, PASSWORD)


def test_an_invitation_waits_on_the_dashboard_of_someone_who_signed_up_after_it(client, login, make, db, caucus):
    partner, pat = caucus
    teams.invite(PARTNER, pat, partner, "late@caucus.org")
    late = make.user("campaign", email="late@caucus.org")
    login(late)
    page = client.get("/campaigns/").get_data(as_text=True)
    assert "Virginia House Caucus" in page and "/partners/join/" in page
    path = page.split('href="', 1)[1] if False else page[page.index("/partners/join/"):].split('"', 1)[0]
    client.post(path)
    assert _role(partner, late) == "member"
