"""转发 and 催办 forms."""

from django import forms

from zuofeng.notices.forms.drafting import DATE, UnitChoiceField
from zuofeng.notices.selectors.delivery import forward_targets


class ForwardForm(forms.Form):
    units = UnitChoiceField(
        label="转发给",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="本单位的内设科室、下属单位或本单位审核的单位",
    )
    text = forms.CharField(
        label="转发说明",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="可不填；填写的内容印在原文之前",
    )
    printed_by = forms.CharField(label="印发机关", max_length=100, help_text="如：某某局办公室")
    printed_on = forms.DateField(label="印发日期", required=False, widget=DATE, help_text="留空则为今天")

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = forward_targets(unit)


class ChaseForm(forms.Form):
    message = forms.CharField(
        label="催办内容",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="留空则发送默认提示",
    )
