"""The municipality's organisation (部 and 課室) as the pages list it."""

from __future__ import annotations

from sqlmodel import Session, select

from portal.models import Department, Division


def departments_by_division(*, session: Session) -> list[tuple[Division, list[Department]]]:
    """Divisions in order, each with its departments in order."""
    divisions = session.exec(select(Division).order_by(Division.sort_order, Division.name)).all()
    departments = session.exec(
        select(Department).order_by(Department.sort_order, Department.name)
    ).all()
    grouped: dict[int, list[Department]] = {d.id: [] for d in divisions}
    for department in departments:
        grouped.setdefault(department.division_id, []).append(department)
    return [(division, grouped[division.id]) for division in divisions]
