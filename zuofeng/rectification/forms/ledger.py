"""Forms of the list page: one problem, one measure, the import upload and search. Services save."""

import json

from django import forms
from django.urls import reverse

from zuofeng.campaigns.models import ProblemSourceKind
from zuofeng.organisation.models import Person, Unit
from zuofeng.rectification.services.importer import parse_date
from zuofeng.rectification.services.ledger import measure_date_errors

DETAIL_LABELS = {
    ProblemSourceKind.SELF: "来源说明",
    ProblemSourceKind.LEADER: "哪位领导",
    ProblemSourceKind.ORGANISATION: "哪次会议",
    ProblemSourceKind.PUBLIC: "反映渠道/编号",
}
CHOICE_WIDGETS = (forms.Select, forms.SelectMultiple, forms.CheckboxInput)


class CnDateField(forms.DateField):
    """A date box that takes the forms officials type (2018-9-30, 2018/9/30, 20180930, 2018年9月30日 …).

    A text box, not the browser's date picker: the picker's parts follow the computer's language
    (月/日/年 on an English system) and Tab stops in each part, which breaks typing a row straight
    through; these forms are filled by keyboard, a row after another."""

    widget = forms.DateInput(
        attrs={"autocomplete": "off", "placeholder": "如 2018-09-30", "spellcheck": "false"}, format="%Y-%m-%d"
    )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_date(value)
        except ValueError:
            raise forms.ValidationError(f"{self.label}不是日期，请按 2018-09-30 的格式填写", code="invalid") from None


def _chinese_messages(form: forms.Form) -> None:
    for field in form.fields.values():
        pick = isinstance(field.widget, CHOICE_WIDGETS)
        field.error_messages["required"] = f"请{'选择' if pick else '填写'}{field.label}"
        field.error_messages["invalid_choice"] = f"所选{field.label}无效，请重新选择"
        field.error_messages["invalid_pk_value"] = f"所选{field.label}无效，请重新选择"
        if isinstance(field, forms.CharField) and field.max_length:
            field.error_messages["max_length"] = f"{field.label}不能超过 {field.max_length} 字"
        if isinstance(field.widget, forms.Select):
            field.widget.attrs.setdefault("class", "form-select-sm")
        elif not isinstance(field.widget, (*CHOICE_WIDGETS, forms.CheckboxSelectMultiple, forms.HiddenInput)):
            field.widget.attrs.setdefault("class", "form-control-sm")


class ProblemForm(forms.Form):
    category = forms.ModelChoiceField(label="类别", queryset=None, empty_label="请选择")
    symptom = forms.ModelChoiceField(label="具体表现", queryset=None, required=False, empty_label="（不选）")
    source = forms.ModelChoiceField(label="问题来源", queryset=None, empty_label="请选择")
    source_detail = forms.CharField(label="来源说明", max_length=200, required=False)
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 2}))
    benchmarks = forms.ModelMultipleChoiceField(
        label="对照内容", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    found_on = CnDateField(label="查摆日期")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, ledger, **kwargs):
        super().__init__(*args, **kwargs)
        campaign = ledger.campaign
        self.fields["category"].queryset = campaign.categories.filter(is_active=True)
        self.fields["source"].queryset = campaign.sources.filter(is_active=True)
        self.fields["benchmarks"].queryset = campaign.benchmarks.filter(is_active=True)
        symptoms = campaign.symptoms.filter(is_active=True)
        self.fields["symptom"].queryset = symptoms
        category_id = self._current("category")
        self.symptom_choices = symptoms.filter(category_id=category_id) if category_id else symptoms.none()
        self.fields["symptom"].widget.choices = [("", "（不选）")] + [(s.pk, s.name) for s in self.symptom_choices]
        self.fields["category"].widget.attrs.update(
            {
                "hx-get": reverse("rectification:ledger_symptoms", args=[ledger.pk]),
                "hx-target": f"#{self['symptom'].auto_id}",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",  # the form around sets outerHTML for its own rows
            }
        )
        sources = list(self.fields["source"].queryset)
        self.fields["source"].widget.attrs.update(
            {
                "data-detail-labels": json.dumps(
                    {str(s.pk): DETAIL_LABELS[s.kind] for s in sources}, ensure_ascii=False
                ),
                "data-detail-target": self["source_detail"].auto_id,
            }
        )
        source_id = self._current("source")
        kind = next((s.kind for s in sources if str(s.pk) == str(source_id)), ProblemSourceKind.SELF)
        self.fields["source_detail"].label = DETAIL_LABELS[kind]
        _chinese_messages(self)

    def _current(self, name: str):
        if self.is_bound:
            return self.data.get(self.add_prefix(name)) or None
        value = self.initial.get(name)
        return getattr(value, "pk", value)


def person_mismatch(name: str) -> str:
    """One message for the form's refusal and the page's notice when 责任单位 changes (data-mismatch)."""
    return f"原责任人 {name} 不属于所选责任单位，请重新选择"


class MeasureForm(forms.Form):
    """One measure. 责任人 is one box: pick a person from the typeahead (a hidden id) or type a name;
    a typed name that is exactly one person of the 责任单位 links to that person."""

    text = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 2}))
    standard = forms.CharField(label="整改标准", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    responsible_leader = forms.CharField(label="责任领导", max_length=100, required=False)
    responsible_unit = forms.ModelChoiceField(label="责任单位", queryset=None, required=False, empty_label="（本单位）")
    responsible_person = forms.ModelChoiceField(label="责任人", queryset=None, required=False, widget=forms.HiddenInput)
    responsible_name = forms.CharField(
        label="责任人",
        max_length=100,
        required=False,
        help_text="输入姓名或拼音首字母（如 zs）后从名单中选；不在名单中的直接填写姓名",
    )
    starts_on = CnDateField(label="开始日期")
    deadline = CnDateField(label="完成时限", required=False)
    is_ongoing = forms.BooleanField(label="长期坚持", required=False, help_text="长期坚持的措施不填完成时限")
    key_area = forms.ModelChoiceField(label="攻坚重点", queryset=None, required=False, empty_label="（无）")
    remark = forms.CharField(label="备注", max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, ledger, **kwargs):
        super().__init__(*args, **kwargs)
        self.ledger = ledger
        units = Unit.objects.filter(path__startswith=ledger.unit.path, is_active=True).order_by("sort_key")
        self.fields["responsible_unit"].queryset = units
        self.fields["key_area"].queryset = ledger.campaign.key_areas.filter(is_active=True)
        self.fields["responsible_person"].queryset = Person.objects.filter(unit__in=units).select_related("unit")
        self.fields["responsible_name"].widget.attrs.update(
            {
                "autocomplete": "off",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": f"{self.person_box_id}-list",
                "data-people-url": reverse("rectification:ledger_people", args=[ledger.pk]),
            }
        )
        person = self.initial.get("responsible_person")
        if not self.is_bound and isinstance(person, Person) and not self.initial.get("responsible_name"):
            self.initial["responsible_name"] = person.name
        _chinese_messages(self)

    @property
    def person_box_id(self) -> str:
        return f"{self.prefix or 'm'}-person"

    @property
    def mismatch_template(self) -> str:
        return person_mismatch("{name}")

    @property
    def person_unit_id(self):
        """The unit of the person now in the hidden box, so the page can tell when 责任单位 no longer fits."""
        value = self["responsible_person"].value()
        value = getattr(value, "pk", value)
        if not str(value or "").isdigit():
            return ""
        return self.fields["responsible_person"].queryset.filter(pk=value).values_list("unit_id", flat=True).first()

    def clean(self):
        data = super().clean()
        if "starts_on" in data and "deadline" not in self.errors:
            errors = measure_date_errors(
                starts_on=data.get("starts_on"), deadline=data.get("deadline"), is_ongoing=data.get("is_ongoing", False)
            )
            for name, message in errors.items():
                self.add_error(name, message)
        if "responsible_person" in self.errors or "responsible_unit" in self.errors:
            return data
        unit_id = getattr(data.get("responsible_unit"), "pk", None) or self.ledger.unit_id
        person = data.get("responsible_person")
        name = (data.get("responsible_name") or "").strip()
        if person is not None and name and name != person.name:
            person = None  # the box was retyped after a pick (without the page's script): the words win
        if person is None and name:
            same = list(Person.objects.filter(unit_id=unit_id, name=name, is_active=True)[:2])
            person = same[0] if len(same) == 1 else None
        data["responsible_person"] = person
        if person is not None and person.unit_id != unit_id:
            self.add_error("responsible_name", person_mismatch(person.name))
        elif person is not None:
            data["responsible_name"] = ""  # the person is the record; their name is not kept twice
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件", error_messages={"required": "请选择要导入的 Excel 文件"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的文件（可先下载模板填写）")
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("文件不能超过 20 MB")
        return upload
