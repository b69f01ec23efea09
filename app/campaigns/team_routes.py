"""A campaign's own team: members, invitations, roles, leaving and handing ownership over."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.campaigns import team
from app.campaigns.team_forms import ConfirmForm, HandOverForm, InviteColleagueForm, RoleForm
from app.errors.domain import DomainError, attach_error
from app.extensions import db
from app.models import CampaignInvitation
from app.permissions import campaign_or_404, campaign_owner_or_403, campaign_role, roles_required

bp = Blueprint("campaign_team", __name__)


def _page(campaign, invite_form=None, hand_over_form=None, status=200):
    members = team.members_of(campaign)
    hand_over_form = hand_over_form or HandOverForm()
    hand_over_form.member_id.choices = [(m.id, m.user.name) for m in members if m.user_id != current_user.id]
    return render_template(
        "campaigns/team.html", campaign=campaign, members=members, my_role=campaign_role(current_user, campaign.id),
        invitations=team.open_invitations(campaign), invite_form=invite_form or InviteColleagueForm(),
        hand_over_form=hand_over_form, role_form=RoleForm(), confirm_form=ConfirmForm(),
    ), status


@bp.route("/<int:campaign_id>/team")
@roles_required("campaign", "staff")
def members(campaign_id):
    return _page(campaign_or_404(campaign_id, current_user))


@bp.route("/<int:campaign_id>/team/invite", methods=["POST"])
@roles_required("campaign")
def invite(campaign_id):
    campaign = campaign_owner_or_403(campaign_id, current_user)
    form = InviteColleagueForm()
    if form.validate_on_submit():
        try:
            invitation = team.invite_colleague(current_user, campaign, form.email.data, form.role.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            flash(f"Invitation sent to {invitation.email}.", "success")
            return redirect(url_for("campaign_team.members", campaign_id=campaign.id))
    return _page(campaign, invite_form=form, status=422)


@bp.route("/<int:campaign_id>/team/invitations/<int:invite_id>/withdraw", methods=["POST"])
@roles_required("campaign")
def withdraw(campaign_id, invite_id):
    campaign = campaign_owner_or_403(campaign_id, current_user)
    if ConfirmForm().validate_on_submit():
        try:
            team.withdraw_invitation(current_user, campaign, invite_id)
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash("Invitation withdrawn.", "success")
    return redirect(url_for("campaign_team.members", campaign_id=campaign.id))


@bp.route("/<int:campaign_id>/team/<int:member_id>/role", methods=["POST"])
@roles_required("campaign")
def change_role(campaign_id, member_id):
    campaign = campaign_owner_or_403(campaign_id, current_user)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            team.change_role(current_user, campaign, member_id, form.role.data)
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash("Role changed.", "success")
    return redirect(url_for("campaign_team.members", campaign_id=campaign_id))


@bp.route("/<int:campaign_id>/team/<int:member_id>/remove", methods=["POST"])
@roles_required("campaign")
def remove(campaign_id, member_id):
    """An owner removes a colleague; anyone may remove themselves (leave)."""
    campaign = campaign_or_404(campaign_id, current_user)
    mine = team.membership(campaign_id, current_user.id)
    leaving = mine is not None and mine.id == member_id
    if not leaving and campaign_role(current_user, campaign_id) != "owner":
        abort(403)
    if ConfirmForm().validate_on_submit():
        try:
            team.remove_member(current_user, campaign, member_id)
        except DomainError as err:
            flash(err.message, "error")
        else:
            if leaving:
                flash(f"You have left {campaign.name}. Everything you did for it stays with the campaign.", "success")
                return redirect(url_for("campaigns.dashboard"))
            flash("Removed from the team. What they did stays in the campaign's record.", "success")
    return redirect(url_for("campaign_team.members", campaign_id=campaign_id))


@bp.route("/<int:campaign_id>/team/hand-over", methods=["POST"])
@roles_required("campaign")
def hand_over(campaign_id):
    campaign = campaign_owner_or_403(campaign_id, current_user)
    form = HandOverForm()
    form.member_id.choices = [(m.id, m.user.name) for m in team.members_of(campaign) if m.user_id != current_user.id]
    if form.validate_on_submit():
        try:
            member = team.hand_over(current_user, campaign, form.member_id.data, leave=form.leave.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            flash(f"{member.user.name} is now an owner of {campaign.name}.", "success")
            if form.leave.data:
                return redirect(url_for("campaigns.dashboard"))
            return redirect(url_for("campaign_team.members", campaign_id=campaign_id))
    return _page(campaign, hand_over_form=form, status=422)


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token):
    """The link in a colleague's invitation: log in or sign up with the invited address, then join."""
    invitation = team.invitation_for_token(token)
    if invitation is None:
        flash("That invitation link is not valid. Ask the campaign to invite you again.", "error")
        return redirect(url_for("main.index"))
    form = ConfirmForm()
    if current_user.is_authenticated and form.validate_on_submit():
        try:
            team.accept_invitation(current_user, invitation)
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash(f"Welcome to {invitation.campaign.name}'s team.", "success")
            return redirect(url_for("campaigns.show", campaign_id=invitation.campaign_id))
    elif not current_user.is_authenticated and form.is_submitted():
        return redirect(url_for("auth.login", next=url_for("campaign_team.join", token=token)))
    return render_template("campaigns/join.html", invitation=invitation, form=form, token=token,
                           open=invitation.is_open())


@bp.route("/invitations/<int:invite_id>/accept", methods=["POST"])
@login_required
def accept(invite_id):
    """Accept from the dashboard: the invitation must be addressed to the logged-in account's email."""
    invitation = db.session.get(CampaignInvitation, invite_id)
    if invitation is None or invitation.email != current_user.email.lower():
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            team.accept_invitation(current_user, invitation)
        except DomainError as err:
            flash(err.message, "error")
            return redirect(url_for("main.dashboard"))
        flash(f"Welcome to {invitation.campaign.name}'s team.", "success")
        return redirect(url_for("campaigns.show", campaign_id=invitation.campaign_id))
    return redirect(url_for("main.dashboard"))
