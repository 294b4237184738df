"""Forms of management structures: the vendor's structure (the responsible person, the staff
rows, the places and systems) and the officer's confirmation."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import Form as BaseForm
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.forms import DayField
from portal.structures.rules import MAX_STAFF

#: Blank staff rows offered below the filled ones.
BLANK_ROWS = 3


class CountField(IntegerField):
    """A number of persons; what is not a number is refused in Japanese."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read the number (WTForms' own message is English)."""
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("人数は数字で入力してください。"))) from error


class StaffForm(BaseForm):
    name = StringField(
        _l("氏名（または役割）"),
        validators=[Optional(), Length(max=200)],
        description=_l("人数で記載する場合は「オペレーター」などの役割を書きます。"),
    )
    count = CountField(
        _l("人数"),
        default=1,
        validators=[
            Optional(),
            NumberRange(min=1, max=100000, message=_l("人数は1以上の数で入力してください。")),
        ],
    )
    training_date = DayField(_l("研修日"), validators=[Optional()], render_kw={"type": "date"})
    pledge_date = DayField(_l("誓約書の日付"), validators=[Optional()], render_kw={"type": "date"})
    dispatched = BooleanField(_l("派遣労働者"))


class StructureForm(FlaskForm):
    responsible_name = StringField(_l("責任者の氏名"), validators=[Optional(), Length(max=200)])
    responsible_title = StringField(_l("責任者の役職"), validators=[Optional(), Length(max=200)])
    responsible_contact = StringField(
        _l("責任者の連絡先"),
        validators=[Optional(), Length(max=200)],
        description=_l("電話番号またはメールアドレス"),
    )
    staff = FieldList(FormField(StaffForm), min_entries=1, max_entries=MAX_STAFF)
    places = TextAreaField(
        _l("取扱場所"),
        validators=[Optional(), Length(max=10000)],
        description=_l("事業所名と所在地など、1行に1か所ずつ書きます。"),
    )
    systems = TextAreaField(
        _l("取扱システム"),
        validators=[Optional(), Length(max=10000)],
        description=_l("1行に1つずつ書きます。紙だけで取り扱う場合は「紙媒体のみ」と書きます。"),
    )
    remarks = TextAreaField(_l("備考"), validators=[Optional(), Length(max=4000)])


class ReviewForm(FlaskForm):
    decision = SelectField(
        _l("確認結果"),
        choices=[("accept", _l("確認する")), ("return", _l("差し戻す"))],
        validators=[DataRequired()],
    )
    comment = TextAreaField(
        _l("コメント"),
        validators=[Optional(), Length(max=4000)],
        description=_l("差し戻す場合は、委託先に直してほしい点を書いてください。"),
    )
