"""Forms of the contract review."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length


class UploadForm(FlaskForm):
    """A contract PDF for an outsourcing."""

    file = FileField(
        _l("契約書（PDF）"),
        validators=[FileRequired(_l("ファイルを選んでください。"))],
        description=_l(
            "契約書・特記事項のPDF。同じ委託に2回目以降に登録すると変更契約として扱います。"
        ),
        render_kw={"accept": "application/pdf,.pdf"},
    )


class ClauseReviewForm(FlaskForm):
    """Confirm or override one clause's status, with a mandatory reason."""

    status = RadioField(
        _l("判定"),
        choices=[
            ("satisfied", _l("適合")),
            ("weak", _l("不十分")),
            ("missing", _l("欠落")),
        ],
        validators=[DataRequired(_l("判定を選んでください。"))],
    )
    reason = TextAreaField(
        _l("理由"),
        validators=[
            DataRequired(_l("確認・変更の理由を入力してください。")),
            Length(max=2000),
        ],
    )


class ReanalyseForm(FlaskForm):
    """Run the analysis of a document again (after a failure or a checker upgrade)."""
