"""The provision rules as plain functions (no Flask, no database): what a provision, a check
and a pseudonymisation decision must say before they are kept.

Each check raises ``ProvisionError`` with a Japanese message (lazy texts: ``str()`` translates
them in the request's language).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from portal.obligations.rules import ObligationError, ReminderRule
from portal.provisions.models import CheckResult, Pseudonymisation

#: Improvement requests are chased 30, 7 and 1 days before their follow-up date and once late.
REMINDERS = ReminderRule((30, 7, 1), overdue=True)


class ProvisionError(ObligationError):
    """A provision, check or decision the rules refuse; ``message`` is Japanese."""


def check_pseudonymisation(method: str, reason: str) -> str:
    """The decision's reason, stripped; refuses an unknown method or a missing reason."""
    if method not in set(Pseudonymisation):
        raise ProvisionError(str(_l("仮名化等の措置の区分が正しくありません。")))
    reason = (reason or "").strip()
    if method == Pseudonymisation.NOT_APPLIED and not reason:
        raise ProvisionError(
            str(_l("識別できる記載の削除・置換を行わない場合は、その理由を入力してください。"))
        )
    return reason


def check_period(start: date, end: date | None) -> None:
    """The provision period must not end before it starts."""
    if end is not None and end < start:
        raise ProvisionError(str(_l("提供期間の終了日が開始日より前になっています。")))


def check_measures(codes: Iterable[str], known: Mapping[str, str]) -> list[str]:
    """The requested safety measures in profile order; refuses codes the profile does not list."""
    chosen = set(codes)
    unknown = sorted(chosen - set(known))
    if unknown:
        raise ProvisionError(
            str(
                _l(
                    "規程にない安全確保の措置が指定されています：%(codes)s",
                    codes=", ".join(unknown),
                )
            )
        )
    if not chosen:
        raise ProvisionError(str(_l("提供先に求める安全確保の措置を一つ以上選んでください。")))
    return [code for code in known if code in chosen]


def check_inspection(
    *, checked_on: date, today: date, result: str, request: str, due: date | None
) -> None:
    """A check is dated no later than today; an improvement needs a request and a later due date."""
    if checked_on > today:
        raise ProvisionError(str(_l("調査日に未来の日付は入力できません。")))
    if result not in set(CheckResult):
        raise ProvisionError(str(_l("調査結果の区分が正しくありません。")))
    if result != CheckResult.IMPROVEMENT:
        return
    if not (request or "").strip():
        raise ProvisionError(str(_l("改善を求める場合は、改善要求の内容を入力してください。")))
    if due is not None and due <= checked_on:
        raise ProvisionError(str(_l("改善の期限は調査日より後の日付にしてください。")))


def default_follow_up(checked_on: date, days: int) -> date:
    """The follow-up date of an improvement request when the officer gives none."""
    return checked_on + timedelta(days=days)
