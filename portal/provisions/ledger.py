"""The provision sheets of the ledger: the register of provisions (提供台帳), and the
pseudonymisation decision of each outsourcing (仮名化等の検討). Both export and import:
a provision row with its 提供ID amends that provision, one without it registers a new one."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, select

from portal.ledger.sheets import (
    ImportColumn,
    ImportIssue,
    ImportRejected,
    LedgerSheet,
    Rows,
    check_headers,
    parse_date,
    parse_int,
)
from portal.models import Department, Outsourcing, User, Vendor
from portal.outsourcings.scope import visibility_clause
from portal.provisions import operations as ops
from portal.provisions.models import OutsourcingPseudonymisation, Provision, RecipientKind
from portal.provisions.queries import provision_scope
from portal.provisions.rules import ProvisionError, check_measures, check_period
from portal.provisions.rules import check_pseudonymisation as check_decision

#: The file's fixed words (a municipal document: not translated).
PSEUDONYMISATION_LABELS = {"removed": "削除", "replaced": "置換", "not_applied": "行わない"}
RECIPIENT_LABELS = {"other": "市の機関等以外の者", "administrative": "他の行政機関等"}
STATUS_LABELS = {"active": "提供中", "ended": "終了"}
MEASURE_SEPARATORS = ("\n", "；", ";")

PROVISION_COLUMNS = (
    ImportColumn(
        "提供ID",
        False,
        _l("出力した台帳の提供ID。あればその提供を更新し、空欄なら新しく登録します。"),
        "12",
    ),
    ImportColumn("提供先", True, _l("提供先の名称"), "○○県△△事務所"),
    ImportColumn(
        "提供先の区分", True, _l("市の機関等以外の者／他の行政機関等"), "市の機関等以外の者"
    ),
    ImportColumn("提供する保有個人情報", True, _l("個人情報ファイル等の名称"), "住民基本台帳"),
    ImportColumn("利用目的", True, _l("提供先における利用目的"), "統計調査の名簿作成"),
    ImportColumn("根拠法令", True, _l("利用する業務の根拠法令"), "統計法第○条"),
    ImportColumn("記録範囲及び記録項目", True, _l("利用する記録範囲及び記録項目"), "氏名、住所"),
    ImportColumn("利用形態", True, _l("利用形態"), "電子媒体による一括提供"),
    ImportColumn("書面取交し日", False, _l("書面を取り交わした日"), "2026-04-01"),
    ImportColumn("提供開始日", True, _l("提供を始めた日"), "2026-04-01"),
    ImportColumn("提供終了日", False, _l("提供を終えた日（継続中は空欄）"), ""),
    ImportColumn("本人の数", False, _l("本人の数（概数）"), "1200"),
    ImportColumn(
        "安全確保の措置",
        True,
        _l("求めた措置。規程の一覧の文言を改行か「；」で区切ります。"),
        "秘密保持；第三者への提供の禁止",
    ),
    ImportColumn("措置の補足", False, _l("措置についての補足"), ""),
    ImportColumn(
        "削除・置換", True, _l("識別できる記載の削除・置換：削除／置換／行わない"), "置換"
    ),
    ImportColumn("行わない理由", False, _l("「行わない」のときは必須"), ""),
)
PROVISION_EXPORT = ("提供ID", "所管課室", "状態", *(c.header for c in PROVISION_COLUMNS[1:]))


def _label_of(value: str, labels: dict[str, str]) -> str:
    return labels.get(value, value)


def _code_of(text: str, labels: dict[str, str]) -> str | None:
    value = unicodedata.normalize("NFKC", text).strip()
    for code, label in labels.items():
        if value in {code, unicodedata.normalize("NFKC", label)}:
            return code
    return None


def _measures() -> dict[str, str]:
    return current_app.extensions["portal.profile"].safety_measures()


def provision_rows(*, session: Session, user: User) -> list[list[object]]:
    """One row per provision ``user`` may see."""
    measures = _measures()
    rows = session.exec(
        select(Provision, Department)
        .join(Department, Department.id == Provision.department_id)
        .where(provision_scope(user))
        .order_by(Provision.id)
    ).all()
    return [
        [
            p.id,
            department.name,
            _label_of(p.status, STATUS_LABELS),
            p.recipient_name,
            _label_of(p.recipient_kind, RECIPIENT_LABELS),
            p.information_name,
            p.purpose,
            p.legal_basis,
            p.record_scope,
            p.usage_form,
            p.agreement_date or "",
            p.start_date,
            p.end_date or "",
            p.persons,
            "\n".join(measures.get(code, code) for code in p.safety_measures),
            p.safety_measures_note,
            _label_of(p.pseudonymisation, PSEUDONYMISATION_LABELS),
            p.pseudonymisation_reason,
        ]
        for p, department in rows
    ]


@dataclass(frozen=True)
class ProvisionPlan:
    """Validated rows: (provision to amend or None, data)."""

    rows: list[tuple[Provision | None, ops.ProvisionData]]


@dataclass(frozen=True)
class ProvisionImport:
    """What a provision import wrote."""

    created: int
    updated: int

    def summary(self) -> str:
        """A sentence for the user."""
        return _("取り込みました：提供 新規%(c)d件、更新%(u)d件。", c=self.created, u=self.updated)

    def audit_detail(self) -> dict[str, Any]:
        """Counts for the access log."""
        return {"provisions_created": self.created, "provisions_updated": self.updated}


def _validate_provisions(session: Session, actor: User, headers: list[str], rows: Rows) -> Any:
    issues = check_headers(headers, PROVISION_COLUMNS, also_known=frozenset({"所管課室", "状態"}))
    if actor.department_id is None:
        issues.append(ImportIssue(0, "", _("提供を取り込めるのは課室に所属する職員だけです。")))
    if issues:
        raise ImportRejected(issues)
    measures = _measures()
    by_label = {unicodedata.normalize("NFKC", label): code for code, label in measures.items()}
    planned: list[tuple[Provision | None, ops.ProvisionData]] = []
    for number, row in rows:

        def issue(column: str, message: str, number: int = number) -> None:
            issues.append(ImportIssue(number, column, message))

        def cell(header: str, row: dict[str, str] = row) -> str:
            return (row.get(header) or "").strip()

        target = None
        if cell("提供ID"):
            found = parse_int(cell("提供ID"))
            target = session.get(Provision, found) if found else None
            if target is None or target.department_id != actor.department_id:
                issue(
                    "提供ID", _("提供ID %(id)s は所属課室の提供にありません。", id=cell("提供ID"))
                )
                continue
        for column in PROVISION_COLUMNS:
            if column.required and not cell(column.header):
                issue(column.header, _("「%(header)s」を入力してください。", header=column.header))
        kind = _code_of(cell("提供先の区分"), RECIPIENT_LABELS)
        if cell("提供先の区分") and kind is None:
            issue(
                "提供先の区分", _("提供先の区分は「市の機関等以外の者」か「他の行政機関等」です。")
            )
        decision = _code_of(cell("削除・置換"), PSEUDONYMISATION_LABELS)
        if cell("削除・置換") and decision is None:
            issue("削除・置換", _("「削除・置換」は「削除」「置換」「行わない」のいずれかです。"))
        dates = {}
        for header in ("書面取交し日", "提供開始日", "提供終了日"):
            dates[header] = parse_date(cell(header)) if cell(header) else None
            if cell(header) and dates[header] is None:
                issue(
                    header,
                    _(
                        "%(header)s の日付が読めません：%(value)s",
                        header=header,
                        value=cell(header),
                    ),
                )
        persons = parse_int(cell("本人の数")) if cell("本人の数") else 0
        if persons is None:
            issue("本人の数", _("本人の数は0以上の整数で入力してください。"))
        texts = [cell("安全確保の措置")]
        for separator in MEASURE_SEPARATORS:
            texts = [part for text in texts for part in text.split(separator)]
        codes = []
        for part in (unicodedata.normalize("NFKC", t).strip() for t in texts):
            if part:
                codes.append(by_label.get(part, part))
        try:
            if dates["提供開始日"]:
                check_period(dates["提供開始日"], dates["提供終了日"])
            if cell("安全確保の措置"):
                codes = check_measures(codes, measures)
            if decision:
                check_decision(decision, cell("行わない理由"))
        except ProvisionError as error:
            issue("", error.message)
        if (issues and issues[-1].row == number) or not (kind and decision and dates["提供開始日"]):
            continue
        planned.append(
            (
                target,
                ops.ProvisionData(
                    recipient_name=cell("提供先")[:200],
                    recipient_kind=kind or RecipientKind.OTHER,
                    information_name=cell("提供する保有個人情報")[:200],
                    purpose=cell("利用目的")[:2000],
                    legal_basis=cell("根拠法令")[:1000],
                    record_scope=cell("記録範囲及び記録項目")[:2000],
                    usage_form=cell("利用形態")[:1000],
                    start_date=dates["提供開始日"],  # type: ignore[arg-type]
                    end_date=dates["提供終了日"],
                    agreement_date=dates["書面取交し日"],
                    persons=persons or 0,
                    safety_measures=codes,
                    safety_measures_note=cell("措置の補足")[:2000],
                    pseudonymisation=decision,
                    pseudonymisation_reason=cell("行わない理由")[:2000],
                ),
            )
        )
    if issues:
        raise ImportRejected(issues)
    return ProvisionPlan(planned)


def _apply_provisions(session: Session, actor: User, plan: ProvisionPlan) -> ProvisionImport:
    measures = _measures()
    created = updated = 0
    for target, data in plan.rows:
        if target is None:
            ops.register_provision(
                session=session,
                actor=actor,
                department_id=actor.department_id,  # type: ignore[arg-type]
                data=data,
                measures=measures,
            )
            created += 1
        else:
            ops.update_provision(session=session, provision=target, data=data, measures=measures)
            updated += 1
    return ProvisionImport(created, updated)


PROVISIONS_SHEET = LedgerSheet(
    name="provisions",
    title="提供台帳",
    export_headers=PROVISION_EXPORT,
    rows=lambda session, user: provision_rows(session=session, user=user),
    count=lambda session, user: session.exec(
        select(func.count(Provision.id)).where(provision_scope(user))
    ).one(),
    heading=_l("提供台帳"),
    description=_l("市の機関等以外の者への保有個人情報の提供を、1件1行で出力します。"),
    contents=_l(
        "提供先、取り交わした書面の事項（利用目的・根拠法令・記録範囲及び記録項目・利用形態）、求めた安全確保の措置、識別できる記載の削除・置換とその理由を含みます。"
    ),
    import_guide=_l(
        "1行が1件の提供です。「提供ID」のある行はその提供を更新し、空欄の行は所属課室の提供として新しく登録します。出力した台帳もそのまま取り込めます（所管課室・状態の列は読み飛ばします）。"
    ),
    import_columns=PROVISION_COLUMNS,
    validate=_validate_provisions,
    apply=_apply_provisions,
)


# --- the pseudonymisation decision of each outsourcing ------------------------------------

DECISION_COLUMNS = (
    ImportColumn("委託ID", True, _l("委託台帳の委託ID"), "12"),
    ImportColumn("削除・置換", True, _l("削除／置換／行わない"), "削除"),
    ImportColumn("行わない理由", False, _l("「行わない」のときは必須"), ""),
)
DECISION_EXPORT = ("委託ID", "業務", "委託先", "削除・置換", "行わない理由")


def decision_rows(*, session: Session, user: User) -> list[list[object]]:
    """One row per outsourcing ``user`` may see, with its decision (blank: not yet recorded)."""
    rows = session.exec(
        select(Outsourcing, Vendor, OutsourcingPseudonymisation)
        .join(Vendor, Vendor.id == Outsourcing.vendor_id)
        .outerjoin(
            OutsourcingPseudonymisation,
            OutsourcingPseudonymisation.outsourcing_id == Outsourcing.id,
        )
        .where(visibility_clause(user))
        .order_by(Outsourcing.path)
    ).all()
    return [
        [
            node.id,
            node.task_name,
            vendor.name,
            _label_of(decision.pseudonymisation, PSEUDONYMISATION_LABELS) if decision else "",
            decision.reason if decision else "",
        ]
        for node, vendor, decision in rows
    ]


@dataclass(frozen=True)
class DecisionImport:
    """How many decisions an import recorded."""

    recorded: int

    def summary(self) -> str:
        """A sentence for the user."""
        return _("取り込みました：仮名化等の検討結果 %(n)d件。", n=self.recorded)

    def audit_detail(self) -> dict[str, Any]:
        """Counts for the access log."""
        return {"pseudonymisation_decisions": self.recorded}


def _validate_decisions(session: Session, actor: User, headers: list[str], rows: Rows) -> Any:
    issues = check_headers(headers, DECISION_COLUMNS, also_known=frozenset({"業務", "委託先"}))
    if issues:
        raise ImportRejected(issues)
    planned: list[tuple[Outsourcing, str, str]] = []
    for number, row in rows:
        ident = (row.get("委託ID") or "").strip()
        text = (row.get("削除・置換") or "").strip()
        reason = (row.get("行わない理由") or "").strip()
        if not text:
            continue  # not decided yet: an exported blank row stays blank
        found = parse_int(ident)
        node = session.get(Outsourcing, found) if found else None
        if node is None or node.department_id != actor.department_id:
            issues.append(
                ImportIssue(
                    number, "委託ID", _("委託ID %(id)s は所属課室の委託にありません。", id=ident)
                )
            )
            continue
        decision = _code_of(text, PSEUDONYMISATION_LABELS)
        if decision is None:
            issues.append(
                ImportIssue(
                    number,
                    "削除・置換",
                    _("「削除・置換」は「削除」「置換」「行わない」のいずれかです。"),
                )
            )
            continue
        try:
            reason = check_decision(decision, reason)
        except ProvisionError as error:
            issues.append(ImportIssue(number, "行わない理由", error.message))
            continue
        planned.append((node, decision, reason))
    if issues:
        raise ImportRejected(issues)
    return planned


def _apply_decisions(
    session: Session, actor: User, plan: list[tuple[Outsourcing, str, str]]
) -> DecisionImport:
    for node, decision, reason in plan:
        ops.record_outsourcing_pseudonymisation(
            session=session, outsourcing=node, actor=actor, method=decision, reason=reason
        )
    return DecisionImport(len(plan))


DECISIONS_SHEET = LedgerSheet(
    name="pseudonymisation",
    title="仮名化等の検討（委託）",
    export_headers=DECISION_EXPORT,
    rows=lambda session, user: decision_rows(session=session, user=user),
    count=lambda session, user: session.exec(
        select(func.count(Outsourcing.id)).where(visibility_clause(user))
    ).one(),
    heading=_l("仮名化等の検討（委託）"),
    description=_l(
        "委託ごとに、特定の個人を識別できる記載を削除又は置換してから渡すかどうかと、行わない理由を出力します。"
    ),
    contents=_l("委託ID、業務、委託先、削除・置換の区分、行わない理由を含みます。"),
    import_guide=_l(
        "1行が1件の委託です。所属課室の委託について、「削除・置換」と「行わない理由」を記録します。「削除・置換」が空欄の行は読み飛ばします。"
    ),
    import_columns=DECISION_COLUMNS,
    validate=_validate_decisions,
    apply=_apply_decisions,
)
