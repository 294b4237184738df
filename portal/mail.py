"""E-mail through the SMTP server of the configuration (``PORTAL_SMTP_*``)."""

from __future__ import annotations

import smtplib
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any


def mail_enabled(config: Mapping[str, Any]) -> bool:
    """Whether an SMTP server is configured (without one, notices stay in the portal)."""
    return bool(config.get("SMTP_HOST"))


def send_mail(config: Mapping[str, Any], *, to: Sequence[str], subject: str, body: str) -> bool:
    """Send one plain-text UTF-8 message to ``to``; False when mail is not configured."""
    if not mail_enabled(config) or not to:
        return False
    message = EmailMessage()
    message["From"] = config.get("SMTP_FROM") or "itaku-portal@localhost"
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=str(message["From"]).rpartition("@")[2] or None)
    message.set_content(body)
    with smtplib.SMTP(config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25), timeout=30) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        smtp.send_message(message)
    return True
