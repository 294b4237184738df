"""Helpers the portal's tests share (imported by name; conftest.py holds only fixtures)."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient

from portal.models import Department, Division, User, Vendor
from portal.permissions import Role

# Unique 法人番号 bases for test vendors within one test process.
_VENDOR_SEQUENCE = itertools.count(1)

IN_CI = os.environ.get("CI", "").lower() == "true"
TEST_PASSWORD = "正しい馬の電池のホッチキス"  # a Japanese passphrase is a good password
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def need_service(name: str, reason: str) -> None:
    """Skip on a developer's machine, fail in CI: a service a test needs is missing."""
    if IN_CI:
        pytest.fail(f"{name} is required in CI: {reason}")
    pytest.skip(f"{name} not available: {reason}")


def tcp_reachable(url: str, default_port: int) -> bool:
    """Whether the host:port of ``url`` accepts a TCP connection."""
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 2
        ):
            return True
    except OSError:
        return False


def base_config(tmp_path: Path) -> dict:
    """Settings every test app shares."""
    return {
        "ENV_MODE": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-" + uuid.uuid4().hex,
        "INSTANCE_DIR": str(tmp_path / "instance"),
        "STORAGE_DIR": str(tmp_path / "storage"),
        "HUEY_SQLITE_PATH": str(tmp_path / "jobs.db"),
        "REDIS_URL": os.environ.get("PORTAL_TEST_REDIS_URL") or None,
        "RATELIMIT_STORAGE_URI": os.environ.get("PORTAL_TEST_REDIS_URL") or "memory://",
        "RATELIMIT_KEY_PREFIX": "test-" + uuid.uuid4().hex,
        # Both profiles require a second factor; the tests of other features sign in with the
        # password alone, and tests/portal/test_accounts.py (and the browser test of the
        # second factor) switch the requirement back on to test it.
        "TOTP_REQUIRED": False,
    }


class Factory:
    """Builds rows for tests."""

    def __init__(self, session, password_hash: str) -> None:
        self.session = session
        self.password_hash = password_hash
        self._n = 0
        self.last_user: User | None = None

    def _next(self) -> int:
        self._n += 1
        return self._n

    def division(self, name: str | None = None) -> Division:
        division = Division(name=name or f"部{self._next()}")
        self.session.add(division)
        self.session.commit()
        return division

    def department(self, name: str | None = None, division: Division | None = None) -> Department:
        division = division or self.division()
        department = Department(division_id=division.id, name=name or f"課{self._next()}")
        self.session.add(department)
        self.session.commit()
        return department

    def vendor(self, name: str | None = None, parent: Vendor | None = None) -> Vendor:
        from portal.demo import corporate_number

        n = self._next()
        vendor = Vendor(
            name=name or f"株式会社テスト{n}",
            corporate_number=corporate_number(f"{800000000000 + next(_VENDOR_SEQUENCE):012d}"),
            parent_vendor_id=parent.id if parent else None,
        )
        self.session.add(vendor)
        self.session.commit()
        return vendor

    def user(self, role: Role | str = Role.STAFF, *, email: str | None = None, **fields) -> User:
        role = Role(role)
        if role in {Role.MANAGER, Role.STAFF} and "department_id" not in fields:
            fields["department_id"] = self.department().id
        if role == Role.VENDOR and "vendor_id" not in fields:
            fields["vendor_id"] = self.vendor().id
        user = User(
            email=email or f"{role.value}{self._next()}@test.example.jp",
            name=f"{role.value} さん",
            role=role.value,
            password_hash=self.password_hash,
            **fields,
        )
        self.session.add(user)
        self.session.commit()
        self.last_user = user
        return user


def csrf_token(client: FlaskClient, path: str = "/auth/login") -> str:
    """The CSRF token a form on ``path`` carries for this client's session."""
    html = client.get(path).get_data(as_text=True)
    match = _CSRF.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: FlaskClient, email: str, password: str = TEST_PASSWORD):
    """Post the sign-in form as a browser would."""
    return client.post(
        "/auth/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client)},
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def moto_server() -> Iterator[str]:
    """moto's standalone S3 server on a free port; yields its endpoint URL."""
    executable = shutil.which("moto_server") or str(Path(sys.executable).parent / "moto_server")
    if not Path(executable).exists():
        pytest.skip("moto_server is not installed (pip install 'moto[server]')")
    port = _free_port()
    process = subprocess.Popen(
        [executable, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("moto_server did not start")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def tiny_filesystem(path: Path, size: str = "16k") -> Iterator[Path]:
    """A real tmpfs of ``size`` mounted at ``path`` (needs root, as in CI)."""
    path.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        need_service("a tmpfs mount", f"mount failed (run as root): {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=True)
