"""Incident tables: the incident (漏えい等の事案), its timeline of events, the notices it sends,
the departments its recurrence-prevention measures are shared with, and its reminders."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.timeutil import utcnow


class IncidentKind(StrEnum):
    LEAK = "leak"  # 漏えい
    LOSS = "loss"  # 滅失
    DAMAGE = "damage"  # 毀損
    SUSPECTED = "suspected"  # おそれ


class IncidentStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class EventKind(StrEnum):
    """What the timeline shows, in the order things usually happen."""

    REPORTED = "reported"
    NOTIFIED = "notified"
    ESCALATED = "escalated"
    FACTS_UPDATED = "facts_updated"
    FIRST_REPORT = "first_report"
    FINAL_REPORT = "final_report"
    MEASURES = "measures"
    SHARED = "shared"
    PUBLICATION = "publication"
    REMINDER = "reminder"
    CLOSED = "closed"


class PublicationDecision(StrEnum):
    """公表・本人への通知 (三木市第42条 / 久喜市第41条; 法第68条第2項)."""

    PUBLISH_AND_NOTIFY = "publish_and_notify"
    PUBLISH = "publish"
    NOTIFY = "notify"
    NONE = "none"


class Incident(SQLModel, table=True):
    """漏えい等の事案 at one node of a chain: the facts, the Commission decision and
    deadlines, the escalation step reached, cause and measures, and the publication decision."""

    __tablename__ = "incidents"

    id: int | None = Field(default=None, primary_key=True)
    outsourcing_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("outsourcings.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    kind: str = Field(default=IncidentKind.LEAK, max_length=16)
    summary: str = Field(max_length=4000)  # what happened
    discovered_on: date  # when it was found (by whoever found it)
    aware_on: date = Field(index=True)  # when the municipality became aware (知った日)
    persons: int = Field(default=0)
    special_care: bool = Field(default=False)
    financial_harm: bool = Field(default=False)
    wrongful_purpose: bool = Field(default=False)
    ordinance_designated: bool = Field(default=False)
    containment: str = Field(default="", max_length=4000)  # what was done already
    status: str = Field(default=IncidentStatus.OPEN, max_length=16, index=True)
    # The Commission decision, recomputed whenever the facts change (the profile's rules).
    commission_required: bool = Field(default=False, index=True)
    commission_reasons: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    first_report_due: date | None = Field(default=None)
    final_report_due: date | None = Field(default=None)
    first_reported_on: date | None = Field(default=None)
    first_report_note: str = Field(default="", max_length=2000)
    final_reported_on: date | None = Field(default=None)
    final_report_note: str = Field(default="", max_length=2000)
    # The step of the profile's escalation chain reached (0: the responsible manager).
    escalation_level: int = Field(default=0)
    cause: str = Field(default="", max_length=4000)
    measures: str = Field(default="", max_length=4000)
    measures_recorded_at: datetime | None = Field(default=None)
    publication_decision: str | None = Field(default=None, max_length=24)
    publication_reason: str = Field(default="", max_length=2000)
    publication_decided_by_id: int | None = Field(default=None, foreign_key="users.id")
    publication_decided_at: datetime | None = Field(default=None)
    reported_by_id: int | None = Field(default=None, foreign_key="users.id")
    reported_at: datetime = Field(default_factory=utcnow)
    closed_by_id: int | None = Field(default=None, foreign_key="users.id")
    closed_at: datetime | None = Field(default=None)


class IncidentEvent(SQLModel, table=True):
    """One entry of an incident's timeline: what happened, who did it, when (UTC)."""

    __tablename__ = "incident_events"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("incidents.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    kind: str = Field(max_length=24)
    at: datetime = Field(default_factory=utcnow)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    step: str = Field(default="", max_length=100)  # the escalation title reached, if any
    note: str = Field(default="", max_length=4000)


class IncidentNotice(SQLModel, table=True):
    """A notice shown in the portal to one user (and e-mailed): a new incident to answer for,
    or measures shared from an incident elsewhere."""

    __tablename__ = "incident_notices"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("incidents.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    user_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    kind: str = Field(max_length=24)  # "reported", "escalated", "shared", "reminder"
    message: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)


class IncidentShare(SQLModel, table=True):
    """A department that runs similar work and receives the recurrence-prevention measures."""

    __tablename__ = "incident_shares"
    __table_args__ = (UniqueConstraint("incident_id", "department_id"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("incidents.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    department_id: int = Field(foreign_key="departments.id", index=True)
    reason: str = Field(max_length=16)  # "vendor", "task" or "categories"
    shared_at: datetime = Field(default_factory=utcnow)


class IncidentReminder(SQLModel, table=True):
    """A reminder about a Commission deadline: each kind once per incident."""

    __tablename__ = "incident_reminders"
    __table_args__ = (UniqueConstraint("incident_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("incidents.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    kind: str = Field(max_length=16)  # "first", "final_7", "final_overdue"
    sent_at: datetime = Field(default_factory=utcnow)
    recipients: str = Field(default="", max_length=2000)


__all__ = [
    "EventKind",
    "Incident",
    "IncidentEvent",
    "IncidentKind",
    "IncidentNotice",
    "IncidentReminder",
    "IncidentShare",
    "IncidentStatus",
    "PublicationDecision",
]
