"""Contract review tables: the uploaded contract documents (versions per outsourcing) with
their analysis state and result, and the officers' reviews of each clause."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.timeutil import utcnow


class DocumentStatus(StrEnum):
    """queued → running → done or failed (the analysis of one uploaded file)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class DocumentKind(StrEnum):
    ORIGINAL = "original"
    AMENDMENT = "amendment"


class ClauseStatus(StrEnum):
    """The three answers of the clause check (CLAUSES.md)."""

    SATISFIED = "satisfied"
    WEAK = "weak"
    MISSING = "missing"


class ContractDocument(SQLModel, table=True):
    """契約書: one uploaded version of an outsourcing's contract (original or amendment)."""

    __tablename__ = "contract_documents"
    __table_args__ = (
        UniqueConstraint("outsourcing_id", "version"),
        UniqueConstraint("outsourcing_id", "sha256"),
    )

    id: int | None = Field(default=None, primary_key=True)
    outsourcing_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("outsourcings.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    version: int = Field(default=1)
    kind: str = Field(default=DocumentKind.ORIGINAL, max_length=16)
    # The name the user's file had: shown and offered on download, never used as a path.
    filename: str = Field(max_length=255)
    storage_key: str = Field(max_length=200, unique=True)
    sha256: str = Field(max_length=64, index=True)
    size: int
    uploaded_by_id: int | None = Field(default=None, foreign_key="users.id")
    uploaded_at: datetime = Field(default_factory=utcnow)
    status: str = Field(default=DocumentStatus.QUEUED, max_length=16, index=True)
    # Progress of the analysis: stage (queued, extracting, ocr, analysing, done, failed) and
    # a count within it (page n of N, clause n of 8).
    stage: str = Field(default="queued", max_length=16)
    stage_done: int = Field(default=0)
    stage_total: int = Field(default=0)
    attempts: int = Field(default=0)
    # Refreshed with every progress step: a running job whose heartbeat is older than the
    # lease is taken to be dead (its worker was killed) and is run again.
    heartbeat_at: datetime | None = Field(default=None)
    # How often this analysis was taken over from a worker that died (shown on the page).
    interruptions: int = Field(default=0)
    error_code: str = Field(default="", max_length=32)
    error_message: str = Field(default="", max_length=500)
    # The clause check as ``python -m clauses check --format json`` prints it.
    report: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # {clause id: status} after the officers' reviews: what badges and comparisons read.
    statuses: dict[str, str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    analysed_at: datetime | None = Field(default=None)


class ClauseReview(SQLModel, table=True):
    """An officer's confirmation or override of one clause's status, with the reason."""

    __tablename__ = "clause_reviews"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("contract_documents.id", ondelete="CASCADE"),
            index=True,
            nullable=False,
        )
    )
    clause_id: str = Field(max_length=32)
    checked_status: str = Field(max_length=16)  # what the analysis said
    status: str = Field(max_length=16)  # what the officer decided
    reason: str = Field(default="", max_length=2000)
    reviewed_by_id: int = Field(foreign_key="users.id")
    reviewed_at: datetime = Field(default_factory=utcnow)


class DocumentPage(SQLModel, table=True):
    """A page of a contract rendered as an image (PNG in the storage) for the review page,
    with the boxes of the evidence sentences found on it."""

    __tablename__ = "contract_document_pages"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("contract_documents.id", ondelete="CASCADE"),
            index=True,
            nullable=False,
        )
    )
    number: int  # 1-based page number in the file
    storage_key: str = Field(max_length=200, unique=True)
    width: int  # pixels
    height: int
    size: int  # bytes of the PNG
    ocr: bool = Field(default=False)  # read by OCR: boxes come from Tesseract's words
    # {evidence key "start-end": [[left, top, right, bottom], …]} as fractions of the page.
    highlights: dict[str, list[list[float]]] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    rendered_at: datetime = Field(default_factory=utcnow)


__all__ = [
    "ClauseReview",
    "ClauseStatus",
    "ContractDocument",
    "DocumentKind",
    "DocumentPage",
    "DocumentStatus",
]
