from django import forms

from zuofeng.audit.hashing import normalise_ip
from zuofeng.audit.models import AuditResult
from zuofeng.audit.selectors import audit_action_choices, audit_object_type_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(
        label="开始日期",
        required=False,
        widget=DATE,
        error_messages={"invalid": "开始日期格式不正确，请按 2018-08-08 填写。"},
    )
    date_to = forms.DateField(
        label="结束日期",
        required=False,
        widget=DATE,
        error_messages={"invalid": "结束日期格式不正确，请按 2018-08-08 填写。"},
    )
    account = forms.CharField(label="账号或姓名", required=False, max_length=150)
    action = forms.ChoiceField(label="操作", required=False)
    result = forms.ChoiceField(label="结果", required=False, choices=[("", "全部"), *AuditResult.choices])
    object_type = forms.ChoiceField(label="对象类型", required=False)
    object_id = forms.CharField(label="对象ID", required=False, max_length=64)
    ip = forms.CharField(label="IP地址", required=False, max_length=45)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "全部"), *audit_action_choices()]
        self.fields["object_type"].choices = [("", "全部"), *audit_object_type_choices()]
        for name in ("action", "result", "object_type"):
            self.fields[name].error_messages["invalid_choice"] = f"{self.fields[name].label}不在可选范围内。"

    def clean_ip(self):
        value = self.cleaned_data["ip"].strip()
        if value and normalise_ip(value) is None:
            raise forms.ValidationError("IP地址格式不正确，例如 192.168.1.10。")
        return normalise_ip(value) or ""

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "结束日期不能早于开始日期。")
        return data

    def describe(self) -> str:
        """The filters in words, for the audit entry that records this reading."""
        if not self.is_valid():
            return ""
        parts = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value:
                parts.append(f"{field.label}={value}")
        return "；".join(parts) or "无筛选"
