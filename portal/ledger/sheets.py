"""The ledger's sheets: what a feature writes to put its records into the ledger (台帳).

A feature owns the columns, the rows and the checks of its sheet and registers it::

    features.add(LEDGER_SHEETS, SHEET)

The ledger (``portal.ledger.operations``) does the rest for every sheet alike: CSV and Excel,
reading a file, the limits, and refusing the whole file with every issue listed. This module
is the ledger's public face for the other features; the Japanese messages that every sheet
shares (headers, yes/no, dates) live here.

The file format (Japanese headers and labels) is fixed and not translated: the ledger is a
municipal document, and an exported ledger must import again whatever language the UI shows.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from flask_babel import gettext as _
from sqlmodel import Session

from portal.features import Slot
from portal.models import User

YES, NO = "あり", "なし"

#: The ledger's sheets, in the order the ledger page lists them.
LEDGER_SHEETS: Slot[LedgerSheet] = Slot("ledger_sheets")


@dataclass(frozen=True)
class ImportColumn:
    """One column of the import template, documented on the import page and in the template."""

    header: str
    required: bool
    description: object  # a lazy string: shown in the user's language
    example: str = ""


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


def file_error(message: str) -> ImportRejected:
    """The file as a whole is refused (row 0)."""
    return ImportRejected([ImportIssue(0, "", message)])


class ImportOutcome(Protocol):
    """What a sheet's import wrote, for the user and for the access log."""

    def summary(self) -> str:
        """A sentence for the user (translated)."""

    def audit_detail(self) -> dict[str, Any]:
        """Counts worth keeping in the access log."""


#: Rows as read: (the row number as the spreadsheet shows it, {header: text}).
Rows = list[tuple[int, dict[str, str]]]


@dataclass(frozen=True)
class LedgerSheet:
    """A sheet of the ledger: its export and, when it has one, its import.

    ``validate`` checks every row and raises ImportRejected with every issue, or returns a
    plan; ``apply`` writes the plan (inside a savepoint the ledger rolls back on any error).
    """

    name: str
    title: str  # the file name and the worksheet title (Japanese, fixed)
    export_headers: tuple[str, ...]
    rows: Callable[[Session, User], list[list[object]]]
    count: Callable[[Session, User], int]
    # What the ledger page says of the sheet (lazy strings, shown in the user's language).
    # ``description`` may use %(regulation)s and %(article)s (the profile's ledger article).
    heading: object = ""
    description: object = ""
    contents: object = ""
    import_guide: object = ""
    import_columns: tuple[ImportColumn, ...] = ()
    validate: Callable[[Session, User, list[str], Rows], Any] | None = None
    apply: Callable[[Session, User, Any], ImportOutcome] | None = None

    @property
    def importable(self) -> bool:
        """Whether the sheet can be imported."""
        return self.validate is not None and self.apply is not None

    @property
    def import_headers(self) -> tuple[str, ...]:
        """The headers of the import template."""
        return tuple(column.header for column in self.import_columns)


def check_headers(
    headers: Sequence[str], columns: Sequence[ImportColumn], *, also_known: frozenset[str]
) -> list[ImportIssue]:
    """Unknown, repeated and missing required headers (``also_known``: export-only columns)."""
    issues: list[ImportIssue] = []
    known = {column.header for column in columns} | also_known
    for header in headers:
        if header and header not in known:
            issues.append(
                ImportIssue(
                    1,
                    header,
                    _(
                        "見出し「%(header)s」は使えません。テンプレートの見出しを使ってください。",
                        header=header,
                    ),
                )
            )
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            issues.append(
                ImportIssue(1, header, _("見出し「%(header)s」が2回あります。", header=header))
            )
        seen.add(header)
    for column in columns:
        if column.required and column.header not in headers:
            issues.append(
                ImportIssue(
                    1,
                    column.header,
                    _("必須の列「%(header)s」がありません。", header=column.header),
                )
            )
    return issues


_TRUE = {"あり", "有", "はい", "○", "◯", "1", "true", "yes", "y", "違反"}
_FALSE = {"", "なし", "無", "いいえ", "×", "-", "0", "false", "no", "n"}


def parse_date(text: str) -> date | None:
    """A date as people write it (2026-04-01, 2026/4/1, 2026年4月1日), or None."""
    value = unicodedata.normalize("NFKC", text).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def parse_int(text: str) -> int | None:
    """A count of 0 or more (full-width digits, thousands commas, a trailing 人), or None."""
    value = unicodedata.normalize("NFKC", text).replace(",", "").strip()
    value = value.removesuffix("人").strip()
    return int(value) if value.isdigit() else None


def parse_bool(text: str) -> bool | None:
    """あり／なし and the like as True/False; None for anything else."""
    value = unicodedata.normalize("NFKC", text).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None
