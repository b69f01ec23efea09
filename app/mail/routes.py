"""Staff view of the outbox: what was sent, what waits, what failed."""
from flask import Blueprint, abort, current_app, render_template, request

from app.extensions import db
from app.models import OutboxEmail
from app.permissions import staff_required

bp = Blueprint("mail", __name__)


def bodies_visible():
    """Bodies hold signed links (password resets); show them only with the development console backend."""
    return not current_app.config.get("SENDGRID_API_KEY")


@bp.route("/")
@staff_required
def outbox():
    status = request.args.get("status", "")
    stmt = db.select(OutboxEmail).order_by(OutboxEmail.id.desc())
    if status:
        stmt = stmt.where(OutboxEmail.status == status)
    page = db.paginate(stmt, page=request.args.get("page", 1, type=int), per_page=50, error_out=False)
    return render_template("mail/outbox.html", emails=page, status=status, bodies=bodies_visible())


@bp.route("/<int:email_id>")
@staff_required
def show(email_id):
    if not bodies_visible():
        abort(404)
    email = db.session.get(OutboxEmail, email_id)
    if email is None:
        abort(404)
    return render_template("mail/show.html", email=email)
