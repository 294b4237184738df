"""Forms of the chain: register an outsourcing, request a subcontract, decide a request."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from portal.forms import DayField

MIN_DATE, MAX_DATE = date(2000, 1, 1), date(2100, 12, 31)


def _in_range(form: FlaskForm, field: DayField) -> None:
    if field.data and not MIN_DATE <= field.data <= MAX_DATE:
        raise ValidationError(_l("日付が範囲外です（2000年から2100年まで）。"))


class EntrustedDataMixin:
    pi_categories = StringField(
        _l("委託する個人情報の項目"),
        validators=[DataRequired(), Length(max=500)],
        description=_l("例：氏名、住所、生年月日、被保険者番号"),
    )
    special_care = BooleanField(_l("要配慮個人情報を含む"))
    persons = IntegerField(
        _l("本人の数（概数）"), validators=[DataRequired(), NumberRange(min=0, max=100_000_000)]
    )
    scope_note = TextAreaField(
        _l("必要最小限である理由"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l(
            "業務内容に照らして、委託する個人情報が必要最小限であることを記載します（第2項）。"
        ),
    )


class PeriodMixin:
    start_date = DayField(_l("開始日"), validators=[DataRequired(), _in_range])
    end_date = DayField(_l("終了日"), validators=[DataRequired(), _in_range])

    def validate_end_date(self, field: DayField) -> None:
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError(_l("終了日は開始日より後の日付にしてください。"))


class VendorFieldsMixin:
    vendor_name = StringField(_l("委託先の名称"), validators=[DataRequired(), Length(max=200)])
    corporate_number = StringField(
        _l("法人番号（13桁）"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("国税庁が指定する13桁の番号。全角・ハイフン付きでも入力できます。"),
    )


class OutsourcingForm(FlaskForm, VendorFieldsMixin, PeriodMixin, EntrustedDataMixin):
    task_name = StringField(_l("委託業務の名称"), validators=[DataRequired(), Length(max=200)])
    department_id = SelectField(_l("所管課室"), coerce=int, validators=[DataRequired()])


class SubcontractRequestForm(FlaskForm, VendorFieldsMixin, PeriodMixin, EntrustedDataMixin):
    task_name = StringField(_l("再委託する業務"), validators=[DataRequired(), Length(max=200)])
    declared_subsidiary = BooleanField(_l("再委託先は当社の子会社である（会社法第2条第3号）"))
    reason = TextAreaField(_l("再委託の理由"), validators=[DataRequired(), Length(max=2000)])
    responsible_persons = StringField(
        _l("再委託先の責任者・業務従事者"), validators=[DataRequired(), Length(max=500)]
    )
    protection_measures = TextAreaField(
        _l("再委託先における個人情報の保護措置"), validators=[DataRequired(), Length(max=2000)]
    )
    oversight_method = TextAreaField(
        _l("再委託先の監督方法"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("実地検査の方法・頻度、報告の受け方など、当社が再委託先をどう監督するか。"),
    )


class DecisionForm(FlaskForm):
    decision = SelectField(
        _l("判断"),
        choices=[("approve", _l("承認する")), ("reject", _l("却下する"))],
        validators=[DataRequired()],
    )
    comment = TextAreaField(_l("コメント"), validators=[Optional(), Length(max=2000)])


class EndForm(FlaskForm):
    cascade = BooleanField(_l("下位の再委託もあわせて終了する"))


class TreeFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    department = SelectField(
        _l("課室"), coerce=lambda v: int(v) if v else None, validators=[Optional()]
    )
    unapproved = BooleanField(_l("未承認・違反"))
    overdue = BooleanField(_l("期限超過"))
    min_tier = IntegerField(_l("階層（以上）"), validators=[Optional(), NumberRange(min=1, max=50)])
    q = StringField(_l("委託先名・法人番号"), validators=[Optional(), Length(max=100)])


class VendorForm(FlaskForm):
    name = StringField(_l("名称"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("所在地"), validators=[Optional(), Length(max=300)])
    contact = StringField(_l("連絡先"), validators=[Optional(), Length(max=300)])
    parent_vendor_id = SelectField(
        _l("親会社（子会社の場合）"),
        coerce=lambda v: int(v) if v not in (None, "", "None") else None,
        validators=[Optional()],
        description=_l(
            "親会社を登録すると、その会社からの再委託が子会社への再委託として表示されます。"
        ),
    )
