"""The chain: vendors, outsourcings at every tier, re-subcontracting requests and decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session, select

from portal.corporate_number import is_valid_corporate_number, normalize_corporate_number
from portal.models import Department, Outsourcing, OutsourcingStatus, User, Vendor
from portal.timeutil import utcnow

S = OutsourcingStatus


class ChainError(ValueError):
    """A change the rules of the chain refuse; ``message`` is Japanese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class EntrustedData:
    """The personal information entrusted to a node (第2項: the minimum the task needs)."""

    categories: str = ""
    special_care: bool = False
    persons: int = 0
    scope_note: str = ""


# --- vendors ---------------------------------------------------------------------------


def validate_corporate_number(value: str) -> str:
    """The normalised 法人番号, or ChainError with a Japanese message."""
    number = normalize_corporate_number(value)
    if not (len(number) == 13 and number.isdigit()):
        raise ChainError(_("法人番号は13桁の数字で入力してください。"))
    if not is_valid_corporate_number(number):
        raise ChainError(
            _("法人番号のチェックデジット（先頭の1桁）が正しくありません。番号を確認してください。")
        )
    return number


def create_vendor(
    *,
    session: Session,
    name: str,
    corporate_number: str,
    address: str = "",
    contact: str = "",
    parent_vendor_id: int | None = None,
) -> Vendor:
    """Register a vendor; the 法人番号 must be valid and unique."""
    number = validate_corporate_number(corporate_number)
    if not name.strip():
        raise ChainError(_("委託先の名称を入力してください。"))
    existing = session.exec(select(Vendor).where(Vendor.corporate_number == number)).first()
    if existing is not None:
        raise ChainError(
            _(
                "法人番号 %(number)s は既に「%(name)s」として登録されています。",
                number=number,
                name=existing.name,
            )
        )
    if parent_vendor_id is not None and session.get(Vendor, parent_vendor_id) is None:
        raise ChainError(_("指定された親会社がありません。"))
    vendor = Vendor(
        name=name.strip(),
        corporate_number=number,
        address=address.strip(),
        contact=contact.strip(),
        parent_vendor_id=parent_vendor_id,
    )
    session.add(vendor)
    session.flush()
    return vendor


def find_or_create_vendor(
    *, session: Session, name: str, corporate_number: str, **fields: object
) -> Vendor:
    """The vendor with this 法人番号, registering it first if it is new."""
    number = validate_corporate_number(corporate_number)
    vendor = session.exec(select(Vendor).where(Vendor.corporate_number == number)).first()
    return vendor or create_vendor(session=session, name=name, corporate_number=number, **fields)  # type: ignore[arg-type]


def is_subsidiary(*, session: Session, child_vendor_id: int, parent_vendor_id: int) -> bool:
    """Whether the child vendor is a subsidiary (子会社) of the parent vendor, at any depth."""
    seen: set[int] = set()
    vendor = session.get(Vendor, child_vendor_id)
    while vendor is not None and vendor.parent_vendor_id and vendor.id not in seen:
        if vendor.parent_vendor_id == parent_vendor_id:
            return True
        seen.add(vendor.id)
        vendor = session.get(Vendor, vendor.parent_vendor_id)
    return False


# --- outsourcings ----------------------------------------------------------------------


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ChainError(_("終了日は開始日より後の日付にしてください。"))
    if not (date(2000, 1, 1) <= start <= date(2100, 12, 31)) or end > date(2100, 12, 31):
        raise ChainError(_("日付が範囲外です（2000年から2100年まで）。"))


def place_in_chain(*, session: Session, node: Outsourcing, parent: Outsourcing | None) -> None:
    """Give a newly added node its id, root and materialised path (under ``parent``)."""
    if node.id is None:
        session.add(node)
        session.flush()
    if parent is None:
        node.root_id = node.id
        node.path = f"/{node.id}/"
    else:
        node.root_id = parent.root_id
        node.path = f"{parent.path}{node.id}/"
    session.add(node)
    session.flush()


def create_root(
    *,
    session: Session,
    actor: User,
    task_name: str,
    department_id: int,
    vendor_id: int,
    start_date: date,
    end_date: date,
    data: EntrustedData,
    status: OutsourcingStatus = S.ACTIVE,
) -> Outsourcing:
    """Register an outsourcing contracted by the municipality itself (tier 1)."""
    _check_period(start_date, end_date)
    if session.get(Department, department_id) is None:
        raise ChainError(_("指定された課室がありません。"))
    if session.get(Vendor, vendor_id) is None:
        raise ChainError(_("指定された委託先がありません。"))
    node = Outsourcing(
        task_name=task_name.strip(),
        department_id=department_id,
        vendor_id=vendor_id,
        start_date=start_date,
        end_date=end_date,
        status=status,
        pi_categories=data.categories,
        special_care=data.special_care,
        persons=data.persons,
        scope_note=data.scope_note,
        requested_by_id=actor.id,
        requested_at=utcnow(),
    )
    session.add(node)
    session.flush()
    place_in_chain(session=session, node=node, parent=None)
    return node


@dataclass(frozen=True)
class SubcontractRequest:
    """What a vendor states when asking to subcontract part of an outsourcing it holds."""

    task_name: str
    vendor_id: int
    start_date: date
    end_date: date
    data: EntrustedData
    reason: str
    responsible_persons: str
    protection_measures: str
    oversight_method: str
    declared_subsidiary: bool = False


def _new_child(
    session: Session, parent: Outsourcing, request: SubcontractRequest, actor: User
) -> Outsourcing:
    if parent.status != S.ACTIVE:
        raise ChainError(_("再委託を申請できるのは、実施中の委託の下だけです。"))
    _check_period(request.start_date, request.end_date)
    if request.start_date < parent.start_date or request.end_date > parent.end_date:
        raise ChainError(
            _(
                "再委託の期間は、元の委託の期間（%(start)s〜%(end)s）の内側にしてください。",
                start=parent.start_date.isoformat(),
                end=parent.end_date.isoformat(),
            )
        )
    if session.get(Vendor, request.vendor_id) is None:
        raise ChainError(_("指定された再委託先がありません。"))
    if request.vendor_id == parent.vendor_id:
        raise ChainError(_("自社への再委託は申請できません。"))
    node = Outsourcing(
        task_name=request.task_name.strip(),
        department_id=parent.department_id,
        vendor_id=request.vendor_id,
        parent_id=parent.id,
        start_date=request.start_date,
        end_date=request.end_date,
        status=S.REQUESTED,
        pi_categories=request.data.categories,
        special_care=request.data.special_care,
        persons=request.data.persons,
        scope_note=request.data.scope_note,
        reason=request.reason.strip(),
        responsible_persons=request.responsible_persons.strip(),
        protection_measures=request.protection_measures.strip(),
        oversight_method=request.oversight_method.strip(),
        # Declared by the vendor, or known from the registered parent company.
        declared_subsidiary=request.declared_subsidiary
        or is_subsidiary(
            session=session, child_vendor_id=request.vendor_id, parent_vendor_id=parent.vendor_id
        ),
        requested_by_id=actor.id,
        requested_at=utcnow(),
    )
    session.add(node)
    session.flush()
    place_in_chain(session=session, node=node, parent=parent)
    return node


def request_subcontract(
    *, session: Session, actor: User, parent: Outsourcing, request: SubcontractRequest
) -> Outsourcing:
    """A vendor user asks to subcontract part of an outsourcing its vendor holds."""
    if actor.vendor_id != parent.vendor_id:
        raise ChainError(_("再委託を申請できるのは、その委託を受けている委託先だけです。"))
    return _new_child(session, parent, request, actor)


def record_subcontract_without_approval(
    *, session: Session, actor: User, parent: Outsourcing, request: SubcontractRequest
) -> Outsourcing:
    """An officer records a subcontract found in use without prior approval (a violation)."""
    node = _new_child(session, parent, request, actor)
    node.status = S.ACTIVE
    node.entered_without_approval = True
    session.add(node)
    session.flush()
    return node


def decide_request(
    *, session: Session, actor: User, node: Outsourcing, approve: bool, comment: str
) -> Outsourcing:
    """An officer of the owning department approves or rejects a subcontracting request."""
    if node.status != S.REQUESTED:
        raise ChainError(_("この申請は既に処理されています。"))
    if actor.department_id != node.department_id:
        raise ChainError(_("承認・却下できるのは、委託を所管する課室の職員だけです。"))
    if not approve and not comment.strip():
        raise ChainError(_("却下する場合は理由を入力してください。"))
    node.status = S.APPROVED if approve else S.REJECTED
    node.decided_by_id = actor.id
    node.decided_at = utcnow()
    node.decision_comment = comment.strip()
    session.add(node)
    session.flush()
    return node


def activate(*, session: Session, node: Outsourcing) -> Outsourcing:
    """The contract is concluded: an approved node becomes active."""
    if node.status != S.APPROVED:
        raise ChainError(_("開始できるのは承認済みの委託だけです。"))
    if node.parent_id is not None:
        parent = session.get(Outsourcing, node.parent_id)
        if parent is None or parent.status != S.ACTIVE:
            raise ChainError(_("元の委託が実施中でないため開始できません。"))
    node.status = S.ACTIVE
    session.add(node)
    session.flush()
    return node


def active_descendants(*, session: Session, node: Outsourcing) -> list[Outsourcing]:
    """Nodes below ``node`` that are still requested, approved or active."""
    return list(
        session.exec(
            select(Outsourcing).where(
                Outsourcing.path.startswith(node.path, autoescape=False),
                Outsourcing.id != node.id,
                Outsourcing.status.in_([S.REQUESTED, S.APPROVED, S.ACTIVE]),
            )
        ).all()
    )


def end_outsourcing(
    *, session: Session, node: Outsourcing, cascade: bool = False
) -> list[Outsourcing]:
    """End a node. With open nodes below it, refuse unless ``cascade`` ends them too."""
    if node.status == S.ENDED:
        raise ChainError(_("この委託は既に終了しています。"))
    below = active_descendants(session=session, node=node)
    if below and not cascade:
        raise ChainError(
            _(
                "この委託の下に、実施中または申請中の再委託が%(n)d件あります。あわせて終了するか、先に処理してください。",
                n=len(below),
            )
        )
    ended = [node, *below]
    for item in ended:
        item.status = S.ENDED if item.status != S.REQUESTED else S.REJECTED
        if item.status == S.REJECTED and not item.decision_comment:
            item.decision_comment = _("元の委託の終了に伴い取り下げ")
        session.add(item)
    session.flush()
    return ended


def move_outsourcing(
    *, session: Session, node: Outsourcing, new_parent: Outsourcing
) -> Outsourcing:
    """Re-attach a node (and its subtree) under another node of the same chain."""
    if new_parent.path.startswith(node.path):
        raise ChainError(_("委託を自分自身やその下位の委託の下に移すことはできません。"))
    if new_parent.root_id != node.root_id:
        raise ChainError(_("別の委託系列の下には移せません。"))
    old_prefix = node.path
    new_prefix = f"{new_parent.path}{node.id}/"
    subtree = session.exec(
        select(Outsourcing).where(Outsourcing.path.startswith(old_prefix, autoescape=False))
    ).all()
    for item in subtree:
        item.path = new_prefix + item.path[len(old_prefix) :]
        session.add(item)
    node.parent_id = new_parent.id
    session.add(node)
    session.flush()
    return node


def is_violation(node: Outsourcing) -> bool:
    """A subcontract in use without prior approval."""
    return node.parent_id is not None and node.entered_without_approval


def update_vendor(
    *,
    session: Session,
    vendor: Vendor,
    name: str,
    address: str,
    contact: str,
    parent_vendor_id: int | None,
) -> Vendor:
    """Change a vendor's details or parent company (never itself or one of its subsidiaries)."""
    if not name.strip():
        raise ChainError(_("委託先の名称を入力してください。"))
    if parent_vendor_id is not None:
        if parent_vendor_id == vendor.id or is_subsidiary(
            session=session, child_vendor_id=parent_vendor_id, parent_vendor_id=vendor.id
        ):
            raise ChainError(_("自社や自社の子会社を親会社にすることはできません。"))
        if session.get(Vendor, parent_vendor_id) is None:
            raise ChainError(_("指定された親会社がありません。"))
    vendor.name, vendor.address, vendor.contact = name.strip(), address.strip(), contact.strip()
    vendor.parent_vendor_id = parent_vendor_id
    session.add(vendor)
    session.flush()
    return vendor
