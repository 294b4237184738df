"""Contract review: upload a version, record the analysis, confirm or override a clause,
compare versions and a subcontract with its parent's contract."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import ColumnElement, and_, func
from sqlalchemy.exc import IntegrityError
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
    DocumentPage,
    DocumentStatus,
)
from portal.reviews.owners import DocumentOwner
from portal.storage import Storage, delete_on_rollback
from portal.timeutil import utcnow

if TYPE_CHECKING:
    from contracts.pageimage import PageImage

ANALYSE_JOB = "reviews.analyse"
MAGIC_WINDOW = 1024  # PDF readers accept the %PDF header anywhere in the first kilobyte
RANK = {ClauseStatus.MISSING: 0, ClauseStatus.WEAK: 1, ClauseStatus.SATISFIED: 2}


class ReviewError(Exception):
    """An upload or review that cannot be accepted; ``message`` is for the user, ``code``
    (such as ``broken_pdf``) for API clients."""

    def __init__(
        self, message: str, *, existing: ContractDocument | None = None, code: str = "invalid"
    ) -> None:
        super().__init__(message)
        self.message = message
        self.existing = existing
        self.code = code


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
    """Store a PDF as the next version of ``outsourcing``'s contract and queue its analysis.

    A file that cannot be opened as a PDF with pages is refused before anything is stored.
    """
    return _store_version(
        session=session,
        storage=storage,
        actor=actor,
        stream=stream,
        filename=filename,
        owned=ContractDocument.outsourcing_id == outsourcing.id,
        fields={"outsourcing_id": outsourcing.id},
    )


def record_documents(
    *, session: Session, owner: DocumentOwner, record_id: int
) -> list[ContractDocument]:
    """The stored versions of another feature's record (``owner``), newest first."""
    return list(
        session.exec(
            select(ContractDocument)
            .where(
                ContractDocument.owner_kind == owner.kind,
                ContractDocument.owner_id == record_id,
            )
            .order_by(ContractDocument.version.desc())  # type: ignore[union-attr]
        ).all()
    )


def store_document(
    *,
    session: Session,
    storage: Storage,
    actor: User,
    owner: DocumentOwner,
    record_id: int,
    stream: BinaryIO,
    filename: str,
) -> ContractDocument:
    """Store a PDF as the next version of another feature's record (``owner``) and queue
    its analysis against the owner's catalog. Refusals raise ReviewError, as uploads do."""
    return _store_version(
        session=session,
        storage=storage,
        actor=actor,
        stream=stream,
        filename=filename,
        owned=and_(
            ContractDocument.owner_kind == owner.kind, ContractDocument.owner_id == record_id
        ),
        fields={"owner_kind": owner.kind, "owner_id": record_id, "catalog": owner.catalog},
    )


def documents_of(document: ContractDocument) -> ColumnElement[bool]:
    """A WHERE clause selecting the versions of the same contract as ``document``."""
    if document.outsourcing_id is not None:
        return ContractDocument.outsourcing_id == document.outsourcing_id
    return and_(
        ContractDocument.owner_kind == document.owner_kind,
        ContractDocument.owner_id == document.owner_id,
    )


def _store_version(
    *,
    session: Session,
    storage: Storage,
    actor: User,
    stream: BinaryIO,
    filename: str,
    owned: ColumnElement[bool],
    fields: dict[str, Any],
) -> ContractDocument:
    """Check, store and register the next version of the contract ``owned`` selects."""
    head = stream.read(MAGIC_WINDOW)
    if not head:
        raise ReviewError(_("ファイルが空です。"), code="empty_file")
    if b"%PDF-" not in head:
        raise ReviewError(
            _("PDFファイルではありません。PDF形式の契約書を選んでください。"), code="not_pdf"
        )
    # The whole file is needed to open it; uploads are capped by MAX_CONTENT_LENGTH.
    data = head + stream.read()
    check_readable(data, max_pages=int(current_app.config.get("ANALYSIS_MAX_PAGES", 200)))
    key = f"documents/{uuid.uuid4().hex}.pdf"
    # A failed store leaves no row (none was added yet); a row that fails to commit leaves
    # no file: the object goes when the transaction rolls back.
    stored = storage.put(key, io.BytesIO(data))
    delete_on_rollback(session, storage, key)  # no file without its row
    existing = _same_file(session, owned, stored.sha256)
    if existing is not None:
        storage.delete(key)
        raise _already_registered(existing)
    latest = session.exec(select(func.max(ContractDocument.version)).where(owned)).one()
    document = ContractDocument(
        **fields,
        version=(latest or 0) + 1,
        kind=DocumentKind.AMENDMENT if latest else DocumentKind.ORIGINAL,
        filename=display_name(filename),
        storage_key=key,
        sha256=stored.sha256,
        size=stored.size,
        uploaded_by_id=actor.id,
    )
    try:
        with session.begin_nested():
            session.add(document)
    except IntegrityError:
        # The same file (or the same version number) was committed by a concurrent upload
        # while this one was being stored: the constraint, not the check above, caught it.
        existing = _same_file(session, owned, stored.sha256)
        if existing is not None:
            storage.delete(key)
            raise _already_registered(existing) from None
        taken = session.exec(
            select(ContractDocument.id).where(owned, ContractDocument.version == document.version)
        ).first()
        if taken is not None:
            storage.delete(key)
            raise ReviewError(
                _("同時に別の版が登録されました。もう一度アップロードしてください。")
            ) from None
        raise  # any other refusal is an error; the rollback removes the stored file
    enqueue_after_commit(session, ANALYSE_JOB, document.id)
    return document


def check_readable(data: bytes, *, max_pages: int) -> None:
    """Refuse (ReviewError) a PDF that is broken, encrypted, empty, blank or too long.

    The file is opened in the sandboxed child of ``contracts.isolation`` (never parsed in
    the web process), only far enough to count its pages and look at the first ones.
    """
    from contracts.errors import ContractError, TooManyPagesError
    from contracts.probe import probe_pdf

    try:
        probe_pdf(data, max_pages=max_pages)
    except TooManyPagesError as error:
        raise ReviewError(
            _(
                "ページ数が上限（%(limit)dページ）を超えているため登録できません。"
                "契約書の部分だけのPDFにしてください。",
                limit=max_pages,
            ),
            code=error.code,
        ) from None
    except ContractError as error:
        refusal = _UNREADABLE.get(error.code)
        message = str(refusal) if refusal is not None else error.message_ja
        raise ReviewError(message, code=error.code) from None


# Why a file was refused at upload, in the user's language; anything else (a limit) is
# told with the extractor's own Japanese message.
_UNREADABLE = {
    "broken_pdf": lazy_gettext(
        "PDFファイルが壊れているため読み取れません（途中で切れている可能性があります）。"
        "元のファイルから作り直して登録してください。"
    ),
    "encrypted": lazy_gettext(
        "パスワードで保護（暗号化）されたPDFは読み取れません。保護を解除したPDFを登録してください。"
    ),
    "no_pages": lazy_gettext(
        "PDFにページがありません。契約書のページを含むPDFを登録してください。"
    ),
    "blank_pdf": lazy_gettext(
        "PDFの先頭のページが白紙で、文字も画像もありません。契約書のPDFを選んでください。"
    ),
    "limit_exceeded": lazy_gettext(
        "ファイルを開くのに時間またはメモリがかかりすぎるため登録できません。"
        "PDFを保存し直してから登録してください。"
    ),
    "not_pdf": lazy_gettext("PDFファイルではありません。PDF形式の契約書を選んでください。"),
}


def _same_file(
    session: Session, owned: ColumnElement[bool], sha256: str
) -> ContractDocument | None:
    return session.exec(
        select(ContractDocument).where(owned, ContractDocument.sha256 == sha256)
    ).first()


def _already_registered(existing: ContractDocument) -> ReviewError:
    return ReviewError(
        _(
            "同じファイルが第%(version)d版として登録済みです（%(name)s）。",
            version=existing.version,
            name=existing.filename,
        ),
        existing=existing,
        code="duplicate",
    )


def display_name(filename: str) -> str:
    """The user's file name without folders or control characters (shown, never a path)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "contract.pdf")[:255]


def reanalyse_document(*, session: Session, document: ContractDocument) -> bool:
    """Queue a fresh analysis of ``document``; False when one is already queued or running."""
    if document.status in (DocumentStatus.QUEUED, DocumentStatus.RUNNING):
        return False  # asking twice runs it once; a dead worker's run is resumed by the lease
    document.status, document.stage = DocumentStatus.QUEUED, "queued"
    document.stage_done = document.stage_total = document.interruptions = 0
    document.error_code = document.error_message = ""
    session.add(document)
    session.flush()
    enqueue_after_commit(session, ANALYSE_JOB, document.id)
    return True


# --- page images ---------------------------------------------------------------------


def evidence_key(evidence: Mapping[str, Any]) -> str:
    """How a page image names one evidence sentence: its offsets in the extracted text."""
    return f"{int(evidence['start'])}-{int(evidence['end'])}"


def page_image_key(document: ContractDocument, number: int) -> str:
    """Storage key of a page image, beside the document's own file (same per page, so a
    re-analysis overwrites it rather than leaving the old one behind)."""
    return f"{document.storage_key.removesuffix('.pdf')}/page-{number}.png"


def store_page_images(
    *, session: Session, storage: Storage, document: ContractDocument, images: list[PageImage]
) -> list[DocumentPage]:
    """Keep the rendered pages of ``document`` (replacing those of an earlier analysis)."""
    old = {
        page.number: page
        for page in session.exec(
            select(DocumentPage).where(DocumentPage.document_id == document.id)
        ).all()
    }
    kept = []
    for image in images:
        key = page_image_key(document, image.number)
        stored = storage.put(key, io.BytesIO(image.png))
        page = old.pop(image.number, None) or DocumentPage(
            document_id=document.id, number=image.number, storage_key=key, width=0, height=0, size=0
        )
        page.storage_key, page.width, page.height = key, image.width, image.height
        page.size, page.ocr, page.rendered_at = stored.size, image.ocr, utcnow()
        page.highlights = {k: [b.to_list() for b in boxes] for k, boxes in image.highlights.items()}
        session.add(page)
        kept.append(page)
    for page in old.values():  # pages no evidence points at any more
        session.delete(page)
        storage.delete(page.storage_key)
    session.flush()
    return kept


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


def reviewed_statuses(
    *, session: Session, document_id: int, report: Mapping[str, Any] | None
) -> dict[str, str]:
    """{clause id: status}: the analysis, with each officer's latest decision on top.

    A re-analysis (after a failure or a checker upgrade) replaces the checked statuses but
    not what an officer decided with a reason.
    """
    checked = checked_statuses(report)
    reviews = latest_reviews(session=session, document_id=document_id)
    return checked | {cid: r.status for cid, r in reviews.items() if cid in checked}


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
