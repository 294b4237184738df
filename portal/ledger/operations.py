"""The ledger (台帳): every registered sheet to CSV or Excel, and back from the same kind of
file, validated in full before anything is written (one sheet at a time).

The sheets come from the features that own them (``portal.ledger.sheets``); this module knows
only files: writing, reading, the limits, the import template, and all-or-nothing imports.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlmodel import Session

from portal.features import current_features
from portal.ledger.sheets import (
    LEDGER_SHEETS,
    YES,
    ImportIssue,
    ImportOutcome,
    ImportRejected,
    LedgerSheet,
    file_error,
)
from portal.models import User

__all__ = ["ImportIssue", "ImportRejected"]  # read by the views from here

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 2000
MAX_IMPORT_COLUMNS = 60


def registered_sheets() -> list[LedgerSheet]:
    """The sheets the installed features registered."""
    return current_features().get(LEDGER_SHEETS)


def sheet_named(name: str | None) -> LedgerSheet | None:
    """The sheet ``name`` (the first registered when None), or None."""
    sheets = registered_sheets()
    if name is None:
        return sheets[0] if sheets else None
    return next((sheet for sheet in sheets if sheet.name == name), None)


# --- writing ---------------------------------------------------------------------------


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
    headers: Sequence[str], rows: Iterable[Sequence[object]], *, title: str = "台帳"
) -> bytes:
    """An Excel workbook: a bold header row, frozen below the header, columns sized to fit."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    _write_sheet(sheet, headers, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv(sheet: LedgerSheet) -> bytes:
    """The import template as CSV: the header row only."""
    return to_csv(sheet.import_headers, [])


def template_xlsx(sheet: LedgerSheet) -> bytes:
    """The import template as Excel: the data sheet to fill in, then a sheet explaining it."""
    workbook = Workbook()
    data_sheet = workbook.active
    data_sheet.title = "取込みデータ"
    _write_sheet(data_sheet, sheet.import_headers, [])
    guide = workbook.create_sheet("記入方法")
    _write_sheet(
        guide,
        [str(_("列")), str(_("必須")), str(_("説明")), str(_("記入例"))],
        [
            [c.header, YES if c.required else "", str(c.description), c.example]
            for c in sheet.import_columns
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading a file --------------------------------------------------------------------


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
        raise file_error(
            _("CSVファイルの文字コードが読めません。UTF-8かShift_JISで保存してください。")
        )
    if "\x00" in text:
        raise file_error(_("CSVファイルとして読めません。"))
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise file_error(_("CSVファイルとして読めません。")) from error


def _read_xlsx(data: bytes) -> list[list[str]]:
    if not data.startswith(b"PK\x03\x04"):
        raise file_error(_("Excelファイル（.xlsx）として読めません。"))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken file
        raise file_error(_("Excelファイル（.xlsx）として読めません。")) from error
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
        raise file_error(
            _("古いExcel形式（.xls）は読めません。.xlsx形式かCSVで保存し直してください。")
        )
    if suffix not in {"csv", "xlsx"}:
        raise file_error(_("取り込めるのはCSV（.csv）かExcel（.xlsx）のファイルだけです。"))
    if len(data) > MAX_IMPORT_BYTES:
        raise file_error(
            _("ファイルが大きすぎます（上限 %(mb)d MB）。", mb=MAX_IMPORT_BYTES // (1024 * 1024))
        )
    table = _read_csv(data) if suffix == "csv" else _read_xlsx(data)
    while table and not any(table[0]):
        table.pop(0)
    if not table:
        raise file_error(_("ファイルに見出しの行がありません。"))
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
        raise file_error(
            _(
                "行数が多すぎます（上限 %(n)d 行）。ファイルを分けて取り込んでください。",
                n=MAX_IMPORT_ROWS,
            )
        )
    if not rows:
        raise file_error(_("取り込むデータの行がありません。"))
    return headers, rows


def import_file(
    *, sheet: LedgerSheet, session: Session, actor: User, filename: str, data: bytes
) -> ImportOutcome:
    """Read, validate and write a whole file into ``sheet``, or nothing of it (ImportRejected)."""
    if sheet.validate is None or sheet.apply is None:
        raise file_error(_("この台帳は取り込めません。"))
    headers, rows = read_table(filename=filename, data=data)
    plan = sheet.validate(session, actor, headers, rows)
    savepoint = session.begin_nested()
    try:
        result = sheet.apply(session, actor, plan)
    except BaseException:
        # Validation should have caught it; still never half an import.
        savepoint.rollback()
        raise
    savepoint.commit()
    return result
