"""Importing the outsourcings sheet: every row checked, every issue collected, then a plan
that writing cannot fail on (the vendors and the outsourcings, each after its parent)."""

from __future__ import annotations

import unicodedata
from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session, select

from portal.ledger.sheets import (
    ImportIssue,
    ImportRejected,
    check_headers,
    parse_bool,
    parse_date,
    parse_int,
)
from portal.models import Department, Division, Outsourcing, User, Vendor
from portal.outsourcings.ledger_columns import (
    COL_CATEGORIES,
    COL_COMMENT,
    COL_DEPARTMENT,
    COL_DIVISION,
    COL_END,
    COL_KEY,
    COL_NUMBER,
    COL_PARENT_ID,
    COL_PARENT_KEY,
    COL_PARENT_ROW,
    COL_PERSONS,
    COL_SCOPE,
    COL_SPECIAL,
    COL_START,
    COL_STATUS,
    COL_TASK,
    COL_VENDOR,
    COL_VIOLATION,
    EXPORT_ONLY,
    IMPORT_COLUMNS,
    IMPORT_HEADERS,
    STATUS_LABELS,
    ImportPlan,
    ImportRow,
    S,
)
from portal.outsourcings.operations import ChainError, EntrustedData, validate_corporate_number
from portal.outsourcings.scope import get_visible
from portal.permissions import Role

_STATUS_BY_LABEL = {label: status for status, label in STATUS_LABELS.items()} | {
    s.value: s.value for s in S
}


class RowValidator:
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
        self.issues.extend(check_headers(headers, IMPORT_COLUMNS, also_known=EXPORT_ONLY))

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
            parsed = parse_date(text) if text else None
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

        special = parse_bool(get(COL_SPECIAL, ""))
        if special is None:
            self.issue(number, COL_SPECIAL, _("「あり」か「なし」で入力してください。"))
        persons_text = get(COL_PERSONS, "")
        persons = parse_int(persons_text) if persons_text else 0
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

        violation = parse_bool(get(COL_VIOLATION, ""))
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
            parent_id = parse_int(text)
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
            target = parse_int(text)
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
    validator = RowValidator(session, actor, rows)
    validator.check_headers(headers)
    if validator.issues:
        raise ImportRejected(validator.issues)
    return validator.run()
