"""Forms of incidents: report (and correct the facts), escalate, Commission reports,
cause and measures, publication decision, close."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from portal.forms import DayField

MIN_DATE, MAX_DATE = date(2000, 1, 1), date(2100, 12, 31)


def _in_range(form: Any, field: DayField) -> None:
    if field.data and not MIN_DATE <= field.data <= MAX_DATE:
        raise ValidationError(_l("日付が範囲外です（2000年から2100年まで）。"))


def kind_choices() -> list[tuple[str, Any]]:
    return [
        ("leak", _l("漏えい")),
        ("loss", _l("滅失")),
        ("damage", _l("毀損")),
        ("suspected", _l("漏えい等のおそれ")),
    ]


def publication_choices() -> list[tuple[str, Any]]:
    return [
        ("publish_and_notify", _l("公表し、本人に通知する")),
        ("publish", _l("公表する（本人への通知なし）")),
        ("notify", _l("本人に通知する（公表なし）")),
        ("none", _l("公表・通知とも行わない")),
    ]


class FactsForm(FlaskForm):
    kind = SelectField(_l("事案の種類"), choices=kind_choices, validators=[DataRequired()])
    summary = TextAreaField(
        _l("何が起きたか"),
        validators=[DataRequired(_l("何が起きたかを入力してください。")), Length(max=4000)],
    )
    discovered_on = DayField(
        _l("発見日"), validators=[DataRequired(_l("発見日を入力してください。")), _in_range]
    )
    persons = IntegerField(
        _l("影響を受ける人数"),
        validators=[
            InputRequired(_l("影響を受ける人数を入力してください（不明なら見込みの人数）。")),
            NumberRange(min=0, max=100_000_000, message=_l("人数は0以上で入力してください。")),
        ],
        description=_l("不明な場合は、現時点の見込みの人数を入力し、判明したら訂正します。"),
    )
    special_care = BooleanField(_l("要配慮個人情報が含まれる"))
    financial_harm = BooleanField(_l("財産的被害が生じるおそれがある"))
    wrongful_purpose = BooleanField(_l("不正の目的によるおそれがある"))
    ordinance_designated = BooleanField(_l("条例要配慮個人情報（条例で定める記述等）が含まれる"))
    containment = TextAreaField(_l("既に講じた被害拡大防止の措置"), validators=[Length(max=4000)])


class ReportForm(FactsForm):
    outsourcing_id = SelectField(
        _l("委託業務"),
        coerce=lambda v: int(v) if v else None,
        validators=[DataRequired(_l("委託業務を選んでください。"))],
    )


class EscalateForm(FlaskForm):
    escalation_note = TextAreaField(
        _l("報告の内容（経緯・被害状況・対応）"),
        validators=[DataRequired(_l("報告の内容を入力してください。")), Length(max=4000)],
    )


class CommissionReportForm(FlaskForm):
    which = SelectField(
        _l("報告の種類"),
        choices=[("first", _l("速報")), ("final", _l("確報"))],
        validators=[DataRequired()],
    )
    filed_on = DayField(
        _l("報告した日"), validators=[DataRequired(_l("報告した日を入力してください。")), _in_range]
    )
    report_note = TextAreaField(_l("メモ（受付番号等）"), validators=[Length(max=2000)])


class MeasuresForm(FlaskForm):
    cause = TextAreaField(
        _l("原因の分析"),
        validators=[DataRequired(_l("原因の分析を入力してください。")), Length(max=4000)],
    )
    measures = TextAreaField(
        _l("再発防止策"),
        validators=[DataRequired(_l("再発防止策を入力してください。")), Length(max=4000)],
        description=_l("記録すると、同種の業務を行う課室に共有されます。"),
    )


class PublicationForm(FlaskForm):
    decision = SelectField(
        _l("公表・本人への通知"), choices=publication_choices, validators=[DataRequired()]
    )
    reason = TextAreaField(
        _l("判断の理由"),
        validators=[DataRequired(_l("判断の理由を入力してください。")), Length(max=2000)],
    )


class CloseForm(FlaskForm):
    close_note = TextAreaField(_l("完了時のメモ"), validators=[Length(max=2000)])
