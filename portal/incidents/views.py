"""Incidents: the list, report, one incident with its escalation and Commission deadlines,
the timeline, and the measures shared from incidents elsewhere."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select
from werkzeug.wrappers import Response

from portal import audit
from portal.db import db
from portal.incidents import operations as ops
from portal.incidents import queries
from portal.incidents.forms import (
    CloseForm,
    CommissionReportForm,
    EscalateForm,
    FactsForm,
    MeasuresForm,
    PublicationForm,
    ReportForm,
    kind_choices,
    publication_choices,
)
from portal.incidents.models import Incident, IncidentStatus
from portal.incidents.rules import deadline_state, escalating_role, step_roles
from portal.models import Department, Outsourcing, OutsourcingStatus, User, Vendor
from portal.outsourcings.scope import get_visible, owns_department, visible_outsourcings
from portal.permissions import Permission, requires
from portal.timeutil import local_today

bp = Blueprint("incidents", __name__, url_prefix="/incidents")


def _me() -> User:
    return current_user._get_current_object()


def _visible_or_404(incident_id: int) -> tuple[Incident, Outsourcing, Vendor]:
    row = queries.get_visible_incident(session=db.session, user=_me(), incident_id=incident_id)
    return row or abort(404)


def _managed_or_403(incident_id: int) -> tuple[Incident, Outsourcing, Vendor]:
    """The incident, for an officer of the department that owns the chain."""
    incident, node, vendor = _visible_or_404(incident_id)
    if not owns_department(_me(), node):
        abort(403)
    return incident, node, vendor


def _flash_errors(form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")


def labels() -> dict[str, dict[str, str]]:
    """Display names of kinds, statuses, triggers, deadline states, events and decisions."""
    return {
        "kind": {k: str(v) for k, v in kind_choices()},
        "status": {"open": _("対応中"), "closed": _("完了")},
        "trigger": {
            "special_care": _("要配慮個人情報が含まれる"),
            "financial_harm": _("財産的被害が生じるおそれがある"),
            "wrongful_purpose": _("不正の目的によるおそれがある"),
            "persons": _("本人の数が基準を超える"),
            "ordinance_designated": _("条例要配慮個人情報が含まれる"),
        },
        "deadline": {
            "met": _("期限内に報告済"),
            "late": _("期限後に報告"),
            "overdue": _("期限超過・未報告"),
            "pending": _("未報告（期限内）"),
        },
        "event": {
            "reported": _("報告を受付"),
            "notified": _("責任者へ通知"),
            "escalated": _("上位への報告"),
            "facts_updated": _("事実関係の訂正"),
            "first_report": _("委員会へ速報"),
            "final_report": _("委員会へ確報"),
            "measures": _("原因分析・再発防止策"),
            "shared": _("同種業務の課室へ共有"),
            "publication": _("公表・通知の判断"),
            "reminder": _("期限の通知"),
            "closed": _("完了"),
        },
        "publication": {k: str(v) for k, v in publication_choices()},
        "share": {
            "vendor": _("同じ委託先"),
            "task": _("同じ業務"),
            "categories": _("個人情報の項目が共通"),
        },
    }


def _reportable_nodes() -> list[tuple[int, str]]:
    rows = db.session.exec(
        visible_outsourcings(_me())
        .where(Outsourcing.status.in_([OutsourcingStatus.ACTIVE, OutsourcingStatus.ENDED]))
        .order_by(Outsourcing.task_name, Outsourcing.id)
    ).all()
    vendors = {v.id: v.name for v in db.session.exec(select(Vendor)).all()}
    return [(o.id, f"{o.task_name}（{vendors.get(o.vendor_id, '')}）") for o in rows]


def _report_from(form: FactsForm) -> ops.IncidentReport:
    return ops.IncidentReport(
        summary=form.summary.data or "",
        discovered_on=form.discovered_on.data,
        kind=form.kind.data,
        persons=form.persons.data or 0,
        special_care=bool(form.special_care.data),
        financial_harm=bool(form.financial_harm.data),
        wrongful_purpose=bool(form.wrongful_purpose.data),
        ordinance_designated=bool(form.ordinance_designated.data),
        containment=form.containment.data or "",
    )


@bp.route("/")
@requires(Permission.VIEW_INCIDENTS)
def index() -> str:
    """Incidents in scope (open first) and the user's notices."""
    me = _me()
    rows = queries.incident_list(session=db.session, user=me)
    return render_template(
        "incidents/index.html",
        rows=rows,
        notices=queries.notices_for(session=db.session, user=me),
        labels=labels(),
        today=local_today(),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.REPORT_INCIDENTS)
def new() -> Response | str:
    """Report a leak, loss or damage at a node the user may see."""
    form = ReportForm()
    form.outsourcing_id.choices = [(None, _("選んでください")), *_reportable_nodes()]
    if request.method == "GET":
        form.outsourcing_id.data = request.args.get("outsourcing_id", type=int)
        form.discovered_on.data = local_today()
    if form.validate_on_submit():
        node = get_visible(session=db.session, user=_me(), outsourcing_id=form.outsourcing_id.data)
        if node is None:
            abort(404)
        try:
            incident = ops.report_incident(
                session=db.session,
                actor=_me(),
                outsourcing=node,
                report=_report_from(form),
                today=local_today(),
            )
        except ops.IncidentError as error:
            form.form_errors.append(error.message)
        else:
            audit.record(
                "incident.report",
                object_type="incident",
                object_id=incident.id,
                detail={"outsourcing_id": node.id, "persons": incident.persons},
            )
            flash(_("事案を報告しました。責任者に通知しました。"), "success")
            return redirect(url_for("incidents.detail", incident_id=incident.id))
    return render_template("incidents/new.html", form=form)


def _escalation_steps(incident: Incident) -> list[dict[str, Any]]:
    """Each title of the chain with the time it was reached and by whom (from the timeline)."""
    chain = ops.escalation_chain()
    roles = step_roles(chain, ops.role_titles())
    reached: dict[str, tuple[Any, Any]] = {}
    for event, actor in queries.timeline(session=db.session, incident_id=incident.id):
        if event.kind in {"notified", "escalated"} and event.step and event.step not in reached:
            reached[event.step] = (event, actor)
    return [
        {
            "title": title,
            "role": roles[index],
            "reached": index <= incident.escalation_level,
            "event": reached.get(title, (None, None))[0],
            "actor": reached.get(title, (None, None))[1],
        }
        for index, title in enumerate(chain)
    ]


@bp.route("/<int:incident_id>")
@requires(Permission.VIEW_INCIDENTS)
def detail(incident_id: int) -> str:
    """One incident: facts, Commission decision and deadlines, escalation, measures."""
    incident, node, vendor = _visible_or_404(incident_id)
    audit.record(
        "incident.view",
        object_type="incident",
        object_id=incident.id,
        detail={"outsourcing_id": node.id},
    )
    me = _me()
    today = local_today()
    rule = ops.commission_rule()
    chain = ops.escalation_chain()
    can_manage = (
        me.can(Permission.MANAGE_INCIDENTS)
        and owns_department(me, node)
        and incident.status == IncidentStatus.OPEN
    )
    states = {}
    if incident.commission_required:
        states = {
            "first": deadline_state(
                due=incident.first_report_due,  # type: ignore[arg-type]
                filed_on=incident.first_reported_on,
                today=today,
            ),
            "final": deadline_state(
                due=incident.final_report_due,  # type: ignore[arg-type]
                filed_on=incident.final_reported_on,
                today=today,
            ),
        }
    next_role = escalating_role(chain, ops.role_titles(), incident.escalation_level)
    facts_form = FactsForm(obj=incident)
    people = {
        u.id: u
        for u in db.session.exec(
            select(User).where(
                User.id.in_(
                    {
                        i
                        for i in (
                            incident.reported_by_id,
                            incident.publication_decided_by_id,
                            incident.closed_by_id,
                        )
                        if i
                    }
                )
            )
        ).all()
    }
    return render_template(
        "incidents/detail.html",
        incident=incident,
        node=node,
        vendor=vendor,
        department=db.session.get(Department, node.department_id),
        people=people,
        rule=rule,
        states=states,
        steps=_escalation_steps(incident),
        top_reached=incident.escalation_level >= len(chain) - 1,
        next_title=chain[incident.escalation_level + 1] if next_role else None,
        next_role=next_role,
        can_escalate=ops.can_escalate(me, incident, node),
        can_manage=can_manage,
        blockers=ops.close_blockers(incident),
        labels=labels(),
        facts_form=facts_form,
        escalate_form=EscalateForm(),
        commission_form=CommissionReportForm(
            which="final" if incident.first_reported_on else "first", filed_on=today
        ),
        measures_form=MeasuresForm(obj=incident),
        publication_form=PublicationForm(
            decision=incident.publication_decision or "publish_and_notify",
            reason=incident.publication_reason,
        ),
        close_form=CloseForm(),
        shares=queries.shares_of(session=db.session, incident_id=incident.id),
        today=today,
    )


@bp.route("/<int:incident_id>/timeline")
@requires(Permission.VIEW_INCIDENTS)
def timeline(incident_id: int) -> str:
    """Every event of the incident in order, with who acted and when (Japan time)."""
    incident, node, vendor = _visible_or_404(incident_id)
    audit.record(
        "incident.view",
        object_type="incident",
        object_id=incident.id,
        detail={"outsourcing_id": node.id, "page": "timeline"},
    )
    return render_template(
        "incidents/timeline.html",
        incident=incident,
        node=node,
        vendor=vendor,
        events=queries.timeline(session=db.session, incident_id=incident.id),
        labels=labels(),
    )


def _back(incident_id: int, anchor: str | None = None) -> Response:
    return redirect(url_for("incidents.detail", incident_id=incident_id, _anchor=anchor))


@bp.route("/<int:incident_id>/facts", methods=["POST"])
@requires(Permission.MANAGE_INCIDENTS)
def facts(incident_id: int) -> Response:
    """Correct the facts as the investigation learns more (the decision follows)."""
    incident, _node, _vendor = _managed_or_403(incident_id)
    form = FactsForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _back(incident_id, "facts")
    try:
        ops.update_facts(
            session=db.session,
            actor=_me(),
            incident=incident,
            report=_report_from(form),
            today=local_today(),
        )
    except ops.IncidentError as error:
        flash(error.message, "error")
    else:
        audit.record("incident.update_facts", object_type="incident", object_id=incident.id)
        flash(_("事実関係を更新しました。"), "success")
    return _back(incident_id)


@bp.route("/<int:incident_id>/escalate", methods=["POST"])
@requires(Permission.ESCALATE_INCIDENTS)
def escalate(incident_id: int) -> Response:
    """Report the incident to the next title of the profile's chain, with a note."""
    incident, node, _vendor = _visible_or_404(incident_id)
    if not ops.can_escalate(_me(), incident, node):
        abort(403)
    form = EscalateForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _back(incident_id, "escalation")
    ops.escalate_incident(
        session=db.session,
        actor=_me(),
        incident=incident,
        outsourcing=node,
        note=form.escalation_note.data,
    )
    audit.record("incident.escalate", object_type="incident", object_id=incident.id)
    flash(
        _("%(title)sへ報告しました。", title=ops.escalation_chain()[incident.escalation_level]),
        "success",
    )
    return _back(incident_id, "escalation")


@bp.route("/<int:incident_id>/commission", methods=["POST"])
@requires(Permission.MANAGE_INCIDENTS)
def commission(incident_id: int) -> Response:
    """Record the 速報 or the 確報 filed with the 個人情報保護委員会."""
    incident, _node, _vendor = _managed_or_403(incident_id)
    form = CommissionReportForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _back(incident_id, "commission")
    try:
        ops.record_commission_report(
            session=db.session,
            actor=_me(),
            incident=incident,
            which=form.which.data,
            filed_on=form.filed_on.data,
            note=form.report_note.data or "",
            today=local_today(),
        )
    except ops.IncidentError as error:
        flash(error.message, "error")
    else:
        audit.record("incident.commission_report", object_type="incident", object_id=incident.id)
        flash(_("委員会への報告を記録しました。"), "success")
    return _back(incident_id, "commission")


@bp.route("/<int:incident_id>/measures", methods=["POST"])
@requires(Permission.MANAGE_INCIDENTS)
def measures(incident_id: int) -> Response:
    """Record the cause analysis and measures; share them with similar work."""
    incident, node, _vendor = _managed_or_403(incident_id)
    form = MeasuresForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _back(incident_id, "measures")
    try:
        ops.record_measures(
            session=db.session,
            actor=_me(),
            incident=incident,
            outsourcing=node,
            cause=form.cause.data,
            measures=form.measures.data,
        )
    except ops.IncidentError as error:
        flash(error.message, "error")
    else:
        audit.record("incident.measures", object_type="incident", object_id=incident.id)
        flash(_("原因の分析と再発防止策を記録しました。"), "success")
    return _back(incident_id, "measures")


@bp.route("/<int:incident_id>/publication", methods=["POST"])
@requires(Permission.MANAGE_INCIDENTS)
def publication(incident_id: int) -> Response:
    """Record the decision on publication and notice to the persons, with its reason."""
    incident, _node, _vendor = _managed_or_403(incident_id)
    form = PublicationForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _back(incident_id, "publication")
    try:
        ops.decide_publication(
            session=db.session,
            actor=_me(),
            incident=incident,
            decision=form.decision.data,
            reason=form.reason.data,
        )
    except ops.IncidentError as error:
        flash(error.message, "error")
    else:
        audit.record("incident.publication", object_type="incident", object_id=incident.id)
        flash(_("公表・本人への通知の判断を記録しました。"), "success")
    return _back(incident_id, "publication")


@bp.route("/<int:incident_id>/close", methods=["POST"])
@requires(Permission.MANAGE_INCIDENTS)
def close(incident_id: int) -> Response:
    """Close the incident once everything required is recorded."""
    incident, _node, _vendor = _managed_or_403(incident_id)
    form = CloseForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _back(incident_id)
    try:
        ops.close_incident(
            session=db.session, actor=_me(), incident=incident, note=form.close_note.data or ""
        )
    except ops.IncidentError as error:
        flash(error.message, "error")
    else:
        audit.record("incident.close", object_type="incident", object_id=incident.id)
        flash(_("事案の対応を完了しました。"), "success")
    return _back(incident_id)


@bp.route("/measures")
@requires(Permission.VIEW_SHARED_MEASURES)
def shared() -> str:
    """Recurrence-prevention measures shared with the user's department."""
    return render_template(
        "incidents/shared.html",
        rows=queries.shared_measures(session=db.session, user=_me()),
        labels=labels(),
    )
