"""The periodic report as an obligation: what the vendor owes by the due date, chased at
30, 7 and 1 days before it and once overdue, submitted, and accepted or returned by the
owning department (``portal.obligations`` does the rest)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.models import Outsourcing, Vendor
from portal.obligations.registry import ObligationKind, Recipients, Reminders
from portal.obligations.rules import OVERDUE, ReviewCycle
from portal.reports.models import (
    EDITABLE_STATUSES,
    ComplianceReport,
    ReportAttachment,
    ReportEvent,
    ReportReminder,
    ReportStatus,
)
from portal.reports.rules import REMINDERS

#: due/draft/returned → submitted → accepted, or returned (the vendor corrects it).
REVIEW = ReviewCycle(
    owed=tuple(EDITABLE_STATUSES),
    submitted=ReportStatus.SUBMITTED,
    accepted=ReportStatus.ACCEPTED,
    returned=ReportStatus.RETURNED,
    not_owed=_l("提出済みの報告は変更できません（差し戻されると再び編集できます）。"),
    not_submitted=_l("確認できるのは、提出された報告だけです。"),
    reason_required=_l("差し戻す場合は、委託先への指摘を入力してください。"),
)


def _subject(kind: str, _report: ComplianceReport, node: Outsourcing, vendor: Vendor) -> str:
    task, name = node.task_name, vendor.name
    if kind != OVERDUE:
        return _(
            "【定期報告】提出期限まで%(days)s日：%(task)s（%(vendor)s）",
            days=kind,
            task=task,
            vendor=name,
        )
    return _("【定期報告】提出期限を過ぎています：%(task)s（%(vendor)s）", task=task, vendor=name)


def _body(report: ComplianceReport, node: Outsourcing, vendor: Vendor) -> str:
    return _(
        "委託業務「%(task)s」（委託先：%(vendor)s）の定期報告（%(start)s〜%(end)s）の"
        "提出期限は %(due)s です。\n\n委託先監督ポータルで報告を提出してください。",
        task=node.task_name,
        vendor=vendor.name,
        start=report.period_start.isoformat(),
        end=report.period_end.isoformat(),
        due=report.due_date.isoformat(),
    )


def _recipients(book: Recipients, _report: ComplianceReport, node: Outsourcing) -> list[str]:
    # The vendor that owes the report, and the officers who review it.
    return [*book.vendor_users(node.vendor_id), *book.officers(node.department_id)]


REPORT_OBLIGATION = ObligationKind(
    ComplianceReport,
    tuple(EDITABLE_STATUSES),
    Reminders(REMINDERS, _recipients, subject=_subject, body=_body),
    tables=(ReportEvent, ReportReminder, ReportAttachment),
    review=REVIEW,
    attach_statuses=tuple(EDITABLE_STATUSES),
    attach_refused=_l("提出済みの報告には添付できません。"),
)
