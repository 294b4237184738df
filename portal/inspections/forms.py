"""Forms of inspections: schedule (move, assign), record, answer and follow up actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, SelectField, StringField, TextAreaField
from wtforms import Form as BaseForm
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.forms import DayField

MIN_DATE, MAX_DATE = date(2000, 1, 1), date(2100, 12, 31)


def _in_range(form: Any, field: DayField) -> None:
    if field.data and not MIN_DATE <= field.data <= MAX_DATE:
        raise ValidationError(_l("日付が範囲外です（2000年から2100年まで）。"))


def checklist_labels() -> dict[str, Any]:
    """The checklist items in the user's language, in checklist order."""
    return {
        "management_structure": _l("管理体制（責任者・連絡体制）"),
        "implementation_structure": _l("実施体制（作業場所・従事者・手順）"),
        "confidentiality": _l("秘密保持・目的外利用の禁止"),
        "subcontracting": _l("再委託の制限・事前承認"),
        "copying": _l("複製等の制限"),
        "security": _l("安全管理措置"),
        "incident": _l("漏えい等の事案発生時の対応"),
        "return_deletion": _l("委託終了時の返還・消去"),
        "breach_remedies": _l("違反時の契約解除・損害賠償"),
        "reporting_audit": _l("定期報告・監査"),
    }


def method_choices() -> list[tuple[str, Any]]:
    return [("on_site", _l("実地検査")), ("remote", _l("映像・写真等による確認"))]


def performer_choices() -> list[tuple[str, Any]]:
    return [("municipality", _l("市が直接実施")), ("contractor", _l("委託先を通じて実施"))]


def severity_choices() -> list[tuple[str, Any]]:
    return [("minor", _l("軽微")), ("major", _l("重大")), ("critical", _l("緊急"))]


class MethodMixin:
    method = SelectField(_l("検査の方法"), choices=method_choices, validators=[DataRequired()])
    remote_reason = TextAreaField(
        _l("実地検査によらない理由"),
        # No Optional(): it would stop the chain before validate_remote_reason runs.
        validators=[Length(max=2000)],
        description=_l("映像・写真等で確認する場合は必ず記録します（第3項）。"),
    )
    performed_by = SelectField(
        _l("検査の実施者"), choices=performer_choices, validators=[DataRequired()]
    )

    def validate_remote_reason(self, field: TextAreaField) -> None:
        if self.method.data == "remote" and not (field.data or "").strip():
            raise ValidationError(
                _l(
                    "実地検査によらない場合（映像・写真等による確認）は、その理由を記録してください。"
                )
            )


class ScheduleForm(FlaskForm, MethodMixin):
    planned_date = DayField(_l("実施予定日"), validators=[Optional(), _in_range])
    inspector_id = SelectField(
        _l("検査担当者"), coerce=lambda v: int(v) if v else None, validators=[Optional()]
    )


class CheckForm(BaseForm):
    result = SelectField(
        _l("結果"),
        choices=[("ok", _l("適合")), ("ng", _l("不適合")), ("na", _l("該当なし"))],
        default="ok",
    )
    note = StringField(_l("メモ"), validators=[Optional(), Length(max=500)])


class FindingForm(BaseForm):
    description = TextAreaField(_l("指摘事項"), validators=[Optional(), Length(max=2000)])
    severity = SelectField(_l("重要度"), choices=severity_choices, default="minor")
    action = TextAreaField(_l("是正措置"), validators=[Optional(), Length(max=2000)])
    action_due = DayField(_l("是正期限"), validators=[Optional(), _in_range])


class RecordForm(FlaskForm, MethodMixin):
    completed_on = DayField(_l("実施日"), validators=[DataRequired(), _in_range])
    summary = TextAreaField(_l("検査結果の概要"), validators=[Optional(), Length(max=4000)])
    checks = FieldList(FormField(CheckForm), min_entries=10, max_entries=10)
    findings = FieldList(FormField(FindingForm), min_entries=3, max_entries=3)


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("是正の内容"), validators=[DataRequired(), Length(max=4000)])


class FollowUpForm(FlaskForm):
    decision = SelectField(
        _l("確認結果"),
        choices=[("accept", _l("是正を確認した")), ("reopen", _l("差し戻す"))],
        validators=[DataRequired()],
    )
    comment = TextAreaField(_l("コメント"), validators=[Optional(), Length(max=2000)])
