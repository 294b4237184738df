"""The selection sheets of the ledger: the vendors' certifications (exported, and imported
to record certifications in bulk), and the items entrusted at each tier (exported, and
imported to record or correct the items of many outsourcings at once)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from portal.corporate_number import normalize_corporate_number
from portal.ledger.sheets import (
    NO,
    YES,
    ImportColumn,
    ImportIssue,
    ImportRejected,
    LedgerSheet,
    Rows,
    check_headers,
    parse_bool,
    parse_date,
    parse_int,
)
from portal.models import Outsourcing, User, Vendor
from portal.outsourcings.scope import visibility_clause
from portal.selection.models import Certification, CertificationAttachment, SelectionRecord
from portal.selection.operations import (
    CertificationInput,
    add_certification,
    check_certification,
    check_selection,
    current_rule,
    may_edit_selection,
    record_items,
    records_of,
)
from portal.selection.rules import excess_items, expiry_state
from portal.timeutil import local_today

CERT_HEADERS = (
    "委託先",
    "法人番号",
    "認証の種類",
    "認証番号",
    "取得日",
    "有効期限",
    "認証の範囲",
    "状態",
    "証明書",
)
CERT_COLUMNS = (
    ImportColumn(
        "法人番号",
        True,
        _l("認証を持つ委託先の法人番号（13桁、登録済みの委託先）"),
        "1234567890123",
    ),
    ImportColumn(
        "認証の種類", True, _l("プロファイルの一覧にある認証の名称"), "プライバシーマーク"
    ),
    ImportColumn("認証番号", True, _l("認証番号（同じ種類の同じ番号は1件だけ）"), "10820123(05)"),
    ImportColumn("取得日", True, _l("取得日または更新日"), "2025-04-01"),
    ImportColumn("有効期限", True, _l("有効期限（取得日より後）"), "2027-03-31"),
    ImportColumn("認証の範囲", False, _l("ISMS等の適用範囲（500文字まで）"), "本社 データセンター"),
    ImportColumn("備考", False, _l("備考"), ""),
)
STATE_LABELS = {"valid": "有効", "expiring": "期限間近", "expired": "期限切れ"}


@dataclass(frozen=True)
class CertificationImport:
    """What an import of certifications recorded."""

    created: int

    def summary(self) -> str:
        """A sentence for the user."""
        return _("取り込みました：認証 %(count)d件。", count=self.created)

    def audit_detail(self) -> dict[str, Any]:
        """Counts for the access log."""
        return {"certifications": self.created}


def certification_rows(session: Session, user: User) -> list[list[object]]:
    """One row per certification in force or lapsed (not withdrawn), vendor by vendor."""
    rule = current_rule()
    today = local_today()
    files = dict(
        session.exec(
            select(
                CertificationAttachment.certification_id, func.count(CertificationAttachment.id)
            ).group_by(CertificationAttachment.certification_id)
        ).all()
    )
    rows = session.exec(
        select(Certification, Vendor)
        .join(Vendor, Vendor.id == Certification.vendor_id)
        .where(Certification.withdrawn_at.is_(None))
        .order_by(Vendor.name, Certification.cert_type, Certification.expires_on)
    ).all()
    warn = max(rule.reminder_days)
    return [
        [
            vendor.name,
            vendor.corporate_number,
            rule.certification_label(c.cert_type),
            c.number,
            c.issued_on,
            c.expires_on,
            c.scope,
            STATE_LABELS[expiry_state(c.expires_on, today, warn)],
            YES if files.get(c.id) else NO,
        ]
        for c, vendor in rows
    ]


def validate_certifications(
    session: Session, actor: User, headers: list[str], rows: Rows
) -> list[tuple[int, CertificationInput]]:
    """Check every row (every issue listed); the certifications to record, by vendor id."""
    issues = check_headers(headers, CERT_COLUMNS, also_known=frozenset(CERT_HEADERS))
    if issues:
        raise ImportRejected(issues)
    rule = current_rule()
    plan: list[tuple[int, CertificationInput]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in rows:
        vendor = session.exec(
            select(Vendor).where(
                Vendor.corporate_number == normalize_corporate_number(row.get("法人番号", ""))
            )
        ).first()
        if vendor is None:
            issues.append(
                ImportIssue(number, "法人番号", _("この法人番号の委託先は登録されていません。"))
            )
            continue
        data = CertificationInput(
            cert_type=row.get("認証の種類", ""),
            number=row.get("認証番号", ""),
            issued_on=parse_date(row.get("取得日", "")),
            expires_on=parse_date(row.get("有効期限", "")),
            note=row.get("備考", ""),
            scope=row.get("認証の範囲", ""),
        )
        for problem in check_certification(
            session=session,
            rule=rule,
            vendor_id=vendor.id,
            data=data,  # type: ignore[arg-type]
        ):
            issues.append(ImportIssue(number, "", problem))
        key = (rule.certification_type(data.cert_type) or "", data.number.strip())
        if key in seen:
            issues.append(
                ImportIssue(
                    number,
                    "認証番号",
                    _("%(row)d行目と同じ認証番号です。", row=seen[key]),
                )
            )
        seen.setdefault(key, number)
        plan.append((vendor.id, data))  # type: ignore[arg-type]
    if issues:
        raise ImportRejected(issues)
    return plan


def apply_certifications(
    session: Session, actor: User, plan: list[tuple[int, CertificationInput]]
) -> CertificationImport:
    """Record the validated certifications."""
    rule = current_rule()
    for vendor_id, data in plan:
        add_certification(session=session, rule=rule, actor=actor, vendor_id=vendor_id, data=data)
    return CertificationImport(len(plan))


CERTIFICATIONS_SHEET = LedgerSheet(
    name="certifications",
    title="委託先の認証",
    export_headers=CERT_HEADERS,
    rows=certification_rows,
    count=lambda session, user: session.exec(
        select(func.count(Certification.id)).where(Certification.withdrawn_at.is_(None))
    ).one(),
    heading=_l("委託先の認証"),
    description=_l(
        "%(regulation)s の委託の条（第1項：適切な管理を行う能力を有する者の選定）のため、委託先が取得している第三者認証を1件1行で出力します。"  # noqa: E501
    ),
    contents=_l(
        "委託先と法人番号、認証の種類、認証番号、取得日、有効期限、認証の範囲、状態、証明書の有無を含みます。"
    ),
    import_guide=_l(
        "1行が1件の認証です。委託先は法人番号で指定します（登録済みの委託先だけ）。認証の種類はプロファイルの一覧の名称で書きます。ファイルに誤りが1つでもあれば、何も登録せずにすべての誤りを示します。"
    ),
    import_columns=CERT_COLUMNS,
    validate=validate_certifications,
    apply=apply_certifications,
)

SCOPE_HEADERS = (
    "委託ID",
    "元の委託ID",
    "業務",
    "委託先",
    "委託する個人情報の項目",
    "元の委託を超える項目",
    "超える理由",
    "クラウドサービス",
    "選定チェック未回答",
)


def scope_rows(session: Session, user: User) -> list[list[object]]:
    """One row per visible outsourcing with a selection record."""
    rule = current_rule()
    parent = aliased(SelectionRecord)
    rows = session.exec(
        select(SelectionRecord, Outsourcing, Vendor, parent.items)
        .join(Outsourcing, Outsourcing.id == SelectionRecord.outsourcing_id)
        .join(Vendor, Vendor.id == Outsourcing.vendor_id)
        .outerjoin(parent, parent.outsourcing_id == Outsourcing.parent_id)
        .where(visibility_clause(user))
        .order_by(Outsourcing.path)
    ).all()
    result: list[list[object]] = []
    for record, node, vendor, parent_items in rows:
        excess = excess_items(record.items or [], parent_items) if node.parent_id else []
        result.append(
            [
                node.id,
                node.parent_id or "",
                node.task_name,
                vendor.name,
                "、".join(rule.item_labels(record.items or [])),
                "、".join(rule.item_labels(excess)),
                record.excess_reason,
                YES if record.uses_cloud else NO,
                "、".join(q.label for q in rule.unanswered(record.answers)),
            ]
        )
    return result


SCOPE_COLUMNS = (
    ImportColumn("委託ID", True, _l("台帳の委託ID（変更できる委託だけ）"), "12"),
    ImportColumn(
        "委託する個人情報の項目",
        True,
        _l("プロファイルの一覧にある項目の名称を「、」で区切って"),
        "氏名、住所",
    ),
    ImportColumn(
        "超える理由",
        False,
        _l("元の委託にない項目を取り扱う理由（その項目があるときは必須）"),
        "",
    ),
    ImportColumn(
        "クラウドサービス",
        False,
        _l("委託先がクラウドサービスで取り扱うか（あり・なし。空欄なら変更しない）"),
        "なし",
    ),
)


@dataclass(frozen=True)
class ScopeRow:
    """The items of one outsourcing as a row states them."""

    node: Outsourcing
    items: list[str]  # item ids, in the profile's order
    excess_reason: str
    uses_cloud: bool | None  # None: the column is absent or blank (unchanged)


@dataclass(frozen=True)
class ScopeImport:
    """What an import of the items per tier recorded."""

    created: int
    updated: int

    def summary(self) -> str:
        """A sentence for the user."""
        return _(
            "取り込みました：委託する個人情報の項目 %(count)d件（新規 %(created)d件、更新 %(updated)d件）。",  # noqa: E501
            count=self.created + self.updated,
            created=self.created,
            updated=self.updated,
        )

    def audit_detail(self) -> dict[str, Any]:
        """Counts for the access log."""
        return {"selection_records": self.created + self.updated, "created": self.created}


def _split_items(text: str) -> list[str]:
    # Not on 「・」: labels such as 税・所得に関する情報 contain it.
    return [t for t in text.replace(",", "、").replace("，", "、").split("、") if t.strip()]


def validate_scope(session: Session, actor: User, headers: list[str], rows: Rows) -> list[ScopeRow]:
    """Check every row (every issue listed): the outsourcing exists, is in the user's scope
    and may be changed by the user, the items are the profile's, and items beyond the
    parent's (in the file, else as recorded) come with a reason."""
    issues = check_headers(headers, SCOPE_COLUMNS, also_known=frozenset(SCOPE_HEADERS))
    if issues:
        raise ImportRejected(issues)
    rule = current_rule()
    parsed: list[tuple[int, dict[str, str], Outsourcing, list[str], bool | None]] = []
    seen: dict[int, int] = {}
    for number, row in rows:
        node_id = parse_int(row.get("委託ID", ""))
        node = (
            session.exec(
                select(Outsourcing).where(Outsourcing.id == node_id, visibility_clause(actor))
            ).first()
            if node_id is not None
            else None
        )
        if node is None:
            # Outside the user's scope reads as unknown: the file must not reveal what exists.
            issues.append(
                ImportIssue(
                    number,
                    "委託ID",
                    _("委託ID「%(id)s」の委託はありません。", id=row.get("委託ID", "")),
                )
            )
            continue
        parent = session.get(Outsourcing, node.parent_id) if node.parent_id else None
        if not may_edit_selection(actor, node, parent):
            issues.append(
                ImportIssue(
                    number,
                    "委託ID",
                    _("委託ID %(id)d の項目を変更する権限がありません。", id=node.id),
                )
            )
            continue
        if node.id in seen:
            issues.append(
                ImportIssue(number, "委託ID", _("%(row)d行目と同じ委託IDです。", row=seen[node.id]))
            )
            continue
        seen[node.id] = number
        uses_cloud = None
        if row.get("クラウドサービス", "").strip():
            uses_cloud = parse_bool(row["クラウドサービス"])
            if uses_cloud is None:
                issues.append(
                    ImportIssue(
                        number,
                        "クラウドサービス",
                        _("「あり」か「なし」で入力してください。"),
                    )
                )
        texts = _split_items(row.get("委託する個人情報の項目", ""))
        parsed.append((number, row, node, texts, uses_cloud))
    # The parents' items: as this file states them, else as recorded.
    in_file = {node.id: rule.item_ids(texts)[0] for _n, _r, node, texts, _c in parsed}
    recorded = records_of(
        session=session,
        outsourcing_ids=[n.parent_id for _n, _r, n, _t, _c in parsed if n.parent_id],
    )
    plan = []
    for number, row, node, texts, uses_cloud in parsed:
        parent: list[str] | None = None
        if node.parent_id in in_file:
            parent = in_file[node.parent_id]
        elif node.parent_id in recorded:
            parent = recorded[node.parent_id].items  # type: ignore[index]
        reason = row.get("超える理由", "")
        for problem in check_selection(
            rule=rule, answers={}, items=texts, excess_reason=reason, parent=parent
        ):
            issues.append(ImportIssue(number, "委託する個人情報の項目", problem))
        plan.append(ScopeRow(node, in_file[node.id], reason.strip(), uses_cloud))
    if issues:
        raise ImportRejected(issues)
    return plan


def apply_scope(session: Session, actor: User, plan: list[ScopeRow]) -> ScopeImport:
    """Record the validated items (the checklist answers of a node stay as they are)."""
    existing = records_of(session=session, outsourcing_ids=[row.node.id for row in plan])
    for row in plan:
        record_items(
            session=session,
            actor=actor,
            node=row.node,
            items=row.items,
            excess_reason=row.excess_reason,
            uses_cloud=row.uses_cloud,
        )
    updated = sum(1 for row in plan if row.node.id in existing)
    return ScopeImport(created=len(plan) - updated, updated=updated)


SCOPE_SHEET = LedgerSheet(
    name="selection_scope",
    title="委託する個人情報の項目",
    export_headers=SCOPE_HEADERS,
    rows=scope_rows,
    count=lambda session, user: session.exec(
        select(func.count(SelectionRecord.id))
        .join(Outsourcing, Outsourcing.id == SelectionRecord.outsourcing_id)
        .where(visibility_clause(user))
    ).one(),
    heading=_l("委託する個人情報の項目"),
    description=_l(
        "%(regulation)s の委託の条（第2項：必要最小限）のため、各階層で委託する個人情報の項目と、元の委託を超える項目を出力します。"  # noqa: E501
    ),
    contents=_l(
        "委託ID、元の委託ID、業務、委託先、項目、元の委託を超える項目とその理由、クラウドサービスの利用、選定チェックの未回答を含みます。"
    ),
    import_guide=_l(
        "1行が1件の委託です。委託は委託IDで指定します（変更できる委託だけ）。項目はプロファイルの一覧の名称を「、」で区切って書きます。元の委託にない項目があるときは「超える理由」が必要です。出力したファイルをそのまま直して取り込めます（出力だけの列は読み飛ばします）。選定チェックの回答は変わりません。ファイルに誤りが1つでもあれば、何も登録せずにすべての誤りを示します。"
    ),
    import_columns=SCOPE_COLUMNS,
    validate=validate_scope,
    apply=apply_scope,
)
