"""Selection operations: record a vendor's certifications and their evidence, answer the
selection checklist and record the items entrusted at a tier, judge a subcontract decision
against the parent's items, and find the required certifications a node's vendor lacks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlmodel import Session, select

from portal.attachments import AttachmentError, attach
from portal.features import DecisionRefused
from portal.models import Outsourcing, User, Vendor
from portal.outsourcings.scope import holds, owns_department
from portal.permissions import Permission
from portal.selection.models import (
    Certification,
    CertificationAttachment,
    CertificationReminder,
    SelectionRecord,
)
from portal.selection.rules import (
    Finding,
    HeldCertification,
    SelectionRule,
    excess_items,
)
from portal.storage import Storage
from portal.timeutil import utcnow


class SelectionError(ValueError):
    """A change the selection rules refuse; ``message`` is Japanese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def current_rule() -> SelectionRule:
    """The selection rule of the app's profile."""
    return SelectionRule.from_profile(current_app.extensions["portal.profile"].selection)


# --- certifications ----------------------------------------------------------------------


@dataclass(frozen=True)
class CertificationInput:
    """What a user states about a certification (``cert_type``: a key or a label)."""

    cert_type: str
    number: str
    issued_on: date | None
    expires_on: date | None
    note: str = ""
    scope: str = ""


def check_certification(
    *,
    session: Session,
    rule: SelectionRule,
    vendor_id: int,
    data: CertificationInput,
    editing: int | None = None,
) -> list[str]:
    """Every reason (Japanese) the certification may not be recorded; empty when it may
    (``editing``: the id of the certification being changed, which may keep its number)."""
    problems = []
    cert_type = rule.certification_type(data.cert_type)
    if cert_type is None:
        problems.append(
            _(
                "認証の種類「%(type)s」はありません。%(known)sから選んでください。",
                type=data.cert_type,
                known="、".join(c.label for c in rule.certifications),
            )
        )
    number = data.number.strip()
    if not number:
        problems.append(_("認証番号を入力してください。"))
    if data.issued_on is None or data.expires_on is None:
        problems.append(_("取得日と有効期限を入力してください。"))
    elif data.expires_on < data.issued_on:
        problems.append(
            _(
                "有効期限（%(expires)s）が取得日（%(issued)s）より前です。",
                expires=data.expires_on.isoformat(),
                issued=data.issued_on.isoformat(),
            )
        )
    if cert_type and number:
        existing = session.exec(
            select(Certification, Vendor)
            .join(Vendor, Vendor.id == Certification.vendor_id)
            .where(
                Certification.cert_type == cert_type,
                Certification.number == number,
                Certification.withdrawn_at.is_(None),
                Certification.id != (editing or 0),
            )
        ).first()
        if existing is not None:
            problems.append(
                _(
                    "%(type)s の認証番号 %(number)s は既に「%(vendor)s」の認証として登録されています。",  # noqa: E501
                    type=rule.certification_label(cert_type),
                    number=number,
                    vendor=existing[1].name,
                )
            )
    if len(data.scope.strip()) > 500:
        problems.append(_("認証の範囲は500文字以内で入力してください。"))
    if session.get(Vendor, vendor_id) is None:
        problems.append(_("指定された委託先がありません。"))
    return problems


def add_certification(
    *,
    session: Session,
    rule: SelectionRule,
    actor: User,
    vendor_id: int,
    data: CertificationInput,
) -> Certification:
    """Record a certification of a vendor; SelectionError lists what is wrong."""
    problems = check_certification(session=session, rule=rule, vendor_id=vendor_id, data=data)
    if problems:
        raise SelectionError(" ".join(problems))
    certification = Certification(
        vendor_id=vendor_id,
        cert_type=rule.certification_type(data.cert_type),  # type: ignore[arg-type]
        number=data.number.strip(),
        issued_on=data.issued_on,  # type: ignore[arg-type]
        expires_on=data.expires_on,  # type: ignore[arg-type]
        scope=data.scope.strip(),
        note=data.note.strip(),
        created_by_id=actor.id,
    )
    session.add(certification)
    session.flush()
    return certification


def attach_evidence(
    *,
    session: Session,
    storage: Storage,
    certification: Certification,
    actor: User,
    stream: BinaryIO,
    filename: str,
) -> Any:
    """Keep the evidence (the certificate as PDF or photo) with a certification."""
    try:
        return attach(
            session=session,
            storage=storage,
            model=CertificationAttachment,
            owner=("certification_id", certification.id),
            actor_id=actor.id,  # type: ignore[arg-type]
            stream=stream,
            filename=filename,
            prefix=f"certifications/{certification.id}",
        )
    except AttachmentError as error:
        raise SelectionError(error.message) from error


#: What an edit may change, in the order the access log lists the changes.
EDITABLE = ("number", "issued_on", "expires_on", "scope", "note")


def update_certification(
    *,
    session: Session,
    rule: SelectionRule,
    certification: Certification,
    data: CertificationInput,
) -> dict[str, list[Any]]:
    """Correct or renew a certification in place (its type stays); returns the changes as
    {field: [before, after]} for the access log. A changed expiry clears the reminders sent
    for the old one, so that the new expiry is reminded of in its turn."""
    if certification.withdrawn_at is not None:
        raise SelectionError(_("取り消された認証は変更できません。"))
    data = CertificationInput(
        cert_type=certification.cert_type,
        number=data.number,
        issued_on=data.issued_on,
        expires_on=data.expires_on,
        note=data.note,
        scope=data.scope,
    )
    problems = check_certification(
        session=session,
        rule=rule,
        vendor_id=certification.vendor_id,
        data=data,
        editing=certification.id,
    )
    if problems:
        raise SelectionError(" ".join(problems))
    after = {
        "number": data.number.strip(),
        "issued_on": data.issued_on,
        "expires_on": data.expires_on,
        "scope": data.scope.strip(),
        "note": data.note.strip(),
    }
    changes: dict[str, list[Any]] = {}
    for name in EDITABLE:
        before = getattr(certification, name)
        if before != after[name]:
            changes[name] = [_plain(before), _plain(after[name])]
            setattr(certification, name, after[name])
    if "expires_on" in changes:
        stamps = session.exec(
            select(CertificationReminder).where(
                CertificationReminder.certification_id == certification.id
            )
        ).all()
        for stamp in stamps:
            session.delete(stamp)
        if stamps:
            changes["reminders_cleared"] = sorted(stamp.kind for stamp in stamps)
    session.add(certification)
    session.flush()
    return changes


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def replace_evidence(
    *,
    session: Session,
    storage: Storage,
    certification: Certification,
    actor: User,
    stream: BinaryIO,
    filename: str,
) -> Any:
    """Keep a new evidence file as the current one; the earlier files stay, as earlier
    versions (still listed and downloadable)."""
    item = attach_evidence(
        session=session,
        storage=storage,
        certification=certification,
        actor=actor,
        stream=stream,
        filename=filename,
    )
    certification.evidence_replaced_at = item.uploaded_at
    session.add(certification)
    session.flush()
    return item


def withdraw_certification(
    *, session: Session, actor: User, certification: Certification, reason: str
) -> Certification:
    """Withdraw a certification recorded by mistake (kept, with who, when and why)."""
    if certification.withdrawn_at is not None:
        raise SelectionError(_("この認証は既に取り消されています。"))
    if not reason.strip():
        raise SelectionError(_("取り消す理由を入力してください。"))
    certification.withdrawn_at = utcnow()
    certification.withdrawn_by_id = actor.id
    certification.withdrawal_reason = reason.strip()
    session.add(certification)
    session.flush()
    return certification


def certifications_of(
    *, session: Session, vendor_ids: Sequence[int], withdrawn: bool = False
) -> list[Certification]:
    """The certifications of these vendors (and the withdrawn ones when asked), newest
    expiry first."""
    if not vendor_ids:
        return []
    statement = select(Certification).where(Certification.vendor_id.in_(list(vendor_ids)))
    if not withdrawn:
        statement = statement.where(Certification.withdrawn_at.is_(None))
    return list(
        session.exec(
            statement.order_by(Certification.expires_on.desc(), Certification.id.desc())
        ).all()
    )


# --- the selection record of a node ------------------------------------------------------


def record_of(*, session: Session, outsourcing_id: int) -> SelectionRecord | None:
    """The selection record of an outsourcing, if any."""
    return session.exec(
        select(SelectionRecord).where(SelectionRecord.outsourcing_id == outsourcing_id)
    ).first()


def records_of(*, session: Session, outsourcing_ids: Sequence[int]) -> dict[int, SelectionRecord]:
    """The selection records of these outsourcings by outsourcing id."""
    if not outsourcing_ids:
        return {}
    rows = session.exec(
        select(SelectionRecord).where(SelectionRecord.outsourcing_id.in_(list(outsourcing_ids)))
    ).all()
    return {r.outsourcing_id: r for r in rows}


def may_edit_selection(user: User, node: Outsourcing, parent: Outsourcing | None) -> bool:
    """The owning department's officers; the requesting vendor while the request is open."""
    if owns_department(user, node) and user.can(Permission.MANAGE_OUTSOURCINGS):
        return True
    return parent is not None and holds(user, parent) and node.status == "requested"


def parent_items(*, session: Session, parent_id: int | None) -> list[str] | None:
    """The items recorded for the parent ``parent_id`` (None: a root, or not recorded)."""
    if parent_id is None:
        return None
    record = record_of(session=session, outsourcing_id=parent_id)
    return None if record is None or record.items is None else list(record.items)


def check_selection(
    *,
    rule: SelectionRule,
    answers: Mapping[str, str],
    items: Sequence[str],
    excess_reason: str,
    parent: Sequence[str] | None,
    complete: bool = False,
) -> list[str]:
    """Every reason (Japanese) the checklist and items may not be recorded; ``parent``: the
    parent's items (None when there is nothing to compare with); ``complete``: every question
    must be answered (when registering or requesting)."""
    problems = []
    known = {q.id for q in rule.checklist}
    if any(k not in known or v not in ("yes", "no", "") for k, v in answers.items()):
        problems.append(_("選定チェックの回答が正しくありません。"))
    elif complete:
        missing = rule.unanswered(answers)
        if missing:
            problems.append(
                _(
                    "選定チェックリストの次の確認事項に「はい」か「いいえ」で回答してください：%(questions)s",
                    questions="、".join(q.label for q in missing),
                )
            )
    ids, unknown = rule.item_ids(items)
    if unknown:
        problems.append(
            _("個人情報の項目「%(items)s」は一覧にありません。", items="、".join(unknown))
        )
    elif not ids:
        problems.append(_("委託する個人情報の項目を1つ以上選んでください。"))
    excess = excess_items(ids, parent)
    if excess and not excess_reason.strip():
        problems.append(
            _(
                "元の委託にない個人情報の項目（%(items)s）があります。その項目を取り扱う理由を入力してください。",
                items="、".join(rule.item_labels(excess)),
            )
        )
    return problems


def save_selection(
    *,
    session: Session,
    rule: SelectionRule,
    actor: User,
    node: Outsourcing,
    answers: Mapping[str, str],
    comment: str,
    uses_cloud: bool,
    items: Sequence[str],
    excess_reason: str,
    complete: bool = False,
) -> SelectionRecord:
    """Record the checklist answers and the items entrusted at ``node``; SelectionError lists
    what is wrong (``complete``: every question must be answered)."""
    problems = check_selection(
        rule=rule,
        answers=answers,
        items=items,
        excess_reason=excess_reason,
        parent=parent_items(session=session, parent_id=node.parent_id),
        complete=complete,
    )
    if problems:
        raise SelectionError(" ".join(problems))
    record = record_items(
        session=session,
        actor=actor,
        node=node,
        items=rule.item_ids(items)[0],
        excess_reason=excess_reason,
        uses_cloud=uses_cloud,
    )
    record.answers = {k: v for k, v in answers.items() if v}
    record.checklist_comment = comment.strip()
    session.add(record)
    session.flush()
    return record


def record_items(
    *,
    session: Session,
    actor: User,
    node: Outsourcing,
    items: Sequence[str],
    excess_reason: str,
    uses_cloud: bool | None = None,
) -> SelectionRecord:
    """Record the (checked) item ids entrusted at ``node``, keeping the checklist answers
    (``uses_cloud`` None: unchanged)."""
    record = record_of(session=session, outsourcing_id=node.id) or SelectionRecord(
        outsourcing_id=node.id  # type: ignore[arg-type]
    )
    record.items = list(items)
    record.excess_reason = excess_reason.strip()
    if uses_cloud is not None:
        record.uses_cloud = uses_cloud
    record.updated_by_id = actor.id
    record.updated_at = utcnow()
    session.add(record)
    session.flush()
    return record


def node_excess(*, session: Session, node: Outsourcing) -> list[str]:
    """The item ids ``node`` is entrusted beyond its parent's (both must be recorded)."""
    if node.parent_id is None:
        return []
    records = records_of(session=session, outsourcing_ids=[node.id, node.parent_id])
    child, parent = records.get(node.id), records.get(node.parent_id)
    if child is None or child.items is None or parent is None or parent.items is None:
        return []
    return excess_items(child.items, parent.items)


def check_decision(session: Session, node: Outsourcing, approve: bool, comment: str) -> dict:
    """A subcontract whose items exceed its parent's is approved only with a reason (第2項);
    returns what the access log keeps of it (DecisionRefused refuses the approval)."""
    excess = node_excess(session=session, node=node)
    if not excess:
        return {}
    labels = current_rule().item_labels(excess)
    if approve and not comment.strip():
        raise DecisionRefused(
            _(
                "この再委託は、元の委託を超える個人情報の項目（%(items)s）を取り扱います。"
                "承認する場合は、その理由をコメントに入力してください。",
                items="、".join(labels),
            )
        )
    return {"excess_items": labels, "excess_reason": comment.strip()}


# --- required certifications -------------------------------------------------------------


@dataclass(frozen=True)
class NodeFacts:
    """What the requirements read of a node."""

    id: int
    vendor_id: int
    special_care: bool
    persons: int


def findings_for(
    *, session: Session, rule: SelectionRule, nodes: Sequence[NodeFacts], today: date
) -> dict[int, list[Finding]]:
    """The unmet requirements per node id, in two queries for all the nodes."""
    if not nodes or not rule.required:
        return {}
    held: dict[int, list[HeldCertification]] = {}
    for cert in certifications_of(session=session, vendor_ids=list({n.vendor_id for n in nodes})):
        held.setdefault(cert.vendor_id, []).append(
            HeldCertification(cert.cert_type, cert.expires_on)
        )
    cloud = {
        r.outsourcing_id
        for r in records_of(session=session, outsourcing_ids=[n.id for n in nodes]).values()
        if r.uses_cloud
    }
    return {
        node.id: rule.findings(
            held.get(node.vendor_id, ()),
            special_care=node.special_care,
            persons=node.persons,
            cloud=node.id in cloud,
            today=today,
        )
        for node in nodes
    }
