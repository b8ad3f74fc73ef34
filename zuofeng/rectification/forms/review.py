"""Forms of the review pages: item decisions, change requests and their decision, 催办, milestone filter."""

import datetime as dt
import re

from django import forms

from zuofeng.campaigns.models import KeyArea
from zuofeng.organisation.models import Person, Unit
from zuofeng.rectification.models import ItemReview, Measure
from zuofeng.rectification.selectors.milestone import FilingStatus

_DATE = re.compile(r"^\s*(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?\s*$")


class CnDateField(forms.DateField):
    """Accepts the forms officials type: 2018-09-30, 2018/9/30, 2018.9.30, 2018年9月30日."""

    widget = forms.DateInput(attrs={"placeholder": "如 2018-09-30"})

    def __init__(self, *, label: str, **kwargs):
        super().__init__(label=label, **kwargs)
        self.error_messages["required"] = f"请填写{label}。"
        self.error_messages["invalid"] = f"{label}不是有效日期，请按 2018-09-30 或 2018年9月30日 的格式填写。"

    def to_python(self, value):
        if isinstance(value, dt.date) or value in self.empty_values:
            return super().to_python(value)
        match = _DATE.match(str(value))
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        return value.isoformat() if isinstance(value, dt.date) else value


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        if isinstance(obj, Unit):
            return "　" * obj.depth + obj.name
        if isinstance(obj, Person):
            return f"{obj.name}（{obj.unit.display_name}）"
        return obj.name


class ReviewForm(forms.Form):
    """One approve/return choice and one comment per pending problem."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, problems, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = list(problems)
        for problem in self.problems:
            self.fields[f"decision_{problem.pk}"] = forms.ChoiceField(
                label=f"第{problem.order}项审核结果",
                choices=[(ItemReview.APPROVED, "通过"), (ItemReview.RETURNED, "退回修改")],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": f"请选择第{problem.order}项问题的审核结果。"},
            )
            self.fields[f"comment_{problem.pk}"] = forms.CharField(
                label=f"第{problem.order}项审核意见",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        data = super().clean()
        for problem in self.problems:
            if data.get(f"decision_{problem.pk}") == ItemReview.RETURNED and not data.get(f"comment_{problem.pk}"):
                self.add_error(f"comment_{problem.pk}", f"第{problem.order}项问题退回时须填写审核意见。")
        return data

    def rows(self):
        for problem in self.problems:
            yield problem, self[f"decision_{problem.pk}"], self[f"comment_{problem.pk}"]

    def decisions(self) -> dict[int, tuple[str, str]]:
        return {
            p.pk: (self.cleaned_data[f"decision_{p.pk}"], self.cleaned_data.get(f"comment_{p.pk}", ""))
            for p in self.problems
        }


class ChangeRequestForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    standard = forms.CharField(label="整改标准", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    responsible_leader = forms.CharField(label="责任领导", required=False, max_length=100)
    responsible_unit = NamedChoiceField(label="责任单位", queryset=Unit.objects.none(), required=False)
    responsible_person = NamedChoiceField(label="责任人", queryset=Person.objects.none(), required=False)
    responsible_name = forms.CharField(
        label="责任人（姓名）", required=False, max_length=100, help_text="责任人不在名单中时填写姓名"
    )
    starts_on = CnDateField(label="开始日期")
    deadline = CnDateField(label="完成时限", required=False)
    is_ongoing = forms.BooleanField(
        label="长期坚持", required=False, help_text="长期坚持的措施不填完成时限，定期报告进展"
    )
    key_area = NamedChoiceField(label="攻坚重点", queryset=KeyArea.objects.none(), required=False)
    reason = forms.CharField(
        label="变更理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "请填写变更理由。"},
    )

    FIELDS = [
        "text",
        "standard",
        "responsible_leader",
        "responsible_unit",
        "responsible_person",
        "responsible_name",
        "starts_on",
        "deadline",
        "is_ongoing",
        "key_area",
    ]

    def __init__(self, *args, measure: Measure, **kwargs):
        kwargs.setdefault("initial", {**{name: getattr(measure, name) for name in self.FIELDS}})
        kwargs["initial"].setdefault("version", measure.version)
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "请填写整改措施。"
        root = "/".join(measure.unit.path.split("/")[:2]) + "/"
        self.fields["responsible_unit"].queryset = Unit.objects.filter(is_active=True).order_by("sort_key")
        people = Person.objects.filter(is_active=True, unit__path__startswith=root).select_related("unit")
        if measure.responsible_person_id:
            people = people | Person.objects.filter(pk=measure.responsible_person_id).select_related("unit")
        self.fields["responsible_person"].queryset = people.order_by("unit__sort_key", "order", "id")
        self.fields["key_area"].queryset = KeyArea.objects.filter(campaign_id=measure.campaign_id, is_active=True)

    def clean(self):
        data = super().clean()
        if data.get("is_ongoing") and data.get("deadline"):
            self.add_error("deadline", "长期坚持的措施不填完成时限。")
        elif not data.get("is_ongoing") and "deadline" in data and data["deadline"] is None:
            self.add_error("deadline", "请填写完成时限，或勾选“长期坚持”。")
        elif data.get("deadline") and data.get("starts_on") and data["deadline"] < data["starts_on"]:
            self.add_error("deadline", "完成时限不能早于开始日期。")
        return data

    def new_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class ChangeDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="审核结果",
        choices=[("1", "同意变更"), ("0", "不同意")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": "请选择审核结果。"},
    )
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("approve") is False and not data.get("comment"):
            self.add_error("comment", "不同意变更时须填写理由。")
        return data


class MilestoneFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *FilingStatus.choices])
    late = forms.ChoiceField(label="是否逾期", required=False, choices=[("", "全部"), ("1", "逾期"), ("0", "按时")])

    def late_value(self) -> bool | None:
        value = self.cleaned_data.get("late", "") if self.is_valid() else ""
        return None if value == "" else value == "1"


class ChaseForm(forms.Form):
    units = forms.ModelMultipleChoiceField(queryset=Unit.objects.none(), required=False)
    all_late = forms.BooleanField(required=False)
    message = forms.CharField(
        label="催办内容",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="留空则发送默认内容：请抓紧完成找差和整改措施制定工作，按时提交整改清单。",
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units

    def clean(self):
        data = super().clean()
        if not data.get("all_late") and not data.get("units"):
            raise forms.ValidationError("请选择要催办的单位。")
        return data
