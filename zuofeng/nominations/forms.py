"""The nomination form, built from the award's form definition (any award, nothing hard-coded).

Every input is accepted as typed (so nothing is lost); `clean()` then checks each value with
services.forms.check_value. A draft may be incomplete (required fields are not enforced); a
submission is checked completely.
"""

from django import forms
from django.core.exceptions import ValidationError

from zuofeng.nominations.services.forms import (
    GENDERS,
    POLITICAL_STATUSES,
    check_value,
    form_fields,
    honour_years,
    month_range,
)

HONOUR_PARTS = ("year", "honour", "body")
WORD_RULE = (
    "按 Word“字数统计”计数：每个汉字、中文标点各计 1 字；"
    "连续的英文字母或数字计 1 字（如“2018”“GDP”）；空格、换行和半角标点不计。"
)


class HonoursWidget(forms.Widget):
    """Rows named <key>-<n>-year / -honour / -body; the template draws them (rows can be added and removed)."""

    def value_from_datadict(self, data, files, name):
        indexes = sorted({int(k.split("-")[1]) for k in data if k.startswith(f"{name}-") and k.split("-")[1].isdigit()})
        return [{part: data.get(f"{name}-{i}-{part}", "") for part in HONOUR_PARTS} for i in indexes]

    def render(self, name, value, attrs=None, renderer=None):  # pragma: no cover - drawn by the template
        return ""


class HonoursField(forms.Field):
    widget = HonoursWidget

    def to_python(self, value):
        return value if isinstance(value, list) else []


def _django_field(field, year: int) -> forms.Field:
    attrs = {"autocomplete": "off"}
    kind = field.type
    if kind == "honours":
        return HonoursField(required=False, label=field.label)
    if kind == "textarea":
        attrs["rows"] = max(field.lines, 3)
        if field.max_chars:
            attrs.update({"data-max-chars": field.max_chars, "data-counter": f"#counter-{field.key}"})
        widget = forms.Textarea(attrs=attrs)
    elif kind in ("gender", "political_status", "choice"):
        options = {
            "gender": list(GENDERS.items()),
            "political_status": [(code, names[1]) for code, names in POLITICAL_STATUSES.items()],
            "choice": [(c, c) for c in field.choices],
        }[kind]
        widget = forms.Select(choices=[("", "请选择"), *options], attrs=attrs)
    elif kind == "month":
        low, high = month_range(year)
        widget = forms.TextInput(attrs={**attrs, "type": "month", "min": f"{low}-01", "max": f"{high}-12"})
    elif kind == "phone":
        widget = forms.TextInput(attrs={**attrs, "inputmode": "tel", "placeholder": "如 13912345678 或 0519-86310060"})
    elif kind == "number":
        widget = forms.NumberInput(attrs=attrs)
    elif kind == "date":
        widget = forms.DateInput(attrs={**attrs, "type": "date"})
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(required=False, label=field.label, widget=widget, strip=False)


def _help(field, year: int) -> str:
    if field.max_chars:
        return f"限 {field.max_chars} 字。{WORD_RULE}"
    if field.type == "honours":
        years = honour_years(year)
        return f"只填近三年（{years[0]}—{years[-1]}年）所获荣誉，每行一项：年份、荣誉名称、授予单位。"
    if field.type == "month":
        return "填写年和月，如 1985-06。"
    if field.type == "phone":
        return "手机号码或带区号的固定电话。"
    return field.help


class NominationForm(forms.Form):
    def __init__(self, *args, award, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.award = award
        self.year = award.campaign.year
        self.submitting = submitting
        self.definitions = form_fields(award)
        self.raw: dict = {}
        self.values: dict = {}
        for field in self.definitions:
            django_field = _django_field(field, self.year)
            django_field.help_text = _help(field, self.year)
            django_field.definition = field
            self.fields[field.key] = django_field

    def clean(self):
        cleaned = super().clean()
        self.raw = dict(cleaned)
        for field in self.definitions:
            try:
                self.values[field.key] = check_value(field, cleaned.get(field.key), year=self.year)
            except ValidationError as error:
                if error.code == "required" and not self.submitting:
                    continue
                self.add_error(field.key, error)
        return cleaned

    def honour_rows(self, key: str) -> list[dict]:
        """The rows to draw: as typed when the form was posted, else as stored; always at least one."""
        if self.is_bound:
            rows = self.fields[key].widget.value_from_datadict(self.data, self.files, self.add_prefix(key))
        else:
            rows = self.initial.get(key) or []
        rows = [{part: row.get(part, "") for part in HONOUR_PARTS} for row in rows if isinstance(row, dict)]
        return rows or [dict.fromkeys(HONOUR_PARTS, "")]


class ScanForm(forms.Form):
    stamped_scan = forms.FileField(
        label="盖章扫描件",
        required=False,
        help_text="打印申报表，盖章后扫描或拍照上传：PDF、JPG 或 PNG，不超过 20 MB。",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class ExtensionForm(forms.Form):
    award = forms.IntegerField(widget=forms.HiddenInput)
    unit = forms.IntegerField(label="单位")
    until = forms.DateTimeField(
        label="延长至",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        error_messages={"required": "请填写“延长至”。", "invalid": "“延长至”须填写日期和时间。"},
    )
    reason = forms.CharField(
        label="理由", widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请填写延期理由。"}
    )
