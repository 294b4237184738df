"""Jobs of the access log: tell managers of a bulk download; mail auditors a weekly summary."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from huey import crontab
from sqlmodel import Session, select

from portal.audit.models import DownloadCounter
from portal.audit.queries import managers_of
from portal.audit.report import analyse, summary_text
from portal.jobs import job, periodic
from portal.mail import send_mail
from portal.models import User
from portal.permissions import Role
from portal.timeutil import to_local, utcnow


@job("audit.notify_bulk_download")
def notify_bulk_download(counter_id: int, *, session: Session) -> int:
    """Mail the managers of a user who passed the bulk-download threshold; returns recipients."""
    counter = session.get(DownloadCounter, counter_id)
    if counter is None or counter.warned_at is None:
        return 0
    user = session.get(User, counter.user_id)
    if user is None:
        return 0
    managers = managers_of(session=session, user=user)
    recipients = [m.email for m in managers]
    with force_locale("ja"):
        subject = _(
            "【委託先監督ポータル】大量ダウンロードの警告: %(name)s", name=user.name or user.email
        )
        body = _(
            "%(name)s（%(email)s）が %(since)s 以降に %(count)d 件の個人情報・文書を"
            "ダウンロードまたは出力しました。設定された上限を超えています。\n"
            "アクセス記録で内容を確認してください。",
            name=user.name,
            email=user.email,
            since=to_local(counter.window_start).strftime("%Y-%m-%d %H:%M"),
            count=counter.count,
        )
    send_mail(current_app.config, to=recipients, subject=subject, body=body)
    return len(recipients)


@periodic("audit_weekly_summary", crontab(minute="0", hour="22", day_of_week="0"))
def weekly_summary(*, session: Session) -> int:
    """Mail the auditors the analysis of the past week (Monday 07:00 JST); returns recipients."""
    until = utcnow()
    report = analyse(session=session, since=until - timedelta(days=7), until=until)
    auditors = session.exec(select(User).where(User.active, User.role == Role.AUDITOR)).all()
    recipients = [a.email for a in auditors]
    with force_locale("ja"):
        subject = _("【委託先監督ポータル】アクセス記録の週次分析")
        body = summary_text(report)
    send_mail(current_app.config, to=recipients, subject=subject, body=body)
    return len(recipients)
