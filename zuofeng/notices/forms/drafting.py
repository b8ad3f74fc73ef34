"""The drafting form: every element of the notice's 版头, 主体 and 版记 (GB/T 9704-2012)."""

from django import forms

from zuofeng.notices.services.drafting import SNAPSHOT_FIELDS, NoticeData
from zuofeng.organisation.models import Unit, UnitKind

# 主送 groups: the top-level units of one kind, as the notice's 主送 line names them (各镇…, 区委各部委办…).
GROUPS = {
    "town": ("各镇", UnitKind.TOWN),
    "street": ("各街道", UnitKind.STREET),
    "zone": ("开发区", UnitKind.ZONE),
    "department": ("区级机关各部门", UnitKind.DEPARTMENT),
}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return ("　" * obj.depth) + obj.display_name


class NoticeForm(forms.Form):
    """Required fields are checked by the service (services/drafting.py), so every message comes from one place."""

    issuer = forms.CharField(label="发文机关", max_length=100, required=False)
    number_prefix = forms.CharField(label="机关代字", max_length=30, required=False, help_text="如：武作组办")
    number = forms.IntegerField(
        label="序号",
        required=False,
        min_value=1,
        help_text="留空则印发时自动编号；用过的号不能再用",
    )
    title = forms.CharField(label="标题", max_length=300, required=False)
    groups = forms.MultipleChoiceField(
        label="主送单位（按类别）",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(key, label) for key, (label, _) in GROUPS.items()],
    )
    units = UnitChoiceField(
        label="主送单位（逐个选择）",
        required=False,
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="按住 Ctrl 可多选；与上面的类别合并",
    )
    addressees_text = forms.CharField(
        label="主送机关（文字）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="印在标题下的主送行，如：各镇党委、人民政府，区委各部委办：；留空则按所选单位列出",
    )
    body = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="每段一行；结构层次序数依次为 一、 （一） 1. （1）",
    )
    enclosure_title = forms.CharField(label="印发文件标题", max_length=300, required=False)
    enclosure_body = forms.CharField(
        label="印发文件正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="印发通知所印发的文件（如实施意见），排在成文日期之后",
    )
    attachment_note = forms.CharField(
        label="附件说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个附件名称，印作“附件：1. ……”；附件文件在保存后上传",
    )
    signed_on = forms.DateField(label="成文日期", required=False, widget=DATE)
    printed_by = forms.CharField(label="印发机关", max_length=100, required=False)
    printed_on = forms.DateField(label="印发日期", required=False, widget=DATE, help_text="留空则为印发当天")
    copy_to = forms.CharField(label="抄送", max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(is_active=True, depth__lte=1).order_by("sort_key")

    def addressee_ids(self) -> list[int]:
        kinds = [GROUPS[g][1] for g in self.cleaned_data.get("groups", [])]
        ids = set(Unit.objects.filter(parent__isnull=True, is_active=True, kind__in=kinds).values_list("pk", flat=True))
        ids.update(u.pk for u in self.cleaned_data.get("units") or [])
        return sorted(ids)

    def data_object(self, campaign_id: int | None) -> NoticeData:
        c = self.cleaned_data
        return NoticeData(
            issuer=c.get("issuer", ""),
            number_prefix=c.get("number_prefix", ""),
            number=c.get("number"),
            title=c.get("title", ""),
            body=c.get("body", ""),
            signed_on=c.get("signed_on"),
            printed_by=c.get("printed_by", ""),
            addressees_text=c.get("addressees_text", ""),
            enclosure_title=c.get("enclosure_title", ""),
            enclosure_body=c.get("enclosure_body", ""),
            attachment_note=c.get("attachment_note", ""),
            printed_on=c.get("printed_on"),
            copy_to=c.get("copy_to", ""),
            campaign_id=campaign_id,
        )


def initial_from(notice) -> dict:
    data = {name: getattr(notice, name) for name in SNAPSHOT_FIELDS if name not in ("campaign_id", "number_year")}
    data["version"] = notice.version
    data["units"] = list(notice.addressees.values_list("pk", flat=True))
    return data


class AttachmentForm(forms.Form):
    title = forms.CharField(label="附件名称", max_length=200)
    file = forms.FileField(label="附件文件", help_text="PDF、Word、Excel 或图片，不超过 20 MB")
