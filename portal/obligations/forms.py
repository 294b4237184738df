"""Forms every obligation's pages share."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Optional


class DepartmentFilterForm(FlaskForm):
    """The department a list of owed things is limited to."""

    class Meta:
        csrf = False  # a GET filter form

    department = SelectField(
        _l("課室"), coerce=lambda v: int(v) if v else None, validators=[Optional()]
    )
