"""Forms of the measure page. They only validate input; services decide and save."""

from django import forms
from django.core.exceptions import ValidationError

from zuofeng.core import clock
from zuofeng.rectification.services.evidence import MAX_BYTES, evidence_check

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once; each checked by content (services.evidence)."""

    widget = MultipleFileInput

    def __init__(self, *, max_bytes: int = MAX_BYTES, **kwargs):
        self.max_bytes = max_bytes
        kwargs.setdefault("label", "佐证材料")
        kwargs.setdefault(
            "help_text", "可上传 PDF、JPG/PNG 图片、Word（DOCX）或 Excel（XLSX），每个文件不超过 20 MB，可多选。"
        )
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ACCEPT

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        try:
            evidence_check(files, max_bytes=self.max_bytes)
        except ValidationError as error:
            raise ValidationError(error.message_dict["files"])
        return files


class _VersionedForm(forms.Form):
    """Carries the measure's version, so a save over someone else's newer change is refused."""

    id_prefix = "form"  # several forms share one page: keep their element ids apart
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ProgressForm(_VersionedForm):
    id_prefix = "progress"
    reported_on = forms.DateField(
        label="报告日期",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写报告日期。", "invalid": "报告日期格式不正确，例如 2018-09-30。"},
    )
    percent = forms.IntegerField(
        label="完成进度（%）",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "请填写完成进度。",
            "invalid": "完成进度须为 0 到 100 的整数。",
            "min_value": "完成进度不能小于 %(limit_value)s%%。",
            "max_value": "完成进度不能超过 %(limit_value)s%%。",
        },
    )
    text = forms.CharField(
        label="进展情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写进展情况。"},
    )
    files = EvidenceField(required=False)

    def clean_reported_on(self):
        day = self.cleaned_data["reported_on"]
        if day > clock.today():
            raise ValidationError("报告日期不能晚于今天。")
        return day


class CloseoutRequestForm(_VersionedForm):
    id_prefix = "closeout"
    text = forms.CharField(
        label="整改完成情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写整改完成情况。"},
    )
    files = EvidenceField(required=True, error_messages={"required": "申请销号须上传至少一份佐证材料。"})


class CloseoutDecideForm(_VersionedForm):
    id_prefix = "decide"
    decision = forms.ChoiceField(
        label="核实结论",
        choices=[("approve", "核实销号"), ("return", "退回")],
        error_messages={"required": "请选择核实结论。", "invalid_choice": "核实结论不正确。"},
    )
    comment = forms.CharField(
        label="核实意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="退回时必须说明原因。",
    )


class ReopenForm(_VersionedForm):
    id_prefix = "reopen"
    reason = forms.CharField(
        label="重新打开原因",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写重新打开的原因。"},
    )
