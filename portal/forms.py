"""Form fields every feature's forms share.

WTForms answers input it cannot read with its own wording ("Not a valid date value.", or its
bundled catalog's terse "無効な日付型です。"); these fields say it in the portal's words, through
Flask-Babel like every other message.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms.validators import DataRequired


class DayField(DateField):
    """A calendar date (``YYYY-MM-DD``); what is not a date is refused in the portal's words."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read the date, refusing what is not one with the portal's own message."""
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("日付を正しく入力してください（例：2026-04-01）。"))) from error

    def post_validate(self, form: Any, validation_stopped: bool) -> None:
        """Say that a typed date is unreadable, not that it is missing."""
        # DataRequired replaces every error with its message when the data is None, as it is
        # for a date that could not be read: its generic "required" would tell the user, who
        # did type something, that nothing was typed. A field that words its own message
        # (e.g. "有効期限を日付で入力してください") keeps it.
        typed = any(str(v).strip() for v in self.raw_data or ())
        generic = any(isinstance(v, DataRequired) and v.message is None for v in self.validators)
        if self.process_errors and typed and generic:
            self.errors = list(self.process_errors)


__all__ = ["DayField"]
