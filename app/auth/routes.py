"""Register, log in, log out, password reset."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import services
from app.auth.forms import LoginForm, RegisterForm, ResetPasswordForm, ResetRequestForm
from app.auth.tokens import user_for_confirm_token, user_for_reset_token
from app.errors.domain import DomainError, attach_error
from app.safety import safe_next_url
from app.security import remember_device

bp = Blueprint("auth", __name__)


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            services.register_user(form.name.data, form.email.data, form.password.data, form.role.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            # The same answer whether the address was new or already had an account (no enumeration).
            session["signup_email"] = services.normalise_email(form.email.data)
            return redirect(url_for("auth.check_inbox"))
    return render_template("auth/register.html", form=form)


@bp.route("/register/sent")
def check_inbox():
    """After signing up: open the link we emailed."""
    return render_template("auth/check_inbox.html", email=session.get("signup_email", ""))


@bp.route("/confirm/<token>")
def confirm(token):
    """The link from the sign-up email: confirms the address, logs in, and starts the profile."""
    user = user_for_confirm_token(token)
    if user is None:
        flash("That link has expired or was already used. Log in: if your account still needs "
              "confirming, we will send a new link.", "error")
        return redirect(url_for("auth.login"))
    services.confirm_account(user)
    if current_user.is_authenticated and current_user.id != user.id:
        # Opened in a browser where someone else is logged in: confirm, but leave their session be.
        flash(f"The account for {user.email} is confirmed. Log out to use it.", "success")
        return redirect(url_for("main.dashboard"))
    login_user(user)
    flash(f"Welcome to Barnstorm, {user.name}. Your email is confirmed.", "success")
    if user.role == "volunteer":
        return redirect(url_for("volunteers.edit_profile"))
    return redirect(url_for("campaigns.new_campaign"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            flash("That email and password do not match an account.", "error")
        elif user.confirmation_pending:
            services.resend_confirmation(user)
            flash(f"Confirm your email address first: we have sent a new link to {user.email}. "
                  "It works for three days.", "info")
        else:
            login_user(user, remember=form.remember.data)
            response = redirect(safe_next_url(request.args.get("next")) or url_for("main.dashboard"))
            return remember_device(response, user.email)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    services.end_all_sessions(current_user._get_current_object())
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("main.index"))


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash("If an account uses that email, a reset link is on its way. It works for one hour.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    user = user_for_reset_token(token)
    if user is None:
        flash("That reset link has expired or was already used. Ask for a new one.", "error")
        return redirect(url_for("auth.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        logout_user()
        flash("Your password is changed. Log in with the new one.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
