"""Storage faults, each one real: the S3 endpoint goes down (moto's server stopped), the disk
is full (a tmpfs of a few kilobytes), the database refuses the row after the file was stored.
Every time the user gets a clear Japanese error, no row is written and no file is left."""

from __future__ import annotations

import contextlib
import io
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sized_pdfs import pdf_with_payload
from sqlalchemy import text
from sqlmodel import select

from portal.api.operations import create_token
from portal.permissions import Role
from portal.reviews.models import ContractDocument
from portal.storage import LocalStorage, S3Storage, make_storage, new_key_entry, parse_keys
from portal_testing import csrf_token, need_service, tiny_filesystem


def pdf() -> bytes:
    """New bytes each time that pass the upload's PDF check (the worker analyses later)."""
    return pdf_with_payload(48 * 1024)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def moto_server() -> Iterator[tuple[str, subprocess.Popen]]:
    executable = shutil.which("moto_server") or str(Path(sys.executable).parent / "moto_server")
    if not Path(executable).exists():
        need_service("moto_server", "pip install 'moto[server]'")
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
        yield f"http://127.0.0.1:{port}", process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)


def _s3(endpoint: str) -> S3Storage:
    storage = make_storage(
        {
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": "itaku-faults",
            "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "testing",
            "S3_SECRET_ACCESS_KEY": "testing",
            "S3_ADDRESSING_STYLE": "path",
        }
    )
    assert isinstance(storage, S3Storage)
    storage.client.create_bucket(Bucket="itaku-faults")
    return storage


def _objects(storage: S3Storage) -> list[str]:
    listing = storage.client.list_objects_v2(Bucket=storage.bucket)
    return [item["Key"] for item in listing.get("Contents", [])]


@pytest.fixture
def upload_target(app, client, login, factory):
    """A signed-in officer, an outsourcing of their department and an API token."""
    from chain_helpers import make_node

    officer = login(Role.STAFF)
    node = make_node(factory, department_id=officer.department_id, vendor=factory.vendor())
    secret = create_token(session=factory.session, user=officer).secret
    factory.session.commit()
    return node, {"Authorization": f"Bearer {secret}"}


def _form_upload(client, node_id: int, name: str = "委託契約書.pdf"):
    return client.post(
        f"/outsourcings/{node_id}/documents",
        data={"file": (io.BytesIO(pdf()), name), "csrf_token": csrf_token(client, "/")},
        content_type="multipart/form-data",
    )


def _api_upload(client, node_id: int, headers: dict[str, str], name: str = "契約.pdf"):
    return client.post(
        f"/api/v1/outsourcings/{node_id}/documents",
        data={"file": (io.BytesIO(pdf()), name)},
        headers=headers,
        content_type="multipart/form-data",
    )


def _rows(db_session, node_id: int) -> list[ContractDocument]:
    db_session.expire_all()
    return list(
        db_session.exec(
            select(ContractDocument).where(ContractDocument.outsourcing_id == node_id)
        ).all()
    )


@pytest.mark.slow
def test_s3_down_the_upload_fails_cleanly(app, client, db_session, upload_target):
    node, headers = upload_target
    with moto_server() as (endpoint, process):
        app.extensions["portal.storage"] = storage = _s3(endpoint)
        assert _api_upload(client, node.id, headers, "前.pdf").status_code == 202  # it works
        before = _objects(storage)
        assert len(before) == 1
        process.terminate()
        process.wait(timeout=10)

        started = time.monotonic()
        page = _form_upload(client, node.id)
        assert page.status_code == 503
        html = page.get_data(as_text=True)
        assert "ファイルの保管先に接続できない" in html and "受付番号" in html
        api = _api_upload(client, node.id, headers)
        assert api.status_code == 503
        body = api.get_json()
        assert "ファイルの保管先に接続できない" in body["error"] and body["request_id"]
        assert time.monotonic() - started < 30, "the error must not hang the request"
    assert [d.filename for d in _rows(db_session, node.id)] == ["前.pdf"]  # no dangling row


def test_the_file_is_removed_when_the_database_refuses_its_row(
    app, client, db_session, connection, upload_target
):
    """The orphan case: the file is stored first, then the INSERT fails (here a rule in the
    database itself); the rollback removes the stored object."""
    node, headers = upload_target
    refuse = "拒否.pdf"
    _refuse_rows(connection, "contract_documents", "filename", refuse)
    with moto_server() as (endpoint, _process):
        app.extensions["portal.storage"] = storage = _s3(endpoint)
        assert _api_upload(client, node.id, headers, "受理.pdf").status_code == 202
        kept = _objects(storage)
        assert len(kept) == 1
        assert _api_upload(client, node.id, headers, refuse).status_code == 500
        assert _form_upload(client, node.id, refuse).status_code == 500
        assert _objects(storage) == kept  # the refused files did not stay behind
    assert [d.filename for d in _rows(db_session, node.id)] == ["受理.pdf"]

    # The same with the encrypted local storage.
    local = LocalStorage(Path(app.config["STORAGE_DIR"]) / "orphans", parse_keys(new_key_entry()))
    app.extensions["portal.storage"] = local
    assert _api_upload(client, node.id, headers, refuse).status_code == 500
    assert not [p for p in local.root.rglob("*") if p.is_file()]


def test_disk_full_is_a_clean_507(app, client, db_session, upload_target, tmp_path):
    node, headers = upload_target
    with tiny_filesystem(tmp_path / "full") as root:
        storage = LocalStorage(root, parse_keys(new_key_entry()))
        app.extensions["portal.storage"] = storage
        page = _form_upload(client, node.id)
        assert page.status_code == 507
        html = page.get_data(as_text=True)
        assert "保存領域に空きがない" in html and "受付番号" in html
        api = _api_upload(client, node.id, headers)
        assert api.status_code == 507
        assert "保存領域に空きがない" in api.get_json()["error"]
        leftovers = [p for p in root.rglob("*") if p.is_file()]
        assert leftovers == []  # no partial file, not even the temporary one
        assert shutil.disk_usage(root).used == 0
    assert _rows(db_session, node.id) == []


def _refuse_rows(connection, table: str, column: str, value: str) -> None:
    """A rule in the database itself that refuses one row (a real failed INSERT)."""
    if connection.dialect.name == "sqlite":
        connection.execute(
            text(
                f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                f"WHEN NEW.{column} = '{value}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        )
    else:
        connection.execute(
            text(f"ALTER TABLE {table} ADD CONSTRAINT refuse_{table} CHECK ({column} <> '{value}')")
        )


def test_inspection_attachments_leave_nothing_behind(
    app, client, factory, db_session, connection, tmp_path
):
    from datetime import date

    from chain_helpers import make_node

    from portal.inspections.models import Inspection, InspectionAttachment
    from portal_testing import sign_in

    officer = factory.user(Role.STAFF)
    node = make_node(factory, department_id=officer.department_id, vendor=factory.vendor())
    inspection = Inspection(outsourcing_id=node.id, due_date=date(2027, 3, 1))
    db_session.add(inspection)
    db_session.commit()
    sign_in(client, officer.email)
    page = f"/inspections/{inspection.id}"

    def attach(name: str):
        return client.post(
            f"{page}/attachments",
            data={"csrf_token": csrf_token(client, page), "file": (io.BytesIO(pdf()), name)},
            content_type="multipart/form-data",
        )

    local = LocalStorage(tmp_path / "attachments", parse_keys(new_key_entry()))
    app.extensions["portal.storage"] = local
    _refuse_rows(connection, "inspection_attachments", "filename", "拒否.pdf")
    assert attach("拒否.pdf").status_code == 500
    assert not [p for p in local.root.rglob("*") if p.is_file()]  # no orphan file

    with tiny_filesystem(tmp_path / "full") as root:
        app.extensions["portal.storage"] = LocalStorage(root, parse_keys(new_key_entry()))
        response = attach("検査写真.pdf")
        assert response.status_code == 507
        assert "保存領域に空きがない" in response.get_data(as_text=True)
        assert not [p for p in root.rglob("*") if p.is_file()]
    db_session.expire_all()
    assert db_session.exec(select(InspectionAttachment)).all() == []
