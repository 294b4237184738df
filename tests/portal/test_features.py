"""Features plug in through one hook: a module named in FEATURES registers what it adds.

This test module is itself such a feature (``register`` below), installed after the others:
its page, API route, job, tree badge, start-page block, menu entry and ledger sheet appear
without the core knowing of it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Blueprint, Flask, jsonify, template_rendered
from sqlalchemy import Connection, Engine
from sqlmodel import Session

from portal import create_app
from portal.config import DEFAULT_FEATURES
from portal.features import (
    HOME_WIDGETS,
    MENU,
    TREE_BADGES,
    ApiRoute,
    Badge,
    Features,
    HomeWidget,
    MenuItem,
    NodeLike,
)
from portal.jobs import job
from portal.ledger import operations as ledger
from portal.ledger.sheets import LEDGER_SHEETS, ImportRejected, LedgerSheet
from portal.models import User
from portal.permissions import ROLE_PERMISSIONS_KEY, Permission, Role, public, requires
from portal_testing import base_config

bp = Blueprint("sample", __name__, url_prefix="/sample")


@bp.route("/")
@public
def hello() -> str:
    """A page of the sample feature."""
    return "sample feature"


@requires(Permission.USE_API)
def sample_api() -> object:
    """An API route of the sample feature (token checks aside: the API feature adds none)."""
    return jsonify(sample=True)


@job("sample.touch")
def touch(*, session: Session) -> str:
    """A job of the sample feature."""
    return "touched"


def sample_badges(session: Session, nodes: Sequence[NodeLike]) -> dict[int, list[Badge]]:
    """Every node gets the sample badge."""
    return {node.id: [Badge("見本", "ok")] for node in nodes}


SHEET = LedgerSheet(
    name="sample",
    title="見本台帳",
    export_headers=("番号", "名称"),
    rows=lambda session, user: [[1, "=SUM(A1)"], [2, "見本"]],
    count=lambda session, user: 2,
)


def register(app: Flask, features: Features) -> None:
    """The sample feature's one hook."""
    features.add_blueprint(bp)
    features.add_api_routes(ApiRoute("/sample", sample_api))
    features.add_jobs(touch)
    features.add(TREE_BADGES, sample_badges)
    features.add(
        HOME_WIDGETS,
        HomeWidget("sample_widget", lambda session, user: f"hello {user.email}"),
    )
    features.add(MENU, MenuItem("sample.hello", "見本", Permission.VIEW_DASHBOARD, 15))
    features.add(LEDGER_SHEETS, SHEET)


def _with_sample(names: Sequence[str]) -> list[str]:
    # Before portal.api, which builds the API from the routes added so far.
    at = list(names).index("portal.api")
    return [*names[:at], __name__, *names[at:]]


@pytest.fixture
def app(engine: Engine, connection: Connection, tmp_path: Path) -> Iterator[Flask]:
    """The portal with this module installed as a feature."""
    yield create_app(
        {
            **base_config(tmp_path),
            "DATABASE_ENGINE": engine,
            "DATABASE_CONNECTION": connection,
            "FEATURES": _with_sample(DEFAULT_FEATURES),
        }
    )


@dataclass
class FakeNode:
    id: int
    parent_id: int | None = None
    path: str = "/999999/"
    status: str = "active"
    entered_without_approval: bool = False
    declared_subsidiary: bool = False


def test_the_features_are_installed_in_order(app):
    features = app.extensions["portal.features"]
    assert features.names == _with_sample(DEFAULT_FEATURES)
    assert "sample" in app.blueprints
    assert "sample.touch" in app.extensions["portal.tasks"]


def test_the_features_assemble_the_authorization_matrix(app):
    # Each feature grants its own permissions; together they give each role what it had when
    # the matrix was one table in portal/permissions.py.
    P = Permission
    everyone = {P.VIEW_DASHBOARD, P.CHANGE_OWN_PASSWORD, P.VIEW_OUTSOURCINGS, P.USE_API}
    everyone |= {P.VIEW_INSPECTIONS, P.VIEW_REPORTS, P.VIEW_INCIDENTS}
    everyone |= {P.VIEW_DISPATCH}  # issue 14: a 派遣元's users see their own contracts
    officer = {P.MANAGE_OUTSOURCINGS, P.DECIDE_SUBCONTRACTS, P.MANAGE_VENDORS}
    officer |= {P.EXPORT_LEDGER, P.IMPORT_LEDGER, P.MANAGE_INSPECTIONS, P.UPLOAD_CONTRACTS}
    officer |= {P.REVIEW_CONTRACTS, P.MANAGE_REPORTS, P.REPORT_INCIDENTS, P.MANAGE_INCIDENTS}
    officer |= {P.VIEW_SHARED_MEASURES}
    officer |= {P.VIEW_PROVISIONS, P.MANAGE_PROVISIONS, P.MANAGE_DISPATCH}  # issue 14
    expected = {
        Role.ADMIN: {
            P.VIEW_DASHBOARD,
            P.CHANGE_OWN_PASSWORD,
            P.MANAGE_USERS,
            P.MANAGE_DEPARTMENTS,
            P.VIEW_PROFILE_SETTINGS,
        },
        Role.CHIEF: everyone
        | {P.VIEW_PROFILE_SETTINGS, P.EXPORT_LEDGER, P.ESCALATE_INCIDENTS, P.VIEW_SHARED_MEASURES}
        | {P.VIEW_PROVISIONS},
        Role.MANAGER: everyone | officer | {P.ESCALATE_INCIDENTS},
        Role.STAFF: everyone | officer,
        Role.AUDITOR: everyone
        | {P.VIEW_PROFILE_SETTINGS, P.EXPORT_LEDGER, P.VIEW_SHARED_MEASURES, P.VIEW_ACCESS_LOG}
        | {P.VIEW_PROVISIONS},
        Role.VENDOR: everyone
        | {
            P.REQUEST_SUBCONTRACT,
            P.ANSWER_CORRECTIVE_ACTIONS,
            P.UPLOAD_CONTRACTS,
            P.SUBMIT_REPORTS,
            P.REPORT_INCIDENTS,
            P.SUBMIT_STRUCTURES,  # issue 14: the vendor submits its management structure
        },
    }
    for role in (Role.CHIEF, Role.MANAGER, Role.STAFF, Role.AUDITOR):
        expected[role] |= {P.VIEW_CHARTS}  # the dashboard's pictures (portal.charts)
    assert app.extensions[ROLE_PERMISSIONS_KEY] == expected


def test_without_a_feature_nobody_holds_its_permissions(engine, connection, tmp_path):
    names = [name for name in DEFAULT_FEATURES if name != "portal.ledger"]
    app = create_app(
        {
            **base_config(tmp_path),
            "DATABASE_ENGINE": engine,
            "DATABASE_CONNECTION": connection,
            "FEATURES": names,
        }
    )
    with app.app_context():
        staff = User(email="s@example.jp", role=Role.STAFF, password_hash="-")
        assert staff.can(Permission.VIEW_OUTSOURCINGS)
        assert not staff.can(Permission.EXPORT_LEDGER)
    with pytest.raises(RuntimeError, match="app context"):
        staff.can(Permission.VIEW_OUTSOURCINGS)


def test_a_feature_adds_a_page_an_api_route_and_a_menu_entry(client, login):
    assert client.get("/sample/").get_data(as_text=True) == "sample feature"
    login("staff")
    assert client.get("/api/v1/sample").get_json() == {"sample": True}
    html = client.get("/").get_data(as_text=True)
    assert 'href="/sample/"' in html
    # The menu keeps its order: the sample entry (15) after the start page (10), before the
    # tree (20).
    assert html.index('href="/sample/"') < html.index('href="/outsourcings/tree"')


def test_a_feature_adds_a_tree_badge_after_the_others(app_ctx, db_session):
    from portal.outsourcings.badges import badges_for

    node = FakeNode(id=999999, entered_without_approval=True)
    labels = [badge.label for badge in badges_for(db_session, [node])[node.id]]
    assert labels[0] == "無承認の再委託" and labels[-1] == "見本"


def test_a_feature_adds_a_block_to_the_start_page(app, client, login):
    seen = {}

    def _capture(sender, template, context, **extra):
        if template.name == "main/dashboard.html":
            seen.update(context)

    template_rendered.connect(_capture, app)
    try:
        user = login("staff")
        client.get("/")
    finally:
        template_rendered.disconnect(_capture, app)
    assert seen["sample_widget"] == f"hello {user.email}"


def test_a_feature_adds_a_ledger_sheet(client, login):
    login("staff")
    body = client.get("/ledger/export.csv?sheet=sample").data
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [["番号", "名称"], ["1", "'=SUM(A1)"], ["2", "見本"]]
    page = client.get("/ledger/?sheet=sample").get_data(as_text=True)
    # The page names the sheet in its downloads, lists every sheet, offers no import.
    assert "/ledger/export.csv?sheet=sample" in page and "見本台帳" in page
    assert 'href="/ledger/?sheet=outsourcings"' in page and "/ledger/import" not in page
    # Without ``sheet`` the first registered sheet (the outsourcings) is meant.
    assert client.get("/ledger/export.csv").data.decode("utf-8-sig").startswith("番号,親番号")
    # A sheet without an import has no import page, and no such sheet is not found.
    assert client.get("/ledger/import?sheet=sample").status_code == 404
    assert client.get("/ledger/export.csv?sheet=nothing").status_code == 404


def test_a_sheet_without_an_import_refuses_a_file(db_session):
    actor = User(email="x@example.jp", role="staff", password_hash="-")
    with pytest.raises(ImportRejected) as refused:
        ledger.import_file(
            sheet=SHEET, session=db_session, actor=actor, filename="a.csv", data=b"x\n1\n"
        )
    assert refused.value.issues[0].message == "この台帳は取り込めません。"


def test_api_routes_added_after_the_api_is_built_are_refused(engine, connection, tmp_path):
    names = [*DEFAULT_FEATURES, __name__]  # after portal.api: too late
    with pytest.raises(RuntimeError, match="reorder FEATURES"):
        create_app(
            {
                **base_config(tmp_path),
                "DATABASE_ENGINE": engine,
                "DATABASE_CONNECTION": connection,
                "FEATURES": names,
            }
        )


def test_a_module_without_register_is_no_feature(engine, connection, tmp_path):
    with pytest.raises(RuntimeError, match="has no register"):
        create_app(
            {
                **base_config(tmp_path),
                "DATABASE_ENGINE": engine,
                "DATABASE_CONNECTION": connection,
                "FEATURES": [*DEFAULT_FEATURES, "portal.timeutil"],
            }
        )


def test_a_job_name_is_bound_once(app):
    with pytest.raises(ValueError, match="registered twice"):
        app.extensions["portal.features"].add_jobs(touch)
