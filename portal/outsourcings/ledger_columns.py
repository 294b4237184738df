"""The outsourcings sheet of the ledger: its columns and labels, and a validated row.

The Japanese headers and labels are the file format (not translated; see
portal/ledger/sheets.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from portal.ledger.sheets import ImportColumn
from portal.models import Outsourcing, OutsourcingStatus
from portal.outsourcings.operations import EntrustedData

S = OutsourcingStatus

#: The worksheet title and the file name of the export.
TITLE = "委託台帳"

COL_KEY = "番号"
COL_PARENT_KEY = "親番号"
COL_PARENT_ROW = "親の行番号"
COL_PARENT_ID = "親の委託ID"
COL_TIER = "階層"
COL_TASK = "委託業務名"
COL_DIVISION = "部"
COL_DEPARTMENT = "課室"
COL_VENDOR = "委託先名称"
COL_NUMBER = "法人番号"
COL_START = "開始日"
COL_END = "終了日"
COL_STATUS = "状態"
COL_CATEGORIES = "個人情報の項目"
COL_SPECIAL = "要配慮個人情報"
COL_PERSONS = "本人数"
COL_SCOPE = "取扱範囲・備考"
COL_APPROVER = "承認者"
COL_APPROVED_AT = "承認日時"
COL_COMMENT = "承認コメント"
COL_VIOLATION = "無承認再委託"

EXPORT_HEADERS: tuple[str, ...] = (
    COL_KEY,
    COL_PARENT_KEY,
    COL_TIER,
    COL_TASK,
    COL_DIVISION,
    COL_DEPARTMENT,
    COL_VENDOR,
    COL_NUMBER,
    COL_START,
    COL_END,
    COL_STATUS,
    COL_CATEGORIES,
    COL_SPECIAL,
    COL_PERSONS,
    COL_SCOPE,
    COL_APPROVER,
    COL_APPROVED_AT,
    COL_COMMENT,
    COL_VIOLATION,
)

STATUS_LABELS: dict[str, str] = {
    S.REQUESTED: "申請中",
    S.APPROVED: "承認済",
    S.REJECTED: "却下",
    S.ACTIVE: "実施中",
    S.ENDED: "終了",
}


IMPORT_COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn(COL_KEY, False, _l("行を指す任意の番号。再委託の行が「親番号」で指します。"), "1"),
    ImportColumn(COL_PARENT_KEY, False, _l("再委託の行で、元の委託の行の「番号」。"), ""),
    ImportColumn(
        COL_PARENT_ROW, False, _l("再委託の行で、元の委託の行の行番号（見出しが1行目）。"), ""
    ),
    ImportColumn(
        COL_PARENT_ID, False, _l("登録済みの委託の下に再委託を取り込むときの委託ID。"), ""
    ),
    ImportColumn(
        COL_TASK,
        True,
        _l("委託業務の名称。空欄の行は委託先だけを登録します。"),
        "住民税当初課税データ入力業務",
    ),
    ImportColumn(COL_DIVISION, False, _l("課室名が複数の部にあるときに部の名称。"), "市民生活部"),
    ImportColumn(
        COL_DEPARTMENT, True, _l("所管課室の名称（再委託の行は空欄で元の委託と同じ）。"), "税務課"
    ),
    ImportColumn(COL_VENDOR, True, _l("委託先の名称。"), "株式会社みらい情報システム"),
    ImportColumn(
        COL_NUMBER,
        True,
        _l("委託先の法人番号（13桁、チェックデジットを確認します）。"),
        "7010401012345",
    ),
    ImportColumn(COL_START, True, _l("委託期間の開始日（例: 2026-04-01）。"), "2026-04-01"),
    ImportColumn(COL_END, True, _l("委託期間の終了日（開始日以降）。"), "2027-03-31"),
    ImportColumn(
        COL_STATUS,
        False,
        _l("実施中・終了（再委託は承認済も可）。空欄なら委託は実施中、再委託は承認済。"),
        "実施中",
    ),
    ImportColumn(COL_CATEGORIES, False, _l("委託する個人情報の項目。"), "氏名、住所、課税額"),
    ImportColumn(COL_SPECIAL, False, _l("要配慮個人情報を含むか（あり／なし）。"), "なし"),
    ImportColumn(COL_PERSONS, False, _l("本人の数（0以上の整数）。"), "52000"),
    ImportColumn(COL_SCOPE, False, _l("取り扱う範囲や備考。"), ""),
    ImportColumn(
        COL_VIOLATION, False, _l("再委託の行で、事前の承認なく行われていた場合に「あり」。"), "なし"
    ),
    ImportColumn(COL_COMMENT, False, _l("再委託の承認についてのコメント。"), ""),
)
IMPORT_HEADERS: tuple[str, ...] = tuple(c.header for c in IMPORT_COLUMNS)
# Columns an exported ledger carries that the import reads past (they are computed).
EXPORT_ONLY = frozenset({COL_TIER, COL_APPROVER, COL_APPROVED_AT})


@dataclass
class ImportRow:
    """A row that passed validation, ready to be written."""

    number: int
    vendor_name: str
    corporate_number: str
    task_name: str = ""
    department_id: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    status: str = S.ACTIVE
    data: EntrustedData = field(default_factory=EntrustedData)
    parent_row: int | None = None  # the row number of a parent in the same file
    parent: Outsourcing | None = None  # an outsourcing already registered
    without_approval: bool = False
    comment: str = ""

    @property
    def vendor_only(self) -> bool:
        return not self.task_name


@dataclass(frozen=True)
class ImportPlan:
    """Every row of a file, validated; writing it cannot fail on the data."""

    rows: list[ImportRow]


@dataclass(frozen=True)
class ImportResult:
    """What an import created."""

    vendors_created: int
    outsourcings_created: int
