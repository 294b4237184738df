"""Forms of the selection pages: a certification of a vendor."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.forms import DayField


class CertificationForm(FlaskForm):
    """A certification the vendor holds (the type from the profile's list)."""

    cert_type = SelectField(_l("認証の種類"), validators=[DataRequired()])
    number = StringField(
        _l("認証番号"),
        validators=[DataRequired(message=_l("認証番号を入力してください。")), Length(max=64)],
    )
    issued_on = DayField(
        _l("取得日（更新日）"),
        validators=[DataRequired(message=_l("取得日を日付で入力してください。"))],
    )
    expires_on = DayField(
        _l("有効期限"),
        validators=[DataRequired(message=_l("有効期限を日付で入力してください。"))],
    )
    note = TextAreaField(_l("備考"), validators=[Optional(), Length(max=2000)])
