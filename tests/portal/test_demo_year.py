"""The demo looks like a real year on the day it is loaded, and ``portal demo reset`` works
(it rebuilds the database: the access log's chain head refuses a DELETE)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlmodel import Session, select

from portal import create_app, migrate
from portal.demo import year
from portal.incidents.models import Incident, IncidentStatus
from portal.inspections.models import OPEN_STATUSES, Inspection, InspectionStatus
from portal.models import Outsourcing, OutsourcingStatus
from portal.reports.models import EDITABLE_STATUSES, ComplianceReport, ReportStatus
from portal_testing import base_config


def _own_app(tmp_path):
    (tmp_path / "db").mkdir()
    app = create_app(
        {**base_config(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db' / 'demo.db'}"}
    )
    migrate.upgrade(app.extensions["portal.db"])
    return app


def test_demo_reset_rebuilds_and_the_year_is_relative_to_today(tmp_path):
    app = _own_app(tmp_path)
    runner = app.test_cli_runner()
    loaded = runner.invoke(args=["demo", "load", "--no-contracts"])
    assert loaded.exit_code == 0, loaded.output
    with app.extensions["portal.db"].connect() as connection:
        # What a DELETE of every row stumbled on: the chain head, guarded by a trigger.
        assert connection.exec_driver_sql("SELECT count(*) FROM audit_chain_head").scalar() > 0
    # Reset twice: the second one also finds the access log and its chain head written.
    for _ in range(2):
        result = runner.invoke(args=["demo", "reset", "--yes", "--no-contracts"])
        assert result.exit_code == 0, result.output
        assert "demo data reset" in result.output

    today = date.today()
    soon = today + timedelta(days=30)
    with Session(app.extensions["portal.db"]) as session:
        assert len(session.exec(select(Outsourcing.id)).all()) > 50  # loaded once, not twice
        inspections = session.exec(select(Inspection)).all()
        open_ = [i for i in inspections if i.status in OPEN_STATUSES]
        overdue = [i for i in open_ if i.due_date < today]
        due_soon = [i for i in open_ if today <= i.due_date <= soon]
        done = [i for i in inspections if i.status == InspectionStatus.COMPLETED]
        assert 1 <= len(overdue) <= 2
        assert all(today - i.due_date <= timedelta(days=60) for i in overdue)  # a lapse
        assert 1 <= len(due_soon) <= 0.15 * len(open_)  # a few
        assert len(done) + len(open_) - len(overdue) - len(due_soon) > 0.8 * len(inspections)
        assert all(i.completed_on <= today for i in done)

        reports = session.exec(select(ComplianceReport)).all()
        passed = [r for r in reports if r.due_date < today]
        late = [r for r in passed if r.status in EDITABLE_STATUSES]
        assert len(late) <= 3 and len(late) < 0.05 * len(passed)
        statuses = Counter(r.status for r in passed)
        assert statuses[ReportStatus.ACCEPTED] > 0.9 * len(passed)
        assert statuses[ReportStatus.RETURNED] >= 1 and statuses[ReportStatus.SUBMITTED] >= 1

        within = [
            i
            for i in session.exec(
                select(Incident).where(Incident.status == IncidentStatus.OPEN)
            ).all()
            if i.commission_required and i.first_report_due >= today  # inside the 速報 window
        ]
        assert len(within) == 1
        pending = session.exec(
            select(Outsourcing).where(Outsourcing.status == OutsourcingStatus.REQUESTED)
        ).all()
        assert len(pending) == 1

        # Subcontract names read like real ones: no parent's name repeated at every tier.
        names = session.exec(
            select(Outsourcing.task_name).where(Outsourcing.parent_id.is_not(None))
        ).all()
        assert names and not [n for n in names if n.count("（") > 1]
        assert set(names) & {chain[1] for chain in year.SUBTASK_CHAINS}


def test_subtask_names():
    assert year.subtask_name("国民健康保険被保険者証作成業務", 2, 0) == (
        "国民健康保険被保険者証作成に係るデータ入力業務"
    )
    assert year.subtask_name("国民健康保険被保険者証作成業務", 3, 1) == "圧着はがきの加工"
    assert year.subtask_name("x", 7, 2) == "故障機器の現地交換作業"
