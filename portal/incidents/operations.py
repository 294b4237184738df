"""Incidents: report, notify, escalate up the profile's chain, decide and track the report to
the 個人情報保護委員会, record cause and measures (shared with similar work), the publication
decision, and close. Every step leaves an event on the incident's timeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlmodel import Session, select

from portal.incidents.models import (
    EventKind,
    Incident,
    IncidentEvent,
    IncidentKind,
    IncidentNotice,
    IncidentShare,
    IncidentStatus,
    PublicationDecision,
)
from portal.incidents.rules import (
    CommissionRule,
    IncidentFacts,
    escalating_role,
    first_reason,
    similar_work,
)
from portal.jobs import enqueue_after_commit
from portal.models import Outsourcing, OutsourcingStatus, User
from portal.outsourcings.scope import owns_department
from portal.permissions import Permission, Role
from portal.timeutil import utcnow

MIN_DATE, MAX_DATE = date(2000, 1, 1), date(2100, 12, 31)
MAX_PERSONS = 100_000_000


class IncidentError(ValueError):
    """A change the incident rules refuse; ``message`` is Japanese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def commission_rule() -> CommissionRule:
    """The Commission-report rule of the app's regulation profile."""
    return CommissionRule.from_profile(
        current_app.extensions["portal.profile"].incident["commission"]
    )


def escalation_chain() -> tuple[str, ...]:
    """The titles an incident is escalated through, as the profile lists them."""
    return tuple(current_app.extensions["portal.profile"].incident["escalation"])


def role_titles() -> Mapping[str, str]:
    """The title each portal role carries in the profile."""
    return current_app.extensions["portal.profile"].roles


@dataclass(frozen=True)
class IncidentReport:
    """What the reporter states: what happened, when it was found, who is affected."""

    summary: str
    discovered_on: date
    kind: str = IncidentKind.LEAK
    persons: int = 0
    special_care: bool = False
    financial_harm: bool = False
    wrongful_purpose: bool = False
    ordinance_designated: bool = False
    containment: str = ""

    @property
    def facts(self) -> IncidentFacts:
        return IncidentFacts(
            persons=self.persons,
            special_care=self.special_care,
            financial_harm=self.financial_harm,
            wrongful_purpose=self.wrongful_purpose,
            ordinance_designated=self.ordinance_designated,
        )


def _event(
    session: Session,
    incident: Incident,
    kind: str,
    *,
    actor: User | None = None,
    step: str = "",
    note: str = "",
) -> IncidentEvent:
    event = IncidentEvent(
        incident_id=incident.id,  # type: ignore[arg-type]
        kind=kind,
        actor_id=actor.id if actor else None,
        step=step[:100],
        note=note[:4000],
    )
    session.add(event)
    return event


def _check_report(report: IncidentReport, today: date) -> None:
    if not report.summary.strip():
        raise IncidentError(_("何が起きたかを入力してください。"))
    if report.kind not in set(IncidentKind):
        raise IncidentError(_("事案の種類を選んでください。"))
    if not MIN_DATE <= report.discovered_on <= MAX_DATE:
        raise IncidentError(_("発見日が範囲外です（2000年から2100年まで）。"))
    if report.discovered_on > today:
        raise IncidentError(_("発見日に未来の日付は入力できません。"))
    if not 0 <= report.persons <= MAX_PERSONS:
        raise IncidentError(_("影響を受ける人数は0以上の整数で入力してください。"))


def decide(incident: Incident, rule: CommissionRule) -> None:
    """Apply the profile's rule to the incident's facts: whether the Commission must be
    told, why, and the deadlines counted from the day the municipality became aware."""
    reasons = rule.reasons(
        IncidentFacts(
            persons=incident.persons,
            special_care=incident.special_care,
            financial_harm=incident.financial_harm,
            wrongful_purpose=incident.wrongful_purpose,
            ordinance_designated=incident.ordinance_designated,
        )
    )
    incident.commission_required = bool(reasons)
    incident.commission_reasons = list(reasons)
    if reasons:
        deadlines = rule.deadlines(
            aware_on=incident.aware_on, wrongful_purpose=incident.wrongful_purpose
        )
        incident.first_report_due, incident.final_report_due = deadlines.first, deadlines.final
    else:
        incident.first_report_due = incident.final_report_due = None


def responsible_managers(session: Session, outsourcing: Outsourcing) -> list[User]:
    """The managers of the department that owns the chain (取扱責任者/保護管理者); its staff
    when the department has no manager account, so that somebody is always told."""
    users = session.exec(
        select(User)
        .where(
            User.active,
            User.department_id == outsourcing.department_id,
            User.role.in_([Role.MANAGER, Role.STAFF]),
        )
        .order_by(User.id)
    ).all()
    managers = [u for u in users if u.role == Role.MANAGER]
    return managers or list(users)


def _notify(
    session: Session, incident: Incident, users: Sequence[User], kind: str, message: str
) -> list[IncidentNotice]:
    """Portal notices now; the e-mail follows once the transaction has committed."""
    notices = [
        IncidentNotice(
            incident_id=incident.id,  # type: ignore[arg-type]
            user_id=user.id,  # type: ignore[arg-type]
            kind=kind,
            message=message[:500],
        )
        for user in users
    ]
    session.add_all(notices)
    session.flush()
    if notices:
        enqueue_after_commit(session, "incident_notice_mail", [n.id for n in notices])
    return notices


def report_incident(
    *,
    session: Session,
    actor: User,
    outsourcing: Outsourcing,
    report: IncidentReport,
    today: date,
) -> Incident:
    """Record a reported leak, loss or damage and notify the responsible manager at once."""
    _check_report(report, today)
    # A vendor's report is the day the municipality learns of it; an officer who found it
    # knew on the day it was found.
    aware_on = today if actor.role == Role.VENDOR else report.discovered_on
    incident = Incident(
        outsourcing_id=outsourcing.id,  # type: ignore[arg-type]
        kind=report.kind,
        summary=report.summary.strip(),
        discovered_on=report.discovered_on,
        aware_on=aware_on,
        persons=report.persons,
        special_care=report.special_care,
        financial_harm=report.financial_harm,
        wrongful_purpose=report.wrongful_purpose,
        ordinance_designated=report.ordinance_designated,
        containment=report.containment.strip(),
        reported_by_id=actor.id,
    )
    decide(incident, commission_rule())
    session.add(incident)
    session.flush()
    _event(session, incident, EventKind.REPORTED, actor=actor, note=incident.summary)
    managers = responsible_managers(session, outsourcing)
    first_step = escalation_chain()[0]
    _event(
        session,
        incident,
        EventKind.NOTIFIED,
        step=first_step,
        note=", ".join(f"{u.name} <{u.email}>" for u in managers) or _("（通知先の利用者なし）"),
    )
    _notify(
        session,
        incident,
        managers,
        "reported",
        _("漏えい等の事案が報告されました：%(task)s", task=outsourcing.task_name),
    )
    session.flush()
    return incident


def update_facts(
    *, session: Session, actor: User, incident: Incident, report: IncidentReport, today: date
) -> Incident:
    """Correct the facts as the investigation learns more; the Commission decision follows."""
    if incident.status != IncidentStatus.OPEN:
        raise IncidentError(_("完了した事案は変更できません。"))
    _check_report(report, today)
    was_required = incident.commission_required
    for name in (
        "kind",
        "discovered_on",
        "persons",
        "special_care",
        "financial_harm",
        "wrongful_purpose",
        "ordinance_designated",
    ):
        setattr(incident, name, getattr(report, name))
    incident.summary, incident.containment = report.summary.strip(), report.containment.strip()
    decide(incident, commission_rule())
    session.add(incident)
    note = _("影響を受ける人数：%(n)d人", n=incident.persons)
    if incident.commission_required != was_required:
        note += " / " + (
            _("委員会への報告が必要になりました。")
            if incident.commission_required
            else _("委員会への報告は不要になりました。")
        )
    _event(session, incident, EventKind.FACTS_UPDATED, actor=actor, note=note)
    session.flush()
    return incident


def can_escalate(user: User, incident: Incident, outsourcing: Outsourcing) -> bool:
    """Whether ``user`` holds the step the incident has reached (or records for the steps
    above it that no portal user holds), so that it may escalate to the next."""
    if incident.status != IncidentStatus.OPEN or not user.can(Permission.ESCALATE_INCIDENTS):
        return False
    role = escalating_role(escalation_chain(), role_titles(), incident.escalation_level)
    if role is None or user.role != role:
        return False
    if role in {Role.MANAGER, Role.STAFF}:
        return owns_department(user, outsourcing)
    return True


def escalate_incident(
    *, session: Session, actor: User, incident: Incident, outsourcing: Outsourcing, note: str
) -> Incident:
    """Report the incident to the next title of the chain, with a note (what, how far)."""
    if not can_escalate(actor, incident, outsourcing):
        raise IncidentError(_("この段階の報告を行う権限がありません。"))
    if not note.strip():
        raise IncidentError(_("報告の内容（経緯・被害状況等）を入力してください。"))
    chain = escalation_chain()
    incident.escalation_level += 1
    step = chain[incident.escalation_level]
    session.add(incident)
    _event(session, incident, EventKind.ESCALATED, actor=actor, step=step, note=note.strip())
    chief_role = next((r for r, t in role_titles().items() if t == step), None)
    if chief_role in {Role.CHIEF, Role.MANAGER}:
        users = session.exec(select(User).where(User.active, User.role == chief_role)).all()
        if chief_role == Role.MANAGER:
            users = [u for u in users if u.department_id == outsourcing.department_id]
        _notify(
            session,
            incident,
            users,
            "escalated",
            _("漏えい等の事案の報告を受けました：%(task)s", task=outsourcing.task_name),
        )
    session.flush()
    return incident


def _check_filed_on(filed_on: date | None, incident: Incident, today: date) -> date:
    if filed_on is None:
        raise IncidentError(_("報告した日を入力してください。"))
    if not MIN_DATE <= filed_on <= MAX_DATE:
        raise IncidentError(_("報告日が範囲外です（2000年から2100年まで）。"))
    if filed_on > today:
        raise IncidentError(_("報告日に未来の日付は入力できません。"))
    if filed_on < incident.aware_on:
        raise IncidentError(_("報告日が、市が事案を知った日より前です。"))
    return filed_on


def record_commission_report(
    *,
    session: Session,
    actor: User,
    incident: Incident,
    which: str,
    filed_on: date | None,
    note: str = "",
    today: date,
) -> Incident:
    """Record that the 速報 ("first") or the 確報 ("final") was filed with the Commission."""
    if not incident.commission_required:
        raise IncidentError(_("この事案は個人情報保護委員会への報告を要しません。"))
    if incident.status != IncidentStatus.OPEN:
        raise IncidentError(_("完了した事案は変更できません。"))
    filed_on = _check_filed_on(filed_on, incident, today)
    if which == "first":
        if incident.first_reported_on is not None:
            raise IncidentError(_("速報は既に記録されています。"))
        incident.first_reported_on, incident.first_report_note = filed_on, note.strip()
        kind = EventKind.FIRST_REPORT
    elif which == "final":
        if incident.first_reported_on is None:
            raise IncidentError(_("確報の前に速報を記録してください。"))
        if incident.final_reported_on is not None:
            raise IncidentError(_("確報は既に記録されています。"))
        if filed_on < incident.first_reported_on:
            raise IncidentError(_("確報の日付が速報より前です。"))
        incident.final_reported_on, incident.final_report_note = filed_on, note.strip()
        kind = EventKind.FINAL_REPORT
    else:
        raise IncidentError(_("速報か確報かを選んでください。"))
    session.add(incident)
    _event(session, incident, kind, actor=actor, note=f"{filed_on.isoformat()} {note.strip()}")
    session.flush()
    return incident


def similar_departments(*, session: Session, outsourcing: Outsourcing) -> dict[int, str]:
    """Other departments that run similar work, with the reason: an outsourcing (not ended
    or rejected) with the same contractor, the same task name, or at least two personal-
    information categories in common (三木市第40条第5項 / 久喜市第39条第5項)."""
    rows = session.exec(
        select(
            Outsourcing.department_id,
            Outsourcing.vendor_id,
            Outsourcing.task_name,
            Outsourcing.pi_categories,
        ).where(
            Outsourcing.department_id != outsourcing.department_id,
            Outsourcing.status.in_([OutsourcingStatus.ACTIVE, OutsourcingStatus.APPROVED]),
        )
    ).all()
    reasons: dict[int, list[str | None]] = {}
    for department_id, vendor_id, task_name, categories in rows:
        reasons.setdefault(department_id, []).append(
            similar_work(
                vendor_id=outsourcing.vendor_id,
                task_name=outsourcing.task_name,
                pi_categories=outsourcing.pi_categories,
                candidate=(vendor_id, task_name, categories),
            )
        )
    found = {d: first_reason(r) for d, r in reasons.items()}
    return {d: r for d, r in found.items() if r}


def record_measures(
    *,
    session: Session,
    actor: User,
    incident: Incident,
    outsourcing: Outsourcing,
    cause: str,
    measures: str,
) -> list[IncidentShare]:
    """Record the cause analysis and the recurrence-prevention measures, and share the
    measures with every department that runs similar work (notices to its officers)."""
    if incident.status != IncidentStatus.OPEN:
        raise IncidentError(_("完了した事案は変更できません。"))
    if not cause.strip() or not measures.strip():
        raise IncidentError(_("原因の分析と再発防止策の両方を入力してください。"))
    incident.cause, incident.measures = cause.strip(), measures.strip()
    incident.measures_recorded_at = utcnow()
    session.add(incident)
    _event(session, incident, EventKind.MEASURES, actor=actor, note=incident.measures)
    existing = {
        s.department_id: s
        for s in session.exec(
            select(IncidentShare).where(IncidentShare.incident_id == incident.id)
        ).all()
    }
    new: list[IncidentShare] = []
    for department_id, reason in sorted(
        similar_departments(session=session, outsourcing=outsourcing).items()
    ):
        if department_id in existing:
            existing[department_id].shared_at = utcnow()  # the measures changed: shared again
            session.add(existing[department_id])
            continue
        share = IncidentShare(
            incident_id=incident.id,  # type: ignore[arg-type]
            department_id=department_id,
            reason=reason,
        )
        session.add(share)
        new.append(share)
    shared_with = sorted({*existing, *(s.department_id for s in new)})
    if shared_with:
        officers = session.exec(
            select(User).where(
                User.active,
                User.department_id.in_(shared_with),
                User.role.in_([Role.MANAGER, Role.STAFF]),
            )
        ).all()
        _event(
            session,
            incident,
            EventKind.SHARED,
            actor=actor,
            note=_("%(n)d課室に共有しました。", n=len(shared_with)),
        )
        _notify(
            session,
            incident,
            officers,
            "shared",
            _(
                "同種の業務で起きた事案の再発防止策が共有されました：%(task)s",
                task=outsourcing.task_name,
            ),
        )
    session.flush()
    return new


def decide_publication(
    *, session: Session, actor: User, incident: Incident, decision: str, reason: str
) -> Incident:
    """Record the decision on publication and notice to the persons (公表・本人への通知)."""
    if incident.status != IncidentStatus.OPEN:
        raise IncidentError(_("完了した事案は変更できません。"))
    if decision not in set(PublicationDecision):
        raise IncidentError(_("公表・本人への通知の判断を選んでください。"))
    if not reason.strip():
        raise IncidentError(_("判断の理由を入力してください。"))
    incident.publication_decision = decision
    incident.publication_reason = reason.strip()
    incident.publication_decided_by_id = actor.id
    incident.publication_decided_at = utcnow()
    session.add(incident)
    _event(
        session, incident, EventKind.PUBLICATION, actor=actor, step=decision, note=reason.strip()
    )
    session.flush()
    return incident


def close_blockers(incident: Incident) -> list[str]:
    """What is still missing before the incident can be closed (Japanese, for the page)."""
    missing = []
    if not incident.measures:
        missing.append(_("原因の分析と再発防止策"))
    if incident.commission_required:
        if incident.first_reported_on is None:
            missing.append(_("個人情報保護委員会への速報"))
        if incident.final_reported_on is None:
            missing.append(_("個人情報保護委員会への確報"))
    if incident.publication_decision is None:
        missing.append(_("公表・本人への通知の判断"))
    return missing


def close_incident(
    *, session: Session, actor: User, incident: Incident, note: str = ""
) -> Incident:
    """Close an incident once its measures, reports and publication decision are recorded."""
    if incident.status != IncidentStatus.OPEN:
        raise IncidentError(_("この事案は既に完了しています。"))
    missing = close_blockers(incident)
    if missing:
        raise IncidentError(
            _("完了にする前に記録してください：%(items)s", items="、".join(missing))
        )
    incident.status = IncidentStatus.CLOSED
    incident.closed_by_id, incident.closed_at = actor.id, utcnow()
    session.add(incident)
    _event(session, incident, EventKind.CLOSED, actor=actor, note=note.strip())
    session.flush()
    return incident
