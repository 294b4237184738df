"""Contract uploads keep the file and its row together: a rolled-back upload leaves no stored
object behind, a failed store leaves no row, and a concurrent upload of the same file is
recognised by the database constraint."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from pdfgen import reportlab_pdf
from portal.db import db
from portal.models import Outsourcing
from portal.permissions import Role
from portal.reviews import operations as ops
from portal.reviews.models import ContractDocument
from portal.storage import LocalStorage, StorageError, get_storage, new_key_entry, parse_keys
from review_samples import STRONG


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return reportlab_pdf(STRONG)


@pytest.fixture
def officer_and_node(factory):
    officer = factory.user(Role.STAFF)
    node = Outsourcing(
        task_name="住民税の課税資料入力業務",
        department_id=officer.department_id,
        vendor_id=factory.vendor().id,
        start_date=date(2026, 4, 1),
        end_date=date(2027, 3, 31),
        status="active",
    )
    factory.session.add(node)
    factory.session.flush()
    node.root_id, node.path = node.id, f"/{node.id}/"
    factory.session.commit()
    return officer, node


def _stored_keys(root: Path) -> list[str]:
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and "upload" not in p.name
    )


def _upload(session: Session, storage, officer, node, data: bytes, name: str = "契約書.pdf"):
    return ops.upload_document(
        session=session,
        storage=storage,
        actor=session.merge(officer),
        outsourcing=session.merge(node),
        stream=io.BytesIO(data),
        filename=name,
    )


def test_a_rolled_back_upload_leaves_no_stored_object(app_ctx, officer_and_node, pdf):
    officer, node = officer_and_node
    storage = get_storage()
    session = db.session
    document = _upload(session, storage, officer, node, pdf)
    key = document.storage_key
    assert storage.read_bytes(key) == pdf  # stored before the row is committed
    session.rollback()  # the transaction fails after the file was stored
    with pytest.raises(StorageError):
        storage.read_bytes(key)
    assert session.exec(select(ContractDocument)).all() == []


def test_a_committed_upload_keeps_its_object(app_ctx, officer_and_node, pdf):
    officer, node = officer_and_node
    storage = get_storage()
    document = _upload(db.session, storage, officer, node, pdf)
    db.session.commit()
    db.session.rollback()  # a later rollback does not touch what an earlier commit kept
    assert storage.read_bytes(document.storage_key) == pdf


def test_a_failed_store_leaves_no_row(app_ctx, officer_and_node, pdf, tmp_path):
    officer, node = officer_and_node
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the storage folder should be")
    broken = LocalStorage(blocked, parse_keys(new_key_entry("k1")))
    with pytest.raises(OSError):
        _upload(db.session, broken, officer, node, pdf)
    db.session.rollback()
    assert db.session.exec(select(ContractDocument)).all() == []


class _RacingStorage(LocalStorage):
    """A real local storage; while it stores, another upload of the same file commits."""

    def __init__(self, root: Path, keys, competitor) -> None:
        super().__init__(root, keys)
        self.competitor = competitor

    def put(self, key, stream):
        stored = super().put(key, stream)
        self.competitor(stored.sha256)
        return stored


def test_a_concurrent_upload_of_the_same_file_is_caught_by_the_constraint(
    app_ctx, officer_and_node, pdf, tmp_path, db_session
):
    officer, node = officer_and_node

    def commit_competitor(sha256: str) -> None:
        db_session.add(
            ContractDocument(
                outsourcing_id=node.id,
                version=1,
                filename="先に届いた契約書.pdf",
                storage_key="documents/competitor.pdf",
                sha256=sha256,
                size=len(pdf),
                uploaded_by_id=officer.id,
            )
        )
        db_session.commit()

    root = tmp_path / "racing"
    storage = _RacingStorage(root, parse_keys(new_key_entry("k1")), commit_competitor)
    with pytest.raises(ops.ReviewError) as caught:
        _upload(db.session, storage, officer, node, pdf)
    assert caught.value.existing is not None
    assert caught.value.existing.filename == "先に届いた契約書.pdf"
    assert "第1版として登録済み" in caught.value.message
    assert _stored_keys(root) == []  # our copy is gone, the row that won stays
    db.session.commit()
    assert [d.filename for d in db.session.exec(select(ContractDocument)).all()] == [
        "先に届いた契約書.pdf"
    ]
