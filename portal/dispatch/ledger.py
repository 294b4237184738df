"""The dispatch contracts sheet of the ledger (労働者派遣契約台帳): one row per contract in
scope with the latest check of its PDF; imported, it registers the contracts of a file for
the importing officer's department."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, select

from portal.dispatch import operations as ops
from portal.dispatch.models import DispatchContract
from portal.dispatch.rules import DispatchFacts, normalise_number, problems
from portal.ledger.sheets import (
    ImportColumn,
    ImportIssue,
    ImportRejected,
    LedgerSheet,
    Rows,
    check_headers,
    file_error,
    parse_date,
    parse_int,
)
from portal.models import Department, User, Vendor

TITLE = "労働者派遣契約台帳"
STATUS_WORDS = {"satisfied": "充足", "weak": "不十分", "missing": "記載なし"}
IMPORT_COLUMNS = (
    ImportColumn(
        "契約番号", True, _l("市の契約番号。登録済みの番号は取り込めません。"), "派-2026-001"
    ),
    ImportColumn(
        "派遣元法人番号", True, _l("登録済みの派遣元（委託先）の法人番号13桁"), "1234567890123"
    ),
    ImportColumn("派遣業務の内容", True, _l("派遣労働者が行う業務"), "窓口受付業務"),
    ImportColumn(
        "取り扱う保有個人情報",
        False,
        _l("派遣労働者が取り扱う個人情報の種類"),
        "住民票の氏名・住所",
    ),
    ImportColumn("派遣期間開始日", True, _l("2026-04-01 の形式"), "2026-04-01"),
    ImportColumn("派遣期間終了日", True, _l("開始日以降の日付"), "2027-03-31"),
    ImportColumn("派遣労働者数", True, _l("1以上の整数"), "3"),
    ImportColumn("教育研修実施日", False, _l("派遣労働者への教育研修の実施日"), "2026-04-01"),
)
EXPORT_ONLY = ("ID", "所管課室", "派遣元", "契約書の確認")
EXPORT_HEADERS = (
    "ID",
    "契約番号",
    "所管課室",
    "派遣元",
    "派遣元法人番号",
    "派遣業務の内容",
    "取り扱う保有個人情報",
    "派遣期間開始日",
    "派遣期間終了日",
    "派遣労働者数",
    "教育研修実施日",
    "契約書の確認",
)


def check_summary(statuses: dict[str, str] | None) -> str:
    """The latest check in words for the ledger (fixed Japanese, like every ledger cell)."""
    if statuses is None:
        return "未確認"
    titles = dict(ops.catalog_titles())
    gaps = [
        f"{titles.get(cid, cid)}（{STATUS_WORDS.get(st, st)}）"
        for cid, st in statuses.items()
        if st != "satisfied"
    ]
    return "全項目充足" if not gaps else "、".join(gaps)


def ledger_rows(*, session: Session, user: User) -> list[list[object]]:
    """One row per dispatch contract ``user`` may see, by contract number."""
    rows = session.exec(
        ops.contracts_with_check(user).order_by(DispatchContract.contract_number)
    ).all()
    vendors = {v.id: v for v in session.exec(select(Vendor)).all()}
    departments = {d.id: d for d in session.exec(select(Department)).all()}
    return [
        [
            c.id,
            c.contract_number,
            departments[c.department_id].name,
            vendors[c.vendor_id].name,
            vendors[c.vendor_id].corporate_number,
            c.work,
            c.personal_information,
            c.period_start,
            c.period_end,
            c.workers,
            c.trained_on or "",
            check_summary(statuses),
        ]
        for c, statuses in rows
    ]


def count_rows(*, session: Session, user: User) -> int:
    """How many rows the export holds for ``user``."""
    return session.exec(
        select(func.count(DispatchContract.id)).where(ops.visibility_clause(user))
    ).one()


@dataclass(frozen=True)
class ImportPlan:
    """Validated rows: (facts, vendor id, personal information)."""

    rows: list[tuple[DispatchFacts, int, str]]


@dataclass(frozen=True)
class ImportResult:
    """What an import created."""

    created: int

    def summary(self) -> str:
        """A sentence for the user."""
        return _("取り込みました：労働者派遣契約 %(n)d件。", n=self.created)

    def audit_detail(self) -> dict[str, Any]:
        """Counts for the access log."""
        return {"dispatch_contracts": self.created}


def validate_import(*, session: Session, actor: User, headers: list[str], rows: Rows) -> ImportPlan:
    """Check every row; ImportRejected lists every issue (nothing is written)."""
    if not ops.can_manage(actor):
        raise file_error(_("労働者派遣契約を取り込めるのは課室の職員です。"))
    issues = check_headers(headers, IMPORT_COLUMNS, also_known=frozenset(EXPORT_ONLY))
    if issues:
        raise ImportRejected(issues)
    vendors = {v.corporate_number: v for v in session.exec(select(Vendor)).all()}
    taken = set(session.exec(select(DispatchContract.contract_number)).all())
    seen: dict[str, int] = {}
    columns = {
        "contract_number": "契約番号",
        "work": "派遣業務の内容",
        "period_start": "派遣期間開始日",
        "period_end": "派遣期間終了日",
        "workers": "派遣労働者数",
    }
    plan: list[tuple[DispatchFacts, int, str]] = []
    for number, row in rows:
        row_issues: list[ImportIssue] = []
        facts = DispatchFacts(
            contract_number=row.get("契約番号", ""),
            work=row.get("派遣業務の内容", ""),
            period_start=parse_date(row.get("派遣期間開始日", "")),
            period_end=parse_date(row.get("派遣期間終了日", "")),
            workers=parse_int(row.get("派遣労働者数", "")),
            trained_on=parse_date(row.get("教育研修実施日", "")),
        )
        for field, code in problems(facts):
            row_issues.append(ImportIssue(number, columns[field], ops.problem_message(code)))
        if row.get("教育研修実施日", "").strip() and facts.trained_on is None:
            row_issues.append(
                ImportIssue(
                    number, "教育研修実施日", _("日付は 2026-04-01 の形式で入力してください。")
                )
            )
        key = normalise_number(facts.contract_number)
        if key and (key in taken or key in seen):
            row_issues.append(ImportIssue(number, "契約番号", ops.duplicate_message(key)))
        seen.setdefault(key, number)
        corporate = normalise_number(row.get("派遣元法人番号", ""))
        vendor = vendors.get(corporate)
        if vendor is None:
            row_issues.append(
                ImportIssue(
                    number,
                    "派遣元法人番号",
                    _("法人番号「%(number)s」の派遣元が登録されていません。", number=corporate),
                )
            )
        issues.extend(row_issues)
        if not row_issues and vendor is not None:
            plan.append((facts, vendor.id, row.get("取り扱う保有個人情報", "")))
    if issues:
        raise ImportRejected(issues)
    return ImportPlan(plan)


def apply_import(*, session: Session, actor: User, plan: ImportPlan) -> ImportResult:
    """Register every planned contract for the importing officer's department."""
    for facts, vendor_id, personal in plan.rows:
        ops.create_dispatch_contract(
            session=session,
            actor=actor,
            facts=facts,
            department_id=actor.department_id,
            vendor_id=vendor_id,
            personal_information=personal,
        )
    return ImportResult(len(plan.rows))


SHEET = LedgerSheet(
    name="dispatch_contracts",
    title=TITLE,
    export_headers=EXPORT_HEADERS,
    rows=lambda session, user: ledger_rows(session=session, user=user),
    count=lambda session, user: count_rows(session=session, user=user),
    heading=_l("労働者派遣契約台帳"),
    description=_l(
        "派遣労働者に保有個人情報を取り扱わせる労働者派遣契約の一覧です。表示できる範囲の契約を1件1行で出力します。"
    ),
    contents=_l(
        "契約番号、所管課室、派遣元と法人番号、派遣業務、取り扱う個人情報、派遣期間、派遣労働者数、教育研修の実施日、契約書の確認結果（不足する事項）を含みます。"
    ),
    import_guide=_l(
        "取り込んだ契約は、取り込んだ職員の課室の契約として登録されます。派遣元は先に委託先として登録してください。"
    ),
    import_columns=IMPORT_COLUMNS,
    validate=lambda session, user, headers, rows: validate_import(
        session=session, actor=user, headers=headers, rows=rows
    ),
    apply=lambda session, user, plan: apply_import(session=session, actor=user, plan=plan),
)
