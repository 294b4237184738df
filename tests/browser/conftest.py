"""A live portal on 127.0.0.1 and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session
from werkzeug.serving import make_server

from portal import create_app, migrate
from portal.db import make_engine
from portal_testing import base_config, need_service

PASSWORD = "ブラウザ試験用のながいパスワード"
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        need_service("Chromium", f"{CHROMIUM} is not installed (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class LiveServer:
    def __init__(self, app, url: str, engine) -> None:
        self.app, self.url, self.engine = app, url, engine

    def sign_in(self, page, email: str, password: str = PASSWORD) -> None:
        """Sign in through the real form and wait for the start page."""
        page.goto(self.url + "/auth/login")
        page.get_by_label("メールアドレス").fill(email)
        page.get_by_label("パスワード").fill(password)
        page.get_by_role("button", name="サインイン").click()
        page.wait_for_url(self.url + "/")

    def sign_in_password(self, page, email: str, password: str = PASSWORD) -> None:
        """Submit the sign-in form (whatever step comes next, e.g. the second factor)."""
        page.goto(self.url + "/auth/login")
        page.get_by_label("メールアドレス").fill(email)
        page.get_by_label("パスワード").fill(password)
        page.get_by_role("button", name="サインイン").click()

    def add_user(self, role: str, email: str, password: str, **fields: object) -> None:
        """Create an account directly in the live server's database."""
        from portal.admin.operations import create_user

        with self.app.app_context(), Session(self.engine) as session:
            if role in {"manager", "staff"} and "department_id" not in fields:
                from portal.admin.operations import create_department, create_division

                division = create_division(session=session, name="総務部")
                fields["department_id"] = create_department(
                    session=session, division_id=division.id, name="総務課"
                ).id
            create_user(session=session, email=email, role=role, password=password, **fields)
            session.commit()


@pytest.fixture
def live_config() -> dict[str, object]:
    """Settings a test module adds to the live server's (override the fixture to change)."""
    return {}


@pytest.fixture
def live_server(tmp_path: Path, live_config: dict[str, object]) -> Iterator[LiveServer]:
    """The portal on its own SQLite file, served by a real HTTP server in a thread."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    app = create_app(
        {
            **base_config(tmp_path),
            "DATABASE_URL": url,
            "DATABASE_ENGINE": engine,
            "DEMO": True,
            **live_config,
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app, f"http://127.0.0.1:{server.server_port}", engine)
    server.shutdown()
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-end.png"), full_page=True)
    context.close()


@pytest.fixture
def shot(page):
    """``shot(name)`` saves a screenshot of the page to artifacts/screenshots."""

    def _shot(name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return _shot
