"""Dispatch contracts: who sees and changes them, registering and updating one, and storing
its contract PDF for the clause check against the ``dispatch`` catalog."""

from __future__ import annotations

from typing import Any, BinaryIO

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, false, func, true
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal.dispatch.models import DispatchContract
from portal.dispatch.rules import DispatchFacts, normalise_number, problems
from portal.models import Department, User, Vendor
from portal.permissions import Permission, Role
from portal.reviews.shared import (
    ContractDocument,
    DocumentOwner,
    DocumentStatus,
    record_documents,
    store_document,
)
from portal.storage import Storage
from portal.timeutil import utcnow

OWNER_KIND = "dispatch"
CATALOG = "dispatch"


class DispatchError(ValueError):
    """Input that cannot be accepted: ``errors`` maps a field to its Japanese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def problem_message(code: str) -> str:
    """The user's message for a problem code of ``rules.problems``."""
    return {
        "number_missing": _("契約番号を入力してください。"),
        "work_missing": _("派遣業務の内容を入力してください。"),
        "start_missing": _("派遣期間の開始日を入力してください。"),
        "end_missing": _("派遣期間の終了日を入力してください。"),
        "end_before_start": _("派遣期間の終了日が開始日より前になっています。"),
        "workers_missing": _("派遣労働者数を入力してください。"),
        "workers_range": _("派遣労働者数は1以上の整数で入力してください。"),
    }[code]


def duplicate_message(number: str) -> str:
    """The message for a contract number that is already registered."""
    return _("契約番号「%(number)s」の労働者派遣契約は既に登録されています。", number=number)


# --- scope -------------------------------------------------------------------------------


def visibility_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause on DispatchContract keeping what ``user`` may see: everything for the
    chief and the auditor, the department's for its officers, a 派遣元's own for its users."""
    if not user.active or not user.can(Permission.VIEW_DISPATCH):
        return false()
    role = Role(user.role)
    if role in {Role.CHIEF, Role.AUDITOR}:
        return true()
    if role in {Role.MANAGER, Role.STAFF} and user.department_id is not None:
        return DispatchContract.department_id == user.department_id
    if role == Role.VENDOR and user.vendor_id is not None:
        return DispatchContract.vendor_id == user.vendor_id
    return false()


def visible_contracts(user: User) -> Any:
    """``select(DispatchContract)`` limited to what ``user`` may see."""
    return select(DispatchContract).where(visibility_clause(user))


def get_visible(*, session: Session, user: User, contract_id: int) -> DispatchContract | None:
    """The contract if ``user`` may see it, else None (callers answer 404); an attempt on
    one outside the scope is recorded in the access log as ``scope.denied``."""
    found = session.exec(visible_contracts(user).where(DispatchContract.id == contract_id)).first()
    if found is None and session.get(DispatchContract, contract_id) is not None:
        from portal.audit import record

        record(
            "scope.denied",
            object_type="dispatch_contract",
            object_id=contract_id,
            outcome="denied",
            actor=user,
            session=session,
        )
    return found


def can_manage(user: User, contract: DispatchContract | None = None) -> bool:
    """Officers register contracts; only those of the owning department change one."""
    if not user.can(Permission.MANAGE_DISPATCH) or user.department_id is None:
        return False
    return contract is None or contract.department_id == user.department_id


def can_upload(user: User, contract: DispatchContract) -> bool:
    """An officer of the owning department, or a user of the 派遣元 (its own contracts only),
    stores the signed contract; either way the engine checks it against the dispatch catalog."""
    if not user.can(Permission.UPLOAD_CONTRACTS):
        return False
    if user.role == Role.VENDOR:
        return user.vendor_id is not None and user.vendor_id == contract.vendor_id
    return can_manage(user, contract)


def can_review(user: User, contract: DispatchContract) -> bool:
    """An officer of the owning department confirms or overrides a matter's status."""
    return user.can(Permission.REVIEW_CONTRACTS) and can_manage(user, contract)


# --- changes -----------------------------------------------------------------------------


def _check(
    session: Session,
    facts: DispatchFacts,
    department_id: int | None,
    vendor_id: int | None,
    own_id: int | None = None,
) -> str:
    """The normalised contract number, or DispatchError with every problem found."""
    errors: dict[str, str] = {}
    for field, code in problems(facts):
        errors.setdefault(field, problem_message(code))
    if department_id is None or session.get(Department, department_id) is None:
        errors["department_id"] = _("所管課室を選んでください。")
    if vendor_id is None or session.get(Vendor, vendor_id) is None:
        errors["vendor_id"] = _("派遣元を選んでください。")
    number = normalise_number(facts.contract_number)
    if number and "contract_number" not in errors:
        other = session.exec(
            select(DispatchContract.id).where(DispatchContract.contract_number == number)
        ).first()
        if other is not None and other != own_id:
            errors["contract_number"] = duplicate_message(number)
    if errors:
        raise DispatchError(errors)
    return number


def create_dispatch_contract(
    *,
    session: Session,
    actor: User | None,
    facts: DispatchFacts,
    department_id: int | None,
    vendor_id: int | None,
    personal_information: str = "",
) -> DispatchContract:
    """Register a dispatch contract; DispatchError lists every problem (nothing is written)."""
    number = _check(session, facts, department_id, vendor_id)
    contract = DispatchContract(
        contract_number=number,
        department_id=department_id,
        vendor_id=vendor_id,
        work=facts.work.strip(),
        personal_information=personal_information.strip(),
        period_start=facts.period_start,
        period_end=facts.period_end,
        workers=facts.workers,
        trained_on=facts.trained_on,
        created_by_id=actor.id if actor else None,
    )
    try:
        with session.begin_nested():
            session.add(contract)
    except IntegrityError:
        # Registered by a concurrent request between the check and the insert.
        raise DispatchError({"contract_number": duplicate_message(number)}) from None
    return contract


def update_dispatch_contract(
    *,
    session: Session,
    contract: DispatchContract,
    facts: DispatchFacts,
    vendor_id: int | None,
    personal_information: str = "",
) -> list[str]:
    """Change a dispatch contract; returns the names of the fields that changed."""
    number = _check(session, facts, contract.department_id, vendor_id, own_id=contract.id)
    new = {
        "contract_number": number,
        "vendor_id": vendor_id,
        "work": facts.work.strip(),
        "personal_information": personal_information.strip(),
        "period_start": facts.period_start,
        "period_end": facts.period_end,
        "workers": facts.workers,
        "trained_on": facts.trained_on,
    }
    changed = [k for k, v in new.items() if getattr(contract, k) != v]
    for key in changed:
        setattr(contract, key, new[key])
    if changed:
        contract.updated_at = utcnow()
        try:
            with session.begin_nested():
                session.add(contract)
        except IntegrityError:
            raise DispatchError({"contract_number": duplicate_message(number)}) from None
    return changed


def store_contract_pdf(
    *,
    session: Session,
    storage: Storage,
    actor: User,
    contract: DispatchContract,
    stream: BinaryIO,
    filename: str,
) -> ContractDocument:
    """Store the contract PDF as the next version and queue its check against the dispatch
    catalog (ReviewError when the file is refused)."""
    return store_document(
        session=session,
        storage=storage,
        actor=actor,
        owner=OWNER,
        record_id=contract.id,
        stream=stream,
        filename=filename,
    )


def contract_documents(*, session: Session, contract: DispatchContract) -> list[ContractDocument]:
    """The stored versions of ``contract``'s PDF, newest first."""
    return record_documents(session=session, owner=OWNER, record_id=contract.id)  # type: ignore[arg-type]


def contracts_with_check(user: User) -> Any:
    """``select(DispatchContract, statuses)``: the visible contracts, each with the reviewed
    statuses of its newest analysed PDF (None when none is analysed), in one query."""
    newest = (
        select(ContractDocument.owner_id, func.max(ContractDocument.version).label("version"))
        .where(
            ContractDocument.owner_kind == OWNER_KIND,
            ContractDocument.status == DocumentStatus.DONE,
        )
        .group_by(ContractDocument.owner_id)
        .subquery()
    )
    return (
        select(DispatchContract, ContractDocument.statuses)
        .where(visibility_clause(user))
        .outerjoin(newest, newest.c.owner_id == DispatchContract.id)
        .outerjoin(
            ContractDocument,
            and_(
                ContractDocument.owner_kind == OWNER_KIND,
                ContractDocument.owner_id == DispatchContract.id,
                ContractDocument.version == newest.c.version,
            ),
        )
    )


#: How the contract review reaches dispatch contracts (registered by ``register``).
OWNER = DocumentOwner(
    kind=OWNER_KIND,
    catalog=CATALOG,
    load=lambda session, user, record_id: get_visible(
        session=session, user=user, contract_id=record_id
    ),
    can_upload=can_upload,
    can_review=can_review,
    label=lambda contract: _("労働者派遣契約 %(number)s", number=contract.contract_number),
    url=lambda contract: url_for("dispatch.detail", contract_id=contract.id),
)


def catalog_titles() -> list[tuple[str, str]]:
    """(matter id, title) of the dispatch catalog, in catalog order (no GiNZA involved)."""
    from clauses.catalog import load_named_catalog

    return [(c.id, c.title) for c in load_named_catalog(CATALOG).clauses]
