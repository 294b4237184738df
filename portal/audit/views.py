"""The auditors' viewer of the access log, its CSV export and the analysis report."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime, timedelta

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_babel import gettext as _

from portal.audit import queries
from portal.audit.forms import EventFilterForm, ReportPeriodForm
from portal.audit.operations import record
from portal.audit.queries import EventFilter, local_midnight
from portal.audit.report import analyse
from portal.db import db
from portal.permissions import Permission, requires
from portal.timeutil import JST, to_local

bp = Blueprint("audit", __name__, url_prefix="/audit")

PER_PAGE = 50
CSV_COLUMNS = (
    "seq",
    "occurred_at_utc",
    "actor_id",
    "actor",
    "role",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "address",
    "request_id",
    "detail",
    "hash",
)


def _filter_form() -> tuple[EventFilterForm, EventFilter]:
    form = EventFilterForm(request.args)
    form.action.choices = [
        ("", _("すべて")),
        *[(a, a) for a in queries.actions_in_use(session=db.session)],
    ]
    where = form.to_filter() if form.validate() else EventFilter()
    return form, where


def _filter_detail(where: EventFilter) -> dict[str, str]:
    return {k: str(v) for k, v in vars(where).items() if v}


@bp.route("/")
@requires(Permission.VIEW_ACCESS_LOG)
def index() -> str:
    """Events, newest first, filtered by date, user, action, outcome and object."""
    form, where = _filter_form()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    events, total = queries.find_events(
        session=db.session, where=where, page=page, per_page=PER_PAGE
    )
    record("audit.view", object_type="access_log", detail=_filter_detail(where))
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "audit/index.html", form=form, events=events, total=total, page=page, pages=pages, args=args
    )


@bp.route("/export.csv")
@requires(Permission.VIEW_ACCESS_LOG)
def export() -> Response:
    """The filtered events as CSV (UTF-8 with BOM, for Excel); the export is itself recorded."""
    _form, where = _filter_form()
    record("audit.export", object_type="access_log", detail=_filter_detail(where))
    session = db.session

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow(CSV_COLUMNS)
        for event in queries.iter_events(session=session, where=where):
            writer.writerow(
                [
                    event.seq,
                    event.occurred_at.isoformat(),
                    event.actor_id or "",
                    event.actor_label,
                    event.role,
                    event.action,
                    event.object_type or "",
                    event.object_id or "",
                    event.outcome,
                    event.address,
                    event.request_id,
                    event.detail,
                    event.hash,
                ]
            )
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    stamp = datetime.now(JST).strftime("%Y%m%d-%H%M")
    response = Response(stream_with_context(rows()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="access-log-{stamp}.csv"'
    return response


@bp.route("/report")
@requires(Permission.VIEW_ACCESS_LOG)
def report() -> str:
    """Off-hours access, denials and out-of-scope attempts, unusual volumes, bulk downloads."""
    form = ReportPeriodForm(request.args)
    today = datetime.now(JST).date()
    first, last = form.period(today) if form.validate() else ReportPeriodForm().period(today)
    since, until = local_midnight(first), local_midnight(last + timedelta(days=1))
    result = analyse(session=db.session, since=since, until=until)
    record(
        "audit.report",
        object_type="access_log",
        detail={"from": first.isoformat(), "to": last.isoformat()},
    )
    return render_template(
        "audit/report.html", form=form, report=result, first=first, last=last, to_local=to_local
    )
