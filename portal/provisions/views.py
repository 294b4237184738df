"""The provision register: the list, one provision with its agreement, checks and
improvement requests, registering and amending, and an outsourcing's pseudonymisation."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select
from werkzeug.wrappers import Response

from portal import audit
from portal.db import db
from portal.downloads import attachment_response
from portal.models import Department, Outsourcing, User
from portal.obligations import views as shared
from portal.outsourcings.scope import get_visible, owns_department
from portal.permissions import Permission, requires
from portal.provisions import documents, forms, queries
from portal.provisions import operations as ops
from portal.provisions.models import (
    ImprovementRequest,
    Provision,
    ProvisionAttachment,
)
from portal.provisions.rules import ProvisionError
from portal.reviews.shared import (
    DocumentStatus,
    UploadForm,
    clause_titles,
    receive_owned_upload,
    status_names,
)
from portal.storage import get_storage
from portal.timeutil import local_today

bp = Blueprint("provisions", __name__, url_prefix="/provisions")

_me = shared.signed_in


def _profile() -> Any:
    return current_app.extensions["portal.profile"]


def labels() -> dict[str, dict[str, str]]:
    """Display names of the register's codes."""
    return {
        "status": {"active": _("提供中"), "ended": _("終了")},
        "recipient_kind": {
            "other": _("市の機関等以外の者"),
            "administrative": _("他の行政機関等"),
        },
        "pseudonymisation": {k: str(v) for k, v in forms.pseudonymisation_choices()},
        "timing": {"before": _("提供前"), "during": _("提供中（随時）")},
        "method": {"on_site": _("実地調査"), "documents": _("書面等による確認")},
        "result": {"adequate": _("適切"), "improvement": _("改善要求")},
        "improvement": {"open": _("改善待ち"), "closed": _("改善確認済")},
    }


def _visible_or_404(provision_id: int) -> Provision:
    provision = queries.get_visible_provision(
        session=db.session, user=_me(), provision_id=provision_id
    )
    if provision is None and db.session.get(Provision, provision_id) is not None:
        audit.record(
            "scope.denied", object_type="provision", object_id=provision_id, outcome="denied"
        )
    return provision or abort(404)


def _writable(provision_id: int) -> Provision:
    """The provision, if the signed-in officer belongs to the department that provides it."""
    provision = _visible_or_404(provision_id)
    me = _me()
    if me.department_id != provision.department_id:  # @requires checked MANAGE_PROVISIONS
        abort(403)
    return provision


def _provision_form(provision: Provision | None = None) -> forms.ProvisionForm:
    form = forms.ProvisionForm(obj=provision)
    form.safety_measures.choices = list(_profile().safety_measures().items())
    return form


def _data(form: forms.ProvisionForm) -> ops.ProvisionData:
    return ops.ProvisionData(
        recipient_name=form.recipient_name.data or "",
        recipient_kind=form.recipient_kind.data,
        information_name=form.information_name.data or "",
        purpose=form.purpose.data or "",
        legal_basis=form.legal_basis.data or "",
        record_scope=form.record_scope.data or "",
        usage_form=form.usage_form.data or "",
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        agreement_date=form.agreement_date.data,
        persons=form.persons.data or 0,
        safety_measures=list(form.safety_measures.data or []),
        safety_measures_note=form.safety_measures_note.data or "",
        pseudonymisation=form.pseudonymisation.data or "",
        pseudonymisation_reason=form.pseudonymisation_reason.data or "",
    )


@bp.route("/")
@requires(Permission.VIEW_PROVISIONS)
def index() -> str:
    """The provisions in scope and the improvement requests still open."""
    me = _me()
    rows = db.session.exec(
        queries.visible_provisions(me).order_by(Provision.status, Provision.start_date.desc())
    ).all()
    departments = {d.id: d.name for d in db.session.exec(select(Department)).all()}
    return render_template(
        "provisions/index.html",
        provisions=rows,
        improvements=queries.open_improvements(session=db.session, user=me),
        departments=departments,
        labels=labels(),
        today=local_today(),
        can_manage=me.can(Permission.MANAGE_PROVISIONS) and me.department_id is not None,
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_PROVISIONS)
def new() -> Response | str:
    """Enter a provision in the register of the officer's department."""
    me = _me()
    if me.department_id is None:
        abort(403)
    form = _provision_form()
    if form.validate_on_submit():
        try:
            provision = ops.register_provision(
                session=db.session,
                actor=me,
                department_id=me.department_id,
                data=_data(form),
                measures=_profile().safety_measures(),
            )
        except ProvisionError as error:
            flash(error.message, "error")
        else:
            audit.record("provision.create", object_type="provision", object_id=provision.id)
            flash(_("提供を登録しました。取り交わした書面を添付してください。"), "success")
            return redirect(url_for("provisions.detail", provision_id=provision.id))
    return render_template("provisions/form.html", form=form, provision=None)


@bp.route("/<int:provision_id>")
@requires(Permission.VIEW_PROVISIONS)
def detail(provision_id: int) -> str:
    """One provision: the agreement's items, its files, the checks and the improvements."""
    provision = _visible_or_404(provision_id)
    # The page shows which personal information goes where (the register's items).
    audit.record("provision.view", object_type="provision", object_id=provision.id)
    return _detail_page(provision)


def _detail_page(
    provision: Provision,
    check_form: forms.CheckForm | None = None,
    close_form: forms.CloseImprovementForm | None = None,
) -> str:
    """The provision's page; a refused check or closing comes back with what was typed."""
    me = _me()
    checks = queries.checks_of(session=db.session, provision_id=provision.id)
    improvements = queries.improvements_of(session=db.session, provision_id=provision.id)
    people_ids = {c.checked_by_id for c in checks} | {i.closed_by_id for i in improvements}
    people = {
        u.id: u.name
        for u in db.session.exec(select(User).where(User.id.in_(people_ids - {None}))).all()
    }
    versions = documents.agreement_documents(session=db.session, provision=provision)
    if check_form is None:
        check_form = forms.CheckForm(formdata=None)
        check_form.checked_on.data = local_today()
    return render_template(
        "provisions/detail.html",
        provision=provision,
        department=db.session.get(Department, provision.department_id),
        measures=_profile().safety_measures(),
        files=queries.agreements_of(session=db.session, provision_id=provision.id),
        checks=checks,
        improvements=improvements,
        people=people,
        labels=labels(),
        today=local_today(),
        can_manage=me.can(Permission.MANAGE_PROVISIONS)
        and me.department_id == provision.department_id,
        check_form=check_form,
        close_form=close_form or forms.CloseImprovementForm(formdata=None),
        end_form=forms.EndProvisionForm(formdata=None),
        versions=versions,
        latest=next((d for d in versions if d.status == DocumentStatus.DONE), None),
        titles=clause_titles(documents.CATALOG),
        status_names=status_names(),
        upload_form=UploadForm(formdata=None),
        can_upload=documents.can_upload(me, provision),
    )


@bp.route("/<int:provision_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_PROVISIONS)
def edit(provision_id: int) -> Response | str:
    """Amend a provision's register entry."""
    provision = _writable(provision_id)
    form = _provision_form(provision)
    if form.validate_on_submit():
        try:
            ops.update_provision(
                session=db.session,
                provision=provision,
                data=_data(form),
                measures=_profile().safety_measures(),
            )
        except ProvisionError as error:
            flash(error.message, "error")
        else:
            audit.record("provision.update", object_type="provision", object_id=provision.id)
            flash(_("提供の登録内容を更新しました。"), "success")
            return redirect(url_for("provisions.detail", provision_id=provision.id))
    return render_template("provisions/form.html", form=form, provision=provision)


@bp.route("/<int:provision_id>/end", methods=["POST"])
@requires(Permission.MANAGE_PROVISIONS)
def end(provision_id: int) -> Response:
    """Record that a provision ended."""
    provision = _writable(provision_id)
    form = forms.EndProvisionForm()
    if shared.form_step(
        form,
        lambda: ops.end_provision(
            session=db.session, provision=provision, end_date=form.end_date.data
        ),
        done=_("提供を終了として記録しました。"),
    ):
        audit.record("provision.end", object_type="provision", object_id=provision.id)
    return redirect(url_for("provisions.detail", provision_id=provision.id))


@bp.route("/<int:provision_id>/attachments", methods=["POST"])
@requires(Permission.MANAGE_PROVISIONS)
def attach(provision_id: int) -> Response:
    """Keep the written agreement (or another file) with a provision."""
    provision = _writable(provision_id)
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        flash(_("添付するファイルを選んでください。"), "error")
    else:
        try:
            item = ops.attach_agreement(
                session=db.session,
                storage=get_storage(),
                provision=provision,
                actor=_me(),
                stream=sent.stream,
                filename=sent.filename,
            )
        except ProvisionError as error:
            flash(error.message, "error")
        else:
            audit.record(
                "provision.attach",
                object_type="provision",
                object_id=provision.id,
                detail={"attachment_id": item.id, "filename": item.filename},
            )
            flash(_("「%(name)s」を添付しました。", name=item.filename), "success")
    return redirect(url_for("provisions.detail", provision_id=provision.id, _anchor="files"))


@bp.route("/<int:provision_id>/documents", methods=["POST"])
@requires(Permission.MANAGE_PROVISIONS)
def upload_document(provision_id: int) -> Response:
    """Store the agreement PDF and queue its check against the provision catalog."""
    provision = _writable(provision_id)
    return receive_owned_upload(
        owner=documents.OWNER,
        record=provision,
        back=url_for("provisions.detail", provision_id=provision.id, _anchor="agreement"),
        done=_("提供の書面を登録しました。解析を始めます。"),
    )


@bp.route("/attachments/<int:attachment_id>")
@requires(Permission.VIEW_PROVISIONS)
def download_attachment(attachment_id: int) -> Response:
    """A file kept with a provision, streamed as a download."""
    item = db.session.get(ProvisionAttachment, attachment_id) or abort(404)
    _visible_or_404(item.provision_id)
    audit.record_download(
        "provision.attachment_download",
        object_type="provision_attachment",
        object_id=item.id,
        detail={"provision_id": item.provision_id, "filename": item.filename},
    )
    return attachment_response(
        get_storage().open(item.storage_key),
        filename=item.filename,
        fallback=f"provision-{item.id}",
        mimetype=item.content_type,
        size=item.size,
    )


@bp.route("/<int:provision_id>/checks", methods=["POST"])
@requires(Permission.MANAGE_PROVISIONS)
def record_check(provision_id: int) -> Response | str:
    """Record an on-site check and, when it found gaps, the improvement requested."""
    provision = _writable(provision_id)
    form = forms.CheckForm()
    if not form.validate_on_submit():
        flash(_("入力内容を確認してください。"), "error")
        return _detail_page(provision, check_form=form)
    try:
        check, improvement = ops.record_check(
            session=db.session,
            provision=provision,
            actor=_me(),
            data=ops.CheckData(
                checked_on=form.checked_on.data,
                timing=form.timing.data,
                method=form.method.data,
                result=form.result.data,
                findings=form.findings.data or "",
                improvement_request=form.improvement_request.data or "",
                follow_up_due=form.follow_up_due.data,
            ),
            today=local_today(),
            follow_up_days=int(_profile().provision["follow_up_days"]),
        )
    except ProvisionError as error:
        flash(error.message, "error")
        return _detail_page(provision, check_form=form)
    audit.record(
        "provision.check",
        object_type="provision",
        object_id=provision.id,
        detail={"check_id": check.id, "improvement_id": improvement.id if improvement else None},
    )
    flash(_("調査の結果を記録しました。"), "success")
    return redirect(url_for("provisions.detail", provision_id=provision.id, _anchor="checks"))


@bp.route("/improvements/<int:improvement_id>/close", methods=["POST"])
@requires(Permission.MANAGE_PROVISIONS)
def close_improvement(improvement_id: int) -> Response | str:
    """Confirm that the recipient made the improvement asked for."""
    improvement = db.session.get(ImprovementRequest, improvement_id) or abort(404)
    provision = _writable(improvement.provision_id)
    form = forms.CloseImprovementForm()
    try:
        if not form.validate_on_submit():
            raise ProvisionError(_("提供先が講じた改善の内容を入力してください。"))
        ops.close_improvement(
            session=db.session, improvement=improvement, actor=_me(), response=form.response.data
        )
    except ProvisionError as error:
        flash(error.message, "error")
        return _detail_page(provision, close_form=form)
    audit.record(
        "provision.improvement_close",
        object_type="provision_improvement",
        object_id=improvement.id,
        detail={"provision_id": provision.id},
    )
    flash(_("改善を確認し、完了として記録しました。"), "success")
    return redirect(url_for("provisions.detail", provision_id=provision.id, _anchor="checks"))


@bp.route("/outsourcings/<int:outsourcing_id>/pseudonymisation", methods=["GET", "POST"])
@requires(Permission.MANAGE_OUTSOURCINGS)
def outsourcing_pseudonymisation(outsourcing_id: int) -> Response | str:
    """Record whether an outsourcing's identifying entries are removed or replaced."""
    me = _me()
    node: Outsourcing = get_visible(
        session=db.session, user=me, outsourcing_id=outsourcing_id
    ) or abort(404)
    if not owns_department(me, node):
        abort(403)
    current = queries.pseudonymisation_of(session=db.session, outsourcing_id=node.id)
    form = forms.PseudonymisationForm(obj=current)
    if form.validate_on_submit():
        try:
            ops.record_outsourcing_pseudonymisation(
                session=db.session,
                outsourcing=node,
                actor=me,
                method=form.pseudonymisation.data or "",
                reason=form.reason.data or "",
            )
        except ProvisionError as error:
            flash(error.message, "error")
        else:
            audit.record(
                "outsourcing.pseudonymisation",
                object_type="outsourcing",
                object_id=node.id,
                detail={"pseudonymisation": form.pseudonymisation.data},
            )
            flash(_("仮名化等の措置の検討結果を記録しました。"), "success")
            return redirect(url_for("outsourcings.detail", outsourcing_id=node.id))
    return render_template("provisions/pseudonymisation.html", form=form, node=node)
