"""The auditor's filters (GET forms: nothing changes, so no CSRF token)."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from portal.audit.queries import EventFilter
from portal.forms import DayField

OUTCOME_CHOICES = [
    ("", _l("すべて")),
    ("ok", _l("成功")),
    ("denied", _l("拒否")),
    ("failed", _l("失敗")),
]


class EventFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter form

    date_from = DayField(_l("開始日"), validators=[Optional()])
    date_to = DayField(_l("終了日"), validators=[Optional()])
    actor = StringField(
        _l("利用者"),
        validators=[Optional(), Length(max=254)],
        description=_l("メールアドレスの一部または利用者ID"),
    )
    action = SelectField(_l("操作"), validators=[Optional()])
    outcome = SelectField(_l("結果"), choices=OUTCOME_CHOICES, validators=[Optional()])
    object_type = StringField(_l("対象の種類"), validators=[Optional(), Length(max=64)])
    object_id = StringField(_l("対象ID"), validators=[Optional(), Length(max=64)])

    def validate_date_to(self, field: DayField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("終了日は開始日以降の日付にしてください。"))

    def to_filter(self) -> EventFilter:
        """The filter the fields describe (call after ``validate``)."""
        return EventFilter(
            date_from=self.date_from.data,
            date_to=self.date_to.data,
            actor=self.actor.data or "",
            action=self.action.data or "",
            outcome=self.outcome.data or "",
            object_type=self.object_type.data or "",
            object_id=self.object_id.data or "",
        )


class ReportPeriodForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter form

    date_from = DayField(_l("開始日"), validators=[Optional()])
    date_to = DayField(_l("終了日"), validators=[Optional()])

    def validate_date_to(self, field: DayField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("終了日は開始日以降の日付にしてください。"))
        if (
            field.data
            and self.date_from.data
            and field.data - self.date_from.data > timedelta(days=366)
        ):
            raise ValidationError(_l("期間は1年以内にしてください。"))

    def period(self, today: date) -> tuple[date, date]:
        """(first day, last day) asked for; the last 7 days by default."""
        last = self.date_to.data or today
        first = self.date_from.data or (last - timedelta(days=6))
        return first, last
