"""The contract analysis job: extract the PDF in a sandboxed child, check the eight clauses.

Runs only in the worker: the GiNZA model is loaded there (once per worker process, by
``clauses.nlp``), never in the web process, which imports nothing of ``clauses`` analysis.

The job takes a document id and is idempotent: it first *claims* the document with one
conditional UPDATE (queued, or running with a heartbeat older than the lease, i.e. a worker
that died), so a duplicate or retried job finds nothing to do and a finished document keeps
its one result. Progress is committed step by step so that the page can show it.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from huey import crontab
from sqlalchemy import or_, update
from sqlmodel import Session, select

from portal.jobs import enqueue_after_commit, job, on_worker_start, periodic
from portal.reviews.models import ContractDocument, DocumentStatus
from portal.reviews.operations import (
    ANALYSE_JOB,
    evidence_key,
    reviewed_statuses,
    store_page_images,
)
from portal.storage import Storage, StorageError, get_storage
from portal.timeutil import utcnow

log = logging.getLogger(__name__)
PROGRESS_INTERVAL = 0.3  # seconds between progress commits within one stage


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config.get("ANALYSIS_LEASE_SECONDS", 900))


def claim_document(*, session: Session, document_id: int) -> bool:
    """Mark the document running if it is queued or its worker died; False if taken or done."""
    now = utcnow()
    result = session.execute(
        update(ContractDocument)
        .where(
            ContractDocument.id == document_id,
            or_(
                ContractDocument.status == DocumentStatus.QUEUED,
                (ContractDocument.status == DocumentStatus.RUNNING)
                & (ContractDocument.heartbeat_at < now - _lease()),
            ),
        )
        .values(
            status=DocumentStatus.RUNNING,
            stage="extracting",
            stage_done=0,
            stage_total=0,
            heartbeat_at=now,
            attempts=ContractDocument.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount == 1


class _Progress:
    """Writes (stage, n, total) to the document, committing at most every 0.3 s per stage."""

    def __init__(self, session: Session, document: ContractDocument) -> None:
        self.session, self.document = session, document
        self.last_stage, self.last_time = "", 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self.last_stage and done < total and now - self.last_time < PROGRESS_INTERVAL:
            return
        self.last_stage, self.last_time = stage, now
        doc = self.document
        doc.stage, doc.stage_done, doc.stage_total = stage, done, total
        doc.heartbeat_at = utcnow()
        self.session.add(doc)
        self.session.commit()


def analyse_pdf(data: bytes, *, filename: str, progress: Any = None) -> tuple[dict[str, Any], Any]:
    """The clause-check report of a PDF (as ``python -m clauses check --format json``) and
    the structured document it was made from."""
    # Imported here: the analysis (and GiNZA) must never load in the web process.
    from clauses import check_document
    from contracts.document import build_document
    from contracts.errors import EmptyDocumentError
    from contracts.pdf import extract_pages

    config = current_app.config
    started = time.perf_counter()
    engine = config.get("ANALYSIS_OCR_ENGINE")
    ocr = bool(config.get("ANALYSIS_OCR", True)) and _ocr_available(engine)
    pages = extract_pages(data, limits=_limits(), progress=progress, ocr=ocr, ocr_engine=engine)
    if not any(page.text.strip() for page in pages):
        raise EmptyDocumentError("no text")
    document = build_document(pages)
    report = check_document(document, profile=config["PROFILE"], progress=progress, file=filename)
    report.seconds = round(time.perf_counter() - started, 3)
    return report.to_dict(), (pages, document.pages)


def _ocr_available(engine: str | None = None) -> bool:
    from contracts.ocr import ocr_available

    return ocr_available(engine)


def _limits() -> Any:
    from contracts.limits import Limits

    return Limits(max_pages=int(current_app.config.get("ANALYSIS_MAX_PAGES", 200)))


def render_evidence_pages(
    data: bytes, report: dict[str, Any], extracted: Any, *, progress: Any = None
) -> list[Any]:
    """The pages holding evidence as PNG images, with each sentence's boxes (sandboxed)."""
    from contracts.highlight import Box
    from contracts.pageimage import HighlightRequest, render_page_images

    pages, spans = extracted
    where = {span.number: (span.start, max(span.end - span.start, 1)) for span in spans}

    def position(evidence: dict[str, Any]) -> float | None:
        start, length = where.get(int(evidence["page"]), (None, 1))
        return None if start is None else (int(evidence["start"]) - start) / length

    requests = [
        HighlightRequest(evidence_key(e), int(e["page"]), str(e["text"]), position(e))
        for clause in report.get("clauses", [])
        for e in clause.get("evidence", [])
    ]
    if not requests:
        return []
    ocr_words = {
        page.number: (page.vertical, [(w[0], Box(*w[1:])) for w in page.words])
        for page in pages
        if page.ocr
    }
    config = current_app.config
    total = len({r.page for r in requests})
    if progress is not None:
        progress("images", 0, total)
    images = render_page_images(
        data,
        requests,
        ocr_words=ocr_words,
        limits=_limits(),
        dpi=int(config.get("ANALYSIS_PAGE_IMAGE_DPI", 110)),
        max_pages=int(config.get("ANALYSIS_MAX_PAGE_IMAGES", 60)),
    )
    if progress is not None:
        progress("images", total, total)
    return images


@job(ANALYSE_JOB)
def analyse_document(document_id: int, *, session: Session) -> str:
    """Analyse one uploaded contract; returns its final status (or "skipped")."""
    from contracts.errors import ContractError

    if not claim_document(session=session, document_id=document_id):
        return "skipped"
    document = session.get(ContractDocument, document_id)
    assert document is not None
    progress = _Progress(session, document)
    storage = get_storage()
    try:
        data = storage.read_bytes(document.storage_key)
        report, extracted = analyse_pdf(data, filename=document.filename, progress=progress)
    except ContractError as error:
        _fail(document, error.code, error.message_ja)
    except StorageError:
        log.exception("contract document %s: storage", document_id)
        with force_locale("ja"):
            _fail(document, "storage", _("保存したファイルを読み出せませんでした。"))
    except Exception:
        # Whatever happens to one file, the worker keeps running and the user is told.
        log.exception("contract document %s: analysis failed", document_id)
        with force_locale("ja"):
            _fail(
                document,
                "internal",
                _("解析中に予期しないエラーが発生しました。管理者にお問い合わせください。"),
            )
    else:
        document.report = report
        document.statuses = reviewed_statuses(
            session=session, document_id=document.id, report=report
        )
        document.error_code = document.error_message = ""
        _keep_page_images(session, storage, document, data, report, extracted, progress)
        document.status, document.stage = DocumentStatus.DONE, "done"
        document.analysed_at = utcnow()
    document.heartbeat_at = utcnow()
    session.add(document)
    session.flush()
    return document.status


def _keep_page_images(
    session: Session,
    storage: Storage,
    document: ContractDocument,
    data: bytes,
    report: dict[str, Any],
    extracted: Any,
    progress: Any,
) -> None:
    """Render and store the evidence pages; the analysis stands even if this fails."""
    try:
        images = render_evidence_pages(data, report, extracted, progress=progress)
        store_page_images(session=session, storage=storage, document=document, images=images)
    except Exception:
        # Whatever went wrong (a limit, the storage), the clause check stands: the cards and
        # evidence are shown, and the page view says that the image is missing.
        log.exception("contract document %s: page images not made", document.id)


def _fail(document: ContractDocument, code: str, message: str) -> None:
    document.status, document.stage = DocumentStatus.FAILED, "failed"
    document.error_code, document.error_message = code, message[:500]
    document.report = document.statuses = None


def requeue_stale(*, session: Session) -> int:
    """Send the job again for documents whose worker died or whose job was lost."""
    cutoff = utcnow() - _lease()
    stale = session.exec(
        select(ContractDocument.id).where(
            or_(
                (ContractDocument.status == DocumentStatus.RUNNING)
                & (ContractDocument.heartbeat_at < cutoff),
                (ContractDocument.status == DocumentStatus.QUEUED)
                & (ContractDocument.uploaded_at < cutoff),
            )
        )
    ).all()
    for document_id in stale:
        enqueue_after_commit(session, ANALYSE_JOB, document_id)
    return len(stale)


@periodic("reviews.requeue_stale", crontab(minute="*/5"))
def requeue_stale_documents(*, session: Session) -> int:
    """Every five minutes: analyses interrupted by a dead worker start again."""
    return requeue_stale(session=session)


@on_worker_start("reviews.worker_start")
def worker_start(*, session: Session) -> int:
    """When a worker (re)starts: start the PDF sandbox's forkserver, resume dead analyses."""
    from contracts.isolation import prestart

    prestart()
    return requeue_stale(session=session)
