"""The ``portal`` command line."""

from __future__ import annotations

import json

from sqlmodel import select

from portal.auth.passwords import verify_password
from portal.models import User
from portal_testing import sign_in


def test_create_admin_prints_a_one_time_password(runner, client, db_session):
    result = runner.invoke(args=["users", "create-admin", "Root@City.example.jp"])
    assert result.exit_code == 0, result.output
    password = result.output.strip().splitlines()[-1]
    user = db_session.exec(select(User).where(User.email == "root@city.example.jp")).one()
    assert user.role == "admin" and user.must_change_password
    assert verify_password(user.password_hash, password)
    response = sign_in(client, "root@city.example.jp", password)
    assert response.headers["Location"] == "/auth/password"


def test_create_admin_twice_is_a_clear_error(runner):
    runner.invoke(args=["users", "create-admin", "root@city.example.jp"])
    result = runner.invoke(args=["users", "create-admin", "root@city.example.jp"])
    assert result.exit_code != 0 and "既に登録されています" in result.output


def test_users_list_json(runner, factory):
    vendor_user = factory.user("vendor")
    factory.user("auditor", email="audit@test.example.jp")
    result = runner.invoke(args=["users", "list", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["email"]: row for row in json.loads(result.output)}
    assert rows[vendor_user.email]["role"] == "vendor"
    assert rows[vendor_user.email]["vendor_id"] == vendor_user.vendor_id
    assert rows["audit@test.example.jp"] == {
        **rows["audit@test.example.jp"],
        "role": "auditor",
        "vendor_id": None,
    }


def test_demo_load_gives_one_account_per_role(runner, client):
    # --no-contracts: the contracts and their analysis are tested in test_demo_contracts.py.
    result = runner.invoke(args=["demo", "load", "--if-empty", "--no-contracts"])
    assert result.exit_code == 0, result.output
    from portal.demo import ACCOUNTS, DEMO_PASSWORD

    for email, role, *_rest in ACCOUNTS:
        assert email in result.output and role.value in result.output
    assert sign_in(client, "manager@demo.example.jp", DEMO_PASSWORD).status_code == 302
    again = runner.invoke(args=["demo", "load", "--if-empty"])
    assert "not loaded" in again.output


def test_demo_is_refused_in_production(app, runner):
    app.config["PRODUCTION"] = True
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code != 0 and "refused in production" in result.output


def test_demo_comes_with_inspections_planned(runner, db_session):
    from portal.inspections.models import Inspection, InspectionStatus

    runner.invoke(args=["demo", "load", "--no-contracts"])
    planned = db_session.exec(
        select(Inspection).where(Inspection.status == InspectionStatus.PLANNED)
    ).all()
    assert planned and all(i.planned_date for i in planned)


def test_demo_comes_with_reports_due_submitted_and_a_violation(runner, db_session):
    from portal.reports.models import ComplianceReport, SubcontractViolation

    result = runner.invoke(args=["demo", "load", "--no-contracts"])
    assert result.exit_code == 0, result.output
    statuses = set(db_session.exec(select(ComplianceReport.status)).all())
    assert {"due", "submitted", "accepted"} <= statuses
    assert db_session.exec(select(SubcontractViolation)).all()
