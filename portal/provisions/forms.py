"""Forms of the provision register: a provision, an on-site check, closing an improvement,
ending a provision, and an outsourcing's pseudonymisation decision."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.forms import DayField
from portal.provisions.models import (
    CheckMethod,
    CheckResult,
    CheckTiming,
    Pseudonymisation,
    RecipientKind,
)


def pseudonymisation_choices() -> list[tuple[str, Any]]:
    """The pseudonymisation decisions in the user's language."""
    return [
        (Pseudonymisation.REMOVED, _l("識別できる記載の全部又は一部を削除する")),
        (Pseudonymisation.REPLACED, _l("識別できる記載を別の記号等に置き換える")),
        (Pseudonymisation.NOT_APPLIED, _l("削除・置換を行わない（理由を記載）")),
    ]


class CheckboxesField(SelectMultipleField):
    """Several choices as check boxes (the safety measures)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ProvisionForm(FlaskForm):
    """A provision and its written agreement's items."""

    recipient_name = StringField(_l("提供先"), validators=[DataRequired(), Length(max=200)])
    recipient_kind = SelectField(
        _l("提供先の区分"),
        choices=[
            (RecipientKind.OTHER, _l("市の機関等以外の者（法第69条第2項第4号）")),
            (RecipientKind.ADMINISTRATIVE, _l("他の行政機関等（法第69条第2項第3号）")),
        ],
    )
    information_name = StringField(
        _l("提供する保有個人情報"), validators=[DataRequired(), Length(max=200)]
    )
    purpose = TextAreaField(
        _l("提供先における利用目的"), validators=[DataRequired(), Length(max=2000)]
    )
    legal_basis = TextAreaField(
        _l("利用する業務の根拠法令"), validators=[DataRequired(), Length(max=1000)]
    )
    record_scope = TextAreaField(
        _l("利用する記録範囲及び記録項目"), validators=[DataRequired(), Length(max=2000)]
    )
    usage_form = TextAreaField(
        _l("利用形態"),
        validators=[DataRequired(), Length(max=1000)],
        description=_l("例：電子媒体による一括提供、オンラインによる随時照会、紙の写しの交付"),
    )
    agreement_date = DayField(_l("書面を取り交わした日"), validators=[Optional()])
    start_date = DayField(_l("提供開始日"), validators=[DataRequired()])
    end_date = DayField(_l("提供終了日"), validators=[Optional()])
    persons = IntegerField(
        _l("本人の数（概数）"), default=0, validators=[InputRequired(), NumberRange(min=0)]
    )
    # Unknown codes are refused by the rules, in Japanese, naming them (not WTForms' English).
    safety_measures = CheckboxesField(
        _l("提供先に求める安全確保の措置"), choices=[], validate_choice=False
    )
    safety_measures_note = TextAreaField(
        _l("措置についての補足"), validators=[Optional(), Length(max=2000)]
    )
    pseudonymisation = RadioField(
        _l("特定の個人を識別できる記載の削除・置換"),
        choices=pseudonymisation_choices(),
        validators=[InputRequired()],
    )
    pseudonymisation_reason = TextAreaField(
        _l("削除・置換を行わない理由"), validators=[Optional(), Length(max=2000)]
    )


class CheckForm(FlaskForm):
    """An on-site check of the recipient and, when needed, the improvement requested."""

    checked_on = DayField(_l("調査日"), validators=[DataRequired()])
    timing = SelectField(
        _l("時期"),
        choices=[(CheckTiming.BEFORE, _l("提供前")), (CheckTiming.DURING, _l("提供中（随時）"))],
    )
    method = SelectField(
        _l("方法"),
        choices=[
            (CheckMethod.ON_SITE, _l("実地調査")),
            (CheckMethod.DOCUMENTS, _l("書面等による確認")),
        ],
    )
    result = SelectField(
        _l("結果"),
        choices=[
            (CheckResult.ADEQUATE, _l("措置は適切に講じられている")),
            (CheckResult.IMPROVEMENT, _l("改善を求める")),
        ],
    )
    findings = TextAreaField(
        _l("確認した措置の状況"), validators=[DataRequired(), Length(max=4000)]
    )
    improvement_request = TextAreaField(
        _l("改善要求の内容"), validators=[Optional(), Length(max=4000)]
    )
    follow_up_due = DayField(
        _l("改善の確認期限"),
        validators=[Optional()],
        description=_l("空欄の場合は規程の既定日数後になります。"),
    )


class CloseImprovementForm(FlaskForm):
    """The officer confirms the improvement and records what the recipient did."""

    response = TextAreaField(
        _l("提供先が講じた改善の内容"), validators=[DataRequired(), Length(max=4000)]
    )


class EndProvisionForm(FlaskForm):
    """The date a provision ended."""

    end_date = DayField(_l("提供終了日"), validators=[DataRequired()])


class PseudonymisationForm(FlaskForm):
    """An outsourcing's pseudonymisation decision."""

    pseudonymisation = RadioField(
        _l("特定の個人を識別できる記載の削除・置換"),
        choices=pseudonymisation_choices(),
        validators=[InputRequired()],
    )
    reason = TextAreaField(
        _l("削除・置換を行わない理由"), validators=[Optional(), Length(max=2000)]
    )
