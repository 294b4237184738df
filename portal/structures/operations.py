"""Management structures: the version each active outsourcing owes, the vendor's writing and
submitting, the officer's confirmation or return, and a new version when the structure
changes after confirmation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, select

from portal.models import Outsourcing, OutsourcingStatus, User
from portal.obligations.operations import record_event, sign
from portal.obligations.queries import ALL_NODES, NodeSelection
from portal.obligations.rules import ObligationError, Refusals
from portal.structures.models import (
    REVIEW,
    ManagementStructure,
    StructureStatus,
)
from portal.structures.obligation import STRUCTURE_OBLIGATION
from portal.structures.rules import MAX_ITEMS, MAX_STAFF, StaffMember, due_date_for

#: A change the structure's rules refuse (``message`` is Japanese): every obligation's error.
StructureError = ObligationError

#: Why the review of a structure refuses a step.
_REFUSALS = Refusals(
    not_owed=_l(
        "提出済みまたは確認済みの管理体制は変更できません"
        "（確認後に変わった場合は、新しい版を作成してください）。"
    ),
    not_submitted=_l("確認できるのは、提出された管理体制だけです。"),
    reason_required=_l("差し戻す場合は、委託先に直してほしい点を入力してください。"),
)


@dataclass(frozen=True)
class StructureContent:
    """What the vendor writes: the responsible person, the staff, the places and systems."""

    responsible_name: str = ""
    responsible_title: str = ""
    responsible_contact: str = ""
    staff: tuple[StaffMember, ...] = ()
    places: tuple[str, ...] = ()
    systems: tuple[str, ...] = ()
    remarks: str = ""


@dataclass
class SyncResult:
    """What ``sync_structures`` created."""

    created: int = 0
    outsourcing_ids: list[int] = field(default_factory=list)


def sync_structures(
    *, session: Session, today: date, nodes: NodeSelection = ALL_NODES
) -> SyncResult:
    """Owe the first version of the structure of every active outsourcing (of ``nodes``)
    that has none yet, due ``DUE_DAYS`` after its start (or today, when registered late)."""
    o = Outsourcing
    has_any = select(ManagementStructure.id).where(ManagementStructure.outsourcing_id == o.id)
    statement = select(o.id, o.start_date).where(
        o.status == OutsourcingStatus.ACTIVE, ~has_any.exists(), *nodes.where(o.id)
    )
    result = SyncResult()
    for oid, start in session.exec(statement).all():
        session.add(
            ManagementStructure(
                outsourcing_id=oid, version=1, due_date=due_date_for(start=start, today=today)
            )
        )
        result.created += 1
        result.outsourcing_ids.append(oid)
    session.flush()
    return result


def _event(
    session: Session, structure: ManagementStructure, actor: User, action: str, comment: str = ""
) -> None:
    record_event(
        session=session,
        kind=STRUCTURE_OBLIGATION,
        owed=structure,
        actor=actor,
        action=action,
        comment=comment,
    )


def _clean_lines(values: Sequence[str], what: str) -> list[str]:
    lines = [v.strip() for v in values if v.strip()]
    if len(lines) > MAX_ITEMS:
        raise StructureError(_("%(what)sは%(n)d件までです。", what=what, n=MAX_ITEMS))
    for line in lines:
        if len(line) > 200:
            raise StructureError(_("%(what)sは1件200文字以内で入力してください。", what=what))
    return lines


def check_content(content: StructureContent, *, submitting: bool, today: date) -> None:
    """Refuse bad entries always, and incomplete ones when submitting (messages in Japanese)."""
    if len(content.staff) > MAX_STAFF:
        raise StructureError(_("業務従事者は%(n)d行までです。", n=MAX_STAFF))
    for number, member in enumerate(content.staff, start=1):
        if not member.name.strip():
            raise StructureError(
                _("%(n)d行目：業務従事者の氏名（または役割）を入力してください。", n=number)
            )
        if member.count < 1 or member.count > 100000:
            raise StructureError(_("%(n)d行目：人数は1以上の数で入力してください。", n=number))
        for when, label in (
            (member.training_date, _("研修日")),
            (member.pledge_date, _("誓約書の日付")),
        ):
            if when is not None and when > today:
                raise StructureError(
                    _("%(n)d行目：%(what)sに未来の日付は入力できません。", n=number, what=label)
                )
    if not submitting:
        return
    if not content.responsible_name.strip():
        raise StructureError(_("委託先の責任者の氏名を入力してください。"))
    if not content.staff:
        raise StructureError(_("個人情報を取り扱う業務従事者を1行以上入力してください。"))
    for number, member in enumerate(content.staff, start=1):
        if member.training_date is None:
            # 第8条: everyone who handles the information is trained, dispatched workers too.
            raise StructureError(
                _(
                    "%(n)d行目：研修日を入力してください（派遣労働者を含め、"
                    "取り扱う者はすべて研修の対象です）。",
                    n=number,
                )
            )
        if member.pledge_date is None:
            raise StructureError(_("%(n)d行目：誓約書の日付を入力してください。", n=number))
    if not [p for p in content.places if p.strip()]:
        raise StructureError(_("個人情報を取り扱う場所を1件以上入力してください。"))
    if not [s for s in content.systems if s.strip()]:
        raise StructureError(
            _("個人情報を取り扱うシステム（紙のみの場合は「紙媒体のみ」）を入力してください。")
        )


def _write(structure: ManagementStructure, content: StructureContent) -> None:
    structure.responsible_name = content.responsible_name.strip()[:200]
    structure.responsible_title = content.responsible_title.strip()[:200]
    structure.responsible_contact = content.responsible_contact.strip()[:200]
    structure.staff = [
        StaffMember(
            name=m.name.strip()[:200],
            count=m.count,
            training_date=m.training_date,
            pledge_date=m.pledge_date,
            dispatched=m.dispatched,
        ).to_json()
        for m in content.staff
    ]
    structure.places = _clean_lines(content.places, _("取扱場所"))
    structure.systems = _clean_lines(content.systems, _("取扱システム"))
    structure.remarks = content.remarks.strip()[:4000]


def save_structure(
    *,
    session: Session,
    actor: User,
    structure: ManagementStructure,
    outsourcing: Outsourcing,
    content: StructureContent,
    submit: bool,
    today: date,
) -> ManagementStructure:
    """The vendor that holds the outsourcing saves a draft of the version, or submits it."""
    if actor.vendor_id is None or actor.vendor_id != outsourcing.vendor_id:
        raise StructureError(_("管理体制を提出できるのは、その委託を受けている委託先だけです。"))
    REVIEW.check_owed(structure.status, _REFUSALS)
    check_content(content, submitting=submit, today=today)
    _write(structure, content)
    if submit:
        structure.status = REVIEW.submit(structure.status, _REFUSALS)
        sign(structure, actor, "submitted")
    elif structure.status == StructureStatus.DUE:
        structure.status = StructureStatus.DRAFT
    session.add(structure)
    session.flush()
    _event(session, structure, actor, "submitted" if submit else "saved")
    session.flush()
    return structure


def review_structure(
    *,
    session: Session,
    actor: User,
    structure: ManagementStructure,
    outsourcing: Outsourcing,
    accept: bool,
    comment: str,
) -> ManagementStructure:
    """An officer of the owning department confirms a submitted version or returns it; a
    confirmed version replaces (supersedes) the one confirmed before it."""
    if actor.department_id != outsourcing.department_id:
        raise StructureError(_("確認できるのは、委託を所管する課室の職員だけです。"))
    structure.status = REVIEW.review(structure.status, _REFUSALS, accept=accept, comment=comment)
    sign(structure, actor, "reviewed")
    structure.review_comment = comment.strip()
    session.add(structure)
    if accept:
        older = session.exec(
            select(ManagementStructure).where(
                ManagementStructure.outsourcing_id == outsourcing.id,
                ManagementStructure.status == StructureStatus.CONFIRMED,
                ManagementStructure.id != structure.id,
            )
        ).all()
        for previous in older:
            previous.status = StructureStatus.SUPERSEDED
            session.add(previous)
    session.flush()
    _event(session, structure, actor, "confirmed" if accept else "returned", comment.strip())
    session.flush()
    return structure


def start_revision(
    *, session: Session, actor: User, outsourcing: Outsourcing, today: date
) -> ManagementStructure:
    """The vendor's structure changed after confirmation: a new version, a copy of the one
    confirmed, to be edited, submitted and confirmed again (the confirmed one stays in force
    until then)."""
    if actor.vendor_id is None or actor.vendor_id != outsourcing.vendor_id:
        raise StructureError(_("管理体制を変更できるのは、その委託を受けている委託先だけです。"))
    latest = session.exec(
        select(ManagementStructure)
        .where(ManagementStructure.outsourcing_id == outsourcing.id)
        .order_by(ManagementStructure.version.desc())
    ).first()
    if latest is not None and latest.status != StructureStatus.CONFIRMED:
        raise StructureError(
            _(
                "作成中または確認待ちの版（第%(v)d版）があります。その版を編集してください。",
                v=latest.version,
            )
        )
    version = (
        session.exec(
            select(func.max(ManagementStructure.version)).where(
                ManagementStructure.outsourcing_id == outsourcing.id
            )
        ).first()
        or 0
    ) + 1
    revision = ManagementStructure(
        outsourcing_id=outsourcing.id,  # type: ignore[arg-type]
        version=version,
        status=StructureStatus.DRAFT,
        due_date=due_date_for(start=today, today=today),
    )
    if latest is not None:
        for name in ("responsible_name", "responsible_title", "responsible_contact", "remarks"):
            setattr(revision, name, getattr(latest, name))
        revision.staff = list(latest.staff)
        revision.places = list(latest.places)
        revision.systems = list(latest.systems)
    session.add(revision)
    session.flush()
    _event(
        session,
        revision,
        actor,
        "revised",
        _("第%(v)d版を基に作成", v=latest.version) if latest else "",
    )
    session.flush()
    return revision
