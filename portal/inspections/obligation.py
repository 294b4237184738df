"""The inspection as an obligation: what the municipality owes by the due date, chased at
30, 7 and 1 days before it and once overdue (``portal.obligations`` does the rest)."""

from __future__ import annotations

from flask_babel import gettext as _

from portal.inspections import models
from portal.inspections.rules import REMINDERS
from portal.obligations.registry import ObligationKind, Reminders
from portal.obligations.rules import OVERDUE


def _mail(kind: str, inspection: models.Inspection, fields: dict[str, str]) -> tuple[str, str]:
    if kind == OVERDUE:
        subject = _("【実地検査】期限を過ぎています：%(task)s（%(vendor)s）", **fields)
    else:
        subject = _("【実地検査】期限まで%(days)s日：%(task)s（%(vendor)s）", **fields)
    planned = inspection.planned_date.isoformat() if inspection.planned_date else _("未定")
    body = _(
        "委託業務「%(task)s」（委託先：%(vendor)s）の実地検査の期限は %(due)s です。\n"
        "実施予定日：%(planned)s\n\n委託先監督ポータルで予定を確認してください。",
        planned=planned,
        **fields,
    )
    return subject, body


INSPECTION_OBLIGATION = ObligationKind(
    models.Inspection,
    tuple(models.OPEN_STATUSES),
    # To the owning department's officers and the assigned inspector.
    Reminders(REMINDERS, ("officers", "inspector_id"), _mail),
    tables=(models.InspectionReminder, models.InspectionAttachment),
)
