"""Contract review: upload a version, record the analysis, confirm or override a clause,
compare versions and a subcontract with its parent's contract."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, select

from portal.jobs import enqueue_after_commit
from portal.models import Outsourcing, User
from portal.outsourcings.scope import holds, owns_department
from portal.permissions import Permission
from portal.reviews.models import (
    ClauseReview,
    ClauseStatus,
    ContractDocument,
    DocumentKind,
    DocumentStatus,
)
from portal.storage import PrefixedStream, Storage, delete_on_rollback
from portal.timeutil import utcnow

ANALYSE_JOB = "reviews.analyse"
MAGIC_WINDOW = 1024  # PDF readers accept the %PDF header anywhere in the first kilobyte
RANK = {ClauseStatus.MISSING: 0, ClauseStatus.WEAK: 1, ClauseStatus.SATISFIED: 2}


class ReviewError(Exception):
    """An upload or review that cannot be accepted; ``message`` is for the user."""

    def __init__(self, message: str, *, existing: ContractDocument | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.existing = existing


def can_upload(user: User, node: Outsourcing, parent: Outsourcing | None) -> bool:
    """Officers of the owning department; the vendor that subcontracted ``node`` (holds its
    parent) uploads the subcontract it signed."""
    if not user.can(Permission.UPLOAD_CONTRACTS):
        return False
    if owns_department(user, node):
        return True
    return parent is not None and holds(user, parent)


def can_review(user: User, node: Outsourcing) -> bool:
    """Only an officer of the owning department confirms or overrides a clause."""
    return user.can(Permission.REVIEW_CONTRACTS) and owns_department(user, node)


def upload_document(
    *,
    session: Session,
    storage: Storage,
    actor: User,
    outsourcing: Outsourcing,
    stream: BinaryIO,
    filename: str,
) -> ContractDocument:
    """Store a PDF as the next version of ``outsourcing``'s contract and queue its analysis."""
    head = stream.read(MAGIC_WINDOW)
    if not head:
        raise ReviewError(_("ファイルが空です。"))
    if b"%PDF-" not in head:
        raise ReviewError(_("PDFファイルではありません。PDF形式の契約書を選んでください。"))
    key = f"documents/{uuid.uuid4().hex}.pdf"
    stored = storage.put(key, PrefixedStream(head, stream))  # type: ignore[arg-type]
    delete_on_rollback(session, storage, key)  # no file without its row
    existing = session.exec(
        select(ContractDocument).where(
            ContractDocument.outsourcing_id == outsourcing.id,
            ContractDocument.sha256 == stored.sha256,
        )
    ).first()
    if existing is not None:
        storage.delete(key)
        raise ReviewError(
            _(
                "同じファイルが第%(version)d版として登録済みです（%(name)s）。",
                version=existing.version,
                name=existing.filename,
            ),
            existing=existing,
        )
    latest = session.exec(
        select(func.max(ContractDocument.version)).where(
            ContractDocument.outsourcing_id == outsourcing.id
        )
    ).one()
    document = ContractDocument(
        outsourcing_id=outsourcing.id,
        version=(latest or 0) + 1,
        kind=DocumentKind.AMENDMENT if latest else DocumentKind.ORIGINAL,
        filename=display_name(filename),
        storage_key=key,
        sha256=stored.sha256,
        size=stored.size,
        uploaded_by_id=actor.id,
    )
    session.add(document)
    session.flush()
    enqueue_after_commit(session, ANALYSE_JOB, document.id)
    return document


def display_name(filename: str) -> str:
    """The user's file name without folders or control characters (shown, never a path)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "contract.pdf")[:255]


def reanalyse_document(*, session: Session, document: ContractDocument) -> None:
    """Queue a fresh analysis of ``document`` (its previous result is replaced)."""
    document.status, document.stage = DocumentStatus.QUEUED, "queued"
    document.stage_done = document.stage_total = 0
    document.error_code = document.error_message = ""
    session.add(document)
    session.flush()
    enqueue_after_commit(session, ANALYSE_JOB, document.id)


# --- the officers' reviews -------------------------------------------------------------


def latest_reviews(*, session: Session, document_id: int) -> dict[str, ClauseReview]:
    """The most recent review of each clause of a document."""
    reviews = session.exec(
        select(ClauseReview)
        .where(ClauseReview.document_id == document_id)
        .order_by(ClauseReview.reviewed_at, ClauseReview.id)
    ).all()
    return {review.clause_id: review for review in reviews}


def checked_statuses(report: Mapping[str, Any] | None) -> dict[str, str]:
    """{clause id: status} as the analysis reported it."""
    return {c["id"]: c["status"] for c in (report or {}).get("clauses", [])}


def review_clause(
    *,
    session: Session,
    actor: User,
    document: ContractDocument,
    clause_id: str,
    status: str,
    reason: str,
) -> ClauseReview:
    """Confirm or override the status of one clause; the reason is mandatory."""
    checked = checked_statuses(document.report)
    if document.status != DocumentStatus.DONE or clause_id not in checked:
        raise ReviewError(_("解析が終わっていない契約書、または存在しない項目です。"))
    if status not in RANK:
        raise ReviewError(_("判定を選んでください。"))
    if not reason.strip():
        raise ReviewError(_("確認・変更の理由を入力してください。"))
    review = ClauseReview(
        document_id=document.id,
        clause_id=clause_id,
        checked_status=checked[clause_id],
        status=status,
        reason=reason.strip(),
        reviewed_by_id=actor.id,
        reviewed_at=utcnow(),
    )
    session.add(review)
    document.statuses = {**(document.statuses or checked), clause_id: status}
    session.add(document)
    session.flush()
    return review


# --- comparisons -----------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseComparison:
    """One clause in two documents: ``change`` is better, worse, same (or new when absent)."""

    clause_id: str
    before: str | None
    after: str
    change: str


def compare(before: Mapping[str, str] | None, after: Mapping[str, str]) -> list[ClauseComparison]:
    """Clause by clause, how ``after`` stands against ``before``."""
    rows = []
    for clause_id, status in after.items():
        old = (before or {}).get(clause_id)
        if old is None:
            change = "new"
        elif RANK[ClauseStatus(status)] > RANK[ClauseStatus(old)]:
            change = "better"
        elif RANK[ClauseStatus(status)] < RANK[ClauseStatus(old)]:
            change = "worse"
        else:
            change = "same"
        rows.append(ClauseComparison(clause_id, old, status, change))
    return rows


def weaker_than_parent(child: Mapping[str, str], parent: Mapping[str, str]) -> list[str]:
    """The clauses in which a subcontract is weaker than its parent's contract (第4項)."""
    return [
        clause_id
        for clause_id, status in parent.items()
        if RANK[ClauseStatus(child.get(clause_id, ClauseStatus.MISSING))]
        < RANK[ClauseStatus(status)]
    ]


def latest_done(*, session: Session, outsourcing_ids: Iterable[int]) -> dict[int, ContractDocument]:
    """The newest analysed version of each outsourcing's contract."""
    ids = list(outsourcing_ids)
    if not ids:
        return {}
    newest = (
        select(ContractDocument.outsourcing_id, func.max(ContractDocument.version).label("version"))
        .where(
            ContractDocument.outsourcing_id.in_(ids),
            ContractDocument.status == DocumentStatus.DONE,
        )
        .group_by(ContractDocument.outsourcing_id)
        .subquery()
    )
    rows = session.exec(
        select(ContractDocument).join(
            newest,
            (newest.c.outsourcing_id == ContractDocument.outsourcing_id)
            & (newest.c.version == ContractDocument.version),
        )
    ).all()
    return {row.outsourcing_id: row for row in rows}
