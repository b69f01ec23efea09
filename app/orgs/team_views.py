"""The pages of an organisation's own team (campaign staff, partner members), shared by both blueprints.

`add_routes` puts the same routes on each blueprint with that kind's permission checks
(app/permissions.py); TeamPages says where those routes live.
"""
from dataclasses import dataclass

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.campaigns.team_forms import ConfirmForm, HandOverForm, InviteColleagueForm, RoleForm
from app.errors.domain import DomainError, Forbidden, attach_error
from app.orgs import teams
from app.permissions import roles_required


@dataclass(frozen=True)
class TeamPages:
    kind: teams.TeamKind
    bp: str  # the blueprint with the team routes: members, invite, withdraw, change_role, remove, hand_over, join
    id_arg: str  # "campaign_id" or "partner_id"
    org_page: str  # where a new member lands (takes id_arg)
    home: str  # where someone who left lands

    def url(self, org_id, name, **kwargs):
        return url_for(f"{self.bp}.{name}", **{self.id_arg: org_id}, **kwargs)

    def members_url(self, org_id):
        return self.url(org_id, "members")


def _choices(pages, members):
    return [(m.id, m.user.name) for m in members if m.user_id != current_user.id]


def page(pages, org, my_role, invite_form=None, hand_over_form=None, status=200):
    members = teams.members_of(pages.kind, org)
    hand_over_form = hand_over_form or HandOverForm()
    hand_over_form.member_id.choices = _choices(pages, members)
    return render_template(
        "orgs/team.html", org=org, kind=pages.kind.name, members=members, my_role=my_role,
        team_url=lambda name, **kw: pages.url(org.id, name, **kw),
        invitations=teams.open_invitations(pages.kind, org), invite_form=invite_form or InviteColleagueForm(),
        hand_over_form=hand_over_form, role_form=RoleForm(), confirm_form=ConfirmForm(),
    ), status


def invite(pages, org):
    form = InviteColleagueForm()
    if form.validate_on_submit():
        try:
            invitation = teams.invite(pages.kind, current_user, org, form.email.data, form.role.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            flash(f"Invitation sent to {invitation.email}.", "success")
            return redirect(pages.members_url(org.id))
    return page(pages, org, "owner", invite_form=form, status=422)


def withdraw(pages, org, invite_id):
    if ConfirmForm().validate_on_submit():
        try:
            teams.withdraw_invitation(pages.kind, current_user, org, invite_id)
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash("Invitation withdrawn.", "success")
    return redirect(pages.members_url(org.id))


def change_role(pages, org, member_id):
    form = RoleForm()
    if form.validate_on_submit():
        try:
            teams.change_role(pages.kind, current_user, org, member_id, form.role.data)
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash("Role changed.", "success")
    return redirect(pages.members_url(org.id))


def remove(pages, org, member_id, my_role):
    """An owner removes a colleague; anyone may remove themselves (leave)."""
    mine = teams.membership(pages.kind, org.id, current_user.id)
    leaving = mine is not None and mine.id == member_id
    if not leaving and my_role != "owner":
        raise Forbidden()
    if ConfirmForm().validate_on_submit():
        try:
            teams.remove_member(pages.kind, current_user, org, member_id)
        except DomainError as err:
            flash(err.message, "error")
        else:
            if leaving:
                flash(f"You have left {org.name}. Everything you did for it stays with the {pages.kind.name}.",
                      "success")
                return redirect(url_for(pages.home))
            flash(f"Removed from the team. What they did stays in the {pages.kind.name}'s record.", "success")
    return redirect(pages.members_url(org.id))


def hand_over(pages, org):
    form = HandOverForm()
    form.member_id.choices = _choices(pages, teams.members_of(pages.kind, org))
    if form.validate_on_submit():
        try:
            member = teams.hand_over(pages.kind, current_user, org, form.member_id.data, leave=form.leave.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            flash(f"{member.user.name} is now an owner of {org.name}.", "success")
            if form.leave.data:
                return redirect(url_for(pages.home))
            return redirect(pages.members_url(org.id))
    return page(pages, org, "owner", hand_over_form=form, status=422)


def join(pages, token):
    """The link in a colleague's invitation: log in or sign up with the invited address, then join."""
    invitation = teams.invitation_for_token(pages.kind, token)
    if invitation is None:
        flash(f"That invitation link is not valid. Ask the {pages.kind.name} to invite you again.", "error")
        return redirect(url_for("main.index"))
    org = pages.kind.org_of(invitation)
    form = ConfirmForm()
    if current_user.is_authenticated and form.validate_on_submit():
        try:
            teams.accept_invitation(pages.kind, current_user, invitation)
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash(f"Welcome to {org.name}'s team.", "success")
            return redirect(url_for(pages.org_page, **{pages.id_arg: org.id}))
    elif not current_user.is_authenticated and form.is_submitted():
        return redirect(url_for("auth.login", next=url_for(f"{pages.bp}.join", token=token)))
    return render_template("orgs/join.html", invitation=invitation, org=org, kind=pages.kind.name, form=form,
                           join_url=url_for(f"{pages.bp}.join", token=token), open=invitation.is_open())


def add_routes(bp, pages, see, own, role_of):
    """The team's routes on `bp`. `see(org_id, user)`: the organisation, or 404 (members and staff see it);
    `own(org_id, user)`: the organisation, or 403 unless an owner; `role_of(user, org_id)`: owner/member/None."""
    arg = pages.id_arg
    base = f"/<int:{arg}>/team"

    def members_view(**kw):
        org = see(kw[arg], current_user)
        return page(pages, org, role_of(current_user, org.id))

    def remove_view(**kw):
        """An owner removes a colleague; anyone may remove themselves (leave)."""
        org = see(kw[arg], current_user)
        return remove(pages, org, kw["member_id"], role_of(current_user, org.id))

    owners = roles_required("campaign")
    for rule, endpoint, view, methods in (
        (base, "members", roles_required("campaign", "staff")(members_view), ["GET"]),
        (f"{base}/invite", "invite", owners(lambda **kw: invite(pages, own(kw[arg], current_user))), ["POST"]),
        (f"{base}/invitations/<int:invite_id>/withdraw", "withdraw",
         owners(lambda **kw: withdraw(pages, own(kw[arg], current_user), kw["invite_id"])), ["POST"]),
        (f"{base}/<int:member_id>/role", "change_role",
         owners(lambda **kw: change_role(pages, own(kw[arg], current_user), kw["member_id"])), ["POST"]),
        (f"{base}/<int:member_id>/remove", "remove", owners(remove_view), ["POST"]),
        (f"{base}/hand-over", "hand_over", owners(lambda **kw: hand_over(pages, own(kw[arg], current_user))),
         ["POST"]),
        ("/join/<token>", "join", lambda token: join(pages, token), ["GET", "POST"]),
    ):
        bp.add_url_rule(rule, endpoint, view, methods=methods)
