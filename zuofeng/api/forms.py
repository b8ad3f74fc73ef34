from django import forms


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label="用途",
        max_length=100,
        help_text="写明令牌给哪个系统或脚本使用，例如“数据大屏读取”，便于日后识别和吊销。",
        error_messages={"required": "请填写“用途”。", "max_length": "“用途”不能超过 100 个字。"},
    )
