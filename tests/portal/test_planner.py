"""The inspection planner, without Flask or a database."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from portal.inspections.planner import Booked, PlanItem, is_working_day, plan

TODAY = date(2026, 11, 24)


def item(
    n: int,
    due: date,
    *,
    department: int = 1,
    inspector: int | None = None,
    start: date = date(2026, 4, 1),
    end: date = date(2028, 3, 31),
) -> PlanItem:
    return PlanItem(n, due, start, end, department, inspector)


def test_never_on_weekends_national_holidays_or_year_end():
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert not is_working_day(date(2027, 1, 11))  # 成人の日
    assert not is_working_day(date(2026, 12, 30))  # 年末年始
    assert not is_working_day(date(2027, 5, 3))  # 憲法記念日
    items = [item(n, TODAY + timedelta(days=10 + n % 300)) for n in range(600)]
    for day in plan(items, today=TODAY).values():
        assert is_working_day(day), day


def test_inside_the_contract_and_not_after_the_due_date():
    items = [
        item(1, date(2027, 6, 30)),
        item(2, date(2027, 3, 15), start=date(2027, 2, 1), end=date(2027, 3, 31)),
        item(3, date(2027, 9, 30), end=date(2027, 5, 31)),  # the contract ends before the due date
    ]
    proposals = plan(items, today=TODAY)
    assert TODAY < proposals[1] <= date(2027, 6, 30)
    assert date(2027, 2, 1) <= proposals[2] <= date(2027, 3, 15)
    assert proposals[3] <= date(2027, 5, 31)


def test_overdue_inspections_come_first_and_soon():
    proposals = plan([item(1, TODAY - timedelta(days=20))], today=TODAY)
    assert TODAY < proposals[1] <= TODAY + timedelta(days=30)


def test_nothing_outside_a_contract_that_has_ended():
    assert plan([item(1, date(2026, 10, 1), end=date(2026, 10, 31))], today=TODAY) == {}


def test_load_is_spread_per_inspector_over_months_and_days():
    items = [item(n, date(2027, 11, 20), inspector=7) for n in range(120)]
    proposals = plan(items, today=TODAY)
    per_month = Counter((d.year, d.month) for d in proposals.values())
    # Months are filled in proportion to their working days: whole months within ±1 of the
    # mean of about 10, the few working days left of this month and of the due month less.
    whole = [
        n for (year, month), n in per_month.items() if (year, month) not in {(2026, 11), (2027, 11)}
    ]
    assert len(whole) == 11 and max(whole) - min(whole) <= 2, per_month
    assert per_month[(2026, 11)] <= 3, per_month
    assert max(Counter(proposals.values()).values()) == 1  # one inspection a day each
    # Another inspector's inspections do not count against this one.
    other = plan([*items, item(999, date(2027, 11, 20), inspector=8)], today=TODAY)
    assert other[999]


def test_already_planned_inspections_count_towards_the_load():
    booked = [Booked(date(2026, 12, 1) + timedelta(days=n), 1) for n in range(20)]
    proposals = plan([item(1, date(2027, 1, 29))], today=TODAY, booked=booked)
    assert proposals[1].month == 1  # December is full already


def test_officer_plans_the_year_and_accepts_it(client, login, factory, db_session):
    from chain_helpers import make_node
    from sqlmodel import select

    from portal.inspections.models import Inspection, InspectionStatus
    from portal.permissions import Role
    from portal_testing import csrf_token

    officer = login(Role.STAFF)
    node = make_node(
        factory,
        department_id=officer.department_id,
        vendor=factory.vendor(),
        start_date=date(2026, 4, 1),
        end_date=date(2028, 3, 31),
    )
    other_department = make_node(
        factory, department_id=factory.department().id, vendor=factory.vendor()
    )
    token = csrf_token(client, "/inspections/")
    response = client.post("/inspections/plan", data={"csrf_token": token})
    assert response.status_code == 302
    mine = db_session.exec(select(Inspection).where(Inspection.outsourcing_id == node.id)).one()
    db_session.refresh(mine)
    assert mine.proposed_date and is_working_day(mine.proposed_date) and mine.planned_date is None
    assert not db_session.exec(
        select(Inspection).where(
            Inspection.outsourcing_id == other_department.id, Inspection.proposed_date.is_not(None)
        )
    ).first()
    client.post("/inspections/plan/accept", data={"csrf_token": token})
    db_session.refresh(mine)
    assert mine.planned_date == mine.proposed_date and mine.status == InspectionStatus.PLANNED
