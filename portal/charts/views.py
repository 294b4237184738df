"""The dashboard's pictures: the page (each chart with its table), the SVGs, the workbook."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user

from portal.charts import data, excel, render
from portal.db import db
from portal.downloads import attachment_response
from portal.permissions import Permission, requires
from portal.timeutil import local_today

bp = Blueprint("charts", __name__, url_prefix="/charts")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An SVG shown through <img> runs no script; matplotlib styles its shapes inline, which this
# response (not the page) allows.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _user():
    return current_user._get_current_object()


@bp.route("/")
@requires(Permission.VIEW_CHARTS)
def index() -> str:
    """Every picture with its table, for the screen, the printer (A4) and Excel."""
    today = local_today()
    figures = data.all_figures(session=db.session, user=_user(), today=today)
    return render_template("charts/index.html", figures=figures, today=today)


@bp.route("/<kind>.svg")
@requires(Permission.VIEW_CHARTS)
def chart(kind: str) -> Response:
    """One picture as SVG."""
    figure = data.figure(kind, session=db.session, user=_user(), today=local_today())
    if figure is None:
        abort(404)
    response = Response(render.svg(figure), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_POLICY
    return response


@bp.route("/export.xlsx")
@requires(Permission.VIEW_CHARTS)
def export() -> Response:
    """The tables of every picture as an Excel workbook."""
    today = local_today()
    figures = data.all_figures(session=db.session, user=_user(), today=today)
    body = excel.workbook(figures, title=_("委託先監督の状況（%(date)s）", date=today.isoformat()))
    return attachment_response(
        iter([body]),
        filename=_("委託先監督の状況_%(date)s.xlsx", date=today.isoformat()),
        fallback=f"dashboard_{today.isoformat()}.xlsx",
        mimetype=XLSX,
        size=len(body),
    )
