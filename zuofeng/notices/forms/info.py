"""活动信息 forms: a unit's report, the office's decision."""

from django import forms

from zuofeng.notices.forms.drafting import DATE


class InfoForm(forms.Form):
    unit = forms.ModelChoiceField(label="报送单位", queryset=None, empty_label=None)
    title = forms.CharField(label="标题", max_length=200, required=False)
    text = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    happened_on = forms.DateField(label="日期", required=False, widget=DATE)
    photo = forms.FileField(label="照片", required=False, help_text="JPG 或 PNG，不超过 10 MB")

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class DecideForm(forms.Form):
    reason = forms.CharField(label="不采用理由", max_length=300, required=False)
