"""Forms of the selection pages: a certification of a vendor, and its correction."""

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
    scope = StringField(
        _l("認証の範囲"),
        validators=[Optional(), Length(max=500)],
        description=_l("ISMS等の適用範囲（事業所・サービス）。全社が対象なら空欄で構いません。"),
    )
    note = TextAreaField(_l("備考"), validators=[Optional(), Length(max=2000)])


class CertificationEditForm(CertificationForm):
    """A certification corrected or renewed in place: everything but its type."""

    cert_type = None  # the type stays: another type is another certification
