"""Sign-in, sign-out and password change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
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
from portal.auth import operations, totp
from portal.auth.forms import (
    EnrolmentForm,
    LoginForm,
    PasswordChangeForm,
    ReauthenticationForm,
    SecondFactorForm,
)
from portal.auth.passwords import verify_password
from portal.auth.sessions import (
    awaiting_second_factor,
    current_session_row,
    must_enrol,
    totp_keys,
)
from portal.db import db
from portal.extensions import limiter
from portal.models import User
from portal.permissions import Permission, public, requires
from portal.security import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _failed_attempt(response: Response) -> bool:
    # Only failed sign-ins count against the limits; a success redirects (or, for an
    # enrolment, shows the recovery codes and says so in ``g``).
    return response.status_code != 302 and not g.get("sign_in_step_succeeded", False)


def _account_key() -> str:
    return "login-account:" + operations.normalize_email(request.form.get("email", ""))


def _user_key() -> str:
    # The second factor and re-authentication count against the signed-in account.
    return f"login-user:{current_user.id}"


def _client_address() -> str:
    return request.remote_addr or ""


def _after_sign_in(user: User) -> Response:
    """Where a sign-in goes once the password (and second factor, if any) is proved."""
    audit.record(
        "auth.sign_in",
        object_type="user",
        object_id=user.id,
        actor=user,
        detail={"second_factor": bool(user.totp_enabled)},
    )
    if user.must_change_password:
        flash(_("初回のサインインです。新しいパスワードを設定してください。"), "info")
        return redirect(url_for("auth.password"))
    if must_enrol(user):
        flash(_("このポータルでは二要素認証が必要です。認証アプリを登録してください。"), "info")
        return redirect(url_for("auth.totp_enrol"))
    return redirect(safe_next(request.args.get("next")) or url_for("main.dashboard"))


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
            if user.totp_enabled:
                # The session is open but holds nothing until the second factor is given.
                target = safe_next(request.args.get("next"))
                return redirect(url_for("auth.second_factor", next=target))
            return _after_sign_in(user)
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
                session=db.session,
                user=user,
                new_password=form.new_password.data,
                current=current_session_row(),
            )
            _sign_in(user)
            if must_enrol(user):
                flash(
                    _("パスワードを変更しました。続けて認証アプリを登録してください。"), "success"
                )
                return redirect(url_for("auth.totp_enrol"))
            flash(
                _("パスワードを変更しました。ほかの端末のサインインはすべて終了しました。"),
                "success",
            )
            return redirect(url_for("main.dashboard"))
    return render_template("auth/password.html", form=form)


def _throttled(view: Callable[..., Any]) -> Callable[..., Any]:
    """Failed codes count like failed passwords: per address and per account."""
    view = limiter.limit(
        lambda: current_app.config["LOGIN_LIMITS_PER_ACCOUNT"],
        key_func=_user_key,
        methods=["POST"],
        deduct_when=_failed_attempt,
    )(view)
    return limiter.limit(
        lambda: current_app.config["LOGIN_LIMITS_PER_ADDRESS"],
        methods=["POST"],
        deduct_when=_failed_attempt,
    )(view)


@bp.route("/second-factor", methods=["GET", "POST"])
@requires(Permission.VIEW_DASHBOARD)
@_throttled
def second_factor() -> Response | str:
    """The second step of a sign-in: the code from the authenticator app (or a recovery code)."""
    if not awaiting_second_factor():
        return redirect(url_for("main.dashboard"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        used_recovery = totp.looks_like_recovery_code(form.code.data)
        if operations.verify_second_factor(
            session=db.session,
            user=user,
            keys=totp_keys(),
            code=form.code.data,
            current=current_session_row(),
        ):
            if used_recovery:
                left = operations.remaining_recovery_codes(session=db.session, user=user)
                flash(
                    _(
                        "回復コードでサインインしました（この回復コードは使えなくなりました。"
                        "残り%(n)d個）。",
                        n=left,
                    ),
                    "info",
                )
            return _after_sign_in(user)
        audit.record(
            "auth.second_factor_failed",
            object_type="user",
            object_id=user.id,
            outcome=audit.DENIED,
            actor=user,
        )
        form.code.errors.append(
            _("確認コードが正しくないか、有効期限が切れているか、既に使われています。")
        )
    return render_template("auth/second_factor.html", form=form)


@bp.route("/totp", methods=["GET", "POST"])
@requires(Permission.CHANGE_OWN_PASSWORD)
@_throttled
def totp_enrol() -> Response | str:
    """Set up the authenticator app: scan the QR code, confirm one code, keep recovery codes."""
    user = current_user._get_current_object()
    if user.totp_enabled:
        return render_template(
            "auth/totp_status.html",
            remaining=operations.remaining_recovery_codes(session=db.session, user=user),
        )
    keys = totp_keys()
    secret = operations.pending_totp_secret(session=db.session, user=user, keys=keys)
    form = EnrolmentForm()
    if form.validate_on_submit():
        codes = operations.complete_totp_enrolment(
            session=db.session,
            user=user,
            keys=keys,
            code=form.code.data,
            current=current_session_row(),
            address=_client_address(),
        )
        if codes is not None:
            g.sign_in_step_succeeded = True
            # Shown once, never again: only their hashes are kept.
            return render_template("auth/recovery_codes.html", codes=codes)
        form.code.errors.append(
            _(
                "確認コードが一致しません。認証アプリの時刻と、読み取ったQRコードを確かめてください。"
            )
        )
    profile = current_app.extensions["portal.profile"]
    uri = totp.provisioning_uri(
        secret, account=user.email, issuer=f"{_('委託先監督ポータル')} {profile.municipality}"
    )
    return render_template(
        "auth/totp_enrol.html",
        form=form,
        qr=totp.qr_data_uri(uri),
        secret=totp.grouped(secret),
        required=must_enrol(user),
    )


@bp.route("/reauthenticate", methods=["GET", "POST"])
@requires(Permission.VIEW_DASHBOARD)
@_throttled
def reauthenticate() -> Response | str:
    """Confirm the password (and code) again before a sensitive change, e.g. granting a role."""
    user = current_user._get_current_object()
    form = ReauthenticationForm()
    target = safe_next(request.args.get("next")) or url_for("main.dashboard")
    if form.validate_on_submit():
        if operations.reauthenticate(
            session=db.session,
            user=user,
            keys=totp_keys(),
            password=form.password.data,
            code=form.code.data or "",
            current=current_session_row(),
        ):
            flash(_("本人確認ができました。操作を続けてください。"), "success")
            return redirect(target)
        if user.totp_enabled:
            message = _("パスワードまたは確認コードが正しくありません。")
        else:
            message = _("パスワードが正しくありません。")
        form.password.errors.append(message)
    return render_template("auth/reauthenticate.html", form=form, needs_code=user.totp_enabled)


@bp.route("/totp/recovery-codes", methods=["POST"])
@requires(Permission.CHANGE_OWN_PASSWORD)
def recovery_codes() -> Response | str:
    """New recovery codes (the old ones stop working); needs a recent sign-in."""
    user = current_user._get_current_object()
    if not user.totp_enabled:
        return redirect(url_for("auth.totp_enrol"))
    minutes = current_app.config["REAUTH_MINUTES"]
    if not operations.recently_authenticated(
        current_session_row(), within=timedelta(minutes=minutes)
    ):
        flash(_("回復コードを作り直す前に、もう一度本人確認をしてください。"), "info")
        return redirect(url_for("auth.reauthenticate", next=url_for("auth.totp_enrol")))
    codes = operations.replace_recovery_codes(session=db.session, user=user)
    return render_template("auth/recovery_codes.html", codes=codes, regenerated=True)
