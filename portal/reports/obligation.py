"""The periodic report as an obligation: what the vendor owes by the due date, chased at
30, 7 and 1 days before it and once overdue, submitted, and accepted or returned by the
owning department (``portal.obligations`` does the rest)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.obligations.registry import ObligationKind, Reminders
from portal.obligations.rules import OVERDUE
from portal.reports.models import (
    EDITABLE_STATUSES,
    ComplianceReport,
    ReportAttachment,
    ReportEvent,
    ReportReminder,
)
from portal.reports.rules import REMINDERS


def _mail(kind: str, report: ComplianceReport, fields: dict[str, str]) -> tuple[str, str]:
    if kind == OVERDUE:
        subject = _("【定期報告】提出期限を過ぎています：%(task)s（%(vendor)s）", **fields)
    else:
        subject = _("【定期報告】提出期限まで%(days)s日：%(task)s（%(vendor)s）", **fields)
    body = _(
        "委託業務「%(task)s」（委託先：%(vendor)s）の定期報告（%(start)s〜%(end)s）の"
        "提出期限は %(due)s です。\n\n委託先監督ポータルで報告を提出してください。",
        start=report.period_start.isoformat(),
        end=report.period_end.isoformat(),
        **fields,
    )
    return subject, body


REPORT_OBLIGATION = ObligationKind(
    ComplianceReport,
    tuple(EDITABLE_STATUSES),
    # To the vendor that owes the report, and the officers who review it.
    Reminders(REMINDERS, ("vendor_users", "officers"), _mail),
    tables=(ReportEvent, ReportReminder, ReportAttachment),
    attach_statuses=tuple(EDITABLE_STATUSES),
    attach_refused=_l("提出済みの報告には添付できません。"),
)
