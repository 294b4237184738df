"""The management structure as an obligation: what the vendor owes once its outsourcing is
active (or once it changes its structure), chased 7 and 1 days before the due date and once
overdue, submitted, and confirmed or returned by the owning department."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.obligations.registry import ObligationKind, Reminders
from portal.obligations.rules import OVERDUE
from portal.structures.models import (
    EDITABLE_STATUSES,
    ManagementStructure,
    StructureAttachment,
    StructureEvent,
    StructureReminder,
)
from portal.structures.rules import REMINDERS


def _mail(kind: str, structure: ManagementStructure, fields: dict[str, str]) -> tuple[str, str]:
    if kind == OVERDUE:
        subject = _("【管理体制】提出期限を過ぎています：%(task)s（%(vendor)s）", **fields)
    else:
        subject = _("【管理体制】提出期限まで%(days)s日：%(task)s（%(vendor)s）", **fields)
    body = _(
        "委託業務「%(task)s」（委託先：%(vendor)s）の責任者及び業務従事者の管理体制"
        "（第%(version)d版）の提出期限は %(due)s です。\n\n"
        "委託先監督ポータルで管理体制を提出してください。",
        version=structure.version,
        **fields,
    )
    return subject, body


STRUCTURE_OBLIGATION = ObligationKind(
    ManagementStructure,
    tuple(EDITABLE_STATUSES),
    # To the vendor that owes the structure, and the officers who confirm it.
    Reminders(REMINDERS, ("vendor_users", "officers"), _mail),
    tables=(StructureEvent, StructureReminder, StructureAttachment),
    attach_statuses=tuple(EDITABLE_STATUSES),
    attach_refused=_l(
        "提出済みの管理体制には添付できません（変更する場合は新しい版を作成してください）。"
    ),
)
