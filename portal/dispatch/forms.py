"""The dispatch contract form (registration and changes)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.forms import DayField


def _optional_int(value: Any) -> int | None:
    """An id from a select, or None for anything else (the operation then says what to do)."""
    try:
        return int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


class DispatchContractForm(FlaskForm):
    """A 労働者派遣契約: number, department, 派遣元, work, period, workers, training."""

    contract_number = StringField(
        _l("契約番号"),
        validators=[InputRequired(_l("契約番号を入力してください。")), Length(max=50)],
    )
    # Choices are checked by the operation, with a Japanese message (not WTForms' English).
    department_id = SelectField(
        _l("所管課室"), coerce=_optional_int, validators=[Optional()], validate_choice=False
    )
    vendor_id = SelectField(
        _l("派遣元"),
        coerce=_optional_int,
        validators=[InputRequired(_l("派遣元を選んでください。"))],
        validate_choice=False,
    )
    work = TextAreaField(
        _l("派遣業務の内容"),
        validators=[InputRequired(_l("派遣業務の内容を入力してください。")), Length(max=500)],
    )
    personal_information = TextAreaField(
        _l("取り扱う保有個人情報"),
        validators=[Optional(), Length(max=500)],
        description=_l("派遣労働者が取り扱う個人情報の種類（例：住民基本台帳の氏名・住所）"),
    )
    period_start = DayField(
        _l("派遣期間（開始日）"),
        validators=[InputRequired(_l("派遣期間の開始日を入力してください。"))],
    )
    period_end = DayField(
        _l("派遣期間（終了日）"),
        validators=[InputRequired(_l("派遣期間の終了日を入力してください。"))],
    )
    workers = IntegerField(
        _l("派遣労働者数"),
        validators=[
            InputRequired(_l("派遣労働者数を入力してください。")),
            NumberRange(
                min=1, max=100_000, message=_l("派遣労働者数は1以上の整数で入力してください。")
            ),
        ],
    )
    trained_on = DayField(
        _l("派遣労働者への教育研修の実施日"),
        validators=[Optional()],
        description=_l("派遣労働者も教育研修の対象です（規程の職員の教育研修の条）。"),
    )
