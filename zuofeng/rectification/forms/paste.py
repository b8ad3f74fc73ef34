"""Rows pasted from Excel or Word into a unit's list."""

from django import forms

from zuofeng.rectification.services.paste import MAX_CHARS


class PasteForm(forms.Form):
    text = forms.CharField(
        label="粘贴的行",
        max_length=MAX_CHARS,
        strip=False,  # leading tabs are empty cells
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "wrap": "off", "autofocus": True}),
        error_messages={
            "required": "请先粘贴要录入的行",
            "max_length": f"粘贴的内容超过 {MAX_CHARS:,} 个字符，请分几次粘贴",
        },
    )
