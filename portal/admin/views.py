"""System administration: accounts, departments, the regulation profile."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlmodel import select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from portal.admin import operations
from portal.admin.forms import DepartmentForm, DivisionForm, UserForm, role_choices
from portal.auth.models import AccountChangeKind
from portal.auth.operations import recently_authenticated
from portal.auth.sessions import current_session_row, totp_required_by_profile
from portal.db import db
from portal.models import Department, Division, User, Vendor
from portal.permissions import TOTP_REQUIRED_ROLES, Permission, Role, requires

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _fill_choices(form: UserForm) -> None:
    profile = current_app.extensions["portal.profile"]
    form.role.choices = role_choices(profile)
    pairs = operations.departments_by_division(session=db.session)
    form.department_id.choices = [(None, _("（なし）"))] + [
        (d.id, f"{division.name} {d.name}") for division, departments in pairs for d in departments
    ]
    vendors = db.session.exec(select(Vendor).order_by(Vendor.name)).all()
    form.vendor_id.choices = [(None, _("（なし）"))] + [(v.id, v.name) for v in vendors]


CHANGE_LABELS = {
    AccountChangeKind.ROLE_GRANTED.value: _l("役割の付与"),
    AccountChangeKind.ACTIVATED.value: _l("有効化"),
    AccountChangeKind.DEACTIVATED.value: _l("停止"),
    AccountChangeKind.TOTP_ENROLLED.value: _l("二要素認証の設定"),
    AccountChangeKind.TOTP_RESET.value: _l("二要素認証の解除"),
}

# A form held across the re-authentication page, so that the administrator loses no input.
_HELD_FORM = "admin_held_form"


def _fresh_sign_in() -> bool:
    minutes = current_app.config["REAUTH_MINUTES"]
    return recently_authenticated(current_session_row(), within=timedelta(minutes=minutes))


def _reauthenticate_first(form: UserForm | None = None, back: str | None = None) -> Response:
    """Send the administrator to confirm the sign-in, keeping the posted form for later;
    ``back`` is the page to return to (default: this one)."""
    if form is not None:
        data = {name: value for name, value in request.form.items() if name != "csrf_token"}
        session[_HELD_FORM] = {"path": request.path, "data": data}
    flash(
        _("権限を付与する操作です。続ける前に、パスワード（と確認コード）を入力してください。"),
        "info",
    )
    return redirect(url_for("auth.reauthenticate", next=back or request.path))


def _held_form_data() -> MultiDict[str, Any] | None:
    """The form kept by ``_reauthenticate_first`` for this page, once."""
    held = session.get(_HELD_FORM)
    if not held or held.get("path") != request.path or request.method != "GET":
        return None
    session.pop(_HELD_FORM, None)
    flash(_("入力内容を復元しました。確認して、もう一度保存してください。"), "info")
    return MultiDict(held.get("data") or {})


def _address() -> str:
    return request.remote_addr or ""


@bp.route("/users")
@requires(Permission.MANAGE_USERS)
def users() -> str:
    """All accounts."""
    departments = {d.id: d for d in db.session.exec(select(Department)).all()}
    vendors = {v.id: v for v in db.session.exec(select(Vendor)).all()}
    return render_template(
        "admin/users.html",
        users=operations.list_users(session=db.session),
        departments=departments,
        vendors=vendors,
    )


@bp.route("/users/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def user_new() -> Response | str:
    """Create an account with a temporary password shown once."""
    held = _held_form_data()
    form = UserForm(formdata=held) if held is not None else UserForm()
    _fill_choices(form)
    if form.validate_on_submit():
        # Creating an account grants its role.
        if not _fresh_sign_in():
            return _reauthenticate_first(form)
        try:
            account = operations.create_user(
                session=db.session,
                email=form.email.data,
                role=form.role.data,
                name=form.name.data or "",
                department_id=form.department_id.data,
                vendor_id=form.vendor_id.data,
                actor=current_user._get_current_object(),
                address=_address(),
            )
        except operations.AccountError as error:
            form.email.errors.append(error.message)
        else:
            return render_template(
                "admin/password_shown.html", user=account.user, password=account.temporary_password
            )
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def user_edit(user_id: int) -> Response | str:
    """Change an account's role, department, vendor or state."""
    user = db.session.get(User, user_id) or abort(404)
    held = _held_form_data()
    form = UserForm(formdata=held, obj=user) if held is not None else UserForm(obj=user)
    _fill_choices(form)
    if form.validate_on_submit():
        grants = operations.grants_access(user=user, role=form.role.data, active=form.active.data)
        if grants and not _fresh_sign_in():
            return _reauthenticate_first(form)
        try:
            operations.update_user(
                session=db.session,
                user=user,
                actor=current_user._get_current_object(),
                role=form.role.data,
                name=form.name.data or "",
                department_id=form.department_id.data,
                vendor_id=form.vendor_id.data,
                active=form.active.data,
                address=_address(),
            )
        except operations.AccountError as error:
            form.role.errors.append(error.message)
        else:
            flash(_("%(email)s を更新しました。", email=user.email), "success")
            return redirect(url_for("admin.users"))
    changes = operations.account_changes(session=db.session, user=user)
    actor_ids = {change.actor_id for change in changes if change.actor_id is not None}
    actors = db.session.exec(select(User).where(User.id.in_(actor_ids))).all()
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        changes=changes,
        actors={actor.id: actor for actor in actors},
        change_labels=CHANGE_LABELS,
    )


@bp.route("/users/<int:user_id>/reset-totp", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def user_reset_totp(user_id: int) -> Response:
    """Remove a user's second factor (a lost phone); they set it up again at the next sign-in."""
    user = db.session.get(User, user_id) or abort(404)
    if not _fresh_sign_in():
        return _reauthenticate_first(back=url_for("admin.user_edit", user_id=user.id))
    try:
        operations.reset_totp(
            session=db.session,
            user=user,
            actor=current_user._get_current_object(),
            address=_address(),
        )
    except operations.AccountError as error:
        flash(error.message, "error")
    else:
        flash(
            _(
                "%(email)s の二要素認証を解除しました。次のサインインで設定し直します。",
                email=user.email,
            ),
            "success",
        )
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def user_reset_password(user_id: int) -> str:
    """Issue a new temporary password (shown once) and end the user's sessions."""
    user = db.session.get(User, user_id) or abort(404)
    password = operations.reset_password(session=db.session, user=user)
    return render_template("admin/password_shown.html", user=user, password=password)


@bp.route("/departments", methods=["GET", "POST"])
@requires(Permission.MANAGE_DEPARTMENTS)
def departments() -> Response | str:
    """Divisions and departments; add either."""
    division_form = DivisionForm(prefix="division")
    department_form = DepartmentForm(prefix="department")
    divisions = db.session.exec(select(Division).order_by(Division.sort_order, Division.name)).all()
    department_form.division_id.choices = [(d.id, d.name) for d in divisions]
    try:
        if division_form.submit_requested() and division_form.validate():
            operations.create_division(
                session=db.session,
                name=division_form.name.data,
                sort_order=division_form.sort_order.data or 0,
            )
            flash(_("部を追加しました。"), "success")
            return redirect(url_for("admin.departments"))
        if department_form.submit_requested() and department_form.validate():
            operations.create_department(
                session=db.session,
                division_id=department_form.division_id.data,
                name=department_form.name.data,
                sort_order=department_form.sort_order.data or 0,
            )
            flash(_("課室を追加しました。"), "success")
            return redirect(url_for("admin.departments"))
    except operations.AccountError as error:
        flash(error.message, "error")
    return render_template(
        "admin/departments.html",
        groups=operations.departments_by_division(session=db.session),
        division_form=division_form,
        department_form=department_form,
    )


@bp.route("/profile")
@requires(Permission.VIEW_PROFILE_SETTINGS)
def profile() -> str:
    """The regulation profile in force: municipality, articles, role titles, defaults."""
    return render_template(
        "admin/profile.html",
        totp_required=totp_required_by_profile(),
        totp_roles=[role.value for role in Role if role in TOTP_REQUIRED_ROLES],
    )
