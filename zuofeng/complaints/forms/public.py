"""The public's forms: the report, the look-up by code and secret, the rating."""

from django import forms

from zuofeng.complaints.models import ComplaintKind, Rating


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _symptom_choices(campaign) -> list:
    choices: list = [("", "说不清 / 其他")]
    if campaign is None:
        return choices
    for category in campaign.categories.filter(is_active=True).prefetch_related("symptoms"):
        group = [(s.pk, s.name) for s in category.symptoms.all() if s.is_active]
        if group:
            choices.append((f"{category.name}（{category.slogan}）" if category.slogan else category.name, group))
    return choices


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label="反映类型",
        choices=ComplaintKind.choices,
        widget=forms.RadioSelect,
        initial=ComplaintKind.COMPLAINT,
        error_messages={"required": "请选择反映类型。"},
    )
    symptom = forms.TypedChoiceField(
        label="遇到了什么情况",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="如推诿扯皮、门好进脸好看事难办、吃拿卡要、故意刁难",
    )
    unit_query = forms.CharField(
        label="反映哪个单位",
        required=False,
        max_length=50,
        help_text="输入单位名称或拼音首字母（如 czj），再从列表中选择；不清楚可不选",
    )
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label="事情经过", widget=forms.Textarea(attrs={"rows": 5}), error_messages={"required": "请写明反映的事情。"}
    )
    happened_on = forms.DateField(label="发生日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label="发生地点", required=False, max_length=200, help_text="如某服务窗口、某办事大厅")
    files = MultipleFileField(
        label="照片或材料", required=False, help_text="JPG、PNG 或 PDF，最多 5 个，每个不超过 10 MB"
    )
    named = forms.TypedChoiceField(
        label="是否留名",
        choices=[("0", "匿名反映"), ("1", "实名反映（便于回访，单位看不到您的信息）")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    name = forms.CharField(label="姓名", required=False, max_length=50)
    phone = forms.CharField(label="手机号码", required=False, max_length=20)
    contact = forms.CharField(label="其他联系方式", required=False, max_length=100)
    captcha_answer = forms.CharField(
        label="验证码：图中算式的结果", max_length=4, error_messages={"required": "请填写验证码。"}
    )
    captcha = forms.CharField(widget=forms.HiddenInput)
    submission_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["symptom"].choices = _symptom_choices(campaign)


class TrackForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=16, error_messages={"required": "请填写查询码。"})
    secret = forms.CharField(label="查询密码", max_length=16, error_messages={"required": "请填写查询密码。"})


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label="您对答复的评价",
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择评价。"},
    )
    comment = forms.CharField(label="意见", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
