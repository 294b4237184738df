"""The improvement request as an obligation: what a check asked the recipient to improve,
followed up by its date and chased 30, 7 and 1 days before it and once late
(``portal.obligations`` does the rest). It belongs to a provision, which the providing
department owns (no vendor): the reminders go to that department's officers."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement
from sqlmodel import select

from portal.obligations.registry import Holder, ObligationKind, Party, Reminders
from portal.obligations.rules import OVERDUE
from portal.provisions.models import (
    ImprovementEvent,
    ImprovementReminder,
    ImprovementRequest,
    ImprovementStatus,
    Provision,
)
from portal.provisions.rules import REMINDERS


def _with_provision(model: Any, where: ColumnElement[bool]) -> Any:
    """``select(model, Provision)``: each improvement request with its provision."""
    return select(model, Provision).join(Provision, Provision.id == model.provision_id).where(where)


#: An improvement request belongs to its provision, owned by the department that provides.
PROVISION_HOLDER = Holder(
    rows=_with_provision,
    party=lambda parts: Party(parts[0].department_id),
    fields=lambda parts: {"recipient": parts[0].recipient_name},
)


def _mail(kind: str, improvement: ImprovementRequest, fields: dict[str, str]) -> tuple[str, str]:
    if kind == OVERDUE:
        subject = _("【提供先の改善】確認期限を過ぎています：%(recipient)s", **fields)
    else:
        subject = _("【提供先の改善】確認期限まで%(days)s日：%(recipient)s", **fields)
    body = _(
        "提供先「%(recipient)s」に求めた改善の確認期限は %(due)s です。\n\n"
        "改善の状況を確認し、委託先監督ポータルで記録してください。",
        **fields,
    )
    return subject, body


IMPROVEMENT_OBLIGATION = ObligationKind(
    ImprovementRequest,
    (ImprovementStatus.OPEN,),
    # To the providing department's officers, who confirm the improvement.
    Reminders(REMINDERS, ("officers",), _mail),
    tables=(ImprovementReminder, ImprovementEvent),
    holder=PROVISION_HOLDER,
)
