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
from portal.reviews.operations import ANALYSE_JOB, reviewed_statuses
from portal.storage import StorageError, get_storage
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


def analyse_pdf(data: bytes, *, filename: str, progress: Any = None) -> dict[str, Any]:
    """The clause-check report of a PDF, as ``python -m clauses check --format json``."""
    # Imported here: the analysis (and GiNZA) must never load in the web process.
    from clauses import check_document
    from contracts.document import build_document
    from contracts.errors import EmptyDocumentError
    from contracts.limits import Limits
    from contracts.ocr import ocr_available
    from contracts.pdf import extract_pages

    config = current_app.config
    started = time.perf_counter()
    ocr = bool(config.get("ANALYSIS_OCR", True)) and ocr_available()
    limits = Limits(max_pages=int(config.get("ANALYSIS_MAX_PAGES", 200)))
    pages = extract_pages(data, limits=limits, progress=progress, ocr=ocr)
    if not any(page.text.strip() for page in pages):
        raise EmptyDocumentError("no text")
    document = build_document(pages)
    report = check_document(document, profile=config["PROFILE"], progress=progress, file=filename)
    report.seconds = round(time.perf_counter() - started, 3)
    return report.to_dict()


@job(ANALYSE_JOB)
def analyse_document(document_id: int, *, session: Session) -> str:
    """Analyse one uploaded contract; returns its final status (or "skipped")."""
    from contracts.errors import ContractError

    if not claim_document(session=session, document_id=document_id):
        return "skipped"
    document = session.get(ContractDocument, document_id)
    assert document is not None
    progress = _Progress(session, document)
    try:
        data = get_storage().read_bytes(document.storage_key)
        report = analyse_pdf(data, filename=document.filename, progress=progress)
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
        document.status, document.stage = DocumentStatus.DONE, "done"
        document.error_code = document.error_message = ""
        document.analysed_at = utcnow()
    document.heartbeat_at = utcnow()
    session.add(document)
    session.flush()
    return document.status


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
