"""The ledger import form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired


class ImportForm(FlaskForm):
    file = FileField(
        _l("取り込むファイル"),
        description=_l(
            "CSV（UTF-8またはShift_JIS）かExcel（.xlsx）。見出しはテンプレートのとおりに。"
        ),
        validators=[
            FileRequired(_l("ファイルを選んでください。")),
            FileAllowed(
                ["csv", "xlsx"], _l("取り込めるのはCSV（.csv）かExcel（.xlsx）のファイルだけです。")
            ),
        ],
    )
