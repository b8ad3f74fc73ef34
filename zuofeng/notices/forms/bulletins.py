"""通报 forms: the bulletin, a typed item."""

from django import forms

from zuofeng.notices.models import BulletinKind


class BulletinForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=BulletinKind.choices)
    title = forms.CharField(label="标题", max_length=200, required=False)
    text = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ItemForm(forms.Form):
    unit = forms.CharField(label="单位", max_length=200, required=False)
    heading = forms.CharField(label="事项", max_length=200, required=False, help_text="如：督查发现的问题、问责决定")
    person = forms.CharField(label="姓名", max_length=50, required=False, help_text="只有在曝光时勾选才会公开")
    text = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
