"""Forms for accounts and organisation."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from clauses.profile import Profile
from portal.permissions import Role


def role_choices(profile: Profile) -> list[tuple[str, str]]:
    """Role choices labelled with the municipality's own titles."""
    return [(role.value, f"{profile.role_title(role.value)}（{role.value}）") for role in Role]


def _optional_int(value: str | None) -> int | None:
    return int(value) if value not in (None, "", "None") else None


class UserForm(FlaskForm):
    email = EmailField(_l("メールアドレス"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("氏名"), validators=[Optional(), Length(max=100)])
    role = SelectField(_l("役割"), validators=[DataRequired()])
    department_id = SelectField(_l("所属課室"), coerce=_optional_int, validators=[Optional()])
    vendor_id = SelectField(
        _l("所属委託先（委託先ユーザーのみ）"), coerce=_optional_int, validators=[Optional()]
    )
    active = BooleanField(_l("有効"), default=True)


class PrefixedForm(FlaskForm):
    """One of several forms on a page, told apart by its field prefix."""

    def submit_requested(self) -> bool:
        """Whether this form (not another one on the page) was posted."""
        return request.method == "POST" and any(
            key.startswith(self._prefix) for key in request.form
        )


class DivisionForm(PrefixedForm):
    name = StringField(_l("部の名称"), validators=[DataRequired(), Length(max=100)])
    sort_order = IntegerField(
        _l("表示順"), default=0, validators=[Optional(), NumberRange(min=0, max=9999)]
    )


class DepartmentForm(PrefixedForm):
    division_id = SelectField(_l("部"), coerce=int, validators=[DataRequired()])
    name = StringField(_l("課室の名称"), validators=[DataRequired(), Length(max=100)])
    sort_order = IntegerField(
        _l("表示順"), default=0, validators=[Optional(), NumberRange(min=0, max=9999)]
    )
