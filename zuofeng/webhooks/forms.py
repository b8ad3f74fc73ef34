from django import forms

from zuofeng.webhooks.events import EVENTS


class WebhookForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100, error_messages={"required": "请填写名称。"})
    url = forms.URLField(
        label="接收地址",
        max_length=500,
        assume_scheme="https",
        error_messages={"required": "请填写接收地址。", "invalid": "接收地址须是完整的网址（https://…）。"},
    )
    events = forms.MultipleChoiceField(
        label="推送事件",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个推送事件。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = list(EVENTS.items())
