"""Forms of 条线关系."""

from django import forms

from zuofeng.organisation.models import Unit, UnitKind


class LineLinkForm(forms.Form):
    department = forms.ModelChoiceField(label="条线主管部门", queryset=Unit.objects.none())
    unit = forms.ModelChoiceField(label="条线基层单位", queryset=Unit.objects.none())
    line = forms.CharField(label="条线", max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Unit.objects.filter(is_active=True, kind=UnitKind.DEPARTMENT).order_by(
            "sort_key"
        )
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("sort_key")


class LineImportForm(forms.Form):
    text = forms.CharField(
        label="粘贴条线关系",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一条：部门编码，单位编码，条线（可从 Excel 复制三列）。",
    )


class LineLinkEditForm(LineLinkForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class LineExcelForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件",
        help_text="表头：部门编码、单位编码、条线（.xlsx）；全部核对无误才导入，有错逐行列出。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
