"""One obligation mechanism: the kinds a feature registers, the one reminder run over all of
them, the tables made from the shared families, and an upgrade that keeps every row."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from alembic.script import ScriptDirectory
from chain_helpers import make_node
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from sqlalchemy import func, inspect, select, text
from sqlmodel import select as sql_select
from wtforms import StringField
from wtforms.validators import DataRequired

from portal import create_app, demo, migrate
from portal.config import DEFAULT_FEATURES
from portal.db import transaction
from portal.inspections.models import Inspection, InspectionAttachment, InspectionReminder
from portal.inspections.obligation import INSPECTION_OBLIGATION
from portal.models import User, Vendor
from portal.obligations.operations import attach_file
from portal.obligations.queries import attachments_of
from portal.obligations.registry import Recipients, registered_kinds
from portal.obligations.reminders import recent_reminders, send_due_reminders
from portal.obligations.rules import ObligationError
from portal.obligations.views import form_step, narrowed
from portal.permissions import Role
from portal.reports.models import ComplianceReport, ReportEvent, ReportReminder, ReportStatus
from portal.reports.obligation import REPORT_OBLIGATION
from portal.storage import get_storage
from portal.timeutil import local_today
from portal_testing import base_config

TODAY = date(2026, 11, 24)
PDF = b"%PDF-1.4\n% a report attachment\n"


def test_the_features_register_their_kinds_with_the_app(app):
    with app.app_context():
        assert {kind.name for kind in registered_kinds()} == {
            "inspection",
            "report",
            "structure",
            "improvement",  # a provision's improvement request: held by a provision
        }
    assert INSPECTION_OBLIGATION.owner == "inspection_id"
    assert INSPECTION_OBLIGATION.stamp_model is InspectionReminder
    assert INSPECTION_OBLIGATION.attachment_model is InspectionAttachment
    assert INSPECTION_OBLIGATION.history_model is None  # an inspection keeps no history rows
    assert (REPORT_OBLIGATION.storage_prefix, REPORT_OBLIGATION.history_model) == (
        "reports",
        ReportEvent,
    )


def test_the_shared_families_make_the_feature_tables():
    assert ReportReminder.__tablename__ == "report_reminders"
    assert ReportReminder.__qualname__ == "ReportReminder"
    assert ReportReminder.__module__ == "portal.reports.models"
    table = ReportReminder.__table__
    uniques = [
        sorted(c.name for c in constraint.columns)
        for constraint in table.constraints
        if constraint.__class__.__name__ == "UniqueConstraint"
    ]
    assert uniques == [["kind", "report_id"]]
    (foreign_key,) = table.c.report_id.foreign_keys
    assert foreign_key.target_fullname == "compliance_reports.id"
    assert foreign_key.ondelete == "CASCADE"
    assert {c.name for c in ReportEvent.__table__.constraints if c.name} == set()  # no uniques


def test_recipients_are_named_as_data():
    book = Recipients(
        officers_by_department={1: ["b@city", "a@city"]},
        vendor_users_by_vendor={7: ["v@vendor"]},
        email_by_user={5: "inspector@city"},
    )

    class Node:
        department_id, vendor_id = 1, 7

    class Owed:
        inspector_id = 5

    assert book.addresses(("officers", "inspector_id"), Owed, Node) == [
        "a@city",
        "b@city",
        "inspector@city",
    ]
    assert book.addresses(("vendor_users",), Owed, Node) == ["v@vendor"]
    Owed.inspector_id = 99  # an unknown or inactive user is nobody
    assert book.addresses(("inspector_id",), Owed, Node) == []


def test_one_run_reminds_every_registered_kind_once(app, factory, db_session):
    officer = factory.user(Role.STAFF)
    node = make_node(factory, department_id=officer.department_id, vendor=factory.vendor())
    inspection = Inspection(outsourcing_id=node.id, due_date=TODAY + timedelta(days=7))
    report = ComplianceReport(
        outsourcing_id=node.id,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 9, 30),
        due_date=TODAY - timedelta(days=1),
    )
    accepted = ComplianceReport(
        outsourcing_id=node.id,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        due_date=TODAY - timedelta(days=1),
        status=ReportStatus.ACCEPTED,  # no longer owed: never chased
    )
    db_session.add_all([inspection, report, accepted])
    db_session.commit()
    with app.app_context():
        first = send_due_reminders(session=db_session, today=TODAY, config={})
        again = send_due_reminders(session=db_session, today=TODAY, config={})
        notices = recent_reminders(
            session=db_session, kind=REPORT_OBLIGATION, owed_ids=[report.id], today=TODAY
        )
    # No management structure is owed here (none was created): its kind sends nothing.
    assert first == {"inspection": 1, "report": 1, "structure": 0, "improvement": 0}
    assert again == {"inspection": 0, "report": 0, "structure": 0, "improvement": 0}
    stamp, owed, outsourcing = notices[0]
    assert (stamp.kind, owed.id, outsourcing.id) == ("overdue", report.id, node.id)
    assert officer.email in stamp.recipients


def test_the_one_run_is_scheduled_once_after_the_features_runs(app, factory, db_session):
    from datetime import UTC, datetime

    from portal.obligations.jobs import obligation_reminders

    huey = app.extensions["portal.huey"]

    def at(hour: int, minute: int) -> set[str]:
        return {t.name for t in huey.read_periodic(datetime(2026, 1, 1, hour, minute, tzinfo=UTC))}

    # The features create what is owed (05:30–05:45); no feature sends its reminders itself.
    assert "obligation_reminders" in at(5, 55)
    assert not any("obligation_reminders" in at(5, m) for m in (30, 40, 45, 50))
    assert "provisions_daily" not in at(5, 50)
    officer = factory.user(Role.STAFF)
    node = make_node(factory, department_id=officer.department_id, vendor=factory.vendor())
    overdue = local_today() - timedelta(days=1)
    db_session.add(Inspection(outsourcing_id=node.id, due_date=overdue))
    db_session.commit()
    with app.app_context():
        first = obligation_reminders(session=db_session)
        again = obligation_reminders(session=db_session)
        kinds = {kind.name for kind in registered_kinds()}
    assert first["inspection"] == 1 and set(first) == kinds  # every kind, in one run
    assert sum(again.values()) == 0


def _attach(session, kind, owed, actor, filename: str):
    """Keep a small PDF (its bytes differ by name) with ``owed``."""
    return attach_file(
        session=session,
        storage=get_storage(),
        kind=kind,
        owed=owed,
        actor=actor,
        stream=io.BytesIO(PDF + filename.encode()),
        filename=filename,
    )


def test_attachments_are_refused_once_the_row_is_no_longer_open(app, factory, db_session):
    vendor_user = factory.user(Role.VENDOR)
    vendor = db_session.get(Vendor, vendor_user.vendor_id)
    node = make_node(factory, department_id=factory.department().id, vendor=vendor)
    report = ComplianceReport(
        outsourcing_id=node.id,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 9, 30),
        due_date=TODAY,
    )
    db_session.add(report)
    db_session.commit()
    with app.app_context():
        kept = _attach(db_session, REPORT_OBLIGATION, report, vendor_user, "C:\\報告\\添付.pdf")
        assert kept.storage_key.startswith(f"reports/{report.id}/")
        assert kept.filename == "添付.pdf"
        report.status = ReportStatus.SUBMITTED
        with pytest.raises(ObligationError, match="提出済みの報告には添付できません"):
            _attach(db_session, REPORT_OBLIGATION, report, vendor_user, "2.pdf")
        rows = attachments_of(session=db_session, kind=REPORT_OBLIGATION, owed_id=report.id)
    assert [row.filename for row in rows] == ["添付.pdf"]


# --- the upgrade keeps every row -------------------------------------------------------------

#: The migration head of the schema before the obligation mechanism (commit 90a14e2).
BEFORE = "56bee83f4318"
#: Features whose tables came after ``BEFORE`` (left out of the app that loads the old schema).
LATER_FEATURES = ("portal.structures", "portal.provisions")
#: What the counting must find rows of (the demo loads them, or the test adds them).
MUST_HAVE_ROWS = (
    "inspections",
    "inspection_reminders",
    "inspection_attachments",
    "compliance_reports",
    "report_reminders",
    "report_attachments",
    "report_events",
)


def _counts(engine) -> dict[str, int]:
    tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    with engine.connect() as connection:
        return {
            table: connection.execute(select(func.count()).select_from(text(table))).scalar_one()
            for table in sorted(tables)
        }


def test_upgrade_from_the_schema_before_keeps_every_row(tmp_path):
    (tmp_path / "db").mkdir()
    # The features of that time: the schema before has no tables of the later ones.
    features = [f for f in DEFAULT_FEATURES if f not in LATER_FEATURES]
    app = create_app(
        {
            **base_config(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db' / 'portal.db'}",
            "FEATURES": features,
        }
    )
    engine = app.extensions["portal.db"]
    migrate.upgrade(engine, BEFORE)
    today = date.today()
    with app.app_context(), transaction() as session:
        demo.load(session=session)
        # The demo has no reminders or attachments yet: a reminder run a year on stamps the
        # overdue ones, and each kind keeps one file.
        send_due_reminders(session=session, today=today + timedelta(days=400), config={})
        actor = session.exec(sql_select(User).where(User.role == Role.ADMIN)).first()
        for kind in (INSPECTION_OBLIGATION, REPORT_OBLIGATION):
            model = kind.model
            owed = session.exec(
                sql_select(model).where(model.status.in_(kind.open_statuses)).order_by(model.id)
            ).first()
            _attach(session, kind, owed, actor, f"{kind.name}.pdf")
    before = _counts(engine)
    assert all(before[table] > 0 for table in MUST_HAVE_ROWS), before

    migrate.upgrade(engine)

    after = _counts(engine)
    assert {table: after[table] for table in before} == before
    # The tables of later features are created, and empty.
    assert all(after[table] == 0 for table in after.keys() - before.keys())
    with engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    script = ScriptDirectory.from_config(migrate.alembic_config(engine))
    assert revision == script.get_current_head()
    # The rebuilt features read the upgraded rows.
    with app.app_context(), transaction() as session:
        stamped = session.exec(sql_select(ReportReminder.report_id)).all()
        assert recent_reminders(
            session=session,
            kind=REPORT_OBLIGATION,
            owed_ids=list(stamped),
            today=today,
            days=1,
        )
    engine.dispose()


# --- the shared view helpers ---------------------------------------------------------------


class _ReasonForm(FlaskForm):
    class Meta:
        csrf = False

    reason = StringField(validators=[DataRequired()])


def _step_in_request(app, data: dict[str, str], step) -> tuple[bool, list[tuple[str, str]]]:
    with app.test_request_context(method="POST", data=data):
        ran = form_step(
            _ReasonForm(), step, done="済みました。", incomplete="理由を入力してください。"
        )
        return ran, get_flashed_messages(with_categories=True)


def test_a_form_step_runs_the_operation_only_for_a_valid_form(app):
    calls = []
    ran, flashed = _step_in_request(app, {"reason": ""}, lambda: calls.append(1))
    assert (ran, calls, flashed) == (False, [], [("error", "理由を入力してください。")])
    ran, flashed = _step_in_request(app, {"reason": "はい"}, lambda: calls.append(1))
    assert (ran, calls, flashed) == (True, [1], [("success", "済みました。")])


def test_a_form_step_shows_the_refusal_of_the_rules(app):
    def refuse() -> None:
        raise ObligationError("期限を過ぎています。")

    ran, flashed = _step_in_request(app, {"reason": "はい"}, refuse)
    assert (ran, flashed) == (False, [("error", "期限を過ぎています。")])


def test_a_narrowed_lookup_checks_the_outsourcing_after_the_scope(app):
    seen = []

    def visible(row_id: int) -> tuple[str, str, str]:
        return (f"row{row_id}", "node", "vendor")

    lookup = narrowed(visible, seen.append)
    assert lookup(3) == ("row3", "node", "vendor") and seen == ["node"]
