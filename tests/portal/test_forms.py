"""The shared form fields: every date field of every form refuses what is not a date in the
portal's own words (Japanese, or English for an English-speaking user), never WTForms'."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from wtforms import DateField
from wtforms.fields.core import UnboundField

import portal
from portal.forms import DayField
from portal.permissions import Role
from portal_testing import csrf_token


def _form_modules():
    for info in pkgutil.walk_packages(portal.__path__, "portal."):
        if info.name.endswith(".forms"):
            yield importlib.import_module(info.name)


def test_every_date_field_of_every_form_is_a_day_field():
    plain = []
    for module in _form_modules():
        for name, value in vars(module).items():
            if not isinstance(value, type):
                continue
            for field_name, field in vars(value).items():
                if (
                    isinstance(field, UnboundField)
                    and issubclass(field.field_class, DateField)
                    and not issubclass(field.field_class, DayField)
                ):
                    plain.append(f"{module.__name__}.{name}.{field_name}")
    assert plain == []


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/dispatch/new", "period_start"),
        ("/provisions/new", "start_date"),
    ],
)
@pytest.mark.parametrize(
    ("locale", "message"),
    [
        ("ja", "日付を正しく入力してください（例：2026-04-01）。"),
        ("en", "Enter a valid date (e.g. 2026-04-01)."),
    ],
)
def test_an_unreadable_date_is_refused_in_the_users_language(
    client, login, path, field, locale, message
):
    login(Role.STAFF, locale=locale)
    data = {field: "2026-13-45", "csrf_token": csrf_token(client, path)}
    html = client.post(path, data=data).get_data(as_text=True)
    assert message in html
    assert "Not a valid date value" not in html and "無効な日付型" not in html
    assert 'value="2026-13-45"' in html  # what was typed is still there
