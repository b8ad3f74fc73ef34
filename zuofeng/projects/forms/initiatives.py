"""Forms of innovation initiatives, their adoption, and post activities."""

from django import forms

from zuofeng.organisation.models import Person, Unit
from zuofeng.projects.forms.common import ChineseForm, CnDateField
from zuofeng.projects.models import ActivityKind
from zuofeng.rectification.forms.progress import EvidenceField


class InitiativeForm(ChineseForm):
    title = forms.CharField(label="举措名称", max_length=200)
    problem = forms.CharField(
        label="破解的问题", widget=forms.Textarea(attrs={"rows": 2}), help_text="程序繁、环节多、办事难的具体表现"
    )
    description = forms.CharField(label="主要做法", widget=forms.Textarea(attrs={"rows": 3}))
    steps_before = forms.IntegerField(label="办理环节（改革前）", min_value=0, max_value=999)
    steps_after = forms.IntegerField(label="办理环节（改革后）", min_value=0, max_value=999)
    materials_before = forms.IntegerField(label="申请材料（改革前，份）", min_value=0, max_value=999)
    materials_after = forms.IntegerField(label="申请材料（改革后，份）", min_value=0, max_value=999)
    days_before = forms.DecimalField(label="办理时限（改革前，天）", min_value=0, max_digits=6, decimal_places=1)
    days_after = forms.DecimalField(label="办理时限（改革后，天）", min_value=0, max_digits=6, decimal_places=1)
    started_on = CnDateField(label="推出日期")
    files = EvidenceField(required=False)


class InitiativeEvidenceForm(ChineseForm):
    files = EvidenceField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "evidence_%s")
        super().__init__(*args, **kwargs)
        self.fields["files"].error_messages["required"] = "请选择要上传的佐证材料。"  # a file is chosen, not typed


class AdoptForm(ChineseForm):
    adopted_on = CnDateField(label="借鉴日期")
    note = forms.CharField(label="借鉴情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "adopt_%s")
        super().__init__(*args, **kwargs)


class ActivityForm(ChineseForm):
    kind = forms.ChoiceField(label="活动类型", choices=[("", "请选择"), *ActivityKind.choices])
    title = forms.CharField(label="活动名称", max_length=200)
    held_on = CnDateField(label="活动日期")
    participants = forms.ModelMultipleChoiceField(
        label="参加人员", queryset=Person.objects.none(), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    result = forms.CharField(
        label="活动成果", widget=forms.Textarea(attrs={"rows": 2}), help_text="名次、成绩或取得的成效"
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        top = unit.path.strip("/").split("/")[0]
        self.fields["participants"].queryset = Person.objects.filter(
            unit__path__startswith=f"/{top}/", is_active=True
        ).order_by("unit__sort_key", "order", "id")
