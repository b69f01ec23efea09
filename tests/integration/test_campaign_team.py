"""Campaign teams: inviting colleagues, roles, leaving, handing ownership over; a campaign always keeps an owner."""
import threading

import pytest

from app.campaigns import team
from app.errors.domain import DomainError
from app.extensions import db as _db
from app.models import AuditEntry, CampaignInvitation, CampaignMember, HelpRequest
from app.scoping import approval as scoping
from tests.mailbox import latest_email, link_path


@pytest.fixture
def camp(make, db):
    owner = make.user("campaign", name="Olga Owner")
    campaign = make.campaign(owner, name="Rivera for Delegate")
    return owner, campaign


def _member(campaign, user):
    return team.membership(campaign.id, user.id)


def test_existing_and_new_campaign_members_are_owners(camp, make):
    owner, campaign = camp
    assert _member(campaign, owner).role == "owner"


def test_invited_colleague_joins_through_the_emailed_link_and_approves_a_scope(client, login, camp, make, db):
    owner, campaign = camp
    login(owner)
    resp = client.post(f"/campaigns/{campaign.id}/team/invite", data={"email": "Cleo@Example.org", "role": "member"})
    assert resp.status_code == 302
    mail = latest_email("cleo@example.org", "campaign-invite:")
    assert mail is not None and "Rivera for Delegate" in mail.subject
    path = link_path(mail, "/campaigns/join/")
    client.post("/auth/logout")

    # Not logged in: the page offers log-in (coming back here) or sign-up; joining asks to log in first.
    page = client.get(path)
    assert page.status_code == 200 and "Log in to join" in page.get_data(as_text=True)
    assert "/auth/login" in client.post(path).headers["Location"]

    cleo = make.user("campaign", email="cleo@example.org", name="Cleo Colleague")
    login(cleo)
    assert client.post(path).status_code == 302
    assert _member(campaign, cleo).role == "member"
    assert client.post(path).status_code == 302  # twice is harmless
    assert db.session.scalar(db.select(db.func.count(CampaignMember.id))
                             .where(CampaignMember.campaign_id == campaign.id)) == 2

    project = make.project(campaign, status="awaiting_approval")
    resp = client.post(f"/campaigns/{campaign.id}/projects/{project.id}/approve", data={})
    assert resp.status_code == 302
    db.session.refresh(project)
    assert project.status == "approved" and project.approved_by_id == cleo.id


def test_link_for_another_address_does_not_join(client, login, camp, make, db):
    owner, campaign = camp
    invitation = team.invite_colleague(owner, campaign, "cleo@example.org")
    path = link_path(latest_email("cleo@example.org"), "/campaigns/join/")
    intruder = make.user("campaign", email="mallory@example.org")
    login(intruder)
    client.post(path)
    assert _member(campaign, intruder) is None
    assert db.session.get(CampaignInvitation, invitation.id).accepted_at is None


def test_tampered_expired_and_withdrawn_links_do_not_join(client, login, camp, make, db):
    owner, campaign = camp
    invitation = team.invite_colleague(owner, campaign, "cleo@example.org")
    path = link_path(latest_email("cleo@example.org"), "/campaigns/join/")
    cleo = make.user("campaign", email="cleo@example.org")
    login(cleo)
    tampered = path[:-2] + ("AA" if not path.endswith("AA") else "BB")
    assert client.get(tampered).status_code == 302
    team.withdraw_invitation(owner, campaign, invitation.id)
    client.post(path)
    assert _member(campaign, cleo) is None
    with pytest.raises(DomainError):
        team.accept_invitation(cleo, db.session.get(CampaignInvitation, invitation.id))


def test_a_volunteer_account_cannot_join_a_campaign_team(camp, make):
    owner, campaign = camp
    invitation = team.invite_colleague(owner, campaign, "vic@example.org")
    vic = make.user("volunteer", email="vic@example.org")
    with pytest.raises(DomainError, match="campaign account"):
        team.accept_invitation(vic, invitation)


def test_new_account_finds_the_invitation_on_its_dashboard(client, login, camp, make):
    owner, campaign = camp
    invitation = team.invite_colleague(owner, campaign, "nina@example.org", role="owner")
    nina = make.user("campaign", email="nina@example.org")
    login(nina)
    assert "Join Rivera for Delegate" in client.get("/campaigns/").get_data(as_text=True)
    assert client.post(f"/campaigns/invitations/{invitation.id}/accept").status_code == 302
    assert _member(campaign, nina).role == "owner"


def test_the_last_owner_cannot_step_down_or_leave(camp, make):
    owner, campaign = camp
    mine = _member(campaign, owner)
    with pytest.raises(DomainError, match="always keeps an owner"):
        team.change_role(owner, campaign, mine.id, "member")
    with pytest.raises(DomainError, match="always keeps an owner"):
        team.remove_member(owner, campaign, mine.id)
    assert _member(campaign, owner).role == "owner"


def test_hand_over_and_leave_keeps_everything_the_campaign_did(client, login, camp, make, db):
    owner, campaign = camp
    cleo = make.user("campaign")
    db.session.add(CampaignMember(campaign_id=campaign.id, user_id=cleo.id, role="member"))
    request = HelpRequest(campaign_id=campaign.id, submitted_by_id=owner.id, goals="Raise money", categories=["website"])
    db.session.add(request)
    db.session.commit()
    project = make.project(campaign, status="awaiting_approval")
    scoping.approve_scope(owner, project)

    login(owner)
    resp = client.post(f"/campaigns/{campaign.id}/team/hand-over",
                       data={"member_id": _member(campaign, cleo).id, "leave": "y"})
    assert resp.status_code == 302
    assert _member(campaign, owner) is None and _member(campaign, cleo).role == "owner"
    assert client.get(f"/campaigns/{campaign.id}").status_code == 404  # a former member sees nothing
    db.session.expire_all()
    assert db.session.get(HelpRequest, request.id).submitted_by_id == owner.id
    assert db.session.get(type(project), project.id).approved_by_id == owner.id
    actions = db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.object_type == "Campaign")).all()
    assert "campaign.ownership_handed_over" in actions and "campaign.member_left" in actions


def test_owner_changes_roles_and_removes_a_member(camp, make, db):
    owner, campaign = camp
    cleo = make.user("campaign")
    db.session.add(CampaignMember(campaign_id=campaign.id, user_id=cleo.id, role="member"))
    db.session.commit()
    team.change_role(owner, campaign, _member(campaign, cleo).id, "owner")
    team.change_role(cleo, campaign, _member(campaign, owner).id, "member")  # now possible: two owners
    assert _member(campaign, owner).role == "member"
    team.remove_member(cleo, campaign, _member(campaign, owner).id)
    assert _member(campaign, owner) is None


def test_two_owners_stepping_down_at_once_leave_exactly_one_owner(app, camp, make, db):
    """Each owner demotes themselves at the same moment: exactly one succeeds (race-safe on both databases)."""
    owner, campaign = camp
    second = make.user("campaign")
    db.session.add(CampaignMember(campaign_id=campaign.id, user_id=second.id, role="owner"))
    db.session.commit()
    ids = {u.id: _member(campaign, u).id for u in (owner, second)}
    barrier = threading.Barrier(2)
    outcomes = []

    def step_down(user_id):
        with app.app_context():
            user = _db.session.get(type(owner), user_id)
            camp_row = _db.session.get(type(campaign), campaign.id)
            barrier.wait()
            try:
                team.change_role(user, camp_row, ids[user_id], "member")
                outcomes.append("ok")
            except DomainError:
                outcomes.append("refused")
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=step_down, args=(uid,)) for uid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["ok", "refused"]
    db.session.commit()  # end this test's read snapshot
    owners = db.session.scalar(db.select(db.func.count(CampaignMember.id)).where(
        CampaignMember.campaign_id == campaign.id, CampaignMember.role == "owner"))
    assert owners == 1


# ---------------------------------------------------------------- route x role

ROLES = ("anonymous", "owner", "member", "former", "volunteer", "staff")
#                                    anon owner member former vol staff
ROUTES = {
    ("GET", "members"):              "L    200   200    404    403 200",
    ("GET", "show"):                 "L    200   200    404    403 200",
    ("POST", "invite"):              "L    302   403    404    403 403",
    ("POST", "withdraw"):            "L    302   403    404    403 403",
    ("POST", "role"):                "L    302   403    404    403 403",
    ("POST", "hand_over"):           "L    302   403    404    403 403",
    ("POST", "remove_other"):        "L    302   403    404    403 403",
    ("POST", "remove_self"):         "L    302   302    404    403 403",
}


@pytest.mark.parametrize("role", ROLES)
def test_team_routes_for_every_role(client, login, camp, make, db, role):
    owner, campaign = camp
    member, former, volunteer, staff = (make.user("campaign"), make.user("campaign"), make.user("volunteer"),
                                        make.user("staff"))
    extra = make.user("campaign")
    for user, r in ((member, "member"), (former, "member"), (extra, "member")):
        db.session.add(CampaignMember(campaign_id=campaign.id, user_id=user.id, role=r))
    db.session.commit()
    team.remove_member(owner, campaign, _member(campaign, former).id)
    invitation = team.invite_colleague(owner, campaign, "x@example.org")
    who = {"anonymous": None, "owner": owner, "member": member, "former": former, "volunteer": volunteer,
           "staff": staff}[role]
    if who is not None:
        login(who)
    base = f"/campaigns/{campaign.id}"
    self_id = (_member(campaign, who).id if who is not None and _member(campaign, who) else 987654)
    urls = {
        "members": f"{base}/team", "invite": f"{base}/team/invite",
        "withdraw": f"{base}/team/invitations/{invitation.id}/withdraw",
        "role": f"{base}/team/{_member(campaign, extra).id}/role",
        "remove_other": f"{base}/team/{_member(campaign, extra).id}/remove",
        "remove_self": f"{base}/team/{self_id}/remove",
        "hand_over": f"{base}/team/hand-over", "show": base,
    }
    data = {"invite": {"email": "y@example.org", "role": "member"}, "role": {"role": "owner"},
            "hand_over": {"member_id": _member(campaign, member).id}}
    wrong = []
    column = ROLES.index(role)
    for (method, name), row in ROUTES.items():
        expected = row.split()[column]
        resp = client.open(urls[name], method=method, data=data.get(name, {}))
        got = resp.status_code
        got = "L" if got == 302 and "/auth/login" in resp.headers.get("Location", "") else str(got)
        if got != expected:
            wrong.append(f"{method} {name} as {role}: expected {expected}, got {got}")
    assert not wrong, "\n".join(wrong)


def test_the_last_owner_cannot_close_their_account_while_colleagues_remain(camp, make, db):
    from app.account.services import close_account
    from tests.factories import PASSWORD

    owner, campaign = camp
    cleo = make.user("campaign")
    db.session.add(CampaignMember(campaign_id=campaign.id, user_id=cleo.id, role="member"))
    db.session.commit()
    with pytest.raises(DomainError, match="Hand ownership of Rivera for Delegate"):
        close_account(owner, PASSWORD)
    team.hand_over(owner, campaign, _member(campaign, cleo).id)
    close_account(owner, PASSWORD)
    assert owner.closed_at is not None
