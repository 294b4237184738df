"""The start page is each role's work queue: counts and the oldest items for officers and
vendors, a department × item matrix for the chief and the auditor, and one statement per
queue whatever the size of the tree."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from chain_helpers import make_node
from sqlalchemy import event

from portal.incidents.models import Incident
from portal.inspections.models import (
    ActionStatus,
    CorrectiveAction,
    Inspection,
    InspectionFinding,
    InspectionStatus,
)
from portal.models import OutsourcingStatus
from portal.permissions import Role
from portal.reports.models import ComplianceReport, ReportStatus, SubcontractViolation
from portal.reviews.models import ContractDocument, DocumentStatus
from portal.timeutil import local_today


def count_of(page: str, key: str) -> int:
    """The count shown for the queue ``key`` ("3件" / "3 items")."""
    match = re.search(rf'data-testid="count-{key}">(\d+)', page)
    assert match, f"no queue {key} on the page"
    return int(match.group(1))


def populate(factory, department, *, vendor=None, requester=None, n: int = 1) -> dict:
    """One chain of ``department`` with something waiting in every queue, ``n`` times."""
    today = local_today()
    made: dict = {}
    for i in range(n):
        root_vendor = vendor or factory.vendor()
        root = make_node(
            factory, department_id=department.id, vendor=root_vendor, task_name=f"住民税課税業務{i}"
        )
        child = make_node(
            factory,
            department_id=department.id,
            vendor=factory.vendor(),
            parent=root,
            task_name=f"データ入力{i}",
            status=OutsourcingStatus.REQUESTED,
            requested_at=datetime(2026, 1, 5 + i, tzinfo=UTC),
            requested_by_id=requester.id if requester else None,
        )
        session = factory.session
        overdue = Inspection(outsourcing_id=root.id, due_date=today - timedelta(days=10))
        soon = Inspection(
            outsourcing_id=root.id,
            due_date=today + timedelta(days=12),
            status=InspectionStatus.PLANNED,
            planned_date=today + timedelta(days=5),
        )
        session.add_all([overdue, soon])
        session.flush()
        finding = InspectionFinding(inspection_id=overdue.id, description="施錠の不備")
        session.add(finding)
        session.flush()
        session.add(
            CorrectiveAction(
                finding_id=finding.id,
                outsourcing_id=root.id,
                description="保管庫に施錠する",
                due_date=today - timedelta(days=3),
                status=ActionStatus.OPEN,
            )
        )
        late = ComplianceReport(
            outsourcing_id=root.id,
            due_date=today - timedelta(days=20),
            period_start=date(2025, 1, 1 + i),
            period_end=date(2025, 3, 31),
        )
        submitted = ComplianceReport(
            outsourcing_id=root.id,
            due_date=today + timedelta(days=5),
            status=ReportStatus.SUBMITTED,
            period_start=date(2025, 4, 1 + i),
            period_end=date(2025, 6, 30),
        )
        returned = ComplianceReport(
            outsourcing_id=root.id,
            due_date=today + timedelta(days=9),
            status=ReportStatus.RETURNED,
            period_start=date(2025, 7, 1 + i),
            period_end=date(2025, 9, 30),
        )
        session.add_all([late, submitted, returned])
        session.flush()
        session.add(
            SubcontractViolation(
                outsourcing_id=root.id,
                report_id=submitted.id,
                name="無承認印刷株式会社",
                corporate_number="1234567890123",
            )
        )
        session.add(
            Incident(
                outsourcing_id=root.id,
                summary="委託先で住民票の写しを誤送付",
                discovered_on=today - timedelta(days=1),
                aware_on=today - timedelta(days=1),
                commission_required=True,
                first_report_due=today + timedelta(days=2),
                final_report_due=today + timedelta(days=29),
            )
        )
        session.add(
            ContractDocument(
                outsourcing_id=root.id,
                filename="契約書.pdf",
                storage_key=f"documents/home{root.id}.pdf",
                sha256=f"{root.id:064x}",
                size=1,
                status=DocumentStatus.DONE,
                statuses={"c1": "satisfied", "c2": "missing"},
                analysed_at=datetime(2026, 2, 1, tzinfo=UTC),
            )
        )
        session.commit()
        made = {"root": root, "child": child, "incident_first": today + timedelta(days=2)}
    return made


OFFICER_QUEUES = {
    "requests_to_decide": 1,
    "contracts_unconfirmed": 1,
    "contracts_with_gaps": 1,
    "inspections_overdue": 1,
    "inspections_due_soon": 1,
    "actions_overdue": 1,
    "reports_late": 1,
    "reports_submitted": 1,
    "reports_returned": 1,
    "incidents_open": 1,
    "violations_open": 1,
}


@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGER])
def test_officer_home_lists_what_waits(client, login, factory, role):
    officer = login(role)
    department = factory.session.get(type(factory.department()), officer.department_id)
    made = populate(factory, department)
    populate(factory, factory.department())  # another department's work: not shown
    page = client.get("/").get_data(as_text=True)
    for key, expected in OFFICER_QUEUES.items():
        assert count_of(page, key) == expected, key
    assert f'/outsourcings/{made["child"].id}"' in page  # the request links to the node
    assert "速報まで2日" in page and "確報まで29日" in page
    assert "住民税課税業務0" in page
    assert 'data-testid="queue-matrix"' not in page


def test_vendor_home_shows_its_own_obligations(client, login, factory):
    vendor_user = login(Role.VENDOR)
    vendor = factory.session.get(type(factory.vendor()), vendor_user.vendor_id)
    populate(factory, factory.department(), vendor=vendor, requester=vendor_user)
    populate(factory, factory.department())  # another vendor's: not shown
    page = client.get("/").get_data(as_text=True)
    assert count_of(page, "reports_due") == 1
    assert count_of(page, "reports_returned_to_me") == 1
    assert count_of(page, "actions_to_answer") == 1
    assert count_of(page, "my_requests") == 1
    assert count_of(page, "inspections_planned") == 1
    assert count_of(page, "incidents_reported") == 1
    assert "承認待ち" in page
    # The officers' queues are not the vendor's.
    assert 'data-testid="count-requests_to_decide"' not in page
    assert 'data-testid="count-contracts_with_gaps"' not in page


@pytest.mark.parametrize("role", [Role.CHIEF, Role.AUDITOR])
def test_chief_home_is_a_department_matrix(client, login, factory, role):
    login(role)
    first = factory.department("市民課")
    second = factory.department("税務課")
    populate(factory, first, n=2)
    populate(factory, second)
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="queue-matrix"' in page
    row = re.search(r"市民課</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r'badge-\w+">(\d+)<', row)[:3] == ["2", "2", "2"]
    total = re.search(r"<tfoot>(.*?)</tfoot>", page, re.S).group(1)
    assert "<strong>3</strong>" in total


def test_admin_home_has_no_queue(client, login):
    login(Role.ADMIN)
    page = client.get("/").get_data(as_text=True)
    assert 'id="work-queue"' not in page


def _statements(connection, client) -> int:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_rest) -> None:
        seen.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        response = client.get("/")
    finally:
        event.remove(connection, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(seen)


@pytest.mark.parametrize("role", [Role.STAFF, Role.CHIEF, Role.VENDOR])
def test_one_statement_per_queue_whatever_the_size(client, login, factory, connection, role):
    user = login(role)
    department = (
        factory.session.get(type(factory.department()), user.department_id)
        if user.department_id
        else factory.department()
    )
    vendor = factory.session.get(type(factory.vendor()), user.vendor_id) if user.vendor_id else None
    requester = user if vendor else None
    populate(factory, department, vendor=vendor, requester=requester)
    client.get("/")  # caches warmed alike on both sizes
    small = _statements(connection, client)
    populate(factory, department, vendor=vendor, requester=requester, n=6)
    populate(factory, factory.department(), n=3)
    large = _statements(connection, client)
    assert small > 0
    assert large == small, f"{small} statements for the small tree, {large} for the large"
