"""Sign-in and password forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from portal.auth.passwords import MAX_LENGTH, password_problems


class LoginForm(FlaskForm):
    email = EmailField(_l("メールアドレス"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("パスワード"), validators=[DataRequired(), Length(max=MAX_LENGTH)])


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("現在のパスワード"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("新しいパスワード"),
        validators=[DataRequired()],
        description=_l("12文字以上。日本語も使えます。記号や数字を混ぜる決まりはありません。"),
    )
    confirm_password = PasswordField(
        _l("新しいパスワード（確認）"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("確認用のパスワードが一致しません。")),
        ],
    )

    def __init__(self, *args: object, email: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._email = email

    def validate_new_password(self, field: StringField) -> None:
        problems = password_problems(field.data or "", email=self._email)
        if problems:
            raise ValidationError(" ".join(problems))


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("確認コード"),
        validators=[DataRequired(), Length(max=40)],
        description=_l(
            "認証アプリに表示されている6桁の数字を入力してください。"
            "アプリを使えないときは、回復コード（xxxx-xxxx-xxxx-xxxx）も使えます。"
        ),
    )


class EnrolmentForm(FlaskForm):
    code = StringField(
        _l("確認コード"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("登録した認証アプリに表示されている6桁の数字を入力してください。"),
    )


class ReauthenticationForm(FlaskForm):
    password = PasswordField(_l("パスワード"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    code = StringField(
        _l("確認コード"),
        validators=[Length(max=40)],
        description=_l("認証アプリの6桁の数字、または回復コード。"),
    )
