"""Selection pages: a vendor's certifications (with the evidence files), the certifications
list, and per outsourcing the selection checklist and the items entrusted."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select
from werkzeug.wrappers import Response

from portal import audit
from portal.db import db
from portal.downloads import attachment_response
from portal.models import Outsourcing, User, Vendor
from portal.obligations.views import signed_in
from portal.outsourcings.scope import get_visible, visibility_clause
from portal.permissions import Permission, Role, requires
from portal.selection import operations as ops
from portal.selection.forms import CertificationEditForm, CertificationForm
from portal.selection.models import (
    Certification,
    CertificationAttachment,
    CertificationReminder,
)
from portal.selection.rules import expiry_state
from portal.storage import get_storage
from portal.timeutil import local_today

bp = Blueprint("selection", __name__, url_prefix="/selection")


def _vendor_or_abort(vendor_id: int, user: User) -> Vendor:
    """The vendor, if ``user`` may see its certifications (a vendor user: only its own)."""
    vendor = db.session.get(Vendor, vendor_id) or abort(404)
    if user.role == Role.VENDOR and user.vendor_id != vendor.id:
        abort(403)
    return vendor


def _may_edit_certifications(user: User, vendor: Vendor) -> bool:
    """Officers who manage vendors, and the vendor's own users."""
    if user.role == Role.VENDOR:
        return user.vendor_id == vendor.id
    return user.can(Permission.MANAGE_VENDORS)


def _states(certifications: list[Certification], warn_days: int) -> dict[int, str]:
    today = local_today()
    return {c.id: expiry_state(c.expires_on, today, warn_days) for c in certifications}  # type: ignore[misc]


@bp.route("/")
@requires(Permission.VIEW_OUTSOURCINGS)
def index() -> str:
    """Every certification in the user's scope, the soonest expiry first."""
    me = signed_in()
    rule = ops.current_rule()
    statement = select(Certification, Vendor).join(Vendor, Vendor.id == Certification.vendor_id)
    statement = statement.where(Certification.withdrawn_at.is_(None))
    if me.role == Role.VENDOR:
        statement = statement.where(Certification.vendor_id == me.vendor_id)
    rows = db.session.exec(statement.order_by(Certification.expires_on, Certification.id)).all()
    audit.record("certification.list", object_type="certification", detail={"count": len(rows)})
    return render_template(
        "selection/index.html",
        rows=rows,
        rule=rule,
        states=_states([c for c, _v in rows], max(rule.reminder_days)),
    )


@bp.route("/vendors/<int:vendor_id>")
@requires(Permission.VIEW_OUTSOURCINGS)
def vendor(vendor_id: int, form: CertificationForm | None = None) -> str:
    """A vendor's certifications, their evidence, and the form to add one."""
    me = signed_in()
    found = _vendor_or_abort(vendor_id, me)
    rule = ops.current_rule()
    certifications = ops.certifications_of(
        session=db.session,
        vendor_ids=[found.id],  # type: ignore[list-item]
        withdrawn=True,  # shown struck through, with the reason
    )
    files = db.session.exec(
        select(CertificationAttachment)
        .where(CertificationAttachment.certification_id.in_([c.id for c in certifications]))
        .order_by(CertificationAttachment.id)
    ).all()
    reminders = db.session.exec(
        select(CertificationReminder)
        .where(CertificationReminder.certification_id.in_([c.id for c in certifications]))
        .order_by(CertificationReminder.sent_at)
    ).all()
    form = form or CertificationForm()
    form.cert_type.choices = [(c.id, c.label) for c in rule.certifications]
    audit.record("certification.view", object_type="vendor", object_id=found.id)
    return render_template(
        "selection/vendor.html",
        vendor=found,
        certifications=certifications,
        files={c.id: [f for f in files if f.certification_id == c.id] for c in certifications},
        reminders={
            c.id: [r for r in reminders if r.certification_id == c.id] for c in certifications
        },
        states=_states(certifications, max(rule.reminder_days)),
        rule=rule,
        form=form,
        can_edit=_may_edit_certifications(me, found),
    )


@bp.route("/vendors/<int:vendor_id>/certifications", methods=["POST"])
@requires(Permission.VIEW_OUTSOURCINGS)
def add_certification(vendor_id: int) -> Response | str:
    """Record a certification of the vendor (its evidence file may come with it)."""
    me = signed_in()
    found = _vendor_or_abort(vendor_id, me)
    if not _may_edit_certifications(me, found):
        abort(403)
    rule = ops.current_rule()
    form = CertificationForm()
    form.cert_type.choices = [(c.id, c.label) for c in rule.certifications]
    # The type is checked by the operation (with the profile's list in the message).
    form.cert_type.validate_choice = False
    if not form.validate_on_submit():
        return vendor(vendor_id, form)
    try:
        # A savepoint: a refused evidence file takes the certification back with it.
        with db.session.begin_nested():
            certification = _add_with_evidence(me, found, rule, form)
    except ops.SelectionError as error:
        form.number.errors = [*form.number.errors, error.message]
        return vendor(vendor_id, form)
    audit.record(
        "certification.create",
        object_type="certification",
        object_id=certification.id,
        detail={"vendor_id": found.id, "type": certification.cert_type},
    )
    label = rule.certification_label(certification.cert_type)
    flash(_("認証「%(type)s」を登録しました。", type=label), "success")
    return redirect(url_for("selection.vendor", vendor_id=found.id))


def _add_with_evidence(
    me: User, found: Vendor, rule: Any, form: CertificationForm
) -> Certification:
    certification = ops.add_certification(
        session=db.session,
        rule=rule,
        actor=me,
        vendor_id=found.id,  # type: ignore[arg-type]
        data=ops.CertificationInput(
            cert_type=form.cert_type.data or "",
            number=form.number.data or "",
            issued_on=form.issued_on.data,
            expires_on=form.expires_on.data,
            note=form.note.data or "",
            scope=form.scope.data or "",
        ),
    )
    sent = request.files.get("file")
    if sent is not None and sent.filename:
        ops.attach_evidence(
            session=db.session,
            storage=get_storage(),
            certification=certification,
            actor=me,
            stream=sent.stream,
            filename=sent.filename,
        )
    return certification


@bp.route("/certifications/<int:certification_id>/edit", methods=["GET", "POST"])
@requires(Permission.VIEW_OUTSOURCINGS)
def edit_certification(certification_id: int) -> Response | str:
    """Correct or renew a certification in place (number, dates, scope, note), and replace
    its evidence file (the earlier file stays as an earlier version)."""
    me = signed_in()
    certification = db.session.get(Certification, certification_id) or abort(404)
    found = _vendor_or_abort(certification.vendor_id, me)
    if not _may_edit_certifications(me, found):
        abort(403)
    if certification.withdrawn_at is not None:
        abort(404)  # a withdrawn certification is kept as it was
    rule = ops.current_rule()
    form = CertificationEditForm(obj=certification)
    error = ""
    if form.validate_on_submit():
        try:
            # A savepoint: a refused evidence file takes the other changes back with it.
            with db.session.begin_nested():
                changes, item = _update_with_evidence(me, certification, rule, form)
        except ops.SelectionError as refused:
            error = refused.message
        else:
            detail: dict[str, Any] = {"vendor_id": found.id, "changes": changes}
            if item is not None:
                detail["evidence"] = {"attachment_id": item.id, "filename": item.filename}
            audit.record(
                "certification.update",
                object_type="certification",
                object_id=certification.id,
                detail=detail,
            )
            label = rule.certification_label(certification.cert_type)
            if changes or item is not None:
                flash(_("認証「%(type)s」を変更しました。", type=label), "success")
            else:
                flash(_("変更はありませんでした。"), "info")
            return redirect(url_for("selection.vendor", vendor_id=found.id))
    files = db.session.exec(
        select(CertificationAttachment)
        .where(CertificationAttachment.certification_id == certification.id)
        .order_by(CertificationAttachment.id)
    ).all()
    return render_template(
        "selection/edit.html",
        vendor=found,
        certification=certification,
        files=files,
        rule=rule,
        form=form,
        error=error,
    )


def _update_with_evidence(
    me: User, certification: Certification, rule: Any, form: CertificationEditForm
) -> tuple[dict[str, Any], Any]:
    changes = ops.update_certification(
        session=db.session,
        rule=rule,
        certification=certification,
        data=ops.CertificationInput(
            cert_type=certification.cert_type,
            number=form.number.data or "",
            issued_on=form.issued_on.data,
            expires_on=form.expires_on.data,
            note=form.note.data or "",
            scope=form.scope.data or "",
        ),
    )
    sent = request.files.get("file")
    item = None
    if sent is not None and sent.filename:
        item = ops.replace_evidence(
            session=db.session,
            storage=get_storage(),
            certification=certification,
            actor=me,
            stream=sent.stream,
            filename=sent.filename,
        )
    return changes, item


@bp.route("/certifications/<int:certification_id>/evidence", methods=["POST"])
@requires(Permission.VIEW_OUTSOURCINGS)
def attach(certification_id: int) -> Response:
    """Keep an evidence file (the certificate, PDF or photo) with a certification."""
    me = signed_in()
    certification = db.session.get(Certification, certification_id) or abort(404)
    found = _vendor_or_abort(certification.vendor_id, me)
    if not _may_edit_certifications(me, found):
        abort(403)
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        flash(_("添付するファイルを選んでください。"), "error")
    else:
        try:
            item = ops.attach_evidence(
                session=db.session,
                storage=get_storage(),
                certification=certification,
                actor=me,
                stream=sent.stream,
                filename=sent.filename,
            )
        except ops.SelectionError as error:
            flash(error.message, "error")
        else:
            audit.record(
                "certification.attach",
                object_type="certification",
                object_id=certification.id,
                detail={"filename": item.filename},
            )
            flash(_("「%(name)s」を添付しました。", name=item.filename), "success")
    return redirect(url_for("selection.vendor", vendor_id=found.id))


@bp.route("/certifications/<int:certification_id>/withdraw", methods=["POST"])
@requires(Permission.VIEW_OUTSOURCINGS)
def withdraw(certification_id: int) -> Response:
    """Withdraw a certification recorded by mistake, with the reason (it stays on record)."""
    me = signed_in()
    certification = db.session.get(Certification, certification_id) or abort(404)
    found = _vendor_or_abort(certification.vendor_id, me)
    if not _may_edit_certifications(me, found):
        abort(403)
    try:
        ops.withdraw_certification(
            session=db.session,
            actor=me,
            certification=certification,
            reason=request.form.get("reason", ""),
        )
    except ops.SelectionError as error:
        flash(error.message, "error")
    else:
        audit.record(
            "certification.withdraw",
            object_type="certification",
            object_id=certification.id,
            detail={"reason": certification.withdrawal_reason},
        )
        flash(_("認証を取り消しました。"), "success")
    return redirect(url_for("selection.vendor", vendor_id=found.id))


@bp.route("/attachments/<int:attachment_id>")
@requires(Permission.VIEW_OUTSOURCINGS)
def download_attachment(attachment_id: int) -> Response:
    """An evidence file, streamed as a download, for whoever may see the vendor's page."""
    item = db.session.get(CertificationAttachment, attachment_id) or abort(404)
    certification = db.session.get(Certification, item.certification_id) or abort(404)
    _vendor_or_abort(certification.vendor_id, signed_in())
    audit.record_download(
        "certification.attachment_download",
        object_type="certification_attachment",
        object_id=item.id,
        detail={"certification_id": certification.id, "filename": item.filename},
    )
    return attachment_response(
        get_storage().open(item.storage_key),
        filename=item.filename,
        fallback=f"attachment-{item.id}",
        mimetype=item.content_type,
        size=item.size,
    )


def _node_or_404(outsourcing_id: int) -> tuple[Outsourcing, Outsourcing | None]:
    me = signed_in()
    node = get_visible(session=db.session, user=me, outsourcing_id=outsourcing_id) or abort(404)
    parent = db.session.get(Outsourcing, node.parent_id) if node.parent_id else None
    return node, parent


@bp.route("/outsourcings/<int:outsourcing_id>", methods=["GET", "POST"])
@requires(Permission.VIEW_OUTSOURCINGS)
def node(outsourcing_id: int) -> Response | str:
    """The selection of one node: its vendor's certifications against the requirements, the
    checklist, and the personal-information items compared with the parent's."""
    me = signed_in()
    found, parent = _node_or_404(outsourcing_id)
    rule = ops.current_rule()
    can_edit = ops.may_edit_selection(me, found, parent)
    record = ops.record_of(session=db.session, outsourcing_id=found.id)  # type: ignore[arg-type]
    error = ""
    if request.method == "POST":
        if not can_edit:
            abort(403)
        try:
            record = ops.save_selection(
                session=db.session,
                rule=rule,
                actor=me,
                node=found,
                answers={q.id: request.form.get(f"q_{q.id}", "") for q in rule.checklist},
                comment=request.form.get("checklist_comment", ""),
                uses_cloud=request.form.get("uses_cloud") == "y",
                items=request.form.getlist("items"),
                excess_reason=request.form.get("excess_reason", ""),
            )
        except ops.SelectionError as refused:
            error = refused.message
        else:
            audit.record(
                "selection.save",
                object_type="outsourcing",
                object_id=found.id,
                detail={"items": record.items, "uses_cloud": record.uses_cloud},
            )
            flash(_("選定の確認と委託する個人情報の項目を保存しました。"), "success")
            return redirect(url_for("selection.node", outsourcing_id=found.id))
    parent_record = (
        ops.record_of(session=db.session, outsourcing_id=parent.id) if parent else None  # type: ignore[arg-type]
    )
    vendor_row = db.session.get(Vendor, found.vendor_id)
    certifications = ops.certifications_of(session=db.session, vendor_ids=[found.vendor_id])
    findings = ops.findings_for(
        session=db.session,
        rule=rule,
        nodes=[ops.NodeFacts(found.id, found.vendor_id, found.special_care, found.persons)],  # type: ignore[arg-type]
        today=local_today(),
    ).get(found.id, [])
    audit.record("selection.view", object_type="outsourcing", object_id=found.id)
    return render_template(
        "selection/node.html",
        node=found,
        parent=parent,
        vendor=vendor_row,
        record=record,
        parent_record=parent_record,
        excess=ops.node_excess(session=db.session, node=found),
        certifications=certifications,
        states=_states(certifications, max(rule.reminder_days)),
        findings=findings,
        rule=rule,
        can_edit=can_edit,
        error=error,
        posted=request.form if request.method == "POST" else None,
        posted_answers={q.id: request.form.get(f"q_{q.id}", "") for q in rule.checklist},
        chosen_items=_chosen_items(rule, found, record),
        visible_parent=bool(
            parent
            and db.session.exec(
                select(Outsourcing.id).where(Outsourcing.id == parent.id, visibility_clause(me))
            ).first()
        ),
    )


def _chosen_items(rule: Any, node: Outsourcing, record: Any) -> list[str]:
    """The items ticked on the form: as posted, as recorded, or read from the free-text
    categories of the registration (a first suggestion the user confirms)."""
    if request.method == "POST":
        return request.form.getlist("items")
    if record is not None and record.items is not None:
        return list(record.items)
    texts = node.pi_categories.replace("・", "、").replace(",", "、").split("、")
    if node.special_care:
        texts.append("special_care")
    return rule.item_ids(texts)[0]
