"""Staff view of the outbox: what was sent, what waits, what failed."""
from flask import Blueprint, abort, current_app, render_template, request

from app.extensions import db
from app.models import OutboxEmail
from app.permissions import staff_required

bp = Blueprint("mail", __name__)


# Account emails carry a sign-in link worth the whole account (an admin's reset would hand it to
# any staff member); their bodies stay in the console backend's files, never on this page.
PRIVATE_CATEGORIES = ("account",)


def bodies_visible(email=None):
    """Bodies hold signed links: shown only where configured (development) with the console backend."""
    if not current_app.config.get("OUTBOX_SHOW_BODIES") or current_app.config.get("SENDGRID_API_KEY"):
        return False
    return email is None or email.category not in PRIVATE_CATEGORIES


@bp.route("/")
@staff_required
def outbox():
    status = request.args.get("status", "")
    stmt = db.select(OutboxEmail).order_by(OutboxEmail.id.desc())
    if status:
        stmt = stmt.where(OutboxEmail.status == status)
    page = db.paginate(stmt, page=request.args.get("page", 1, type=int), per_page=50, error_out=False)
    return render_template("mail/outbox.html", emails=page, status=status, bodies=bodies_visible(),
                           private=PRIVATE_CATEGORIES)


@bp.route("/<int:email_id>")
@staff_required
def show(email_id):
    email = db.session.get(OutboxEmail, email_id)
    if email is None or not bodies_visible(email):
        abort(404)
    return render_template("mail/show.html", email=email)
