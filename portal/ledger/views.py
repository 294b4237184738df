"""The ledger (台帳): download it as CSV or Excel; import vendors and outsourcings."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func
from sqlmodel import select

from portal import audit
from portal.db import db
from portal.ledger import operations
from portal.ledger.forms import ImportForm
from portal.models import Outsourcing
from portal.outsourcings.scope import visibility_clause
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


@bp.route("/")
@requires(Permission.EXPORT_LEDGER)
def index() -> str:
    """The ledger page: what it holds and the downloads."""
    # A count, not the rows: the page shows only how many the downloads will hold.
    count = db.session.exec(
        select(func.count(Outsourcing.id)).where(
            visibility_clause(current_user._get_current_object())
        )
    ).one()
    return render_template("ledger/index.html", count=count)


@bp.route("/export.<any(csv, xlsx):fmt>")
@requires(Permission.EXPORT_LEDGER)
def export(fmt: str) -> Response:
    """The outsourcings the user may see, one row per node, as CSV or Excel."""
    rows = operations.ledger_rows(session=db.session, user=current_user._get_current_object())
    writer = operations.to_csv if fmt == "csv" else operations.to_xlsx
    # Every row describes an entrusted body of personal information: a row counts as a record.
    audit.record_download(
        "ledger.export", object_type="ledger", records=len(rows), detail={"format": fmt}
    )
    return _download(writer(operations.EXPORT_HEADERS, rows), "委託台帳", fmt)


@bp.route("/import", methods=["GET", "POST"])
@requires(Permission.IMPORT_LEDGER)
def import_file() -> Response | tuple[str, int] | str:
    """Upload a file: everything is imported, or nothing and every problem is listed."""
    form = ImportForm()
    issues: list[operations.ImportIssue] = []
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.stream.read(operations.MAX_IMPORT_BYTES + 1)
        try:
            result = operations.import_ledger(
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
                detail={
                    "filename": upload.filename or "",
                    "outsourcings": result.outsourcings_created,
                    "vendors": result.vendors_created,
                },
            )
            flash(
                _(
                    "取り込みました：委託 %(outsourcings)d件、新しい委託先 %(vendors)d件。",
                    outsourcings=result.outsourcings_created,
                    vendors=result.vendors_created,
                ),
                "success",
            )
            return redirect(url_for("ledger.index"))
    page = render_template(
        "ledger/import.html",
        form=form,
        issues=issues,
        columns=operations.IMPORT_COLUMNS,
        max_rows=operations.MAX_IMPORT_ROWS,
        max_mb=operations.MAX_IMPORT_BYTES // (1024 * 1024),
    )
    # 422 also makes the request roll back, though nothing was written.
    return (page, 422) if issues else page


@bp.route("/import/template.<any(csv, xlsx):fmt>")
@requires(Permission.IMPORT_LEDGER)
def import_template(fmt: str) -> Response:
    """The import template: the header row (and, in Excel, a sheet explaining each column)."""
    body = operations.template_csv() if fmt == "csv" else operations.template_xlsx()
    return _download(body, "委託台帳_取込みテンプレート", fmt)
