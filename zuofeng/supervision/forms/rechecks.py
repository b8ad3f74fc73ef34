"""Forms of re-inspection (回头看)."""

from django import forms

from zuofeng.supervision.forms.rounds import _UserChoice, inspectors
from zuofeng.supervision.models import RecheckScope, Severity, Verdict


class RecheckForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    scope = forms.ChoiceField(label="抽样范围", choices=RecheckScope.choices, widget=forms.RadioSelect)
    size = forms.IntegerField(
        label="抽取件数", min_value=1, max_value=200, help_text="每个单位抽取，或全区共抽取的已销号措施件数。"
    )
    seed = forms.IntegerField(label="抽样种子", min_value=0, max_value=2**62, help_text="同一种子可重现抽样结果。")
    team = _UserChoice(label="督查组成员（督查员）", queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = inspectors()


class VerifyForm(forms.Form):
    verdict = forms.ChoiceField(
        label="核查结论",
        choices=[(Verdict.FIXED, "整改到位"), (Verdict.NOT_FIXED, "未整改到位（纸面销号）")],
        widget=forms.RadioSelect,
    )
    severity = forms.ChoiceField(label="严重程度", choices=Severity.choices, initial=Severity.GENERAL, required=False)
    text = forms.CharField(label="核查情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))
