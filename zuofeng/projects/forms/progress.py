"""The milestone report form: one box per target for its current value, evidence files."""

from django import forms

from zuofeng.projects.forms.common import ChineseForm, CnDateField, number_field
from zuofeng.projects.numbers import number_text
from zuofeng.rectification.forms.progress import EvidenceField


class ReportForm(ChineseForm):
    milestone = forms.TypedChoiceField(label="节点", coerce=int, choices=())
    reported_on = CnDateField(label="报告日期")
    percent = forms.IntegerField(label="节点完成进度（%）", min_value=0, max_value=100)
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 3}))
    files = EvidenceField(required=False)

    def __init__(self, *args, milestones, targets, **kwargs):
        kwargs.setdefault("auto_id", "report_%s")
        super().__init__(*args, **kwargs)
        self.fields["milestone"].choices = [(m.pk, f"{m.due_on:%Y-%m-%d} {m.title}") for m in milestones]
        for t in targets:
            way = f"基数 {number_text(t.baseline)} → 目标 {number_text(t.target)}（{t.get_direction_display()}）"
            self.fields[f"value_{t.pk}"] = number_field(
                f"{t.name}当前值（{t.measure_unit}）", required=False, help_text=way
            )
        # the number boxes are added after the base class named its messages
        from zuofeng.projects.forms.common import chinese_messages

        chinese_messages(self)
        self.target_names = [f"value_{t.pk}" for t in targets]

    def values(self) -> dict[str, object]:
        return {name.removeprefix("value_"): self.cleaned_data.get(name) for name in self.target_names}

    @property
    def value_fields(self):
        return [self[name] for name in self.target_names]
