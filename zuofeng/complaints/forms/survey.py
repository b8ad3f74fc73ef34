"""满意度测评 forms: the office opens a period; the public answers one unit's items."""

from django import forms

from zuofeng.complaints.models import Rating


class OpenForm(forms.Form):
    name = forms.CharField(label="测评名称", max_length=100, error_messages={"required": "请填写测评名称。"})
    by_device = forms.BooleanField(
        label="允许不填手机号（每台设备一份）", required=False, help_text="不勾选时每个手机号对每个单位只能测评一次"
    )


class AnswerForm(forms.Form):
    comment = forms.CharField(
        label="意见或建议", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    phone = forms.CharField(label="手机号码", required=False, max_length=20, help_text="只用于防止重复测评，不会公开")

    def __init__(self, *args, items=(), by_device=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        if by_device:
            self.fields["phone"].help_text = "可不填；不填时每台手机只能测评一次"
        for i, item in enumerate(self.items):
            self.fields[f"item_{i}"] = forms.ChoiceField(
                label=item,
                choices=Rating.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"请评价“{item}”。"},
            )
        self.order_fields([f"item_{i}" for i in range(len(self.items))] + ["comment", "phone"])

    def item_fields(self):
        return [self[f"item_{i}"] for i in range(len(self.items))]

    def scores(self) -> dict:
        return {item: self.cleaned_data.get(f"item_{i}") for i, item in enumerate(self.items)}
