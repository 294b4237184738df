"""Dispatch contract pages: the list, registration, one contract with its PDF versions and
their check against the dispatch catalog, changes, and the upload of a signed contract."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlmodel import select
from werkzeug.wrappers import Response

from portal import audit
from portal.db import db
from portal.dispatch import operations as ops
from portal.dispatch.forms import DispatchContractForm
from portal.dispatch.models import DispatchContract
from portal.dispatch.rules import DispatchFacts, training_due
from portal.models import Department, User, Vendor
from portal.obligations.views import signed_in
from portal.permissions import Permission, requires
from portal.reviews.shared import UploadForm, clause_titles, receive_owned_upload, status_names
from portal.timeutil import local_today

bp = Blueprint("dispatch", __name__, url_prefix="/dispatch")


def _visible_or_404(contract_id: int) -> DispatchContract:
    found = ops.get_visible(session=db.session, user=signed_in(), contract_id=contract_id)
    return found or abort(404)


def _choices(form: DispatchContractForm, me: User) -> None:
    vendors = db.session.exec(select(Vendor).order_by(Vendor.name)).all()
    form.vendor_id.choices = [(v.id, f"{v.name}（{v.corporate_number}）") for v in vendors]
    department = db.session.get(Department, me.department_id) if me.department_id else None
    form.department_id.choices = [(department.id, department.name)] if department else []


def _facts(form: DispatchContractForm) -> DispatchFacts:
    return DispatchFacts(
        contract_number=form.contract_number.data or "",
        work=form.work.data or "",
        period_start=form.period_start.data,
        period_end=form.period_end.data,
        workers=form.workers.data,
        trained_on=form.trained_on.data,
    )


def _show_errors(form: DispatchContractForm, error: ops.DispatchError) -> None:
    for name, message in error.errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            flash(message, "error")


@bp.route("/")
@requires(Permission.VIEW_DISPATCH)
def index() -> str:
    """The dispatch contracts in the user's scope, with the latest check of each."""
    me = signed_in()
    rows = db.session.exec(
        ops.contracts_with_check(me).order_by(
            DispatchContract.period_start.desc(), DispatchContract.id.desc()
        )
    ).all()
    vendors = {v.id: v for v in db.session.exec(select(Vendor)).all()}
    departments = {d.id: d for d in db.session.exec(select(Department)).all()}
    return render_template(
        "dispatch/index.html",
        contracts=[contract for contract, _statuses in rows],
        vendors=vendors,
        departments=departments,
        checks={contract.id: statuses for contract, statuses in rows if statuses is not None},
        titles=clause_titles(ops.CATALOG),
        can_create=ops.can_manage(me),
        today=local_today(),
        training_due=training_due,
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_DISPATCH)
def new() -> Response | str:
    """Register a dispatch contract of the user's department."""
    me = signed_in()
    if not ops.can_manage(me):
        abort(403)
    form = DispatchContractForm()
    _choices(form, me)
    if form.is_submitted():
        if form.validate():
            try:
                contract = ops.create_dispatch_contract(
                    session=db.session,
                    actor=me,
                    facts=_facts(form),
                    department_id=me.department_id,
                    vendor_id=form.vendor_id.data,
                    personal_information=form.personal_information.data or "",
                )
            except ops.DispatchError as error:
                _show_errors(form, error)
            else:
                audit.record(
                    "dispatch.create",
                    object_type="dispatch_contract",
                    object_id=contract.id,
                    detail={"contract_number": contract.contract_number},
                )
                flash(_("労働者派遣契約を登録しました。"), "success")
                return redirect(url_for("dispatch.detail", contract_id=contract.id))
        flash(_("入力内容を確認してください。"), "error")
    return render_template("dispatch/form.html", form=form, contract=None)


@bp.route("/<int:contract_id>")
@requires(Permission.VIEW_DISPATCH)
def detail(contract_id: int) -> str:
    """One dispatch contract: its facts, the PDF versions and the latest check's matters."""
    contract = _visible_or_404(contract_id)
    me = signed_in()
    audit.record("dispatch.view", object_type="dispatch_contract", object_id=contract.id)
    versions = ops.contract_documents(session=db.session, contract=contract)
    latest = next((d for d in versions if d.status == "done"), None)
    return render_template(
        "dispatch/detail.html",
        contract=contract,
        vendor=db.session.get(Vendor, contract.vendor_id),
        department=db.session.get(Department, contract.department_id),
        versions=versions,
        latest=latest,
        titles=clause_titles(ops.CATALOG),
        status_names=status_names(),
        form=UploadForm(),
        can_upload=ops.can_upload(me, contract),
        can_edit=ops.can_manage(me, contract),
        training_due=training_due(contract.trained_on, contract.period_start, local_today()),
    )


@bp.route("/<int:contract_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_DISPATCH)
def edit(contract_id: int) -> Response | str:
    """Change a dispatch contract (officers of its department)."""
    contract = _visible_or_404(contract_id)
    me = signed_in()
    if not ops.can_manage(me, contract):
        abort(403)
    form = DispatchContractForm(obj=contract)
    _choices(form, me)
    if form.is_submitted():
        if form.validate():
            try:
                changed = ops.update_dispatch_contract(
                    session=db.session,
                    contract=contract,
                    facts=_facts(form),
                    vendor_id=form.vendor_id.data,
                    personal_information=form.personal_information.data or "",
                )
            except ops.DispatchError as error:
                _show_errors(form, error)
            else:
                audit.record(
                    "dispatch.update",
                    object_type="dispatch_contract",
                    object_id=contract.id,
                    detail={"changed": changed},
                )
                flash(_("労働者派遣契約を更新しました。"), "success")
                return redirect(url_for("dispatch.detail", contract_id=contract.id))
        flash(_("入力内容を確認してください。"), "error")
    return render_template("dispatch/form.html", form=form, contract=contract)


@bp.route("/<int:contract_id>/documents", methods=["POST"])
@requires(Permission.UPLOAD_CONTRACTS)
def upload(contract_id: int) -> Response:
    """Store the signed contract PDF and queue its check against the dispatch catalog."""
    contract = _visible_or_404(contract_id)
    return receive_owned_upload(
        owner=ops.OWNER,
        record=contract,
        back=url_for("dispatch.detail", contract_id=contract.id),
        done=_("契約書を登録しました。解析を始めます。"),
    )
