"""The ledger (台帳): download a sheet as CSV or Excel; import one from such a file.

Which sheets exist is up to the features (portal/ledger/sheets.py); ``?sheet=`` picks one,
the first registered (the outsourcings) when absent.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import audit
from portal.db import db
from portal.ledger import operations
from portal.ledger.forms import ImportForm
from portal.ledger.sheets import LedgerSheet
from portal.permissions import Permission, requires
from portal.timeutil import to_local, utcnow

bp = Blueprint("ledger", __name__, url_prefix="/ledger")

_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(body: bytes, stem: str, extension: str) -> Response:
    """An attachment named ``<stem>_<Japan date>.<extension>`` (RFC 5987 for the Japanese)."""
    filename = f"{stem}_{to_local(utcnow()).date().isoformat()}.{extension}"
    response = Response(body, mimetype=_TYPES[extension])
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _sheet(*, importable: bool = False) -> LedgerSheet:
    """The sheet the request names (404 when no such sheet, or it cannot be imported)."""
    sheet = operations.sheet_named(request.args.get("sheet"))
    if sheet is None or (importable and not sheet.importable):
        abort(404)
    return sheet


def _sheet_args(sheet: LedgerSheet) -> dict[str, str]:
    """The query that names ``sheet`` in links (none for the first, the default)."""
    return {} if sheet is operations.sheet_named(None) else {"sheet": sheet.name}


@bp.route("/")
@requires(Permission.EXPORT_LEDGER)
def index() -> str:
    """The ledger page: what it holds and the downloads."""
    sheet = _sheet()
    # A count, not the rows: the page shows only how many the downloads will hold.
    count = sheet.count(db.session, current_user._get_current_object())
    return render_template(
        "ledger/index.html",
        count=count,
        sheet=sheet,
        sheets=operations.registered_sheets(),
        sheet_args=_sheet_args(sheet),
    )


@bp.route("/export.<any(csv, xlsx):fmt>")
@requires(Permission.EXPORT_LEDGER)
def export(fmt: str) -> Response:
    """The sheet's rows the user may see, as CSV or Excel."""
    sheet = _sheet()
    rows = sheet.rows(db.session, current_user._get_current_object())
    body = (
        operations.to_csv(sheet.export_headers, rows)
        if fmt == "csv"
        else operations.to_xlsx(sheet.export_headers, rows, title=sheet.title)
    )
    # Every row describes an entrusted body of personal information: a row counts as a record.
    detail = {"format": fmt} | ({"sheet": sheet.name} if sheet.name != "outsourcings" else {})
    audit.record_download("ledger.export", object_type="ledger", records=len(rows), detail=detail)
    return _download(body, sheet.title, fmt)


@bp.route("/import", methods=["GET", "POST"])
@requires(Permission.IMPORT_LEDGER)
def import_file() -> Response | tuple[str, int] | str:
    """Upload a file: everything is imported, or nothing and every problem is listed."""
    sheet = _sheet(importable=True)
    form = ImportForm()
    issues: list[operations.ImportIssue] = []
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.stream.read(operations.MAX_IMPORT_BYTES + 1)
        try:
            result = operations.import_file(
                sheet=sheet,
                session=db.session,
                actor=current_user._get_current_object(),
                filename=upload.filename or "",
                data=data,
            )
        except operations.ImportRejected as rejected:
            issues = rejected.issues
        else:
            audit.record(
                "ledger.import",
                object_type="ledger",
                detail={"filename": upload.filename or ""} | result.audit_detail(),
            )
            flash(result.summary(), "success")
            return redirect(url_for("ledger.index", **_sheet_args(sheet)))
    page = render_template(
        "ledger/import.html",
        form=form,
        issues=issues,
        sheet=sheet,
        sheet_args=_sheet_args(sheet),
        columns=sheet.import_columns,
        max_rows=operations.MAX_IMPORT_ROWS,
        max_mb=operations.MAX_IMPORT_BYTES // (1024 * 1024),
    )
    # 422 also makes the request roll back, though nothing was written.
    return (page, 422) if issues else page


@bp.route("/import/template.<any(csv, xlsx):fmt>")
@requires(Permission.IMPORT_LEDGER)
def import_template(fmt: str) -> Response:
    """The import template: the header row (and, in Excel, a sheet explaining each column)."""
    sheet = _sheet(importable=True)
    body = operations.template_csv(sheet) if fmt == "csv" else operations.template_xlsx(sheet)
    return _download(body, f"{sheet.title}_取込みテンプレート", fmt)
