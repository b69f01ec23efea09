"""An organisation's own people (a campaign's staff, a partner's members): inviting colleagues,
roles, leaving, handing ownership over. One set of rules for both kinds of organisation.

The organisation's record belongs to it, not to the person who did the work: removing a member
deletes only their membership row. An organisation always keeps at least one owner. The rules that
could race (two owners stepping down at once) run under the organisation row's lock (PostgreSQL) or
SQLite's write lock, then re-count owners.
"""
import functools
from dataclasses import dataclass
from datetime import timedelta

from app import audit, reads, tokens
from app.auth.services import normalise_email
from app.errors.domain import DomainError
from app.extensions import db
from app.links import external_url
from app.mail.messages import render_message
from app.mail.outbox import queue_email
from app.models import User
from app.models.base import utcnow
from app.models.campaigns import MEMBER_ROLES
from app.sqlite_tuning import write_transaction

INVITATION_DAYS = 7


@dataclass(frozen=True)
class TeamKind:
    """What differs between a campaign's team and a partner's: the tables, the link, the words."""

    name: str  # "campaign" or "partner": also the audit prefix and the invitation's relationship
    org_model: type
    member_model: type
    invitation_model: type
    token_purpose: str
    join_endpoint: str  # the signed link's view (takes `token`)
    mail_template: str

    @property
    def fk(self):
        return f"{self.name}_id"

    def org_of(self, row):
        return getattr(row, self.name)


def make_token(kind, invitation):
    """The signed link's token: it names the invitation and the address it was sent to."""
    return tokens.sign(kind.token_purpose, {"i": invitation.id, "e": invitation.email})


def invitation_for_token(kind, token):
    """The invitation a token names, or None when tampered with or older than an invitation lives."""
    data = tokens.unsign(kind.token_purpose, token, max_age=(INVITATION_DAYS + 1) * 86400)
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        return None
    invitation = db.session.get(kind.invitation_model, data["i"])
    if invitation is None or invitation.email != data.get("e"):
        return None
    return invitation


def members_of(kind, org):
    """The organisation's members, owners first."""
    member = kind.member_model
    return list(db.session.scalars(
        db.select(member).join(User, User.id == member.user_id)
        .where(getattr(member, kind.fk) == org.id).order_by(member.role.desc(), User.name, member.id)
    ))


def _open(kind, now):
    inv = kind.invitation_model
    return db.select(inv).where(inv.accepted_at.is_(None), inv.withdrawn_at.is_(None), inv.expires_at > now) \
        .order_by(inv.created_at)


def open_invitations(kind, org, now=None):
    return list(db.session.scalars(_open(kind, now or utcnow()).where(getattr(kind.invitation_model, kind.fk) == org.id)))


def invitations_for_user(kind, user, now=None):
    """Open invitations addressed to this person's email (shown on their dashboard after sign-up)."""
    return list(db.session.scalars(_open(kind, now or utcnow()).where(kind.invitation_model.email == user.email)))


# The open invitations addressed to a person, as UNION ALL rows (app/reads.py): a dashboard shows them
# after sign-up and only reads them. Bind parameters: `email`, `now`.
INVITATION_COLUMNS = {"id": db.Integer, "email": db.String, "role": db.String, "org_name": db.String,
                      "inviter_name": db.String, "created_at": db.DateTime}


def invitation_kind(kind):
    """The `kind` column of a team kind's invitation rows."""
    return f"{kind.name}_invitation"


def invitation_branches(kinds):
    """{invitation_kind: branch} for reads.union, one per team kind in `kinds`."""
    def branch(kind):
        inv, org = kind.invitation_model, kind.org_model
        values = {"id": inv.id, "email": inv.email, "role": inv.role, "org_name": org.name,
                  "inviter_name": User.name, "created_at": inv.created_at}
        return values, lambda q: (
            q.select_from(inv).join(org, org.id == getattr(inv, kind.fk))
            .outerjoin(User, User.id == inv.invited_by_id)
            .where(inv.email == db.bindparam("email"), inv.accepted_at.is_(None), inv.withdrawn_at.is_(None),
                   inv.expires_at > db.bindparam("now")))

    return {invitation_kind(kind): branch(kind) for kind in kinds}


def invitations_to_person(kinds, user, now=None):
    """Open invitations addressed to this person's email, to teams of every kind in `kinds`, as rows
    (kind, id, email, role, org_name, inviter_name, created_at), oldest first, in one round trip."""
    return reads.rows(_invitations_to_person(tuple(kinds)), email=user.email, now=now or utcnow())


@functools.cache
def _invitations_to_person(kinds):
    return reads.union(INVITATION_COLUMNS, invitation_branches(kinds), order_by=("kind", "created_at", "id"))


def membership(kind, org_id, user_id):
    member = kind.member_model
    return db.session.scalar(db.select(member).where(getattr(member, kind.fk) == org_id, member.user_id == user_id))


def invite(kind, owner, org, email, role="member", now=None):
    """Email a signed, expiring link inviting `email` to the organisation's people."""
    if role not in MEMBER_ROLES:
        raise DomainError("Choose owner or member.", field="role")
    email = normalise_email(email or "")
    if "@" not in email:
        raise DomainError("Enter an email address.", field="email")
    existing = db.session.scalar(db.select(User).where(User.email == email))
    if existing is not None and membership(kind, org.id, existing.id) is not None:
        raise DomainError(f"{email} is already on this {kind.name}'s team.", field="email")
    now = now or utcnow()
    if any(i.email == email for i in open_invitations(kind, org, now)):
        raise DomainError(f"{email} already has an open invitation; it works for {INVITATION_DAYS} days.",
                          field="email")
    invitation = kind.invitation_model(email=email, role=role, invited_by_id=owner.id, created_at=now,
                                       expires_at=now + timedelta(days=INVITATION_DAYS), **{kind.fk: org.id})
    db.session.add(invitation)
    db.session.flush()
    link = external_url(kind.join_endpoint, token=make_token(kind, invitation))
    subject, text = render_message(kind.mail_template, invitation=invitation, org=org, owner=owner, link=link,
                                   **{kind.name: org})
    queue_email(f"{kind.name}-invite:{invitation.id}", email, subject, text, category=kind.name)
    audit.record(owner, f"{kind.name}.member_invited", org, email=email, role=role, invitation_id=invitation.id)
    db.session.commit()
    return invitation


def withdraw_invitation(kind, owner, org, invitation_id, now=None):
    invitation = db.session.get(kind.invitation_model, invitation_id)
    if invitation is None or getattr(invitation, kind.fk) != org.id or not invitation.is_open(now):
        raise DomainError("That invitation is no longer open.")
    invitation.withdrawn_at = now or utcnow()
    audit.record(owner, f"{kind.name}.invitation_withdrawn", org, email=invitation.email)
    db.session.commit()


def accept_invitation(kind, user, invitation, now=None):
    """`user` joins with the invitation's role. Accepting twice is harmless."""
    now = now or utcnow()
    org_id = getattr(invitation, kind.fk)
    if invitation.accepted_at is not None and invitation.accepted_by_id == user.id:
        return membership(kind, org_id, user.id)
    if not invitation.is_open(now):
        raise DomainError(f"This invitation has expired or was withdrawn. Ask the {kind.name} for a new one.")
    if user.role != "campaign":
        raise DomainError(f"{kind.name.capitalize()} teams are for campaign-side accounts. Log in with (or sign up "
                          "for) a campaign account using the invited address.")
    if normalise_email(user.email) != invitation.email:
        raise DomainError(f"This invitation was sent to {invitation.email}. Log in with that address to accept it.")
    write_transaction()
    inv = kind.invitation_model
    # Single use, even with two tabs: only the first conditional update finds the row open.
    taken = db.session.execute(
        db.update(inv).where(inv.id == invitation.id, inv.accepted_at.is_(None))
        .values(accepted_at=now, accepted_by_id=user.id)
    ).rowcount
    member = membership(kind, org_id, user.id)
    if taken and member is None:
        member = kind.member_model(user_id=user.id, role=invitation.role, **{kind.fk: org_id})
        db.session.add(member)
        db.session.flush()
        audit.record(user, f"{kind.name}.member_joined", kind.org_of(invitation), role=invitation.role,
                     invitation_id=invitation.id)
    db.session.commit()
    if member is None:
        raise DomainError("This invitation was already used.")
    return member


def _lock(kind, org_id):
    """Serialise changes to one organisation's owners: SQLite's write lock, the org row's lock on PostgreSQL."""
    write_transaction()
    db.session.execute(db.select(kind.org_model.id).where(kind.org_model.id == org_id).with_for_update())


def _owner_count(kind, org_id):
    member = kind.member_model
    return db.session.scalar(db.select(db.func.count(member.id))
                             .where(getattr(member, kind.fk) == org_id, member.role == "owner"))


def _member_or_error(kind, org_id, member_id):
    member = db.session.get(kind.member_model, member_id)
    if member is None or getattr(member, kind.fk) != org_id:
        raise DomainError(f"That person is not on this {kind.name}'s team.")
    db.session.refresh(member)  # read after the lock: another owner may just have changed it
    return member


def change_role(kind, owner, org, member_id, role):
    """Make a member an owner or an owner a member; the last owner cannot step down."""
    if role not in MEMBER_ROLES:
        raise DomainError("Choose owner or member.", field="role")
    org_id = org.id
    _lock(kind, org_id)
    member = _member_or_error(kind, org_id, member_id)
    if member.role == role:
        db.session.commit()
        return member
    if member.role == "owner" and _owner_count(kind, org_id) <= 1:
        db.session.rollback()
        raise DomainError(f"A {kind.name} always keeps an owner: make someone else owner first.", field="role")
    member.role = role
    audit.record(owner, f"{kind.name}.member_role_changed", db.session.get(kind.org_model, org_id),
                 user_id=member.user_id, role=role)
    db.session.commit()
    return member


def remove_member(kind, actor, org, member_id):
    """Take someone off the team (an owner removing a colleague, or anyone leaving).

    Only the membership goes: what they did stays in the organisation's record.
    """
    org_id = org.id
    _lock(kind, org_id)
    member = _member_or_error(kind, org_id, member_id)
    if member.role == "owner" and _owner_count(kind, org_id) <= 1:
        db.session.rollback()
        raise DomainError(f"A {kind.name} always keeps an owner: hand ownership to a colleague before leaving.")
    user_id = member.user_id
    db.session.delete(member)
    action = f"{kind.name}.member_left" if actor.id == user_id else f"{kind.name}.member_removed"
    audit.record(actor, action, db.session.get(kind.org_model, org_id), user_id=user_id)
    db.session.commit()


def hand_over(kind, owner, org, member_id, leave=False):
    """Make a colleague owner; with `leave`, the handing-over owner then leaves."""
    org_id = org.id
    _lock(kind, org_id)
    member = _member_or_error(kind, org_id, member_id)
    if member.user_id == owner.id:
        db.session.rollback()
        raise DomainError("Choose a colleague to hand ownership to.", field="member_id")
    member.role = "owner"
    row = db.session.get(kind.org_model, org_id)
    audit.record(owner, f"{kind.name}.ownership_handed_over", row, to_user_id=member.user_id)
    mine = membership(kind, org_id, owner.id)
    if leave and mine is not None:
        db.session.delete(mine)
        audit.record(owner, f"{kind.name}.member_left", row, user_id=owner.id)
    db.session.commit()
    return member


def left_without_owner(kind, user):
    """Organisations where `user` is the only owner while colleagues remain: they must hand over before leaving."""
    from sqlalchemy.orm import aliased

    member, other, owners = kind.member_model, aliased(kind.member_model), aliased(kind.member_model)
    org_id = getattr(member, kind.fk)
    sole_owner = (db.select(db.func.count(owners.id))
                  .where(getattr(owners, kind.fk) == org_id, owners.role == "owner").scalar_subquery())
    colleagues = (db.select(db.func.count(other.id))
                  .where(getattr(other, kind.fk) == org_id, other.user_id != user.id).scalar_subquery())
    return list(db.session.scalars(
        db.select(kind.org_model).join(member, org_id == kind.org_model.id)
        .where(member.user_id == user.id, member.role == "owner", sole_owner == 1, colleagues > 0)))
