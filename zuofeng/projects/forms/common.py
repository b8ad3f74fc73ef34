"""What every form of the projects app shares: Chinese messages per field, ISO date boxes, numbers."""

from django import forms

from zuofeng.rectification.forms.ledger import CnDateField  # noqa: F401 (the same date box as the ledger)


def chinese_messages(form: forms.Form) -> None:
    """Required/invalid messages that name the field, in Chinese."""
    for field in form.fields.values():
        pick = isinstance(field.widget, (forms.Select, forms.SelectMultiple, forms.RadioSelect))
        field.error_messages["required"] = f"请{'选择' if pick else '填写'}{field.label}"
        field.error_messages["invalid_choice"] = f"所选{field.label}无效，请重新选择"
        field.error_messages["invalid_pk_value"] = f"所选{field.label}无效，请重新选择"
        field.error_messages["invalid"] = f"{field.label}格式不正确"
        if isinstance(field, forms.DecimalField):
            field.error_messages["invalid"] = f"{field.label}须是数字"
            field.error_messages["max_digits"] = f"{field.label}位数过多"
            field.error_messages["max_decimal_places"] = f"{field.label}最多两位小数"
            field.error_messages["max_whole_digits"] = f"{field.label}整数部分位数过多"
        elif isinstance(field, forms.IntegerField):  # DecimalField is an IntegerField too
            field.error_messages["invalid"] = f"{field.label}须是整数"
            field.error_messages["min_value"] = f"{field.label}不能小于 %(limit_value)s"
            field.error_messages["max_value"] = f"{field.label}不能大于 %(limit_value)s"
        if isinstance(field, forms.CharField) and field.max_length:
            field.error_messages["max_length"] = f"{field.label}不能超过 {field.max_length} 字"


class ChineseForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_messages(self)


def number_field(label: str, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, **kwargs)
