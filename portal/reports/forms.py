"""Forms of periodic reports: the vendor's report, the officer's review, the frequency, and
the follow-up of a reported unapproved subcontractor."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, SelectField, StringField, TextAreaField
from wtforms import Form as BaseForm
from wtforms.validators import DataRequired, Length, Optional

from portal.reports.rules import checklist_items

SUBCONTRACTOR_ROWS = 5


def frequency_choices() -> list[tuple[str, Any]]:
    """The reporting frequencies in the user's language."""
    return [
        ("monthly", _l("毎月")),
        ("quarterly", _l("四半期ごと")),
        ("half_yearly", _l("半年ごと")),
        ("yearly", _l("毎年")),
    ]


def _optional_int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


class AnswerForm(BaseForm):
    answer = SelectField(
        _l("回答"),
        choices=[("", _l("（未回答）")), ("yes", _l("はい（遵守している）")), ("no", _l("いいえ"))],
        default="",
        validators=[Optional()],
    )
    comment = TextAreaField(
        _l("コメント"),
        validators=[Optional(), Length(max=1000)],
        description=_l("「いいえ」の場合は理由と対応を記入してください。"),
    )


class SubcontractorForm(BaseForm):
    known = SelectField(
        _l("承認済みの再委託先から選ぶ"), coerce=_optional_int, validators=[Optional()]
    )
    name = StringField(_l("再委託先の名称"), validators=[Optional(), Length(max=200)])
    corporate_number = StringField(
        _l("法人番号"),
        validators=[Optional(), Length(max=20)],
        description=_l("一覧にない再委託先は、名称と法人番号（13桁）を入力します。"),
    )


class ReportForm(FlaskForm):
    checks = FieldList(FormField(AnswerForm), min_entries=8, max_entries=8)
    subcontractors = FieldList(
        FormField(SubcontractorForm), min_entries=SUBCONTRACTOR_ROWS, max_entries=SUBCONTRACTOR_ROWS
    )
    had_incidents = SelectField(
        _l("期間中の漏えい等の事案"),
        choices=[("", _l("（未回答）")), ("no", _l("なかった")), ("yes", _l("あった"))],
        default="",
        validators=[Optional()],
    )
    incident_description = TextAreaField(
        _l("事案の内容と対応"), validators=[Optional(), Length(max=4000)]
    )
    remarks = TextAreaField(_l("その他の報告事項"), validators=[Optional(), Length(max=4000)])

    def set_known_choices(self, vendors: list[tuple[int, str]]) -> None:
        """Offer the approved subcontractors of the node in every row."""
        for entry in self.subcontractors.entries:
            entry.form.known.choices = [(None, _l("（選ばない）")), *vendors]


def checklist_rows(form: ReportForm) -> list[tuple[str, str, Any]]:
    """(clause id, title, sub-form) for the eight matters, in catalog order."""
    return [
        (key, title, entry)
        for (key, title), entry in zip(checklist_items(), form.checks.entries, strict=True)
    ]


class ReviewForm(FlaskForm):
    decision = SelectField(
        _l("確認結果"),
        choices=[("accept", _l("受理する")), ("return", _l("差し戻す"))],
        validators=[DataRequired()],
    )
    comment = TextAreaField(
        _l("コメント"),
        validators=[Optional(), Length(max=4000)],
        description=_l("差し戻す場合は、委託先に直してほしい点を書いてください。"),
    )


class FrequencyForm(FlaskForm):
    frequency = SelectField(
        _l("報告の頻度"), choices=frequency_choices, validators=[DataRequired()]
    )


class ResolveForm(FlaskForm):
    reason = TextAreaField(_l("対応済みとする理由"), validators=[DataRequired(), Length(max=2000)])
