"""What changes provisions: register and amend one, keep its agreement, end it, record an
on-site check (and the improvement it requests), close an improvement (chased by the
reminders of ``obligation.IMPROVEMENT_OBLIGATION``), and record the pseudonymisation
decision of an outsourcing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from flask_babel import gettext as _
from sqlmodel import Session, select

from portal.attachments import AttachmentError, attach
from portal.models import Department, Outsourcing, User
from portal.provisions.models import (
    CheckResult,
    ImprovementEvent,
    ImprovementRequest,
    ImprovementStatus,
    OutsourcingPseudonymisation,
    Provision,
    ProvisionAttachment,
    ProvisionCheck,
    ProvisionStatus,
)
from portal.provisions.rules import (
    ProvisionError,
    check_inspection,
    check_measures,
    check_period,
    check_pseudonymisation,
    default_follow_up,
)
from portal.storage import Storage
from portal.timeutil import utcnow


@dataclass(frozen=True)
class ProvisionData:
    """What the register keeps of a provision (the written agreement's items included)."""

    recipient_name: str
    recipient_kind: str
    information_name: str
    purpose: str
    legal_basis: str
    record_scope: str
    usage_form: str
    start_date: date
    end_date: date | None
    agreement_date: date | None
    persons: int
    safety_measures: list[str]
    safety_measures_note: str
    pseudonymisation: str
    pseudonymisation_reason: str


@dataclass(frozen=True)
class CheckData:
    """An on-site check (実地の調査等) and, when it found gaps, the improvement requested."""

    checked_on: date
    timing: str
    method: str
    result: str
    findings: str
    improvement_request: str = ""
    follow_up_due: date | None = None


def _apply(provision: Provision, data: ProvisionData, measures: Mapping[str, str]) -> None:
    check_period(data.start_date, data.end_date)
    reason = check_pseudonymisation(data.pseudonymisation, data.pseudonymisation_reason)
    provision.safety_measures = check_measures(data.safety_measures, measures)
    for name in (
        "recipient_name",
        "recipient_kind",
        "information_name",
        "purpose",
        "legal_basis",
        "record_scope",
        "usage_form",
        "start_date",
        "end_date",
        "agreement_date",
        "persons",
        "safety_measures_note",
        "pseudonymisation",
    ):
        value = getattr(data, name)
        setattr(provision, name, value.strip() if isinstance(value, str) else value)
    provision.pseudonymisation_reason = reason
    provision.updated_at = utcnow()


def register_provision(
    *,
    session: Session,
    actor: User,
    department_id: int,
    data: ProvisionData,
    measures: Mapping[str, str],
) -> Provision:
    """Enter a provision in the register of ``department_id`` (``measures``: the profile's)."""
    provision = Provision(department_id=department_id, created_by_id=actor.id)  # type: ignore[call-arg]
    _apply(provision, data, measures)
    session.add(provision)
    session.flush()
    return provision


def update_provision(
    *, session: Session, provision: Provision, data: ProvisionData, measures: Mapping[str, str]
) -> Provision:
    """Amend a provision's register entry (a new agreement, other measures, a decision)."""
    _apply(provision, data, measures)
    session.add(provision)
    session.flush()
    return provision


def end_provision(*, session: Session, provision: Provision, end_date: date) -> Provision:
    """Mark a provision as ended on ``end_date`` (no later start, no second end)."""
    if provision.status == ProvisionStatus.ENDED:
        raise ProvisionError(_("この提供は既に終了しています。"))
    check_period(provision.start_date, end_date)
    provision.status = ProvisionStatus.ENDED
    provision.end_date = end_date
    provision.updated_at = utcnow()
    session.add(provision)
    session.flush()
    return provision


def attach_agreement(
    *,
    session: Session,
    storage: Storage,
    provision: Provision,
    actor: User,
    stream: BinaryIO,
    filename: str,
) -> Any:
    """Keep the written agreement (a PDF or a scan) with a provision; the same file once."""
    try:
        return attach(
            session=session,
            storage=storage,
            model=ProvisionAttachment,
            owner=("provision_id", provision.id),  # type: ignore[arg-type]
            actor_id=actor.id,  # type: ignore[arg-type]
            stream=stream,
            filename=filename,
            prefix=f"provisions/{provision.id}",
        )
    except AttachmentError as error:
        raise ProvisionError(error.message) from error


def record_check(
    *,
    session: Session,
    provision: Provision,
    actor: User,
    data: CheckData,
    today: date,
    follow_up_days: int,
) -> tuple[ProvisionCheck, ImprovementRequest | None]:
    """Record a check of the recipient's measures and, when it found gaps, the improvement
    requested (owed by its follow-up date, which reminders count down to)."""
    check_inspection(
        checked_on=data.checked_on,
        today=today,
        result=data.result,
        request=data.improvement_request,
        due=data.follow_up_due,
    )
    check = ProvisionCheck(
        provision_id=provision.id,  # type: ignore[arg-type]
        checked_on=data.checked_on,
        timing=data.timing,
        method=data.method,
        result=data.result,
        findings=data.findings.strip(),
        checked_by_id=actor.id,
    )
    session.add(check)
    session.flush()
    if data.result != CheckResult.IMPROVEMENT:
        return check, None
    improvement = ImprovementRequest(
        provision_id=provision.id,  # type: ignore[arg-type]
        check_id=check.id,  # type: ignore[arg-type]
        request=data.improvement_request.strip(),
        due_date=data.follow_up_due or default_follow_up(data.checked_on, follow_up_days),
    )
    session.add(improvement)
    session.flush()
    session.add(
        ImprovementEvent(improvement_id=improvement.id, actor_id=actor.id, action="requested")
    )
    return check, improvement


def close_improvement(
    *, session: Session, improvement: ImprovementRequest, actor: User, response: str
) -> ImprovementRequest:
    """Confirm that the recipient improved what was asked (what it did is required)."""
    if improvement.status != ImprovementStatus.OPEN:
        raise ProvisionError(_("この改善要求は既に完了しています。"))
    if not (response or "").strip():
        raise ProvisionError(_("提供先が講じた改善の内容を入力してください。"))
    improvement.status = ImprovementStatus.CLOSED
    improvement.response = response.strip()
    improvement.closed_by_id = actor.id
    improvement.closed_at = utcnow()
    session.add(improvement)
    session.add(
        ImprovementEvent(
            improvement_id=improvement.id, actor_id=actor.id, action="closed", comment=response
        )
    )
    session.flush()
    return improvement


def record_outsourcing_pseudonymisation(
    *, session: Session, outsourcing: Outsourcing, actor: User, method: str, reason: str
) -> OutsourcingPseudonymisation:
    """Record (or change) whether an outsourcing's identifying entries are removed or replaced."""
    reason = check_pseudonymisation(method, reason)
    row = session.exec(
        select(OutsourcingPseudonymisation).where(
            OutsourcingPseudonymisation.outsourcing_id == outsourcing.id
        )
    ).first() or OutsourcingPseudonymisation(outsourcing_id=outsourcing.id)  # type: ignore[arg-type]
    row.pseudonymisation = method
    row.reason = reason
    row.recorded_by_id = actor.id
    row.recorded_at = utcnow()
    session.add(row)
    session.flush()
    return row


def department_of(*, session: Session, provision: Provision) -> Department | None:
    """The department that provides."""
    return session.get(Department, provision.department_id)
