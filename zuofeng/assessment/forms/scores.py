"""Forms of the 年终考核 pages; the rules themselves are checked again by the services."""

from django import forms


class ComputeForm(forms.Form):
    cutoff = forms.DateField(label="考核截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label="重新计算理由",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="已有考核结果时必填：重新计算会生成新的结果，并沿用已有的人工调整",
    )


class AdjustForm(forms.Form):
    points = forms.DecimalField(label="调整后得分", max_digits=7, decimal_places=2)
    reason = forms.CharField(label="调整理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ObjectionForm(forms.Form):
    item = forms.ChoiceField(label="针对的考核项", required=False)
    text = forms.CharField(label="异议内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "总分（不针对某一项）"), *((str(i.pk), i.name) for i in items)]


class AnswerForm(forms.Form):
    answer = forms.CharField(label="答复意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
