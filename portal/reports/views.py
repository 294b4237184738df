"""Periodic reports: the lists, one report, the vendor's form, the officer's review, the
reporting frequency of a node, and the follow-up of reported unapproved subcontractors."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select
from werkzeug.wrappers import Response

from portal import audit
from portal.db import db
from portal.models import Department, Outsourcing, User, Vendor
from portal.obligations import views as shared
from portal.obligations.queries import NodeSelection, attachments_of, history_of
from portal.outsourcings.scope import get_visible, holds, owns_department
from portal.permissions import Permission, Role, requires
from portal.reports import operations as ops
from portal.reports import queries, reminders
from portal.reports.forms import (
    FrequencyForm,
    ReportForm,
    ResolveForm,
    ReviewForm,
    checklist_rows,
    frequency_choices,
)
from portal.reports.models import EDITABLE_STATUSES, ComplianceReport, SubcontractViolation
from portal.reports.obligation import REPORT_OBLIGATION
from portal.reports.rules import checklist_items, concerns
from portal.timeutil import local_today

bp = Blueprint("reports", __name__, url_prefix="/reports")


_me = shared.signed_in


def _visible_or_404(report_id: int) -> tuple[ComplianceReport, Outsourcing, Vendor]:
    row = queries.get_visible_report(session=db.session, user=_me(), report_id=report_id)
    return row or abort(404)


def labels() -> dict[str, dict[str, Any]]:
    """Display names of statuses, answers, history actions and frequencies."""
    return {
        "status": {
            "due": _("未着手"),
            "draft": _("下書き"),
            "submitted": _("提出済・確認待ち"),
            "returned": _("差戻し"),
            "accepted": _("受理"),
        },
        "answer": {"yes": _("はい"), "no": _("いいえ"), "": _("未回答")},
        "action": {
            "saved": _("下書き保存"),
            "submitted": _("提出"),
            "returned": _("差戻し"),
            "accepted": _("受理"),
        },
        "frequency": {key: str(label) for key, label in frequency_choices()},
        "violation": {
            "open": _("未対応"),
            "resolved": _("対応済"),
            "recorded": _("系列に登録済"),
        },
    }


@bp.route("/")
@requires(Permission.VIEW_REPORTS)
def index() -> str:
    """Overdue, due, submitted and returned reports, and the open violations they revealed."""
    me = _me()
    form, department_id = shared.department_filter(me)
    today = local_today()
    if me.can(Permission.MANAGE_REPORTS) and me.department_id:
        # Contracts change between the daily runs; the officer's own list is always current.
        mine = NodeSelection(department_id=me.department_id)
        ops.sync_reports(session=db.session, today=today, nodes=mine)
    elif me.role == Role.VENDOR and me.vendor_id:
        held = db.session.exec(select(Outsourcing.id).where(Outsourcing.vendor_id == me.vendor_id))
        held_nodes = NodeSelection.of_ids(*held.all())
        ops.sync_reports(session=db.session, today=today, nodes=held_nodes)
    lists = queries.report_lists(
        session=db.session, user=me, today=today, department_id=department_id
    )
    owed_ids = [r[0].id for key in ("overdue", "due", "returned") for r in lists[key]]
    return render_template(
        "reports/index.html",
        form=form,
        lists=lists,
        today=today,
        departments={d.id: d.name for d in db.session.exec(select(Department)).all()},
        violations=queries.violations_in_scope(session=db.session, user=me),
        notices=reminders.recent_reminders(session=db.session, report_ids=owed_ids, today=today),
        labels=labels(),
    )


def _people(*ids: int | None) -> dict[int, User]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {u.id: u for u in db.session.exec(select(User).where(User.id.in_(wanted))).all()}  # type: ignore[misc]


@bp.route("/<int:report_id>")
@requires(Permission.VIEW_REPORTS)
def detail(report_id: int) -> str:
    """One report: the answers, the subcontractors in use, incidents, history, review."""
    report, node, vendor = _visible_or_404(report_id)
    audit.record(
        "report.view",
        object_type="compliance_report",
        object_id=report.id,
        detail={"outsourcing_id": node.id},
    )
    me = _me()
    history = history_of(session=db.session, kind=REPORT_OBLIGATION, owed_id=report.id)  # type: ignore[arg-type]
    violations = db.session.exec(
        select(SubcontractViolation)
        .where(SubcontractViolation.report_id == report.id)
        .order_by(SubcontractViolation.id)
    ).all()
    return render_template(
        "reports/detail.html",
        report=report,
        node=node,
        vendor=vendor,
        items=checklist_items(),
        concerns=concerns(report.checklist),
        history=history,
        people=_people(*(e.actor_id for e in history)),
        violations=violations,
        attachments=attachments_of(session=db.session, kind=REPORT_OBLIGATION, owed_id=report.id),
        labels=labels(),
        today=local_today(),
        can_edit=me.can(Permission.SUBMIT_REPORTS)
        and holds(me, node)
        and report.status in EDITABLE_STATUSES,
        can_review=me.can(Permission.MANAGE_REPORTS) and owns_department(me, node),
        review_form=ReviewForm(),
        resolve_form=ResolveForm(),
    )


_held_or_403 = shared.narrowed(_visible_or_404, shared.require_holder)


def _initial_data(report: ComplianceReport) -> dict[str, Any]:
    rows = [
        {
            "known": item.get("vendor_id"),
            "name": item.get("name", ""),
            "corporate_number": item.get("corporate_number", ""),
        }
        for item in report.subcontractors
    ]
    return {
        "checks": [report.checklist.get(key, {}) for key, _title in checklist_items()],
        "subcontractors": rows,
        "had_incidents": {True: "yes", False: "no"}.get(report.had_incidents, ""),  # type: ignore[arg-type]
        "incident_description": report.incident_description,
        "remarks": report.remarks,
    }


def _content_from(form: ReportForm, approved: dict[int, Vendor]) -> ops.ReportContent:
    checks = {
        key: {"answer": entry.form.answer.data or "", "comment": entry.form.comment.data or ""}
        for (key, _title), entry in zip(checklist_items(), form.checks.entries, strict=True)
    }
    entries = []
    for entry in form.subcontractors.entries:
        known = entry.form.known.data
        name = (entry.form.name.data or "").strip()
        number = (entry.form.corporate_number.data or "").strip()
        if known in approved:
            entries.append(ops.SubcontractorEntry(vendor_id=known))
        elif name or number:
            entries.append(ops.SubcontractorEntry(name=name, corporate_number=number))
    had = {"yes": True, "no": False}.get(form.had_incidents.data or "")
    return ops.ReportContent(
        checklist=checks,
        subcontractors=tuple(entries),
        had_incidents=had,
        incident_description=form.incident_description.data or "",
        remarks=form.remarks.data or "",
    )


@bp.route("/<int:report_id>/edit", methods=["GET", "POST"])
@requires(Permission.SUBMIT_REPORTS)
def edit(report_id: int) -> Response | str:
    """The vendor writes the report: save a draft, or submit it."""
    report, node, vendor = _held_or_403(report_id)
    if report.status not in EDITABLE_STATUSES:
        flash(_("提出済みの報告は変更できません（差し戻されると再び編集できます）。"), "warning")
        return redirect(url_for("reports.detail", report_id=report_id))
    approved = {
        v.id: v for v in ops.approved_subcontractors(session=db.session, outsourcing=node).values()
    }
    form = ReportForm() if request.method == "POST" else ReportForm(data=_initial_data(report))
    form.set_known_choices([(v.id, f"{v.name}（{v.corporate_number}）") for v in approved.values()])
    if form.validate_on_submit():
        submit = request.form.get("action") == "submit"
        try:
            raised = ops.save_report(
                session=db.session,
                actor=_me(),
                report=report,
                outsourcing=node,
                content=_content_from(form, approved),
                submit=submit,
                today=local_today(),
            )
        except ops.ReportError as error:
            form.form_errors.append(error.message)
        else:
            audit.record(
                "report.submit" if submit else "report.save_draft",
                object_type="compliance_report",
                object_id=report.id,
                detail={"outsourcing_id": node.id, "unapproved": [v.name for v in raised or ()]},
            )
            if not submit:
                flash(_("下書きを保存しました。"), "success")
                return redirect(url_for("reports.edit", report_id=report_id))
            flash(_("定期報告を提出しました。"), "success")
            if raised:
                flash(
                    _(
                        "承認されていない再委託先が%(n)d件あります（%(names)s）。所管課室が確認します。",
                        n=len(raised),
                        names="、".join(v.name for v in raised),
                    ),
                    "warning",
                )
            return redirect(url_for("reports.detail", report_id=report_id))
    return render_template(
        "reports/edit.html",
        form=form,
        report=report,
        node=node,
        vendor=vendor,
        checklist=checklist_rows(form),
        attachments=attachments_of(session=db.session, kind=REPORT_OBLIGATION, owed_id=report.id),
        labels=labels(),
    )


@bp.route("/<int:report_id>/review", methods=["POST"])
@requires(Permission.MANAGE_REPORTS)
def review(report_id: int) -> Response:
    """The officer accepts the report or returns it to the vendor with comments."""
    report, node, _vendor = _visible_or_404(report_id)
    shared.require_department(node)
    form = ReviewForm()
    accept = form.decision.data == "accept"
    reviewed = shared.form_step(
        form,
        lambda: ops.review_report(
            session=db.session,
            actor=_me(),
            report=report,
            outsourcing=node,
            accept=accept,
            comment=form.comment.data or "",
        ),
        done=_("報告を受理しました。") if accept else _("報告を差し戻しました。"),
        incomplete=_("確認結果を選んでください。"),
    )
    if reviewed:
        audit.record(
            "report.accept" if accept else "report.return",
            object_type="compliance_report",
            object_id=report.id,
            detail={"outsourcing_id": node.id},
        )
    return redirect(url_for("reports.detail", report_id=report_id))


def _node_or_404(outsourcing_id: int) -> Outsourcing:
    me = _me()
    node = get_visible(session=db.session, user=me, outsourcing_id=outsourcing_id)
    if node is None or (me.role == Role.VENDOR and not holds(me, node)):
        abort(404)
    return node


@bp.route("/outsourcings/<int:outsourcing_id>")
@requires(Permission.VIEW_REPORTS)
def node_reports(outsourcing_id: int) -> str:
    """The reports of one outsourcing, its frequency, and the violations reported on it."""
    node = _node_or_404(outsourcing_id)
    me = _me()
    frequency = ops.frequency_of(session=db.session, outsourcing_id=node.id)  # type: ignore[arg-type]
    rule = ops.reporting_rule()
    form = FrequencyForm(data={"frequency": frequency or rule.default_frequency})
    violations = queries.violations_in_scope(
        session=db.session, user=me, outsourcing_id=node.id, open_only=False
    )
    return render_template(
        "reports/node.html",
        node=node,
        vendor=db.session.get(Vendor, node.vendor_id),
        reports=queries.reports_of(session=db.session, user=me, outsourcing_id=node.id),  # type: ignore[arg-type]
        frequency=frequency or rule.default_frequency,
        is_default=frequency is None,
        due_days=rule.due_days_after_period,
        form=form,
        violations=[v for v, _n in violations],
        can_manage=me.can(Permission.MANAGE_REPORTS) and owns_department(me, node),
        resolve_form=ResolveForm(),
        labels=labels(),
        today=local_today(),
    )


@bp.route("/outsourcings/<int:outsourcing_id>/frequency", methods=["POST"])
@requires(Permission.MANAGE_REPORTS)
def set_frequency(outsourcing_id: int) -> Response:
    """The officer sets how often the outsourcing reports."""
    node = _node_or_404(outsourcing_id)
    shared.require_department(node)
    form = FrequencyForm()
    shared.form_step(
        form,
        lambda: ops.set_frequency(
            session=db.session,
            actor=_me(),
            outsourcing=node,
            frequency=form.frequency.data,
            today=local_today(),
        ),
        done=_("報告の頻度を変更しました。"),
        incomplete=_("報告の頻度を選んでください。"),
    )
    return redirect(url_for("reports.node_reports", outsourcing_id=outsourcing_id))


def _violation_or_404(
    violation_id: int,
) -> tuple[SubcontractViolation, Outsourcing, ComplianceReport]:
    violation = db.session.get(SubcontractViolation, violation_id) or abort(404)
    report, node, _vendor = _visible_or_404(violation.report_id)
    shared.require_department(node)
    return violation, node, report


@bp.route("/violations/<int:violation_id>/resolve", methods=["POST"])
@requires(Permission.MANAGE_REPORTS)
def resolve_violation(violation_id: int) -> Response:
    """The officer closes a reported violation with a reason."""
    violation, node, _report = _violation_or_404(violation_id)
    form = ResolveForm()
    shared.form_step(
        form,
        lambda: ops.resolve_violation(
            session=db.session,
            actor=_me(),
            violation=violation,
            outsourcing=node,
            reason=form.reason.data,
        ),
        done=_("違反を対応済みにしました。"),
        incomplete=_("対応済みとする理由を入力してください。"),
    )
    return redirect(url_for("reports.node_reports", outsourcing_id=node.id))


@bp.route("/violations/<int:violation_id>/record", methods=["POST"])
@requires(Permission.MANAGE_REPORTS)
def record_violation(violation_id: int) -> Response:
    """The officer enters the reported subcontractor in the chain (without approval)."""
    violation, node, report = _violation_or_404(violation_id)
    try:
        child = ops.record_violation_in_chain(
            session=db.session, actor=_me(), violation=violation, outsourcing=node, report=report
        )
    except ops.ReportError as error:
        flash(error.message, "error")
        return redirect(url_for("reports.node_reports", outsourcing_id=node.id))
    flash(
        _("無承認の再委託として系列に登録しました。内容を確認し、必要な措置をとってください。"),
        "success",
    )
    return redirect(url_for("outsourcings.detail", outsourcing_id=child.id))


# The routes every obligation shares: the vendor keeps files with the report it writes;
# whoever sees the report downloads them.
shared.add_upload_route(
    bp, REPORT_OBLIGATION, Permission.SUBMIT_REPORTS, _held_or_403, "reports.edit"
)
shared.add_download_route(bp, REPORT_OBLIGATION, Permission.VIEW_REPORTS, _visible_or_404)
