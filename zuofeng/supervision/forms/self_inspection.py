"""Forms of the 自查自纠 report."""

from django import forms

from zuofeng.campaigns.models import ObstructionCategory
from zuofeng.supervision.definition import supervision_def
from zuofeng.supervision.forms.rounds import _date


class ReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    people_handled = forms.IntegerField(label="内部处理人数", min_value=0, max_value=100000, initial=0)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.question_keys = []
        for q in supervision_def(campaign).self_inspection.questions:
            name = f"q_{q.key}"
            self.question_keys.append((name, q.key))
            self.fields[name] = forms.CharField(
                label=q.name, required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
            )

    def answers(self) -> dict:
        return {key: self.cleaned_data.get(name, "") for name, key in self.question_keys}


class FoundProblemForm(forms.Form):
    category = forms.ModelChoiceField(label="中梗阻类别", queryset=ObstructionCategory.objects.none())
    description = forms.CharField(label="发现的问题", widget=forms.Textarea(attrs={"rows": 2}))
    found_on = _date("查摆日期")

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ObstructionCategory.objects.filter(campaign=campaign, is_active=True)


class ReviewForm(forms.Form):
    comment = forms.CharField(label="审核意见（退回须填写）", required=False, widget=forms.Textarea(attrs={"rows": 2}))
