"""通报 forms: the bulletin, a typed item."""

from django import forms

from zuofeng.notices.forms.drafting import UnitChoiceField
from zuofeng.notices.models import BulletinKind, BulletinScope
from zuofeng.organisation.models import Unit


class BulletinForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=BulletinKind.choices)
    scope = forms.ChoiceField(label="范围", choices=BulletinScope.choices, initial=BulletinScope.PUBLIC, required=False)
    title = forms.CharField(label="标题", max_length=200, required=False)
    text = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_scope(self) -> str:
        return self.cleaned_data.get("scope") or BulletinScope.PUBLIC  # a form without the choice: 曝光


class ItemForm(forms.Form):
    unit = forms.CharField(label="单位", max_length=200, required=False)
    heading = forms.CharField(label="事项", max_length=200, required=False, help_text="如：督查发现的问题、问责决定")
    person = forms.CharField(label="姓名", max_length=50, required=False, help_text="只有在曝光时勾选才会公开")
    text = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SendForm(forms.Form):
    """内部通报: the units that receive it and sign for it (the same choice as a notice's 主送单位)."""

    units = UnitChoiceField(
        label="接收单位",
        required=False,
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="按住 Ctrl 可多选；各单位收到后签收，未签收的可催办",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(is_active=True, depth__lte=1).order_by("sort_key")
