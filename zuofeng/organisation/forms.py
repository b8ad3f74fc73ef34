"""Forms of the organisation pages; the services do the saving."""

from django import forms

from zuofeng.organisation.models import Person, Unit, UnitFunction, UnitKind
from zuofeng.organisation.services import phone_check, phone_normalise


class UnitChoiceField(forms.ModelChoiceField):
    """Units indented by depth so the select reads like the tree."""

    def label_from_instance(self, obj: Unit) -> str:
        return "　" * obj.depth + obj.name


def unit_choices():
    return Unit.objects.order_by("sort_key")


class UnitFilterForm(forms.Form):
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *UnitKind.choices])
    q = forms.CharField(label="名称或编码", required=False, max_length=100)


class UnitForm(forms.ModelForm):
    functions = forms.MultipleChoiceField(
        label="职能",
        required=False,
        choices=UnitFunction.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="下属单位有审批、监管、服务任一职能即纳入专项活动范围",
    )
    parent = UnitChoiceField(label="上级单位", queryset=unit_choices(), required=False, empty_label="（无，顶层单位）")

    class Meta:
        model = Unit
        fields = ["code", "name", "short_name", "kind", "parent", "order", "functions", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = unit_choices()
        if self.instance.pk:
            # a unit cannot move under itself or its own subtree
            self.fields["parent"].queryset = unit_choices().exclude(path__startswith=self.instance.path)


class PersonForm(forms.ModelForm):
    unit = UnitChoiceField(label="所在单位", queryset=unit_choices())

    class Meta:
        model = Person
        fields = ["name", "gender", "position", "unit", "phone", "email", "order", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices()

    def clean_phone(self):
        phone = phone_normalise(self.cleaned_data.get("phone", ""))
        reason = phone_check(phone)
        if reason:
            raise forms.ValidationError(f"联系电话{reason}。")
        return phone


class ReviewerForm(forms.Form):
    reviewer = UnitChoiceField(
        label="审核单位", queryset=unit_choices(), required=False, empty_label="（由上级单位审核）"
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = unit_choices().exclude(pk=unit.pk)
        self.fields["reviewer"].initial = unit.reviewer_id


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件", help_text="请使用下载的模板填写，文件格式 .xlsx")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Excel 文件须为 .xlsx 格式（可在 Excel 或 WPS 中“另存为”）。")
        return upload
