"""The contract analysis job: extract the PDF in a sandboxed child, check the eight clauses.

Runs only in the worker: the GiNZA model is loaded there (once per worker process, by
``clauses.nlp``), never in the web process, which imports nothing of ``clauses`` analysis.

The job takes a document id and is idempotent: it first *claims* the document with one
conditional UPDATE (queued, or running with a heartbeat older than the lease, i.e. a worker
that died), so a duplicate or retried job finds nothing to do and a finished document keeps
its one result. Progress is committed step by step so that the page can show it.

While it runs, a heartbeat thread renews the claim every few seconds (``_Heartbeat``), so the
lease can be short (a minute): a live analysis keeps its document however long one page's
OCR takes, and one whose worker was killed is taken over about a minute later, by the next
worker to start or by the sweep that runs every minute.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from huey import crontab
from sqlalchemy import Engine, case, or_, update
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
QUEUED_GRACE = timedelta(minutes=15)  # a queued job not started by then was lost: send again
MIN_OCR_CHARS = 40  # fewer legible characters than this from a scan is no contract text


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config.get("ANALYSIS_LEASE_SECONDS", 60))


def _heartbeat_interval() -> float:
    """Seconds between renewals: the configured interval, but at least four per lease."""
    lease = _lease().total_seconds()
    return min(float(current_app.config.get("ANALYSIS_HEARTBEAT_SECONDS", 5)), lease / 4)


def claim_document(*, session: Session, document_id: int) -> ContractDocument | None:
    """Mark the document running if it is queued or its worker died.

    Returns the claimed document, loaded (its ``attempts`` names this claim, the only one
    its heartbeat renews), or None when another live worker holds it or it is done.
    """
    now = utcnow()
    stale = (ContractDocument.status == DocumentStatus.RUNNING) & (
        ContractDocument.heartbeat_at < now - _lease()
    )
    result = session.execute(
        update(ContractDocument)
        .where(
            ContractDocument.id == document_id,
            or_(ContractDocument.status == DocumentStatus.QUEUED, stale),
        )
        .values(
            status=DocumentStatus.RUNNING,
            stage="extracting",
            stage_done=0,
            stage_total=0,
            heartbeat_at=now,
            attempts=ContractDocument.attempts + 1,
            # Taken over from a worker that died mid-analysis: the page says so.
            interruptions=ContractDocument.interruptions + case((stale, 1), else_=0),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.commit()
        return None
    # Loaded now and kept (the job's session does not expire on commit), so that no
    # transaction stays open while the file is read: on SQLite an open transaction holds the
    # write lock, which the heartbeat thread needs.
    document = session.get(ContractDocument, document_id, populate_existing=True)
    session.commit()
    return document


def renew_claim(*, bind: Engine, document_id: int, attempt: int) -> bool:
    """Refresh the heartbeat of claim ``attempt``; False if the document is no longer ours."""
    with Session(bind) as session:
        result = session.execute(
            update(ContractDocument)
            .where(
                ContractDocument.id == document_id,
                ContractDocument.status == DocumentStatus.RUNNING,
                ContractDocument.attempts == attempt,
            )
            .values(heartbeat_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        session.commit()
        return result.rowcount == 1


class _Heartbeat:
    """Renews a claim every ``interval`` seconds from a thread, on its own connection, while
    the job's session is busy (a long OCR page, the GiNZA parse, page rendering)."""

    def __init__(self, bind: Engine, document_id: int, attempt: int, interval: float) -> None:
        self._bind, self._document_id, self._attempt = bind, document_id, attempt
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"heartbeat-{document_id}", daemon=True
        )

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                renewed = renew_claim(
                    bind=self._bind, document_id=self._document_id, attempt=self._attempt
                )
            except Exception:
                # A busy or briefly unreachable database: try again at the next beat.
                log.warning("contract document %s: heartbeat failed", self._document_id)
                continue
            if not renewed:
                return  # finished, or (after a stall past the lease) taken over: nothing to keep

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        # Not joined: a renewal may be waiting for the row this job's transaction holds until
        # it commits; it then finds the document no longer running and ends.
        self._stop.set()


def _heartbeat(
    session: Session, document_id: int, attempt: int
) -> contextlib.AbstractContextManager[Any]:
    """The claim's heartbeat thread, or nothing when the job's session is bound to a single
    connection (the test harness's rolled-back transaction), which no second thread may use."""
    bind = session.get_bind()
    if not isinstance(bind, Engine):
        return contextlib.nullcontext()
    return _Heartbeat(bind, document_id, attempt, _heartbeat_interval())


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
    legible = sum(len("".join(page.text.split())) for page in pages)
    if legible < MIN_OCR_CHARS and any(page.ocr for page in pages):
        # A scan that opened but gave only a few stray characters (noise, a seal, a blank
        # back page): saying so beats reporting eight missing clauses.
        raise EmptyDocumentError(f"only {legible} characters recognised")
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

    document = claim_document(session=session, document_id=document_id)
    if document is None:
        return "skipped"
    with _heartbeat(session, document_id, document.attempts):
        return _analyse_claimed(session, document, document.attempts)


def _analyse_claimed(session: Session, document: ContractDocument, attempt: int) -> str:
    from contracts.errors import ContractError

    document_id = document.id
    progress = _Progress(session, document)
    storage = get_storage()
    failure: tuple[str, str] | None = None
    try:
        data = storage.read_bytes(document.storage_key)
        report, extracted = analyse_pdf(data, filename=document.filename, progress=progress)
    except ContractError as error:
        failure = (error.code, error.message_ja)
    except StorageError:
        log.exception("contract document %s: storage", document_id)
        with force_locale("ja"):
            failure = ("storage", _("保存したファイルを読み出せませんでした。"))
    except Exception:
        # Whatever happens to one file, the worker keeps running and the user is told.
        log.exception("contract document %s: analysis failed", document_id)
        with force_locale("ja"):
            failure = (
                "internal",
                _("解析中に予期しないエラーが発生しました。管理者にお問い合わせください。"),
            )
    if not _still_ours(session, document, attempt):
        # This worker stalled past the lease and another took the document over: that
        # worker's result is the one that counts.
        log.warning("contract document %s: claim lost, result dropped", document_id)
        return "superseded"
    if failure is not None:
        _fail(document, *failure)
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


def _still_ours(session: Session, document: ContractDocument, attempt: int) -> bool:
    """Renew the claim inside the job's transaction (so no takeover can slip in before it
    commits); False if another worker has claimed the document since."""
    result = session.execute(
        update(ContractDocument)
        .where(
            ContractDocument.id == document.id,
            ContractDocument.status == DocumentStatus.RUNNING,
            ContractDocument.attempts == attempt,
        )
        .values(heartbeat_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


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


def requeue_stale(*, session: Session, queued: bool = True) -> int:
    """Send the job again for documents whose worker died (and, with ``queued``, whose job
    was lost before any worker took it)."""
    now = utcnow()
    dead = (ContractDocument.status == DocumentStatus.RUNNING) & (
        ContractDocument.heartbeat_at < now - _lease()
    )
    lost = (ContractDocument.status == DocumentStatus.QUEUED) & (
        ContractDocument.uploaded_at < now - max(QUEUED_GRACE, _lease())
    )
    stale = session.exec(
        select(ContractDocument.id).where(or_(dead, lost) if queued else dead)
    ).all()
    for document_id in stale:
        enqueue_after_commit(session, ANALYSE_JOB, document_id)
    return len(stale)


def resume_when_lease_ends(*, session: Session) -> int:
    """For analyses still within their lease (their worker may have just died): send the job
    for the moment the lease runs out. A live worker will have renewed it by then, and the
    job finds nothing to do."""
    now = utcnow()
    running = session.exec(
        select(ContractDocument.id, ContractDocument.heartbeat_at).where(
            ContractDocument.status == DocumentStatus.RUNNING,
            ContractDocument.heartbeat_at >= now - _lease(),
        )
    ).all()
    task = current_app.extensions["portal.tasks"][ANALYSE_JOB]
    for document_id, heartbeat_at in running:
        expires = heartbeat_at + _lease() - now
        task.schedule(args=(document_id,), delay=max(expires.total_seconds(), 0) + 1)
    return len(running)


@periodic("reviews.resume_interrupted", crontab(minute="*"))
def resume_interrupted_documents(*, session: Session) -> int:
    """Every minute: analyses whose worker died (no heartbeat for a lease) start again."""
    return requeue_stale(session=session, queued=False)


@periodic("reviews.requeue_stale", crontab(minute="*/5"))
def requeue_stale_documents(*, session: Session) -> int:
    """Every five minutes: also jobs lost from the queue before any worker took them."""
    return requeue_stale(session=session)


@on_worker_start("reviews.worker_start")
def worker_start(*, session: Session) -> int:
    """When a worker (re)starts: keep a warm PDF sandbox child, resume dead analyses."""
    from contracts.isolation import prestart

    prestart()
    # Dead now, and (a worker killed just before this one started) dead when the lease ends.
    return requeue_stale(session=session) + resume_when_lease_ends(session=session)
