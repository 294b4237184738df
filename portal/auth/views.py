"""Sign-in, sign-out and password change."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlmodel import select
from werkzeug.wrappers import Response

from portal import audit
from portal.auth import operations
from portal.auth.forms import LoginForm, PasswordChangeForm
from portal.auth.passwords import verify_password
from portal.db import db
from portal.extensions import limiter
from portal.models import User
from portal.permissions import Permission, public, requires

bp = Blueprint("auth", __name__, url_prefix="/auth")


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    return target


def _failed_attempt(response: Response) -> bool:
    # Only failed sign-ins count against the limits; a success redirects.
    return response.status_code != 302


def _account_key() -> str:
    return "login-account:" + operations.normalize_email(request.form.get("email", ""))


def _client_address() -> str:
    return request.remote_addr or ""


def _sign_in(user: User) -> None:
    # A fresh cookie session on every sign-in: nothing chosen before it survives (fixation).
    session.clear()
    login_user(user)
    session.permanent = True


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMITS_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_failed_attempt,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMITS_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed_attempt,
)
def login() -> Response | str:
    """The sign-in page."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = operations.authenticate(
            session=db.session, email=form.email.data, password=form.password.data
        )
        if user is not None:
            operations.start_session(
                session=db.session,
                user=user,
                address=_client_address(),
                user_agent=request.user_agent.string,
            )
            _sign_in(user)
            audit.record("auth.sign_in", object_type="user", object_id=user.id, actor=user)
            if user.must_change_password:
                flash(_("初回のサインインです。新しいパスワードを設定してください。"), "info")
                return redirect(url_for("auth.password"))
            return redirect(safe_next(request.args.get("next")) or url_for("main.dashboard"))
        # The same answer whether the account is unknown, inactive or the password is wrong.
        _record_failed_sign_in(form.email.data or "")
        flash(_("メールアドレスまたはパスワードが正しくありません。"), "error")
    return render_template("auth/login.html", form=form)


def _record_failed_sign_in(email: str) -> None:
    # Attributed to the account when it exists, so that the auditors see attempts per user.
    account = db.session.exec(
        select(User).where(User.email == operations.normalize_email(email))
    ).first()
    audit.record(
        "auth.sign_in_failed",
        object_type="user",
        object_id=account.id if account else None,
        outcome=audit.DENIED,
        detail={"email": email[:254]},
        actor=account,
    )


@bp.route("/logout", methods=["POST"])
@requires(Permission.VIEW_DASHBOARD)
def logout() -> Response:
    """End the session on the server, then forget the cookie."""
    audit.record("auth.sign_out", object_type="user", object_id=current_user.id)
    operations.end_session(session=db.session, token=current_user.get_id() or "")
    logout_user()
    session.clear()
    flash(_("サインアウトしました。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@requires(Permission.CHANGE_OWN_PASSWORD)
def password() -> Response | str:
    """Change one's own password; every other session of the user ends."""
    form = PasswordChangeForm(email=current_user.email)
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("現在のパスワードが正しくありません。"))
        else:
            user = current_user._get_current_object()
            operations.change_password(
                session=db.session, user=user, new_password=form.new_password.data
            )
            _sign_in(user)
            flash(
                _("パスワードを変更しました。ほかの端末のサインインはすべて終了しました。"),
                "success",
            )
            return redirect(url_for("main.dashboard"))
    return render_template("auth/password.html", form=form)
