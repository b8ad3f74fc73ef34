"""The office's and the unit's forms on a case: one form for every move (the template shows the
fields the move needs), and the office's moderation of the text the unit reads."""

from django import forms

from zuofeng.campaigns.models import ObstructionCategory
from zuofeng.complaints.models import ComplaintState


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=ComplaintState.choices, widget=forms.HiddenInput)
    unit = forms.IntegerField(label="承办单位", required=False, widget=forms.HiddenInput)
    deadline = forms.DateField(
        label="办理期限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="留空按活动定义的工作日数计算",
    )
    merged_into = forms.CharField(label="合并到（查询码）", required=False, max_length=16)
    extension_until = forms.DateField(label="延期至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    granted = forms.TypedChoiceField(
        label="延期申请",
        required=False,
        choices=[("1", "同意"), ("0", "不同意")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reply = forms.CharField(label="答复内容", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    comment = forms.CharField(label="理由或说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    obstruction_category = forms.ModelChoiceField(
        label="转入整改清单（反映出的中梗阻类别）",
        queryset=ObstructionCategory.objects.none(),
        required=False,
        empty_label="不转入（未发现作风问题）",
    )

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.fields["obstruction_category"].queryset = campaign.categories.filter(is_active=True)


class RedactForm(forms.Form):
    text = forms.CharField(label="单位看到的内容", widget=forms.Textarea(attrs={"rows": 5}))
    version = forms.IntegerField(widget=forms.HiddenInput)
