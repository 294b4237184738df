"""The ledger (台帳): export the outsourcings in scope to CSV or Excel; import vendors and
outsourcings from the same kind of file, validated in full before anything is written.

The file format (its Japanese headers and status labels) is fixed and not translated: the
ledger is a municipal document, and an exported ledger must import again whatever language
the UI is shown in.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlmodel import Session, select

from portal.models import Department, Division, Outsourcing, OutsourcingStatus, User, Vendor
from portal.outsourcings.operations import (
    ChainError,
    EntrustedData,
    create_root,
    create_vendor,
    is_violation,
    place_in_chain,
    validate_corporate_number,
)
from portal.outsourcings.scope import get_visible, visibility_clause
from portal.permissions import Role
from portal.timeutil import to_local, utcnow

S = OutsourcingStatus

# --- the file format -------------------------------------------------------------------

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
_YES, _NO = "あり", "なし"


@dataclass(frozen=True)
class ImportColumn:
    """One column of the import template, documented on the import page and in the template."""

    header: str
    required: bool
    description: object  # a lazy string: shown in the user's language
    example: str = ""


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
_EXPORT_ONLY = frozenset({COL_TIER, COL_APPROVER, COL_APPROVED_AT})

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 2000
MAX_IMPORT_COLUMNS = 60

# --- export ----------------------------------------------------------------------------


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
                _YES if node.special_care else _NO,
                node.persons,
                node.scope_note,
                (decider.name or decider.email) if decider else "",
                decided_at.strftime("%Y-%m-%d %H:%M") if decided_at else "",
                node.decision_comment,
                _YES if is_violation(node) else _NO,
            ]
        )
    return table


def _csv_text(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    text = "" if value is None else str(value)
    # A cell that starts like a formula would run as one in Excel (CSV injection).
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so that Excel opens the Japanese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _display_width(value: object) -> int:
    text = value.isoformat() if isinstance(value, date) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _write_sheet(sheet, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    sheet.append(list(headers))
    widths = [_display_width(h) for h in headers]
    for row in rows:
        sheet.append(list(row))
        for index, value in enumerate(row):
            cell = sheet.cell(row=sheet.max_row, column=index + 1)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            widths[index] = max(widths[index], _display_width(value))
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 6), 50)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def to_xlsx(
    headers: Sequence[str], rows: Iterable[Sequence[object]], *, title: str = "委託台帳"
) -> bytes:
    """An Excel workbook: a bold header row, frozen below the header, columns sized to fit."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    _write_sheet(sheet, headers, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv() -> bytes:
    """The import template as CSV: the header row only."""
    return to_csv(IMPORT_HEADERS, [])


def template_xlsx() -> bytes:
    """The import template as Excel: the data sheet to fill in, then a sheet explaining it."""
    workbook = Workbook()
    data_sheet = workbook.active
    data_sheet.title = "取込みデータ"
    _write_sheet(data_sheet, IMPORT_HEADERS, [])
    guide = workbook.create_sheet("記入方法")
    _write_sheet(
        guide,
        [str(_("列")), str(_("必須")), str(_("説明")), str(_("記入例"))],
        [
            [c.header, _YES if c.required else "", str(c.description), c.example]
            for c in IMPORT_COLUMNS
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading a file --------------------------------------------------------------------


@dataclass(frozen=True)
class ImportIssue:
    """What is wrong with one cell: ``row`` as the spreadsheet numbers it (0: the whole file)."""

    row: int
    column: str
    message: str


class ImportRejected(ValueError):
    """The file was refused; ``issues`` lists every problem found, nothing was written."""

    def __init__(self, issues: Sequence[ImportIssue]) -> None:
        super().__init__("; ".join(i.message for i in issues))
        self.issues = list(issues)


def _file_error(message: str) -> ImportRejected:
    return ImportRejected([ImportIssue(0, "", message)])


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat()
            if value.time() == datetime.min.time()
            else value.isoformat(" ")
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp932"):  # Excel in Japan saves CSV as Shift_JIS
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _file_error(
            _("CSVファイルの文字コードが読めません。UTF-8かShift_JISで保存してください。")
        )
    if "\x00" in text:
        raise _file_error(_("CSVファイルとして読めません。"))
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise _file_error(_("CSVファイルとして読めません。")) from error


def _read_xlsx(data: bytes) -> list[list[str]]:
    if not data.startswith(b"PK\x03\x04"):
        raise _file_error(_("Excelファイル（.xlsx）として読めません。"))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken file
        raise _file_error(_("Excelファイル（.xlsx）として読めません。")) from error
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(max_col=MAX_IMPORT_COLUMNS, values_only=True):
            rows.append([_cell_text(v) for v in values])
            if len(rows) > MAX_IMPORT_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def read_table(*, filename: str, data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The headers and the non-blank rows (with their row numbers) of a CSV or .xlsx file."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "xls":
        raise _file_error(
            _("古いExcel形式（.xls）は読めません。.xlsx形式かCSVで保存し直してください。")
        )
    if suffix not in {"csv", "xlsx"}:
        raise _file_error(_("取り込めるのはCSV（.csv）かExcel（.xlsx）のファイルだけです。"))
    if len(data) > MAX_IMPORT_BYTES:
        raise _file_error(
            _("ファイルが大きすぎます（上限 %(mb)d MB）。", mb=MAX_IMPORT_BYTES // (1024 * 1024))
        )
    table = _read_csv(data) if suffix == "csv" else _read_xlsx(data)
    while table and not any(table[0]):
        table.pop(0)
    if not table:
        raise _file_error(_("ファイルに見出しの行がありません。"))
    headers = [unicodedata.normalize("NFKC", h).strip() for h in table[0]]
    while headers and not headers[-1]:
        headers.pop()
    rows: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(table[1:], start=2):
        if not any(values):
            continue
        rows.append(
            (
                number,
                {h: (values[i] if i < len(values) else "") for i, h in enumerate(headers) if h},
            )
        )
    if len(rows) > MAX_IMPORT_ROWS:
        raise _file_error(
            _(
                "行数が多すぎます（上限 %(n)d 行）。ファイルを分けて取り込んでください。",
                n=MAX_IMPORT_ROWS,
            )
        )
    if not rows:
        raise _file_error(_("取り込むデータの行がありません。"))
    return headers, rows


# --- validating and writing ------------------------------------------------------------


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


_TRUE = {"あり", "有", "はい", "○", "◯", "1", "true", "yes", "y", "違反"}
_FALSE = {"", "なし", "無", "いいえ", "×", "-", "0", "false", "no", "n"}
_STATUS_BY_LABEL = {label: status for status, label in STATUS_LABELS.items()} | {
    s.value: s.value for s in S
}


def _parse_date(text: str) -> date | None:
    value = unicodedata.normalize("NFKC", text).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _parse_int(text: str) -> int | None:
    value = unicodedata.normalize("NFKC", text).replace(",", "").strip()
    value = value.removesuffix("人").strip()
    return int(value) if value.isdigit() else None


def _parse_bool(text: str) -> bool | None:
    value = unicodedata.normalize("NFKC", text).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


class _Validator:
    """Checks every row, collecting every issue; builds the plan when there are none."""

    def __init__(
        self, session: Session, actor: User, rows: list[tuple[int, dict[str, str]]]
    ) -> None:
        self.session = session
        self.actor = actor
        self.rows = rows
        self.issues: list[ImportIssue] = []
        self.valid: dict[int, ImportRow] = {}
        self.keys: dict[str, int] = {}
        self.numbers_seen: dict[str, tuple[int, str]] = {}
        self.signatures: dict[tuple[object, ...], int] = {}
        departments = session.exec(select(Department, Division).join(Division)).all()
        self.departments: dict[str, list[tuple[Department, Division]]] = {}
        for department, division in departments:
            self.departments.setdefault(department.name, []).append((department, division))

    def issue(self, row: int, column: str, message: str) -> None:
        self.issues.append(ImportIssue(row, column, message))

    def check_headers(self, headers: list[str]) -> None:
        known = set(IMPORT_HEADERS) | _EXPORT_ONLY
        for header in headers:
            if header and header not in known:
                self.issue(
                    1,
                    header,
                    _(
                        "見出し「%(header)s」は使えません。テンプレートの見出しを使ってください。",
                        header=header,
                    ),
                )
        seen: set[str] = set()
        for header in headers:
            if header and header in seen:
                self.issue(1, header, _("見出し「%(header)s」が2回あります。", header=header))
            seen.add(header)
        for column in IMPORT_COLUMNS:
            if column.required and column.header not in headers:
                self.issue(
                    1,
                    column.header,
                    _("必須の列「%(header)s」がありません。", header=column.header),
                )

    def run(self) -> ImportPlan:
        for number, values in self.rows:
            key = values.get(COL_KEY, "")
            if key:
                if key in self.keys:
                    self.issue(
                        number,
                        COL_KEY,
                        _(
                            "番号「%(key)s」は%(row)d行目と重複しています。",
                            key=key,
                            row=self.keys[key],
                        ),
                    )
                else:
                    self.keys[key] = number
        for number, values in self.rows:
            self.check_row(number, values)
        if self.issues:
            raise ImportRejected(
                sorted(
                    self.issues,
                    key=lambda i: (
                        i.row,
                        IMPORT_HEADERS.index(i.column) if i.column in IMPORT_HEADERS else -1,
                    ),
                )
            )
        return ImportPlan(rows=[self.valid[n] for n, _values in self.rows])

    def check_row(self, number: int, values: dict[str, str]) -> None:
        before = len(self.issues)
        get = values.get
        vendor_name = get(COL_VENDOR, "")
        raw_number = get(COL_NUMBER, "")
        corporate_number = ""
        if not vendor_name:
            self.issue(number, COL_VENDOR, _("委託先名称を入力してください。"))
        elif len(vendor_name) > 200:
            self.issue(number, COL_VENDOR, _("200文字以内で入力してください。"))
        if not raw_number:
            self.issue(number, COL_NUMBER, _("法人番号を入力してください。"))
        else:
            try:
                corporate_number = validate_corporate_number(raw_number)
            except ChainError as error:
                self.issue(number, COL_NUMBER, error.message)
        if corporate_number and vendor_name:
            first = self.numbers_seen.setdefault(corporate_number, (number, vendor_name))
            if first[1] != vendor_name:
                self.issue(
                    number,
                    COL_VENDOR,
                    _(
                        "法人番号 %(number)s は%(row)d行目で「%(name)s」とされています。",
                        number=corporate_number,
                        row=first[0],
                        name=first[1],
                    ),
                )

        row = ImportRow(number=number, vendor_name=vendor_name, corporate_number=corporate_number)
        outsourcing_columns = (
            COL_TASK,
            COL_DEPARTMENT,
            COL_START,
            COL_END,
            COL_PARENT_KEY,
            COL_PARENT_ROW,
            COL_PARENT_ID,
        )
        if any(get(c, "") for c in outsourcing_columns):
            self.check_outsourcing(number, values, row)
        if len(self.issues) == before:
            self.valid[number] = row

    def check_outsourcing(self, number: int, values: dict[str, str], row: ImportRow) -> None:
        get = values.get
        row.task_name = get(COL_TASK, "")
        if not row.task_name:
            self.issue(number, COL_TASK, _("委託業務名を入力してください。"))
        elif len(row.task_name) > 200:
            self.issue(number, COL_TASK, _("200文字以内で入力してください。"))

        for column, attribute in ((COL_START, "start_date"), (COL_END, "end_date")):
            text = get(column, "")
            parsed = _parse_date(text) if text else None
            if not text:
                self.issue(number, column, _("日付を入力してください。"))
            elif parsed is None:
                self.issue(
                    number,
                    column,
                    _("「%(value)s」は日付として読めません（例: 2026-04-01）。", value=text),
                )
            elif not date(2000, 1, 1) <= parsed <= date(2100, 12, 31):
                self.issue(number, column, _("日付が範囲外です（2000年から2100年まで）。"))
            else:
                setattr(row, attribute, parsed)
        if row.start_date and row.end_date and row.end_date < row.start_date:
            self.issue(number, COL_END, _("終了日が開始日より前です。"))

        parent = self.check_parent(number, values, row)
        is_child = (
            parent is not None
            or row.parent_row is not None
            or bool(get(COL_PARENT_KEY) or get(COL_PARENT_ROW) or get(COL_PARENT_ID))
        )

        department = self.check_department(number, values, required=not is_child)
        if department is not None:
            row.department_id = department.id

        status_text = get(COL_STATUS, "")
        if status_text:
            status = _STATUS_BY_LABEL.get(unicodedata.normalize("NFKC", status_text).strip())
            allowed = {S.APPROVED, S.ACTIVE, S.ENDED} if is_child else {S.ACTIVE, S.ENDED}
            if status not in allowed:
                labels = "・".join(
                    STATUS_LABELS[s] for s in (S.APPROVED, S.ACTIVE, S.ENDED) if s in allowed
                )
                self.issue(
                    number,
                    COL_STATUS,
                    _(
                        "状態「%(value)s」は取り込めません（%(labels)s のいずれか）。",
                        value=status_text,
                        labels=labels,
                    ),
                )
            else:
                row.status = status
        else:
            row.status = S.APPROVED if is_child else S.ACTIVE

        special = _parse_bool(get(COL_SPECIAL, ""))
        if special is None:
            self.issue(number, COL_SPECIAL, _("「あり」か「なし」で入力してください。"))
        persons_text = get(COL_PERSONS, "")
        persons = _parse_int(persons_text) if persons_text else 0
        if persons is None:
            self.issue(
                number,
                COL_PERSONS,
                _("「%(value)s」は0以上の整数ではありません。", value=persons_text),
            )
        categories, scope_note = get(COL_CATEGORIES, ""), get(COL_SCOPE, "")
        if len(categories) > 500:
            self.issue(number, COL_CATEGORIES, _("500文字以内で入力してください。"))
        if len(scope_note) > 2000:
            self.issue(number, COL_SCOPE, _("2000文字以内で入力してください。"))
        row.data = EntrustedData(
            categories=categories,
            special_care=bool(special),
            persons=persons or 0,
            scope_note=scope_note,
        )

        violation = _parse_bool(get(COL_VIOLATION, ""))
        if violation is None:
            self.issue(number, COL_VIOLATION, _("「あり」か「なし」で入力してください。"))
        elif violation and not is_child:
            self.issue(number, COL_VIOLATION, _("無承認再委託は再委託の行にだけ入力できます。"))
        elif violation and row.status == S.APPROVED and status_text:
            self.issue(
                number, COL_STATUS, _("無承認再委託の行の状態は、実施中か終了にしてください。")
            )
        elif violation:
            row.without_approval = True
            row.status = row.status if status_text else S.ACTIVE
        row.comment = get(COL_COMMENT, "")
        if len(row.comment) > 2000:
            self.issue(number, COL_COMMENT, _("2000文字以内で入力してください。"))

        self.check_against_parent(number, row)
        self.check_duplicate(number, row)

    def check_parent(
        self, number: int, values: dict[str, str], row: ImportRow
    ) -> Outsourcing | None:
        refs = [
            (c, values.get(c, ""))
            for c in (COL_PARENT_KEY, COL_PARENT_ROW, COL_PARENT_ID)
            if values.get(c, "")
        ]
        if len(refs) > 1:
            self.issue(
                number,
                refs[1][0],
                _("親の指定は「親番号」「親の行番号」「親の委託ID」のどれか一つにしてください。"),
            )
            return None
        if not refs:
            return None
        column, text = refs[0]
        if column == COL_PARENT_ID:
            parent_id = _parse_int(text)
            parent = (
                get_visible(session=self.session, user=self.actor, outsourcing_id=parent_id)
                if parent_id
                else None
            )
            if parent is None:
                self.issue(
                    number,
                    column,
                    _(
                        "委託ID %(value)s の委託は見つからないか、表示できる範囲にありません。",
                        value=text,
                    ),
                )
            elif parent.status in {S.REJECTED, S.REQUESTED}:
                self.issue(
                    number,
                    column,
                    _(
                        "委託ID %(value)s は申請中か却下のため、その下には取り込めません。",
                        value=text,
                    ),
                )
            elif not self._may_import_into(parent.department_id):
                self.issue(number, column, _("自分の課室以外の委託には取り込めません。"))
            else:
                row.parent = parent
            return row.parent
        if column == COL_PARENT_KEY:
            target = self.keys.get(text)
            if target is None:
                self.issue(
                    number,
                    column,
                    _("親番号「%(value)s」の行がこのファイルにありません。", value=text),
                )
                return None
        else:
            target = _parse_int(text)
            row_numbers = {n for n, _v in self.rows}
            if target is None or target not in row_numbers:
                self.issue(
                    number,
                    column,
                    _("親の行番号 %(value)s の行がこのファイルにありません。", value=text),
                )
                return None
        if target >= number:
            self.issue(number, column, _("元の委託の行は、この行より前に置いてください。"))
            return None
        row.parent_row = target
        return None

    def _may_import_into(self, department_id: int) -> bool:
        if self.actor.role in {Role.MANAGER, Role.STAFF}:
            return self.actor.department_id == department_id
        return True

    def check_department(
        self, number: int, values: dict[str, str], *, required: bool
    ) -> Department | None:
        name = unicodedata.normalize("NFKC", values.get(COL_DEPARTMENT, "")).strip()
        division_name = unicodedata.normalize("NFKC", values.get(COL_DIVISION, "")).strip()
        if not name:
            if required:
                self.issue(number, COL_DEPARTMENT, _("課室を入力してください。"))
            return None
        candidates = self.departments.get(name, [])
        if division_name:
            candidates = [(d, v) for d, v in candidates if v.name == division_name]
        if not candidates:
            self.issue(
                number,
                COL_DEPARTMENT,
                _(
                    "課室「%(name)s」は登録されていません。",
                    name=name if not division_name else f"{division_name} {name}",
                ),
            )
            return None
        if len(candidates) > 1:
            self.issue(
                number,
                COL_DIVISION,
                _(
                    "課室「%(name)s」は複数の部にあります。「部」の列も入力してください。",
                    name=name,
                ),
            )
            return None
        department = candidates[0][0]
        if not self._may_import_into(department.id):
            self.issue(number, COL_DEPARTMENT, _("自分の課室以外の委託は取り込めません。"))
            return None
        return department

    def _parent_facts(self, row: ImportRow) -> tuple[int, str, date, date] | None:
        """The parent's department, 法人番号 and period, whether in the file or registered."""
        if row.parent is not None:
            vendor = self.session.get(Vendor, row.parent.vendor_id)
            return (
                row.parent.department_id,
                vendor.corporate_number if vendor else "",
                row.parent.start_date,
                row.parent.end_date,
            )
        if row.parent_row is not None:
            parent = self.valid.get(row.parent_row)
            if parent is None or parent.vendor_only:
                return None  # the parent row's own issues are reported there
            department_id = parent.department_id
            if department_id is None and parent.parent_row is not None:
                department_id = self._department_of(parent)
            return (department_id, parent.corporate_number, parent.start_date, parent.end_date)
        return None

    def _department_of(self, row: ImportRow) -> int | None:
        while row.department_id is None:
            if row.parent is not None:
                return row.parent.department_id
            if row.parent_row is None or row.parent_row not in self.valid:
                return None
            row = self.valid[row.parent_row]
        return row.department_id

    def check_against_parent(self, number: int, row: ImportRow) -> None:
        if row.parent_row is not None and (
            row.parent_row not in self.valid or self.valid[row.parent_row].vendor_only
        ):
            if row.parent_row in self.valid:
                self.issue(
                    number,
                    COL_PARENT_ROW,
                    _("%(row)d行目は委託の行ではありません。", row=row.parent_row),
                )
            return
        facts = self._parent_facts(row)
        if facts is None:
            return
        department_id, parent_number, start, end = facts
        if row.department_id is not None and row.department_id != department_id:
            self.issue(
                number,
                COL_DEPARTMENT,
                _("再委託の課室は、元の委託と同じにしてください（空欄で構いません）。"),
            )
        row.department_id = department_id
        if row.corporate_number and row.corporate_number == parent_number:
            self.issue(number, COL_NUMBER, _("元の委託と同じ委託先への再委託は取り込めません。"))
        if row.start_date and row.end_date and (row.start_date < start or row.end_date > end):
            self.issue(
                number,
                COL_START,
                _(
                    "再委託の期間は、元の委託の期間（%(start)s〜%(end)s）の内側にしてください。",
                    start=start.isoformat(),
                    end=end.isoformat(),
                ),
            )

    def check_duplicate(self, number: int, row: ImportRow) -> None:
        if not (row.task_name and row.corporate_number and row.start_date):
            return
        parent_ref: object = (
            ("row", row.parent_row)
            if row.parent_row
            else ("id", row.parent.id if row.parent else None)
        )
        signature = (
            parent_ref,
            row.department_id,
            row.task_name,
            row.corporate_number,
            row.start_date,
        )
        if signature in self.signatures:
            self.issue(
                number,
                COL_TASK,
                _("%(row)d行目と同じ委託です（重複）。", row=self.signatures[signature]),
            )
            return
        self.signatures[signature] = number
        if row.parent_row is not None or row.department_id is None:
            return
        existing = self.session.exec(
            select(Outsourcing.id)
            .join(Vendor, Vendor.id == Outsourcing.vendor_id)
            .where(
                Outsourcing.parent_id == (row.parent.id if row.parent else None),
                Outsourcing.department_id == row.department_id,
                Outsourcing.task_name == row.task_name,
                Outsourcing.start_date == row.start_date,
                Vendor.corporate_number == row.corporate_number,
            )
        ).first()
        if existing is not None:
            self.issue(
                number,
                COL_TASK,
                _("この委託は既に登録されています（委託ID %(id)d）。", id=existing),
            )


def validate_import(
    *, session: Session, actor: User, headers: list[str], rows: list[tuple[int, dict[str, str]]]
) -> ImportPlan:
    """Check every row of a read file; ImportRejected lists every issue found."""
    validator = _Validator(session, actor, rows)
    validator.check_headers(headers)
    if validator.issues:
        raise ImportRejected(validator.issues)
    return validator.run()


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


def import_ledger(*, session: Session, actor: User, filename: str, data: bytes) -> ImportResult:
    """Read, validate and write a whole file, or nothing of it (ImportRejected)."""
    headers, rows = read_table(filename=filename, data=data)
    plan = validate_import(session=session, actor=actor, headers=headers, rows=rows)
    savepoint = session.begin_nested()
    try:
        result = apply_import(session=session, actor=actor, plan=plan)
    except ChainError as error:  # validation should have caught it; still never half an import
        savepoint.rollback()
        raise _file_error(error.message) from error
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()
    return result
