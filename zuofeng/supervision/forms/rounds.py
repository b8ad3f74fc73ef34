"""Forms of inspection rounds and findings. They only validate input; services decide and save."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from zuofeng.accounts.models import Role, User
from zuofeng.campaigns.models import ObstructionCategory
from zuofeng.core.ids import id_or_none
from zuofeng.organisation.models import Unit
from zuofeng.organisation.selectors import units_qualify
from zuofeng.rectification.forms.progress import DATE_FORMATS, MultipleFileInput
from zuofeng.rectification.models import Problem
from zuofeng.supervision.definition import checklist_items, focus_choices
from zuofeng.supervision.models import Severity
from zuofeng.supervision.selectors.rounds import related_items
from zuofeng.supervision.services.findings import ANSWERS
from zuofeng.supervision.services.photos import photos_check


def _date(label: str, **kwargs):
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


def inspectors():
    return User.objects.filter(is_active=True, role_assignments__role=Role.INSPECTOR).distinct().order_by("username")


class _UserChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.display_name


class RoundForm(forms.Form):
    name = forms.CharField(label="督查名称", max_length=100)
    focus = forms.ChoiceField(label="督查重点")
    starts_on = _date("开始日期")
    ends_on = _date("结束日期")
    team = _UserChoice(label="督查组成员（督查员）", queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple)
    units = forms.ModelMultipleChoiceField(
        label="被督查单位",
        queryset=Unit.objects.none(),
        required=False,
        help_text="按住 Ctrl 可多选；若填写下面的“每类抽取单位数”，则随机抽取，不用此处的选择。",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    sample_size = forms.IntegerField(label="每类抽取单位数", min_value=1, max_value=100, required=False)
    sample_seed = forms.IntegerField(
        label="抽样种子",
        min_value=0,
        max_value=2**62,
        required=False,
        help_text="同一种子可重现抽样结果，用以证明抽取公平。",
    )
    keep_location = forms.BooleanField(label="照片保留拍摄位置（默认去除）", required=False)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus"].choices = [("", "请选择"), *focus_choices(campaign)]
        self.fields["team"].queryset = inspectors()
        units = Unit.objects.filter(is_active=True).order_by("sort_key")
        self.fields["units"].queryset = units
        qualified = {u.pk: u.qualified_name for u in units_qualify(list(units))}
        self.fields["units"].label_from_instance = lambda u: qualified.get(u.pk, u.name)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "结束日期不能早于开始日期。")
        if data.get("sample_size") and data.get("sample_seed") is None:
            self.add_error("sample_seed", "随机抽取须填写抽样种子。")
        if not data.get("sample_size") and not data.get("units"):
            self.add_error("units", "请选择被督查单位，或填写每类抽取单位数。")
        return data


class PhotoField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "照片")
        kwargs.setdefault("help_text", "可用手机直接拍照，JPG 或 PNG，每张不超过 15 MB，最多 9 张。")
        super().__init__(**kwargs)
        # The phone opens its rear camera; a desk browser shows the file chooser.
        self.widget.attrs.update({"accept": "image/*", "capture": "environment"})

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files:
            return []
        try:
            photos_check(files)
        except ValidationError as error:
            raise ValidationError(error.message_dict["photos"])
        return files


class FindingForm(forms.Form):
    unit = forms.ModelChoiceField(label="被督查单位", queryset=Unit.objects.none())
    category = forms.ModelChoiceField(label="中梗阻类别", queryset=ObstructionCategory.objects.none())
    severity = forms.ChoiceField(label="严重程度", choices=Severity.choices, initial=Severity.GENERAL)
    text = forms.CharField(label="发现的问题", widget=forms.Textarea(attrs={"rows": 4}))
    found_on = _date("发现日期")
    related = forms.ChoiceField(
        label="相关问题或措施",
        required=False,
        help_text="被督查单位整改清单中的问题或措施；先选单位，再从中选择。",
        error_messages={"invalid_choice": "请从所选单位的问题或措施中选择。"},
    )
    photos = PhotoField(required=False)

    def __init__(self, *args, round_, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._related_choices(user, round_)
        units = round_.units.order_by("sort_key")
        qualified = {u.pk: u.qualified_name for u in units_qualify(list(units))}
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: qualified.get(u.pk, u.name)
        self.fields["unit"].widget.attrs.update(
            {
                "hx-get": reverse("supervision:finding_related", args=[round_.pk]),
                "hx-target": "#finding-related",
                "hx-trigger": "change",
                "hx-swap": "outerHTML",
            }
        )
        self.fields["category"].queryset = ObstructionCategory.objects.filter(
            campaign=round_.campaign, is_active=True
        ).order_by("order")
        self.checklist_keys = []
        for key, name in checklist_items(round_.campaign):
            field_name = f"check_{key}"
            self.checklist_keys.append((field_name, key))
            self.fields[field_name] = forms.ChoiceField(
                label=name,
                choices=list(ANSWERS.items()),
                required=False,
                widget=forms.RadioSelect,
            )

    def _related_choices(self, user, round_):
        # Only the chosen unit's items the user may read; the page reloads this list when the unit changes.
        unit_id = id_or_none(self.data.get("unit") if self.is_bound else self.initial.get("unit"))
        problems, measures = related_items(user=user, round_=round_, unit_id=unit_id)
        self.related = {f"problem-{p.pk}": p for p in problems} | {f"measure-{m.pk}": m for m in measures}
        self.fields["related"].choices = [
            ("", "无" if unit_id else "请先选择被督查单位"),
            ("问题", [(f"problem-{p.pk}", f"问题 {p.pk}：{p.description[:40]}") for p in problems]),
            ("措施", [(f"measure-{m.pk}", f"措施 {m.pk}：{m.text[:40]}") for m in measures]),
        ]

    def related_items(self) -> dict:
        """{"measure": …, "related_problem": …} as finding_record takes them; a measure brings its problem."""
        item = self.related.get(self.cleaned_data.get("related") or "")
        if item is None:
            return {}
        if isinstance(item, Problem):
            return {"related_problem": item}
        return {"measure": item, "related_problem": item.problem}

    def checklist(self) -> dict:
        return {key: self.cleaned_data.get(name) for name, key in self.checklist_keys if self.cleaned_data.get(name)}

    def checklist_fields(self):
        return [self[name] for name, _ in self.checklist_keys]


class DecideForm(forms.Form):
    deadline = _date("整改期限", required=False)
    comment = forms.CharField(
        label="意见（不予确认须说明理由）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
