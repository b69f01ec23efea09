"""Every route x every role, walked from app.url_map: a route without an entry here fails the suite.

The world (tests/integration/security_world.py) gives each role records of its own; URL parameters
are the world's campaign, project, request, invitation..., so "volunteer" sees its own invitation and
team while "other_volunteer" reaches for them. Writes are sent with an empty form (CSRF is off in
this app; test_security_csrf.py checks it separately): enough to pass or fail the permission check.

Codes: L = redirect to the log-in page; 403 = wrong role (same for every id); 404 = right role, not
yours (indistinguishable from an id that does not exist).
"""

import pytest

from app.extensions import db
from tests.integration.security_world import ROLES, SECRET_MARKERS, build_world, page_without_csrf, url_for_rule

#                                                 anon vol ovol lead camp ocmp staff admin
EXPECTED = {
    ('account.close'                  , 'POST'): "  L 400 400 400 400 400 400 400",
    ('account.download'               , 'GET' ): "  L 200 200 200 200 200 200 200",
    ('account.index'                  , 'GET' ): "  L 200 200 200 200 200 200 200",
    ('account.rotate_calendar_feed'   , 'POST'): "  L 302 302 302 302 302 302 302",
    ('api.entry_point'                , 'GET' ): "401 401 401 401 401 401 401 401",
    ('api.help_request'               , 'GET' ): "401 401 401 401 401 401 401 401",
    ('api.help_requests'              , 'GET' ): "401 401 401 401 401 401 401 401",
    ('api.openapi'                    , 'GET' ): "200 200 200 200 200 200 200 200",
    ('api.people'                     , 'GET' ): "401 401 401 401 401 401 401 401",
    ('api.person'                     , 'GET' ): "401 401 401 401 401 401 401 401",
    ('api.person_signup_helper'       , 'POST'): "401 401 401 401 401 401 401 401",
    ('api.person_taggings'            , 'GET' ): "401 401 401 401 401 401 401 401",
    ('api.project'                    , 'GET' ): "401 401 401 401 401 401 401 401",
    ('api.project_checkins'           , 'GET' ): "401 401 401 401 401 401 401 401",
    ('api.project_sprints'            , 'GET' ): "401 401 401 401 401 401 401 401",
    ('api.projects'                   , 'GET' ): "401 401 401 401 401 401 401 401",
    ('api.tag'                        , 'GET' ): "401 401 401 401 401 401 401 401",
    ('api.tag_taggings'               , 'GET' ): "401 401 401 401 401 401 401 401",
    ('api.tagging'                    , 'GET' ): "401 401 401 401 401 401 401 401",
    ('api.tags'                       , 'GET' ): "401 401 401 401 401 401 401 401",
    ('api.submit_help_request'        , 'POST'): "401 401 401 401 401 401 401 401",
    ('auth.check_inbox'               , 'GET' ): "200 200 200 200 200 200 200 200",
    ('auth.confirm'                   , 'GET' ): "302 302 302 302 302 302 302 302",
    ('auth.login'                     , 'GET' ): "200 302 302 302 302 302 302 302",
    ('auth.login'                     , 'POST'): "200 302 302 302 302 302 302 302",
    ('auth.logout'                    , 'POST'): "302 302 302 302 302 302 302 302",
    ('auth.register'                  , 'GET' ): "200 302 302 302 302 302 302 302",
    ('auth.register'                  , 'POST'): "200 302 302 302 302 302 302 302",
    ('auth.reset_password'            , 'GET' ): "200 200 200 200 200 200 200 200",
    ('auth.reset_password'            , 'POST'): "200 200 200 200 200 200 200 200",
    ('auth.reset_request'             , 'GET' ): "200 200 200 200 200 200 200 200",
    ('auth.reset_request'             , 'POST'): "200 200 200 200 200 200 200 200",
    ('campaign_team.accept'           , 'POST'): "  L 404 404 404 404 404 404 404",
    ('campaign_team.change_role'      , 'POST'): "  L 403 403 403 302 404 403 403",
    ('campaign_team.hand_over'        , 'POST'): "  L 403 403 403 422 404 403 403",
    ('campaign_team.invite'           , 'POST'): "  L 403 403 403 422 404 403 403",
    ('campaign_team.join'             , 'GET' ): "200 200 200 200 200 200 200 200",
    ('campaign_team.join'             , 'POST'): "  L 200 200 200 200 200 200 200",
    ('campaign_team.members'          , 'GET' ): "  L 403 403 403 200 404 200 200",
    ('campaign_team.remove'           , 'POST'): "  L 403 403 403 302 404 403 403",
    ('campaign_team.withdraw'         , 'POST'): "  L 403 403 403 302 404 403 403",
    ('campaigns.approve_scope'        , 'POST'): "  L 403 403 403 422 404 403 403",
    ('campaigns.cancel_project'       , 'POST'): "  L 403 403 403 422 404 403 403",
    ('campaigns.dashboard'            , 'GET' ): "  L 403 403 403 200 200 403 403",
    ('campaigns.edit'                 , 'GET' ): "  L 403 403 403 200 404 200 200",
    ('campaigns.edit'                 , 'POST'): "  L 403 403 403 302 404 302 302",
    ('campaigns.edit_request'         , 'GET' ): "  L 403 403 403 302 404 302 302",
    ('campaigns.edit_request'         , 'POST'): "  L 403 403 403 302 404 302 302",
    ('campaigns.new_campaign'         , 'GET' ): "  L 403 403 403 200 200 403 403",
    ('campaigns.new_campaign'         , 'POST'): "  L 403 403 403 200 200 403 403",
    ('campaigns.new_request'          , 'GET' ): "  L 403 403 403 200 404 200 200",
    ('campaigns.new_request'          , 'POST'): "  L 403 403 403 200 404 200 200",
    ('campaigns.request_changes'      , 'POST'): "  L 403 403 403 422 404 403 403",
    ('campaigns.scope'                , 'GET' ): "  L 403 403 403 200 404 200 200",
    ('campaigns.show'                 , 'GET' ): "  L 403 403 403 200 404 200 200",
    ('campaigns.show_request'         , 'GET' ): "  L 403 403 403 200 404 200 200",
    ('campaigns.withdraw_request'     , 'POST'): "  L 403 403 403 422 404 422 422",
    ('leads.apply'                    , 'GET' ): "  L 200 200 200 403 403 403 403",
    ('leads.apply'                    , 'POST'): "  L 200 200 200 403 403 403 403",
    ('leads.attendance'               , 'POST'): "  L 403 403 403 403 403 302 302",
    ('leads.cancel_session'           , 'POST'): "  L 403 403 403 403 403 302 302",
    ('leads.guide'                    , 'GET' ): "  L 200 200 200 200 200 200 200",
    ('leads.invite'                   , 'POST'): "  L 403 403 403 403 403 302 302",
    ('leads.make_trainer'             , 'POST'): "  L 403 403 403 403 403 302 302",
    ('leads.my_sessions'              , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('leads.new_session'              , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('leads.new_session'              , 'POST'): "  L 403 403 403 403 403 422 422",
    ('leads.record_external'          , 'POST'): "  L 403 403 403 403 403 302 302",
    ('leads.reschedule_session'       , 'POST'): "  L 403 403 403 403 403 422 422",
    ('leads.session_detail'           , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('leads.staff_index'              , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('leads.withdraw'                 , 'POST'): "  L 403 403 403 403 403 302 302",
    ('pool.directory_page'            , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('pool.invite'                    , 'POST'): "  L 403 403 403 403 403 302 302",
    ('pool.lead_of_project'           , 'GET' ): "  L 403 403 403 403 403 302 302",
    ('pool.profile'                   , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('interest.browse'                , 'GET' ): "  L 200 200 200 403 403 403 403",
    ('interest.toggle_hand'           , 'POST'): "  L 302 302 302 403 403 403 403",
    ('consent.choices'                , 'GET' ): "  L 200 200 200 403 403 403 403",
    ('consent.decide'                 , 'POST'): "  L 302 302 302 403 403 403 403",
    ('exports.campaign_export'        , 'GET'): "  L 403 403 403 200 404 403 403",
    ('exports.partner_export'         , 'GET'): "  L 403 403 403 200 404 200 200",
    ('mail.outbox'                    , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('mail.show'                      , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('main.dashboard'                 , 'GET' ): "  L 302 302 302 302 302 302 302",
    ('main.health'                    , 'GET' ): "200 200 200 200 200 200 200 200",
    ('main.index'                     , 'GET' ): "200 302 302 302 302 302 302 302",
    ('notifications.index'            , 'GET' ): "  L 200 200 200 200 200 200 200",
    ('notifications.read'             , 'POST'): "  L 404 404 404 302 404 404 404",
    ('notifications.read_all'         , 'POST'): "  L 302 302 302 302 302 302 302",
    ('notifications.settings'         , 'GET' ): "  L 200 200 200 200 200 200 200",
    ('notifications.settings'         , 'POST'): "  L 302 302 302 302 302 302 302",
    ('opportunities.by_link'          , 'GET' ): "200 200 200 200 200 200 200 200",
    ('opportunities.by_link'          , 'POST'): "200 200 200 200 200 200 200 200",
    ('opportunities.show'             , 'GET' ): "  L 200 404 404 403 403 403 403",
    ('opportunities.show'             , 'POST'): "  L 200 404 404 403 403 403 403",
    ('orgs.campaign_keys'             , 'GET' ): "  L 403 403 403 200 404 403 403",
    ('orgs.campaign_keys'             , 'POST'): "  L 403 403 403 422 404 403 403",
    ('orgs.campaign_redeliver'        , 'POST'): "  L 403 403 403 302 404 403 403",
    ('orgs.campaign_webhooks'         , 'GET' ): "  L 403 403 403 200 404 403 403",
    ('orgs.campaign_webhooks'         , 'POST'): "  L 403 403 403 422 404 403 403",
    ('orgs.referred'                  , 'GET' ): "200 302 302 302 302 302 302 302",
    ('orgs.referred'                  , 'POST'): "200 302 302 302 302 302 302 302",
    ('orgs.revoke_campaign_key'       , 'POST'): "  L 403 403 403 302 404 403 403",
    ('partners.index'                 , 'GET'): "  L 403 403 403 200 200 200 200",
    ('partners.index'                 , 'POST'): "  L 403 403 403 200 200 200 200",
    ('partners.keys_page'             , 'GET'): "  L 403 403 403 200 404 200 200",
    ('partners.keys_page'             , 'POST'): "  L 403 403 403 422 404 422 422",
    ('partners.portfolio'             , 'GET'): "  L 403 403 403 200 404 200 200",
    ('partners.redeliver'             , 'POST'): "  L 403 403 403 404 404 404 404",
    ('partners.referral'              , 'GET'): "200 200 200 200 200 200 200 200",
    ('partners.referral'              , 'POST'): "200 200 200 200 200 200 200 200",
    ('partners.revoke_key'            , 'POST'): "  L 403 403 403 302 404 302 302",
    ('partners.set_priority'          , 'POST'): "  L 403 403 403 302 404 302 302",
    ('partners.webhooks'              , 'GET'): "  L 403 403 403 200 404 200 200",
    ('partners.webhooks'              , 'POST'): "  L 403 403 403 422 404 422 422",
    ('partners.answer_invitation'     , 'POST'): "  L 403 403 403 302 404 403 403",
    ('partners.invite_campaign'       , 'POST'): "  L 403 403 403 422 404 422 422",
    ('partners.leave_portfolio'       , 'POST'): "  L 403 403 403 302 404 403 403",
    ('partner_team.change_role'       , 'POST'): "  L 403 403 403 302 404 403 403",
    ('partner_team.hand_over'         , 'POST'): "  L 403 403 403 422 404 403 403",
    ('partner_team.invite'            , 'POST'): "  L 403 403 403 422 404 403 403",
    ('partner_team.join'              , 'GET' ): "200 200 200 200 200 200 200 200",
    ('partner_team.join'              , 'POST'): "  L 200 200 200 200 200 200 200",
    ('partner_team.members'           , 'GET' ): "  L 403 403 403 200 404 200 200",
    ('partner_team.remove'            , 'POST'): "  L 403 403 403 302 404 403 403",
    ('partner_team.withdraw'          , 'POST'): "  L 403 403 403 302 404 403 403",
    ('recruiting.board'               , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('recruiting.candidate'           , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('recruiting.choose_lead'         , 'POST'): "  L 403 403 403 403 403 302 302",
    ('recruiting.invite'              , 'POST'): "  L 403 403 403 403 403 302 302",
    ('recruiting.project'             , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('recruiting.run_status'          , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('recruiting.start_batch'         , 'POST'): "  L 403 403 403 403 403 302 302",
    ('recruiting.start_match'         , 'POST'): "  L 403 403 403 403 403 302 302",
    ('recruiting.why_not'             , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('scoping.cancel'                 , 'POST'): "  L 403 403 403 403 403 422 422",
    ('scoping.delete_draft'           , 'POST'): "  L 403 403 403 403 403 302 302",
    ('scoping.edit_scope'             , 'GET' ): "  L 403 403 403 403 403 302 302",
    ('scoping.edit_scope'             , 'POST'): "  L 403 403 403 403 403 302 302",
    ('scoping.edit_skill'             , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('scoping.edit_skill'             , 'POST'): "  L 403 403 403 403 403 302 302",
    ('scoping.edit_template'          , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('scoping.edit_template'          , 'POST'): "  L 403 403 403 403 403 200 200",
    ('scoping.menu'                   , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('scoping.new_skill'              , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('scoping.new_skill'              , 'POST'): "  L 403 403 403 403 403 200 200",
    ('scoping.new_template'           , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('scoping.new_template'           , 'POST'): "  L 403 403 403 403 403 200 200",
    ('scoping.project_detail'         , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('scoping.record_phone_approval'  , 'POST'): "  L 403 403 403 403 403 422 422",
    ('scoping.request_detail'         , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('scoping.reschedule'             , 'POST'): "  L 403 403 403 403 403 422 422",
    ('scoping.request_queue'          , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('scoping.retire_skill'           , 'POST'): "  L 403 403 403 403 403 302 302",
    ('scoping.retire_template'        , 'POST'): "  L 403 403 403 403 403 302 302",
    ('scoping.scope_project'          , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('scoping.scope_project'          , 'POST'): "  L 403 403 403 403 403 200 200",
    ('scoping.send_for_approval'      , 'POST'): "  L 403 403 403 403 403 302 302",
    ('scoping.set_request_status'     , 'POST'): "  L 403 403 403 403 403 422 422",
    ('scoping.skills'                 , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('staff.change_role'              , 'POST'): "  L 403 403 403 403 403 403 302",
    ('staff.dashboard'                , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('staff.users'                    , 'GET' ): "  L 403 403 403 403 403 403 200",
    ('static'                         , 'GET' ): "200 200 200 200 200 200 200 200",
    ('teams.acknowledge'              , 'POST'): "  L 403 404 403 302 404 403 403",
    ('teams.add_note'                 , 'POST'): "  L 400 404 400 403 404 403 403",
    ('teams.calendar'                 , 'GET' ): "  L 200 404 200 200 404 200 200",
    ('teams.calendar_feed'            , 'GET' ): "200 200 200 200 200 200 200 200",
    ('teams.checkin'                  , 'GET' ): "  L 200 404 200 200 404 200 200",
    ('teams.checkin_form'             , 'GET' ): "  L 403 404 200 403 404 200 200",
    ('teams.checkin_form'             , 'POST'): "  L 403 404 200 403 404 200 200",
    ('teams.complete'                 , 'POST'): "  L 403 403 403 403 403 302 302",
    ('teams.drop_member'              , 'GET' ): "  L 403 404 200 403 404 200 200",
    ('teams.drop_member'              , 'POST'): "  L 403 404 200 403 404 200 200",
    ('teams.final_report'             , 'GET' ): "  L 200 404 200 200 404 200 200",
    ('teams.final_report'             , 'POST'): "  L 403 404 200 403 404 200 200",
    ('teams.health_board'             , 'GET' ): "  L 403 403 403 403 403 200 200",
    ('teams.index'                    , 'GET' ): "  L 200 200 200 200 200 200 200",
    ('teams.links_form'               , 'GET' ): "  L 403 404 200 403 404 200 200",
    ('teams.leave'                    , 'GET' ): "  L 200 404 200 403 403 403 403",
    ('teams.leave'                    , 'POST'): "  L 200 404 200 403 403 403 403",
    ('teams.rate'                     , 'GET' ): "  L 403 404 403 200 404 403 403",
    ('teams.rate'                     , 'POST'): "  L 403 404 403 200 404 403 403",
    ('teams.update_links'             , 'POST'): "  L 403 404 302 403 404 302 302",
    ('teams.workspace'                , 'GET' ): "  L 200 404 200 200 404 200 200",
    ('teams.workspace_progress'         , 'GET' ): "  L 200 404 200 200 404 200 200",
    ('volunteers.dashboard'           , 'GET' ): "  L 200 200 200 403 403 403 403",
    ('volunteers.edit_profile'        , 'GET' ): "  L 200 200 200 403 403 403 403",
    ('volunteers.edit_profile'        , 'POST'): "  L 200 200 200 403 403 403 403",
    ('volunteers.toggle_pause'        , 'POST'): "  L 302 302 302 403 403 403 403",
}

# Tokens in these URLs are the capability (email links, calendar feeds): the same for every role.
TOKEN_ROUTES = {"opportunities.by_link", "teams.calendar_feed", "auth.reset_password", "auth.confirm",
                "campaign_team.join", "orgs.referred", "partners.referral", "partner_team.join"}
# Whose ids are checked against "an id that does not exist" (everything but the static file name).
ID_ARGS = ("campaign_id", "project_id", "request_id", "invitation_id", "run_id", "email_id", "membership_id",
           "number", "template_id", "skill_id", "user_id", "notification_id", "session_id", "volunteer_id",
           "invite_id", "member_id", "key_id", "person_id", "delivery_id", "partner_id")


_page = page_without_csrf


def _rules(app):
    return sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint)


def _methods(rule):
    return [m for m in ("GET", "POST") if m in rule.methods]


def _code(resp, endpoint):
    if resp.status_code == 302 and "/auth/login" in resp.headers["Location"] and endpoint != "auth.logout":
        return "L"
    return str(resp.status_code)


def test_every_route_has_an_expectation(app):
    """A new route (or a new method on one) must be added to EXPECTED, with a decision per role."""
    routes = {(r.endpoint, m) for r in _rules(app) for m in _methods(r)}
    assert routes - EXPECTED.keys() == set(), "routes without an entry in EXPECTED"
    assert EXPECTED.keys() - routes == set(), "entries in EXPECTED for routes that no longer exist"
    for rule in _rules(app):
        unexpected = rule.methods - {"GET", "HEAD", "OPTIONS", "POST"}
        assert not unexpected, (rule.endpoint, unexpected)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(app, client, make, role):
    world = build_world(make)
    world.login_as(client, role)
    column = ROLES.index(role)
    calls = [(r, m) for r in _rules(app) for m in _methods(r)]
    # Reads first, then writes; last the two that change who is logged in (an anonymous visitor who
    # opens a sign-up confirmation link is logged in to that account; logging out ends the session).
    calls.sort(key=lambda rm: (rm[0].endpoint in ("auth.confirm", "auth.logout"), rm[1] != "GET",
                               rm[0].endpoint == "auth.logout"))
    wrong = []
    for rule, method in calls:
        expected = EXPECTED[(rule.endpoint, method)].split()[column]
        resp = client.open(url_for_rule(rule, world.params), method=method, data={})
        got = _code(resp, rule.endpoint)
        if got != expected:
            wrong.append(f"{method} {rule.rule} as {role}: expected {expected}, got {got}")
        if expected in ("403", "404", "L"):
            body = resp.get_data(as_text=True)
            leaked = [m for m in SECRET_MARKERS if m in body]
            if leaked:
                wrong.append(f"{method} {rule.rule} as {role}: refused, but the page shows {leaked}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ["volunteer", "other_volunteer", "lead", "campaign", "other_campaign"])
def test_someone_elses_id_looks_like_one_that_does_not_exist(app, client, make, role):
    """Where a role is refused a record, the answer (status and page) is the one for a missing id."""
    world = build_world(make)
    world.login_as(client, role)
    column = ROLES.index(role)
    sees_team = EXPECTED[("teams.workspace", "GET")].split()[column] == "200"
    wrong = []
    for rule in _rules(app):
        args = [a for a in rule.arguments if a in ID_ARGS]
        if not args or "GET" not in rule.methods or rule.endpoint in TOKEN_ROUTES:
            continue
        expected = EXPECTED[(rule.endpoint, "GET")].split()[column]
        if expected not in ("403", "404"):
            continue
        if expected == "403" and rule.endpoint.startswith("teams.") and sees_team:
            continue  # a teammate refused an action (rating too early, the lead's form) may know the project exists
        theirs = client.get(url_for_rule(rule, world.params))
        missing = client.get(url_for_rule(rule, world.params, **{a: 987654 for a in args}))
        if (theirs.status_code, _page(theirs)) != (missing.status_code, _page(missing)):
            import difflib

            diff = "".join(list(difflib.unified_diff(_page(theirs).splitlines(True), _page(missing).splitlines(True)))[:12])
            wrong.append(f"{rule.rule} as {role}: {theirs.status_code} for a real id, "
                         f"{missing.status_code} for a missing one, or the pages differ:\n{diff}")
    assert not wrong, "\n".join(wrong)


def test_other_campaigns_request_is_not_reachable_through_my_campaign(client, make):
    """The id of another campaign's request, under my campaign's URL, is a 404 (no cross-campaign reads)."""
    world = build_world(make)
    world.login_as(client, "campaign")
    c = world.params["campaign_id"]
    resp = client.get(f"/campaigns/{c}/requests/{world.other_request.id}")
    assert resp.status_code == 404 and "Other goals" not in resp.get_data(as_text=True)
    resp = client.get(f"/campaigns/{world.other_campaign.id}/requests/{world.other_request.id}")
    assert resp.status_code == 404


def test_volunteers_never_see_campaign_member_emails_outside_the_team(client, make):
    world = build_world(make)
    world.login_as(client, "other_volunteer")
    for path in ("/volunteer/", "/teams/", "/account/"):
        body = client.get(path).get_data(as_text=True)
        for u in world.team.members + [world.team.campaign_user]:
            assert u.email not in body, (path, u.email)
    db.session.rollback()


def test_scope_decisions_are_refused_in_the_service_for_outsiders(make):
    """Defence in depth: the service itself refuses another campaign's member and staff."""
    from app.errors.domain import DomainError
    from app.scoping import approval

    world = build_world(make)
    project = make.project(world.team.campaign, status="awaiting_approval", start_in_days=10)
    for role in ("other_campaign", "staff", "volunteer"):
        with pytest.raises(DomainError):
            approval.approve_scope(world.users[role], project)
        with pytest.raises(DomainError):
            approval.request_changes(world.users[role], project, "Change it")
    db.session.refresh(project)
    assert project.status == "awaiting_approval"
    approval.approve_scope(world.users["campaign"], project)
    assert project.status == "approved"
