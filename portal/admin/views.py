"""System administration: accounts, departments, the regulation profile."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select
from werkzeug.wrappers import Response

from portal.admin import operations
from portal.admin.forms import DepartmentForm, DivisionForm, UserForm, role_choices
from portal.db import db
from portal.models import Department, Division, User, Vendor
from portal.permissions import Permission, requires

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
    form = UserForm()
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            account = operations.create_user(
                session=db.session,
                email=form.email.data,
                role=form.role.data,
                name=form.name.data or "",
                department_id=form.department_id.data,
                vendor_id=form.vendor_id.data,
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
    form = UserForm(obj=user)
    _fill_choices(form)
    if form.validate_on_submit():
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
            )
        except operations.AccountError as error:
            form.role.errors.append(error.message)
        else:
            flash(_("%(email)s を更新しました。", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


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
    return render_template("admin/profile.html")
