"""Staff pages: overview and (admins) user management."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.errors.domain import DomainError
from app.models.users import ROLE_LABELS
from app.permissions import admin_required, staff_required
from app.staff import services

bp = Blueprint("staff", __name__)


@bp.route("/")
@staff_required
def dashboard():
    return render_template("staff/dashboard.html", **services.overview())


@bp.route("/users")
@admin_required
def users():
    page = request.args.get("page", 1, type=int)
    q = request.args.get("q", "")
    role = request.args.get("role", "")
    return render_template(
        "staff/users.html", users=services.list_users(q, role, page), q=q, role=role, roles=ROLE_LABELS
    )


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@admin_required
def change_role(user_id):
    try:
        user = services.change_role(current_user, user_id, request.form.get("role", ""))
    except DomainError as err:
        flash(err.message, "error")
    else:
        flash(f"{user.name} is now {user.role_label.lower()}.", "success")
    return redirect(url_for("staff.users", q=request.args.get("q", "")))
