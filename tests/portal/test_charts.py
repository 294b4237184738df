"""The dashboard's pictures: the figures within scope, the SVG (CSP-safe, Japanese), the page
with a table beside each picture, and the Excel export."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from chain_helpers import make_node
from openpyxl import load_workbook

from portal.charts import data
from portal.incidents.models import Incident
from portal.inspections.models import Inspection, InspectionStatus
from portal.permissions import Role
from portal.reports.models import ComplianceReport, ReportStatus
from portal.reviews.models import ContractDocument, DocumentStatus
from portal.reviews.presenters import clause_titles
from portal.timeutil import local_today


def _populate(factory, department) -> None:
    today = local_today()
    start, _end = data._fy_bounds(data.fiscal_year(today))
    root = make_node(factory, department_id=department.id, vendor=factory.vendor())
    child = make_node(factory, department_id=department.id, vendor=factory.vendor(), parent=root)
    session = factory.session
    session.add_all(
        [
            Inspection(
                outsourcing_id=child.id,
                due_date=start + timedelta(days=40),
                status=InspectionStatus.COMPLETED,
                completed_on=start + timedelta(days=35),
            ),
            Inspection(outsourcing_id=root.id, due_date=today - timedelta(days=1)),
            ComplianceReport(
                outsourcing_id=root.id,
                period_start=start,
                period_end=start + timedelta(days=90),
                due_date=start + timedelta(days=110),
                status=ReportStatus.ACCEPTED,
                submitted_at=datetime.combine(
                    start + timedelta(days=100), datetime.min.time(), UTC
                ),
            ),
            Incident(
                outsourcing_id=root.id,
                summary="誤送付",
                discovered_on=start + timedelta(days=3),
                aware_on=start + timedelta(days=3),
                commission_required=True,
            ),
            ContractDocument(
                outsourcing_id=child.id,
                filename="契約書.pdf",
                storage_key=f"documents/chart{child.id}.pdf",
                sha256=f"{child.id:064x}",
                size=1,
                status=DocumentStatus.DONE,
                statuses={"confidentiality": "satisfied", "subcontracting": "missing"},
            ),
        ]
    )
    session.commit()


def test_figures_count_within_scope(app_ctx, factory):
    mine, other = factory.department(), factory.department()
    _populate(factory, mine)
    _populate(factory, other)
    officer = factory.user(Role.STAFF, department_id=mine.id)
    chief = factory.user(Role.CHIEF)
    today = local_today()
    session = factory.session
    figures = {f.kind: f for f in data.all_figures(session=session, user=officer, today=today)}
    inspections = figures["inspections"]
    assert sum(inspections.series[0].values) == 1  # done (April + 35 days → May)
    assert inspections.series[0].values[1] == 1
    assert sum(inspections.series[2].values) == (1 if today.month != 4 or today.day > 1 else 0)
    clauses = figures["clauses"]
    index = clauses.categories.index(clause_titles()["subcontracting"])
    assert clauses.series[2].values[index] == 1  # missing
    assert figures["reports"].series[0].values[1] == 1  # on time, due in July: 2nd quarter
    assert figures["incidents"].series[0].values[0] == 1  # to the Commission, April
    chain = figures["chain"]
    assert chain.series[0].values == [1, 1]
    assert ("契約書の確認と今年度の実地検査がともに済んでいるもの", "1（100%）") in chain.extra
    everything = {f.kind: f for f in data.all_figures(session=session, user=chief, today=today)}
    assert everything["chain"].series[0].values == [2, 2]


def test_dashboard_page_svg_and_excel(client, login, factory):
    officer = login(Role.MANAGER)
    department = factory.session.get(type(factory.department()), officer.department_id)
    _populate(factory, department)
    page = client.get("/charts/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for kind in ("inspections", "clauses", "reports", "incidents", "chain"):
        assert f'src="/charts/{kind}.svg"' in html
        assert f'data-testid="table-{kind}"' in html
    assert "<script>" not in html and "style=" not in html  # the page stays CSP-clean
    picture = client.get("/charts/inspections.svg")
    assert picture.mimetype == "image/svg+xml"
    body = picture.get_data(as_text=True)
    assert body.startswith("<?xml") and "<svg" in body and "<script" not in body
    assert "'unsafe-inline'" in picture.headers["Content-Security-Policy"]
    assert "script-src" not in picture.headers["Content-Security-Policy"]
    assert client.get("/charts/unknown.svg").status_code == 404
    export = client.get("/charts/export.xlsx")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.get_data()))
    assert book.sheetnames == ["inspections", "clauses", "reports", "incidents", "chain"]
    sheet = book["reports"]
    assert sheet["A3"].value == "区分" and sheet["B5"].value == 1  # on time, 2nd quarter
