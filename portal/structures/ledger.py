"""The management-structure sheet of the ledger (管理体制): one row per staff entry of the
latest version of each outsourcing in scope; imported, it records structures confirmed in
writing (on paper) as confirmed versions, by the importing officer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

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
from portal.obligations.operations import record_event, sign
from portal.outsourcings.scope import get_visible, owns_department, visibility_clause
from portal.structures.models import (
    EDITABLE_STATUSES,
    ManagementStructure,
    StructureStatus,
)
from portal.structures.obligation import STRUCTURE_OBLIGATION
from portal.structures.rules import StaffMember
from portal.timeutil import local_today, to_local

TITLE = "管理体制"
SEPARATOR = "；"  # between the places (and the systems) of one cell

COL_ID = "委託ID"
COL_TASK = "委託業務名"
COL_VENDOR = "委託先"
COL_VERSION = "版"
COL_STATUS = "状態"
COL_DUE = "提出期限"
COL_NAME = "責任者氏名"
COL_TITLE = "責任者役職"
COL_CONTACT = "責任者連絡先"
COL_PLACES = "取扱場所"
COL_SYSTEMS = "取扱システム"
COL_STAFF = "従事者氏名"
COL_COUNT = "人数"
COL_TRAINING = "研修日"
COL_PLEDGE = "誓約書の日付"
COL_DISPATCHED = "派遣労働者"
COL_SUBMITTED = "提出日時"
COL_CONFIRMED = "確認日時"

EXPORT_HEADERS = (
    COL_ID,
    COL_TASK,
    COL_VENDOR,
    COL_VERSION,
    COL_STATUS,
    COL_DUE,
    COL_NAME,
    COL_TITLE,
    COL_CONTACT,
    COL_PLACES,
    COL_SYSTEMS,
    COL_STAFF,
    COL_COUNT,
    COL_TRAINING,
    COL_PLEDGE,
    COL_DISPATCHED,
    COL_SUBMITTED,
    COL_CONFIRMED,
)
STATUS_LABELS = {
    "due": "未提出",
    "draft": "作成中",
    "submitted": "確認待ち",
    "returned": "差戻し",
    "confirmed": "確認済",
    "superseded": "旧版",
}
IMPORT_COLUMNS = (
    ImportColumn(
        COL_ID, True, _l("管理体制を記録する委託の委託ID（委託台帳の「委託ID」）。"), "12"
    ),
    ImportColumn(
        COL_NAME,
        True,
        _l("委託先の責任者の氏名。同じ委託の2行目以降は空欄で構いません。"),
        "山田 太郎",
    ),
    ImportColumn(COL_TITLE, False, _l("責任者の役職。"), "個人情報管理責任者"),
    ImportColumn(COL_CONTACT, False, _l("責任者の連絡先。"), "03-0000-0000"),
    ImportColumn(
        COL_PLACES, True, _l("取扱場所。複数は「；」で区切ります。"), "本社（東京都千代田区）"
    ),
    ImportColumn(
        COL_SYSTEMS, True, _l("取扱システム。複数は「；」で区切ります。"), "データ入力システム"
    ),
    ImportColumn(
        COL_STAFF,
        True,
        _l("業務従事者の氏名、または人数で書く場合はその役割。1行に1人（1グループ）。"),
        "佐藤 花子",
    ),
    ImportColumn(COL_COUNT, False, _l("人数（空欄は1人）。"), "1"),
    ImportColumn(COL_TRAINING, True, _l("研修を受けた日。"), "2026-04-01"),
    ImportColumn(COL_PLEDGE, True, _l("誓約書の日付。"), "2026-04-01"),
    ImportColumn(COL_DISPATCHED, False, _l("派遣労働者なら「あり」。"), "なし"),
)
EXPORT_ONLY = frozenset(set(EXPORT_HEADERS) - {c.header for c in IMPORT_COLUMNS})


def _latest(session: Session, user: User) -> list[tuple[ManagementStructure, Outsourcing, Vendor]]:
    other = aliased(ManagementStructure)
    newest = (
        select(func.max(other.version))
        .where(other.outsourcing_id == ManagementStructure.outsourcing_id)
        .correlate(ManagementStructure)
        .scalar_subquery()
    )
    rows = session.exec(
        select(ManagementStructure, Outsourcing, Vendor)
        .join(Outsourcing, Outsourcing.id == ManagementStructure.outsourcing_id)
        .join(Vendor, Vendor.id == Outsourcing.vendor_id)
        .where(visibility_clause(user), ManagementStructure.version == newest)
        .order_by(Outsourcing.path)
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def _stamp(value: Any) -> str:
    local = to_local(value)
    return local.strftime("%Y-%m-%d %H:%M") if local else ""


def ledger_rows(*, session: Session, user: User) -> list[list[object]]:
    """One row per staff entry of the newest version of each visible outsourcing."""
    table: list[list[object]] = []
    for structure, node, vendor in _latest(session, user):
        head: list[object] = [
            node.id,
            node.task_name,
            vendor.name,
            structure.version,
            STATUS_LABELS.get(structure.status, structure.status),
            structure.due_date,
            structure.responsible_name,
            structure.responsible_title,
            structure.responsible_contact,
            SEPARATOR.join(structure.places),
            SEPARATOR.join(structure.systems),
        ]
        tail = [_stamp(structure.submitted_at), _stamp(structure.reviewed_at)]
        members = [StaffMember.from_json(item) for item in structure.staff]
        for member in members or [None]:
            staff: list[object] = (
                [
                    member.name,
                    member.count,
                    member.training_date or "",
                    member.pledge_date or "",
                    YES if member.dispatched else NO,
                ]
                if member
                else ["", "", "", "", ""]
            )
            table.append(head + staff + tail)
    return table


def count_rows(*, session: Session, user: User) -> int:
    """How many versions the export covers (one per outsourcing with a structure)."""
    return len(_latest(session, user))


@dataclass
class PlannedStructure:
    """A structure read from the file for one outsourcing."""

    outsourcing_id: int
    first_row: int
    responsible_name: str
    responsible_title: str
    responsible_contact: str
    places: list[str]
    systems: list[str]
    staff: list[StaffMember]


@dataclass(frozen=True)
class ImportResult:
    """What an import recorded."""

    confirmed: int
    unchanged: int

    def summary(self) -> str:
        """A sentence for the user."""
        return _(
            "取り込みました：管理体制 %(n)d件を確認済みとして記録（変更のないもの %(same)d件）。",
            n=self.confirmed,
            same=self.unchanged,
        )

    def audit_detail(self) -> dict[str, Any]:
        """Counts for the access log."""
        return {"structures_confirmed": self.confirmed, "unchanged": self.unchanged}


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", SEPARATOR).split(SEPARATOR) if part.strip()]


def validate_import(
    *, session: Session, actor: User, headers: Sequence[str], rows: Rows
) -> list[PlannedStructure]:
    """Every row checked and every issue collected; the structures per outsourcing."""
    issues: list[ImportIssue] = list(check_headers(headers, IMPORT_COLUMNS, also_known=EXPORT_ONLY))
    if issues:
        raise ImportRejected(issues)
    today = local_today()
    plans: dict[int, PlannedStructure] = {}
    for number, row in rows:
        status = row.get(COL_STATUS, "").strip()
        if status and status != STATUS_LABELS["confirmed"]:
            continue  # an exported version not confirmed yet is the vendor's to finish
        issue = partial(_add_issue, issues, number)
        raw_id = parse_int(row.get(COL_ID, ""))
        node = get_visible(session=session, user=actor, outsourcing_id=raw_id) if raw_id else None
        if node is None:
            issue(COL_ID, _("委託ID「%(id)s」の委託が見つかりません。", id=row.get(COL_ID, "")))
            continue
        if not owns_department(actor, node):
            issue(COL_ID, _("委託ID %(id)d は所管する課室の委託ではありません。", id=node.id))
            continue
        staff_name = row.get(COL_STAFF, "").strip()
        if not staff_name:
            issue(COL_STAFF, _("従事者氏名を入力してください。"))
        count = parse_int(row.get(COL_COUNT, "")) if row.get(COL_COUNT, "").strip() else 1
        if not count:
            issue(COL_COUNT, _("人数は1以上の数で入力してください。"))
        dates: dict[str, date | None] = {}
        for column in (COL_TRAINING, COL_PLEDGE):
            text = row.get(column, "").strip()
            value = parse_date(text) if text else None
            if value is None:
                issue(
                    column,
                    _("「%(column)s」を日付（例：2026-04-01）で入力してください。", column=column),
                )
            elif value > today:
                issue(column, _("「%(column)s」に未来の日付は入力できません。", column=column))
            dates[column] = value
        dispatched = parse_bool(row.get(COL_DISPATCHED, ""))
        if dispatched is None:
            issue(COL_DISPATCHED, _("派遣労働者は「あり」か「なし」で入力してください。"))
        plan = plans.get(node.id)  # type: ignore[arg-type]
        if plan is None:
            plan = PlannedStructure(
                outsourcing_id=node.id,  # type: ignore[arg-type]
                first_row=number,
                responsible_name=row.get(COL_NAME, "").strip()[:200],
                responsible_title=row.get(COL_TITLE, "").strip()[:200],
                responsible_contact=row.get(COL_CONTACT, "").strip()[:200],
                places=_split(row.get(COL_PLACES, "")),
                systems=_split(row.get(COL_SYSTEMS, "")),
                staff=[],
            )
            plans[node.id] = plan  # type: ignore[index]
            if not plan.responsible_name:
                issue(COL_NAME, _("委託の最初の行に責任者氏名を入力してください。"))
            if not plan.places:
                issue(COL_PLACES, _("委託の最初の行に取扱場所を入力してください。"))
            if not plan.systems:
                issue(COL_SYSTEMS, _("委託の最初の行に取扱システムを入力してください。"))
            _check_pending(session, node, issue)
        elif row.get(COL_NAME, "").strip() not in ("", plan.responsible_name):
            issue(
                COL_NAME,
                _("同じ委託の行で責任者氏名が異なります（%(row)d行目）。", row=plan.first_row),
            )
        plan.staff.append(
            StaffMember(
                name=staff_name[:200],
                count=count or 1,
                training_date=dates.get(COL_TRAINING),
                pledge_date=dates.get(COL_PLEDGE),
                dispatched=bool(dispatched),
            )
        )
    if not plans and not issues:
        issues.append(ImportIssue(0, "", _("取り込む行がありません。")))
    if issues:
        raise ImportRejected(issues)
    return list(plans.values())


def _add_issue(issues: list[ImportIssue], row: int, column: str, message: str) -> None:
    issues.append(ImportIssue(row, column, message))


def _check_pending(session: Session, node: Outsourcing, issue: Any) -> None:
    """A version the vendor is writing, or one awaiting confirmation, is not overwritten."""
    pending = session.exec(
        select(ManagementStructure).where(
            ManagementStructure.outsourcing_id == node.id,
            ManagementStructure.status.in_(
                [StructureStatus.DRAFT, StructureStatus.RETURNED, StructureStatus.SUBMITTED]
            ),
        )
    ).first()
    if pending is not None:
        issue(
            COL_ID,
            _(
                "委託ID %(id)d には委託先が作成中または確認待ちの版（第%(v)d版）があります。"
                "画面で確認してください。",
                id=node.id,
                v=pending.version,
            ),
        )


def _same(current: ManagementStructure | None, plan: PlannedStructure) -> bool:
    return current is not None and (
        current.responsible_name,
        current.responsible_title,
        current.responsible_contact,
        list(current.places),
        list(current.systems),
        list(current.staff),
    ) == (
        plan.responsible_name,
        plan.responsible_title,
        plan.responsible_contact,
        plan.places,
        plan.systems,
        [m.to_json() for m in plan.staff],
    )


def apply_import(*, session: Session, actor: User, plans: list[PlannedStructure]) -> ImportResult:
    """Record each planned structure as a confirmed version (the importing officer received
    it in writing); an unchanged structure adds no version, so an export imports again."""
    confirmed = unchanged = 0
    for plan in plans:
        versions = session.exec(
            select(ManagementStructure)
            .where(ManagementStructure.outsourcing_id == plan.outsourcing_id)
            .order_by(ManagementStructure.version.desc())
        ).all()
        current = next((v for v in versions if v.status == StructureStatus.CONFIRMED), None)
        if _same(current, plan):
            unchanged += 1
            continue
        owed = next((v for v in versions if v.status in EDITABLE_STATUSES), None)
        structure = owed or ManagementStructure(
            outsourcing_id=plan.outsourcing_id,
            version=(versions[0].version + 1) if versions else 1,
            due_date=local_today(),
        )
        structure.responsible_name = plan.responsible_name
        structure.responsible_title = plan.responsible_title
        structure.responsible_contact = plan.responsible_contact
        structure.places, structure.systems = plan.places, plan.systems
        structure.staff = [m.to_json() for m in plan.staff]
        structure.status = StructureStatus.CONFIRMED
        structure.review_comment = _("台帳の取込みにより確認済みとして登録")
        sign(structure, actor, "reviewed")
        if current is not None:
            current.status = StructureStatus.SUPERSEDED
            session.add(current)
        session.add(structure)
        session.flush()
        record_event(
            session=session,
            kind=STRUCTURE_OBLIGATION,
            owed=structure,
            actor=actor,
            action="confirmed",
            comment=structure.review_comment,
        )
        confirmed += 1
    session.flush()
    return ImportResult(confirmed=confirmed, unchanged=unchanged)


SHEET = LedgerSheet(
    name="structures",
    title=TITLE,
    export_headers=EXPORT_HEADERS,
    rows=lambda session, user: ledger_rows(session=session, user=user),
    count=lambda session, user: count_rows(session=session, user=user),
    heading=_l("管理体制（責任者及び業務従事者）"),
    description=_l(
        "委託先から書面で確認した、責任者及び業務従事者の管理体制です。"
        "委託ごとに最新の版を、業務従事者1人（1グループ）1行で出力します。"
    ),
    contents=_l(
        "委託ID、委託業務名、委託先、版と状態、提出期限、責任者（氏名・役職・連絡先）、取扱場所、取扱システム、"
        "業務従事者（氏名または役割・人数・研修日・誓約書の日付・派遣労働者か）、提出日時、確認日時を含みます。"
    ),
    import_guide=_l(
        "書面で受け取った管理体制を記録します。1行が業務従事者1人（1グループ）で、同じ委託IDの行をまとめて1つの版とし、"
        "取り込んだ職員が確認した版として記録します（それまでの版は旧版になります）。責任者・取扱場所・取扱システムは"
        "委託の最初の行に書きます。出力した台帳もそのまま取り込め、内容が変わらない委託には版を追加しません。"
        "委託先が作成中または確認待ちの版がある委託は取り込めません。「状態」列が「確認済」以外の行は読み飛ばします。"
    ),
    import_columns=IMPORT_COLUMNS,
    validate=lambda session, actor, headers, rows: validate_import(
        session=session, actor=actor, headers=headers, rows=rows
    ),
    apply=lambda session, actor, plans: apply_import(session=session, actor=actor, plans=plans),
)
