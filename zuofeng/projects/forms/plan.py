"""Forms of a project's plan: the project, a target, a milestone, review and change request."""

from django import forms

from zuofeng.campaigns.models import KeyArea
from zuofeng.organisation.models import Person, Unit
from zuofeng.projects.forms.common import ChineseForm, CnDateField, number_field
from zuofeng.projects.models import Direction


def _top(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.ancestor_ids[0]) if unit.ancestor_ids else unit


class ProjectForm(ChineseForm):
    key_area = forms.ModelChoiceField(label="攻坚重点", queryset=KeyArea.objects.none(), empty_label="请选择")
    title = forms.CharField(label="项目名称", max_length=200)
    goal = forms.CharField(label="项目目标", widget=forms.Textarea(attrs={"rows": 3}))
    lead_leader = forms.ModelChoiceField(label="牵头领导", queryset=Person.objects.none(), required=False)
    lead_section = forms.ModelChoiceField(label="牵头科室", queryset=Unit.objects.none(), required=False)
    partner_units = forms.ModelMultipleChoiceField(
        label="配合单位", queryset=Unit.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    starts_on = CnDateField(label="开始日期")
    deadline = CnDateField(label="完成时限")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, campaign, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        top = _top(unit)
        self.fields["key_area"].queryset = KeyArea.objects.filter(campaign=campaign).order_by("order", "id")
        self.fields["lead_leader"].queryset = Person.objects.filter(
            unit__path__startswith=top.path, is_active=True
        ).order_by("unit__sort_key", "order", "id")
        self.fields["lead_section"].queryset = Unit.objects.filter(path__startswith=unit.path).order_by("sort_key")
        self.fields["partner_units"].queryset = (
            Unit.objects.filter(parent__isnull=True).exclude(pk=top.pk).order_by("sort_key")
        )


class TargetForm(ChineseForm):
    name = forms.CharField(label="指标名称", max_length=100)
    measure_unit = forms.CharField(label="计量单位", max_length=20, help_text="如：个工作日、家、%、亩")
    baseline = number_field("基数")
    target = number_field("目标值")
    direction = forms.ChoiceField(label="方向", choices=Direction.choices, initial=Direction.HIGHER)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "target_%s")
        super().__init__(*args, **kwargs)


class MilestoneForm(ChineseForm):
    title = forms.CharField(label="节点任务", max_length=200)
    due_on = CnDateField(label="节点时限")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "milestone_%s")
        super().__init__(*args, **kwargs)


class ReviewForm(ChineseForm):
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "review_%s")
        super().__init__(*args, **kwargs)


class ChangeForm(ChineseForm):
    title = forms.CharField(label="项目名称", max_length=200)
    goal = forms.CharField(label="项目目标", widget=forms.Textarea(attrs={"rows": 3}))
    deadline = CnDateField(label="完成时限")
    reason = forms.CharField(label="变更理由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "change_%s")
        super().__init__(*args, **kwargs)


class ChangeTargetForm(ChineseForm):
    """One target row of a change request; `id` is empty for a target the change adds."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label="指标名称", max_length=100)
    measure_unit = forms.CharField(label="计量单位", max_length=20)
    baseline = number_field("基数")
    target = number_field("目标值")
    direction = forms.ChoiceField(label="方向", choices=Direction.choices, initial=Direction.HIGHER)


class ChangeMilestoneForm(ChineseForm):
    """One milestone row of a change request; `id` is empty for a milestone the change adds."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label="节点任务", max_length=200)
    due_on = CnDateField(label="节点时限")


class ChineseFormSet(forms.BaseFormSet):
    default_error_messages = {
        "missing_management_form": "表单数据不完整，请刷新页面后重新填写。",
        "too_many_forms": "最多 %(num)d 项。",
        "too_few_forms": "至少 %(num)d 项。",
    }

    def get_deletion_widget(self):
        return forms.CheckboxInput

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "删除"


# One blank row to add with; 删除 marks a row to remove. The lists are at most a screenful (services.changes).
def _change_formset(form):
    return forms.formset_factory(
        form, formset=ChineseFormSet, extra=1, can_delete=True, max_num=20, absolute_max=40, validate_max=True
    )


ChangeTargetFormSet = _change_formset(ChangeTargetForm)
ChangeMilestoneFormSet = _change_formset(ChangeMilestoneForm)


def change_rows(formset) -> tuple[list[dict], list[int]]:
    """The rows kept (not marked 删除, not left blank) and, for each, its form's index in the formset:
    a service error about row i belongs to form positions[i]."""
    rows, positions = [], []
    for index, form in enumerate(formset.forms):
        if not form.has_changed() and not form.initial:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        rows.append(dict(form.cleaned_data, id=form.cleaned_data.get("id")))
        positions.append(index)
    for row in rows:
        row.pop("DELETE", None)
    return rows, positions
