"""Inspections: due and overdue lists, one inspection, scheduling, recording, actions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select
from werkzeug.wrappers import Response

from portal import audit
from portal.db import db
from portal.inspections import calendar, forms, queries, reminders
from portal.inspections import operations as ops
from portal.inspections.models import OPEN_STATUSES, CorrectiveAction, Inspection, InspectionFinding
from portal.inspections.obligation import INSPECTION_OBLIGATION
from portal.inspections.rules import CHECKLIST_ITEMS
from portal.models import Department, Outsourcing, User
from portal.obligations import views as shared
from portal.obligations.queries import NodeSelection, attachments_of
from portal.outsourcings.scope import get_visible, holds, owns_department
from portal.permissions import Permission, Role, public, requires

bp = Blueprint("inspections", __name__, url_prefix="/inspections")


_me = shared.signed_in


def _visible_or_404(inspection_id: int):
    row = queries.get_visible_inspection(
        session=db.session, user=_me(), inspection_id=inspection_id
    )
    if row is None and db.session.get(Inspection, inspection_id) is not None:
        audit.record(
            "scope.denied", object_type="inspection", object_id=inspection_id, outcome="denied"
        )
    return row or abort(404)


def _officers(department_id: int) -> list[User]:
    return list(
        db.session.exec(
            select(User)
            .where(
                User.department_id == department_id,
                User.role.in_([Role.MANAGER, Role.STAFF]),
                User.active,
            )
            .order_by(User.name)
        ).all()
    )


def labels() -> dict[str, dict[str, str]]:
    """Display names of statuses, methods, performers and severities."""
    return {
        "status": {
            "due": _("未予定"),
            "planned": _("予定済"),
            "completed": _("実施済"),
            "cancelled": _("中止"),
        },
        "method": {"on_site": _("実地検査"), "remote": _("映像・写真等による確認")},
        "performed_by": {"municipality": _("市が直接実施"), "contractor": _("委託先を通じて実施")},
        "severity": {"minor": _("軽微"), "major": _("重大"), "critical": _("緊急")},
        "action": {"open": _("未回答"), "answered": _("回答済・確認待ち"), "closed": _("完了")},
        "result": {"ok": _("適合"), "ng": _("不適合"), "na": _("該当なし")},
    }


@bp.route("/")
@requires(Permission.VIEW_INSPECTIONS)
def index() -> str:
    """Overdue and due inspections (per department), and actions waiting for an answer."""
    me = _me()
    form, department_id = shared.department_filter(me)
    today = queries.local_today()
    if me.can(Permission.MANAGE_INSPECTIONS) and me.department_id:
        # Contracts change between the daily runs; the officer's own list is always current.
        mine = NodeSelection(department_id=me.department_id)
        ops.sync_inspections(session=db.session, today=today, nodes=mine)
    rows = queries.open_inspections(session=db.session, user=me, department_id=department_id)
    overdue, due = queries.due_lists(rows, today)
    listed = {row[0].id for row in (*overdue, *due)}  # a set: `row not in list` was O(n²)
    later = [r for r in rows if r[0].id not in listed]
    notices = reminders.recent_reminders(
        session=db.session, inspection_ids=[r[0].id for r in rows], today=today
    )
    departments = {d.id: d.name for d in db.session.exec(select(Department)).all()}
    return render_template(
        "inspections/index.html",
        form=form,
        overdue=overdue,
        due=due,
        later=later,
        today=today,
        departments=departments,
        actions=queries.open_actions(session=db.session, user=me),
        labels=labels(),
        notices=notices,
    )


@bp.route("/plan", methods=["POST"])
@requires(Permission.MANAGE_INSPECTIONS)
def plan() -> Response:
    """Propose dates for the department's open inspections over the next year."""
    me = _me()
    if not me.department_id:
        abort(403)
    today = queries.local_today()
    mine = NodeSelection(department_id=me.department_id)
    ops.sync_inspections(session=db.session, today=today, nodes=mine)
    count = ops.propose_plan(session=db.session, today=today, department_id=me.department_id)
    flash(
        _("%(n)d件の検査に計画案の日付を入れました。内容を確認して採用してください。", n=count),
        "success",
    )
    return redirect(url_for("inspections.index"))


@bp.route("/plan/accept", methods=["POST"])
@requires(Permission.MANAGE_INSPECTIONS)
def accept_plan() -> Response:
    """Accept every proposed date of the department's open inspections."""
    me = _me()
    if not me.department_id:
        abort(403)
    inspections = db.session.exec(
        select(Inspection)
        .join(Outsourcing, Outsourcing.id == Inspection.outsourcing_id)
        .where(Outsourcing.department_id == me.department_id, Inspection.proposed_date.is_not(None))
    ).all()
    count = ops.accept_proposals(session=db.session, inspections=inspections)
    audit.record(
        "inspection.plan_accept",
        object_type="department",
        object_id=me.department_id,
        detail={"accepted": count, "inspection_ids": [i.id for i in inspections]},
    )
    flash(_("%(n)d件の計画案を採用しました。", n=count), "success")
    return redirect(url_for("inspections.index"))


@bp.route("/calendar", methods=["GET", "POST"])
@requires(Permission.VIEW_INSPECTIONS)
def calendar_feed() -> str:
    """Create the user's private calendar URL (a new one ends the old one)."""
    url = None
    if request.method == "POST":  # CSRFProtect has checked the form's token
        token = calendar.issue_feed_token(session=db.session, user=_me())
        url = url_for("inspections.calendar_ics", token=token, _external=True)
    return render_template("inspections/calendar.html", url=url)


@bp.route("/calendar/<token>.ics")
@public
def calendar_ics(token: str) -> Response:
    """The private iCalendar feed of planned inspections (the token is the credential)."""
    user = calendar.user_for_feed(session=db.session, token=token) or abort(404)
    text = calendar.feed_ics(
        calendar.planned_rows(session=db.session, user=user),
        calendar_name=_("実地検査の予定"),
        host=request.host.split(":")[0],
    )
    response = Response(text, mimetype="text/calendar")
    response.headers["Content-Disposition"] = "inline; filename=inspections.ics"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.route("/<int:inspection_id>")
@requires(Permission.VIEW_INSPECTIONS)
def detail(inspection_id: int) -> str:
    """One inspection: schedule, result, findings and corrective actions."""
    inspection, node, vendor = _visible_or_404(inspection_id)
    me = _me()
    can_manage = me.can(Permission.MANAGE_INSPECTIONS) and owns_department(me, node)
    schedule_form = forms.ScheduleForm(obj=inspection)
    officers = _officers(node.department_id)
    schedule_form.inspector_id.choices = [(None, _("未定")), *((u.id, u.name) for u in officers)]
    people = {
        u.id: u
        for u in db.session.exec(
            select(User).where(
                User.id.in_({i for i in (inspection.inspector_id, inspection.recorded_by_id) if i})
            )
        ).all()
    }
    return render_template(
        "inspections/detail.html",
        inspection=inspection,
        node=node,
        vendor=vendor,
        people=people,
        findings=queries.findings_of(session=db.session, inspection_id=inspection.id),
        attachments=attachments_of(
            session=db.session, kind=INSPECTION_OBLIGATION, owed_id=inspection.id
        ),
        checklist=forms.checklist_labels(),
        labels=labels(),
        is_open=inspection.status in OPEN_STATUSES,
        can_manage=can_manage,
        can_answer=me.can(Permission.ANSWER_CORRECTIVE_ACTIONS) and holds(me, node),
        schedule_form=schedule_form,
        answer_form=forms.AnswerForm(),
        follow_up_form=forms.FollowUpForm(),
        today=queries.local_today(),
    )


_managed_or_403 = shared.narrowed(_visible_or_404, shared.require_department)


@bp.route("/<int:inspection_id>/schedule", methods=["POST"])
@requires(Permission.MANAGE_INSPECTIONS)
def schedule(inspection_id: int) -> Response:
    """Move the date, assign the inspector, or set how and by whom it is performed."""
    inspection, node, _vendor = _managed_or_403(inspection_id)
    form = forms.ScheduleForm()
    form.inspector_id.choices = [
        (None, ""),
        *((u.id, u.name) for u in _officers(node.department_id)),
    ]
    shared.form_step(
        form,
        lambda: ops.schedule_inspection(
            session=db.session,
            inspection=inspection,
            outsourcing=node,
            planned_date=form.planned_date.data,
            inspector_id=form.inspector_id.data,
            method=form.method.data,
            remote_reason=form.remote_reason.data or "",
            performed_by=form.performed_by.data,
        ),
        done=_("検査の予定を更新しました。"),
    )
    return redirect(url_for("inspections.detail", inspection_id=inspection_id))


def _record_from(form: forms.RecordForm) -> ops.InspectionRecord:
    checks = {
        key: {"result": entry.form.result.data, "note": entry.form.note.data or ""}
        for key, entry in zip(CHECKLIST_ITEMS, form.checks.entries, strict=True)
    }
    findings = tuple(
        ops.FindingInput(
            description=entry.form.description.data or "",
            severity=entry.form.severity.data,
            action=entry.form.action.data or "",
            action_due=entry.form.action_due.data,
        )
        for entry in form.findings.entries
        if (entry.form.description.data or "").strip() or (entry.form.action.data or "").strip()
    )
    return ops.InspectionRecord(
        completed_on=form.completed_on.data,
        method=form.method.data,
        performed_by=form.performed_by.data,
        remote_reason=form.remote_reason.data or "",
        summary=form.summary.data or "",
        checklist=checks,
        findings=findings,
    )


@bp.route("/<int:inspection_id>/record", methods=["GET", "POST"])
@requires(Permission.MANAGE_INSPECTIONS)
def record(inspection_id: int) -> Response | str:
    """Record the result: checklist, findings with severity, corrective actions."""
    inspection, node, vendor = _managed_or_403(inspection_id)
    if inspection.status not in OPEN_STATUSES:
        flash(_("この検査は既に記録されているか、中止されています。"), "warning")
        return redirect(url_for("inspections.detail", inspection_id=inspection_id))
    form = forms.RecordForm()
    if request.method == "GET":
        form.method.data = inspection.method
        form.performed_by.data = inspection.performed_by
        form.remote_reason.data = inspection.remote_reason
        form.completed_on.data = min(
            inspection.planned_date or queries.local_today(), queries.local_today()
        )
    if form.validate_on_submit():
        try:
            ops.record_inspection(
                session=db.session,
                actor=_me(),
                inspection=inspection,
                outsourcing=node,
                record=_record_from(form),
                today=queries.local_today(),
            )
        except ops.InspectionError as error:
            form.form_errors.append(error.message)
        else:
            flash(_("検査結果を記録しました。"), "success")
            return redirect(url_for("inspections.detail", inspection_id=inspection_id))
    return render_template(
        "inspections/record.html",
        form=form,
        inspection=inspection,
        node=node,
        vendor=vendor,
        checklist=list(zip(CHECKLIST_ITEMS, form.checks.entries, strict=True)),
        checklist_labels=forms.checklist_labels(),
    )


def _action_or_404(action_id: int) -> tuple[CorrectiveAction, Outsourcing, int]:
    action = db.session.get(CorrectiveAction, action_id)
    if action is None:
        abort(404)
    node = get_visible(session=db.session, user=_me(), outsourcing_id=action.outsourcing_id)
    if node is None:
        abort(404)
    finding = db.session.get(InspectionFinding, action.finding_id)
    return action, node, finding.inspection_id  # type: ignore[union-attr]


@bp.route("/actions/<int:action_id>/answer", methods=["POST"])
@requires(Permission.ANSWER_CORRECTIVE_ACTIONS)
def answer(action_id: int) -> Response:
    """The inspected vendor answers a corrective action."""
    action, node, inspection_id = _action_or_404(action_id)
    me = _me()
    shared.require_holder(node)
    form = forms.AnswerForm()
    shared.form_step(
        form,
        lambda: ops.answer_action(
            session=db.session, actor=me, action=action, answer=form.answer.data
        ),
        done=_("是正措置に回答しました。"),
        incomplete=_("回答を入力してください。"),
    )
    return redirect(url_for("inspections.detail", inspection_id=inspection_id))


@bp.route("/actions/<int:action_id>/follow-up", methods=["POST"])
@requires(Permission.MANAGE_INSPECTIONS)
def follow_up(action_id: int) -> Response:
    """The officer confirms the vendor's answer or sends it back."""
    action, node, inspection_id = _action_or_404(action_id)
    me = _me()
    shared.require_department(node)
    form = forms.FollowUpForm()
    shared.form_step(
        form,
        lambda: ops.follow_up_action(
            session=db.session,
            actor=me,
            action=action,
            accept=form.decision.data == "accept",
            comment=form.comment.data or "",
        ),
        done=_("是正措置の確認結果を記録しました。"),
        incomplete=_("確認結果を選んでください。"),
    )
    return redirect(url_for("inspections.detail", inspection_id=inspection_id))


@bp.route("/<int:inspection_id>/sheet")
@requires(Permission.VIEW_INSPECTIONS)
def sheet(inspection_id: int) -> str:
    """The inspection sheet in Japanese, laid out for printing."""
    inspection, node, vendor = _visible_or_404(inspection_id)
    from flask_babel import force_locale

    people = {
        u.id: u
        for u in db.session.exec(
            select(User).where(
                User.id.in_({i for i in (inspection.inspector_id, inspection.recorded_by_id) if i})
            )
        ).all()
    }
    # The sheet is an official record: always Japanese, whatever the UI language.
    with force_locale("ja"):
        return render_template(
            "inspections/sheet.html",
            inspection=inspection,
            node=node,
            vendor=vendor,
            people=people,
            department=db.session.get(Department, node.department_id),
            findings=queries.findings_of(session=db.session, inspection_id=inspection.id),
            attachments=attachments_of(
                session=db.session, kind=INSPECTION_OBLIGATION, owed_id=inspection.id
            ),
            checklist={k: str(v) for k, v in forms.checklist_labels().items()},
            labels=labels(),
        )


# The routes every obligation shares: the owning department keeps photos and PDFs with the
# record; whoever sees the inspection downloads them.
shared.add_upload_route(
    bp, INSPECTION_OBLIGATION, Permission.MANAGE_INSPECTIONS, _managed_or_403, "inspections.detail"
)
shared.add_download_route(bp, INSPECTION_OBLIGATION, Permission.VIEW_INSPECTIONS, _visible_or_404)
