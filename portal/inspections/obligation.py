"""The inspection as an obligation: what the municipality owes by the due date, chased at
30, 7 and 1 days before it and once overdue (``portal.obligations`` does the rest)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.inspections.models import (
    ANSWERABLE_STATUSES,
    OPEN_STATUSES,
    ActionStatus,
    Inspection,
    InspectionAttachment,
    InspectionReminder,
)
from portal.inspections.rules import REMINDERS
from portal.models import Outsourcing, Vendor
from portal.obligations.registry import ObligationKind, Recipients, Reminders
from portal.obligations.rules import OVERDUE, ReviewCycle

#: A corrective action: the vendor answers (again, until it is closed); the officer
#: confirms it (closed) or sends it back (open again, with the reason).
ACTION_REVIEW = ReviewCycle(
    owed=ANSWERABLE_STATUSES,
    submitted=ActionStatus.ANSWERED,
    accepted=ActionStatus.CLOSED,
    returned=ActionStatus.OPEN,
    not_owed=_l("この是正措置は既に完了しています。"),
    not_submitted=_l("確認できるのは、委託先が回答した是正措置だけです。"),
    reason_required=_l("差し戻す場合は理由を入力してください。"),
)


def _subject(kind: str, _inspection: Inspection, node: Outsourcing, vendor: Vendor) -> str:
    if kind == OVERDUE:
        return _(
            "【実地検査】期限を過ぎています：%(task)s（%(vendor)s）",
            task=node.task_name,
            vendor=vendor.name,
        )
    return _(
        "【実地検査】期限まで%(days)s日：%(task)s（%(vendor)s）",
        days=kind,
        task=node.task_name,
        vendor=vendor.name,
    )


def _body(inspection: Inspection, node: Outsourcing, vendor: Vendor) -> str:
    return _(
        "委託業務「%(task)s」（委託先：%(vendor)s）の実地検査の期限は %(due)s です。\n"
        "実施予定日：%(planned)s\n\n委託先監督ポータルで予定を確認してください。",
        task=node.task_name,
        vendor=vendor.name,
        due=inspection.due_date.isoformat(),
        planned=inspection.planned_date.isoformat() if inspection.planned_date else _("未定"),
    )


def _recipients(book: Recipients, inspection: Inspection, node: Outsourcing) -> list[str]:
    # The owning department's officers and the assigned inspector.
    return [*book.officers(node.department_id), *book.user(inspection.inspector_id)]


INSPECTION_OBLIGATION = ObligationKind(
    Inspection,
    tuple(OPEN_STATUSES),
    Reminders(REMINDERS, _recipients, subject=_subject, body=_body),
    tables=(InspectionReminder, InspectionAttachment),
)
