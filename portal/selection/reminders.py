"""Reminders before a certification expires (60 and 30 days before, and once it has
expired): the obligation mechanism's ``ReminderRule`` and stamps, addressed by vendor.

A certification belongs to a vendor, not to one outsourcing, so the stamps are walked here
rather than by the per-outsourcing run of ``portal.obligations.reminders``; the rule, the
stamp table (one stamp per certification and kind, flushed before any mail leaves) and the
recipients are the mechanism's own. Only the latest certification of a vendor and type is
chased: a renewed one supersedes the old.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, select

from portal.mail import send_mail
from portal.models import Outsourcing, OutsourcingStatus, Vendor
from portal.obligations.reminders import read_recipients
from portal.obligations.rules import OVERDUE, ReminderRule
from portal.selection.models import Certification, CertificationReminder
from portal.selection.rules import SelectionRule

#: Outsourcings whose owning departments hear about their vendors' certifications.
LIVE = (OutsourcingStatus.REQUESTED, OutsourcingStatus.APPROVED, OutsourcingStatus.ACTIVE)


def latest_certifications(session: Session) -> list[tuple[Certification, Vendor]]:
    """The certification with the latest expiry per vendor and type (not withdrawn), with
    its vendor."""
    rows = session.exec(
        select(Certification, Vendor)
        .join(Vendor, Vendor.id == Certification.vendor_id)
        .where(Certification.withdrawn_at.is_(None))
        .order_by(Certification.expires_on.desc(), Certification.id.desc())
    ).all()
    seen: set[tuple[int, str]] = set()
    latest = []
    for certification, vendor in rows:
        key = (certification.vendor_id, certification.cert_type)
        if key not in seen:
            seen.add(key)
            latest.append((certification, vendor))
    return latest


def send_certification_reminders(
    *, session: Session, rule: SelectionRule, today: date, config: Mapping[str, Any]
) -> int:
    """Stamp (and e-mail) each certification reminder due today and not yet sent; how many."""
    reminder_rule = ReminderRule(days_before=rule.reminder_days, overdue=True)
    sent = set(
        session.exec(select(CertificationReminder.certification_id, CertificationReminder.kind))
    )
    book = read_recipients(session)
    departments: dict[int, set[int]] = {}
    for vendor_id, department_id in session.exec(
        select(Outsourcing.vendor_id, Outsourcing.department_id).where(Outsourcing.status.in_(LIVE))
    ):
        departments.setdefault(vendor_id, set()).add(department_id)
    count = 0
    for certification, vendor in latest_certifications(session):
        kind = reminder_rule.kind_for(due=certification.expires_on, today=today)
        if kind is None or (certification.id, kind) in sent:
            continue
        to = set(book.vendor_users(vendor.id))
        for department_id in departments.get(vendor.id, ()):  # type: ignore[arg-type]
            to.update(book.officers(department_id))
        addresses = sorted(to)
        session.add(
            CertificationReminder(
                certification_id=certification.id,
                kind=kind,
                recipients=",".join(addresses)[:2000],
            )
        )
        session.flush()  # the unique (certification, kind) stamp before anything leaves
        subject, body = _mail(kind, certification, vendor, rule)
        send_mail(config, to=addresses, subject=subject, body=body)
        count += 1
    return count


def _mail(
    kind: str, certification: Certification, vendor: Vendor, rule: SelectionRule
) -> tuple[str, str]:
    fields = {
        "type": rule.certification_label(certification.cert_type),
        "vendor": vendor.name,
        "number": certification.number,
        "expires": certification.expires_on.isoformat(),
        "days": kind,
    }
    if kind == OVERDUE:
        subject = _("【認証】有効期限が切れています：%(type)s（%(vendor)s）", **fields)
    else:
        subject = _("【認証】有効期限まで%(days)s日：%(type)s（%(vendor)s）", **fields)
    body = _(
        "委託先「%(vendor)s」の%(type)s（認証番号 %(number)s）の有効期限は %(expires)s です。"
        "\n\n更新後の認証を委託先監督ポータルに登録し、証明書の写しを添付してください。",
        **fields,
    )
    return subject, body
