from django import forms

from zuofeng.assessment.models import FollowState
from zuofeng.organisation.models import Unit


class ClusterForm(forms.Form):
    name = forms.CharField(label="名称", max_length=200, required=False, help_text="如：审批环节多、材料重复提交")
    district_wide = forms.BooleanField(label="列为全区性任务", required=False)
    owner = forms.ModelChoiceField(
        label="牵头单位",
        required=False,
        queryset=Unit.objects.filter(parent__isnull=True, is_active=True).order_by("sort_key"),
        empty_label="（未交办）",
    )
    state = forms.ChoiceField(label="跟踪状态", choices=FollowState.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(forms.Form):
    text = forms.CharField(label="跟踪情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
