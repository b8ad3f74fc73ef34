"""Forms of accountability cases (问责案件)."""

from django import forms

from zuofeng.organisation.models import Person, Unit
from zuofeng.supervision.definition import supervision_def
from zuofeng.supervision.forms.rounds import _date
from zuofeng.supervision.models import CaseOrigin, Finding, FindingState, Severity


class CaseForm(forms.Form):
    unit = forms.ModelChoiceField(label="问责对象单位", queryset=Unit.objects.none())
    person = forms.ModelChoiceField(
        label="问责对象个人", queryset=Person.objects.none(), required=False, help_text="问责单位时留空。"
    )
    origin = forms.ChoiceField(label="案件来源", choices=CaseOrigin.choices)
    finding = forms.ModelChoiceField(label="对应的督查发现", queryset=Finding.objects.none(), required=False)
    facts = forms.CharField(label="基本事实", widget=forms.Textarea(attrs={"rows": 4}))
    degree = forms.ChoiceField(label="情节", choices=Severity.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("sort_key")
        self.fields["person"].queryset = Person.objects.select_related("unit").order_by("unit__sort_key", "name")
        self.fields["person"].label_from_instance = lambda p: f"{p.name}（{p.unit.name}）"
        self.fields["finding"].queryset = Finding.objects.filter(state=FindingState.CONFIRMED).select_related("unit")
        self.fields["finding"].label_from_instance = lambda f: f"{f.unit.name}：{f.text[:30]}"


class StatementForm(forms.Form):
    statement = forms.CharField(label="申辩意见", widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(forms.Form):
    measure = forms.ChoiceField(label="问责方式")
    decided_on = _date("决定日期")
    deciding_body = forms.CharField(label="决定机关", max_length=100)
    doc_number = forms.CharField(label="文号", max_length=100)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "请选择")] + [
            (m.key, m.name) for m in supervision_def(campaign).accountability_measures
        ]
