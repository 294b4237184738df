"""The outsourcings sheet of the ledger (委託台帳): one row per outsourcing in scope, chains
together; imported, it registers the vendors and the outsourcings of a file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, select

from portal.ledger.sheets import NO, YES, LedgerSheet, file_error
from portal.models import Department, Division, Outsourcing, OutsourcingStatus, User, Vendor
from portal.outsourcings.ledger_columns import (
    EXPORT_HEADERS,
    IMPORT_COLUMNS,
    IMPORT_HEADERS,
    STATUS_LABELS,
    TITLE,
    ImportPlan,
)
from portal.outsourcings.ledger_import import validate_import
from portal.outsourcings.operations import (
    ChainError,
    create_root,
    create_vendor,
    is_violation,
    place_in_chain,
)
from portal.outsourcings.scope import visibility_clause
from portal.timeutil import to_local, utcnow

__all__ = ["EXPORT_HEADERS", "IMPORT_HEADERS", "SHEET", "ImportResult", "ledger_rows"]


@dataclass(frozen=True)
class ImportResult:
    """What an import created."""

    vendors_created: int
    outsourcings_created: int

    def summary(self) -> str:
        """A sentence for the user."""
        return _(
            "取り込みました：委託 %(outsourcings)d件、新しい委託先 %(vendors)d件。",
            outsourcings=self.outsourcings_created,
            vendors=self.vendors_created,
        )

    def audit_detail(self) -> dict[str, Any]:
        """Counts for the access log."""
        return {"outsourcings": self.outsourcings_created, "vendors": self.vendors_created}


def ledger_rows(*, session: Session, user: User) -> list[list[object]]:
    """One row per outsourcing ``user`` may see, chains together, parents before children."""
    rows = session.exec(
        select(Outsourcing, Vendor, Department, Division)
        .join(Vendor, Vendor.id == Outsourcing.vendor_id)
        .join(Department, Department.id == Outsourcing.department_id)
        .join(Division, Division.id == Department.division_id)
        .where(visibility_clause(user))
        .order_by(Outsourcing.path)
    ).all()
    visible = {node.id for node, *_rest in rows}
    decider_ids = {node.decided_by_id for node, *_rest in rows if node.decided_by_id}
    deciders = (
        {u.id: u for u in session.exec(select(User).where(User.id.in_(decider_ids))).all()}
        if decider_ids
        else {}
    )
    table: list[list[object]] = []
    for node, vendor, department, division in rows:
        decider = deciders.get(node.decided_by_id) if node.decided_by_id else None
        decided_at = to_local(node.decided_at)
        table.append(
            [
                node.id,
                node.parent_id if node.parent_id in visible else "",
                node.tier,
                node.task_name,
                division.name,
                department.name,
                vendor.name,
                vendor.corporate_number,
                node.start_date,
                node.end_date,
                STATUS_LABELS.get(node.status, node.status),
                node.pi_categories,
                YES if node.special_care else NO,
                node.persons,
                node.scope_note,
                (decider.name or decider.email) if decider else "",
                decided_at.strftime("%Y-%m-%d %H:%M") if decided_at else "",
                node.decision_comment,
                YES if is_violation(node) else NO,
            ]
        )
    return table


def count_rows(*, session: Session, user: User) -> int:
    """How many rows the export holds for ``user`` (a count, not the rows)."""
    return session.exec(select(func.count(Outsourcing.id)).where(visibility_clause(user))).one()


def apply_import(*, session: Session, actor: User, plan: ImportPlan) -> ImportResult:
    """Write a validated plan: vendors first, then each outsourcing after its parent."""
    vendors: dict[str, Vendor] = {}
    vendors_created = 0
    created: dict[int, Outsourcing] = {}
    now = utcnow()
    for row in plan.rows:
        vendor = (
            vendors.get(row.corporate_number)
            or session.exec(
                select(Vendor).where(Vendor.corporate_number == row.corporate_number)
            ).first()
        )
        if vendor is None:
            vendor = create_vendor(
                session=session, name=row.vendor_name, corporate_number=row.corporate_number
            )
            vendors_created += 1
        vendors[row.corporate_number] = vendor
        if row.vendor_only:
            continue
        parent = row.parent or (created[row.parent_row] if row.parent_row else None)
        if parent is None:
            node = create_root(
                session=session,
                actor=actor,
                task_name=row.task_name,
                department_id=row.department_id,
                vendor_id=vendor.id,
                start_date=row.start_date,
                end_date=row.end_date,
                data=row.data,
                status=OutsourcingStatus(row.status),
            )
        else:
            node = Outsourcing(
                task_name=row.task_name,
                department_id=parent.department_id,
                vendor_id=vendor.id,
                parent_id=parent.id,
                start_date=row.start_date,
                end_date=row.end_date,
                status=row.status,
                pi_categories=row.data.categories,
                special_care=row.data.special_care,
                persons=row.data.persons,
                scope_note=row.data.scope_note,
                requested_by_id=actor.id,
                requested_at=now,
                entered_without_approval=row.without_approval,
            )
            if not row.without_approval:
                # Recorded as approved: the importing officer answers for the approval.
                node.decided_by_id = actor.id
                node.decided_at = now
                node.decision_comment = row.comment or _("台帳の取込みにより承認済みとして登録")
            place_in_chain(session=session, node=node, parent=parent)
        created[row.number] = node
    return ImportResult(vendors_created=vendors_created, outsourcings_created=len(created))


def _apply(session: Session, actor: User, plan: ImportPlan) -> ImportResult:
    try:
        return apply_import(session=session, actor=actor, plan=plan)
    except ChainError as error:  # validation should have caught it
        raise file_error(error.message) from error


SHEET = LedgerSheet(
    name="outsourcings",
    title=TITLE,
    export_headers=EXPORT_HEADERS,
    rows=lambda session, user: ledger_rows(session=session, user=user),
    count=lambda session, user: count_rows(session=session, user=user),
    heading=_l("委託台帳"),
    description=_l(
        "%(regulation)s %(article)s に基づく台帳です。表示できる範囲の委託・再委託を、1件1行で出力します。"  # noqa: E501
    ),
    contents=_l(
        "階層、元の委託、所管課室、委託先と法人番号、期間、状態、委託する個人情報（項目・要配慮個人情報・本人数・範囲）、承認（承認者・日時・コメント）、無承認再委託の有無を含みます。"
    ),
    import_guide=_l(
        "1行が1件の委託です。再委託は「親番号」「親の行番号」「親の委託ID」のどれかで元の委託を指し、どの階層でも取り込めます。元の委託の行は再委託の行より前に置いてください。取り込んだ再委託は承認済みとして記録し、「無承認再委託」が「あり」の行は承認なしの再委託として記録します。出力した台帳もそのまま取り込めます（階層・承認者・承認日時の列は読み飛ばします）。"
    ),
    import_columns=IMPORT_COLUMNS,
    validate=lambda session, actor, headers, rows: validate_import(
        session=session, actor=actor, headers=headers, rows=rows
    ),
    apply=_apply,
)
