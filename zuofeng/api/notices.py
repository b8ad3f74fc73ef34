"""公文 over the API: notices with their 附件, their receipts (签收), forwarding (转发), 催办, and
通报 (曝光, also from the nomination results).

Same rules as the pages: only the office drafts and issues; a notice the caller may not see is a
404 like a missing one; receipts are scoped to the units the caller sees; signing, forwarding
and chasing go through the same services, which check `may` (403 when refused).
Mounted with `api.add_router("/notices", router)` and `api.add_router("/bulletins", bulletins_router)`.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zuofeng.accounts.permissions import may, scope_to_units
from zuofeng.api.access import require
from zuofeng.api.errors import refused
from zuofeng.api.pagination import Paged
from zuofeng.api.schemas.common import ALWAYS, Id, PathId, Ref, with_errors
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.nominations.models import Nomination
from zuofeng.notices.models import Bulletin, Delivery, Notice, NoticeAttachment
from zuofeng.notices.selectors.notices import notice_list
from zuofeng.notices.services import bulletins as bulletin_services
from zuofeng.notices.services.delivery import deliveries_chase, delivery_acknowledge, notice_forward
from zuofeng.notices.services.drafting import (
    NoticeData,
    attachment_add,
    attachment_remove,
    notice_delete,
    notice_save,
)
from zuofeng.notices.workflow import notice_transition
from zuofeng.supervision.selectors.cases import cases_visible
from zuofeng.supervision.selectors.rounds import findings_visible

router = Router(tags=["公文"])


class NoticeOut(Schema):
    id: int
    state: str = Field(description="draft 草稿，issued 已印发")
    doc_number: str = Field(description="发文字号，如 武作组办〔2018〕2号；草稿未编号时为空")
    issuer: str
    title: str
    signed_on: dt.date = Field(description="成文日期")
    printed_by: str
    printed_on: dt.date | None
    issued_at: dt.datetime | None


class NoticeAttachmentOut(Schema):
    id: int
    order: int
    title: str
    file_name: str
    size: int
    download: str = Field(description="下载附件的接口地址")

    @staticmethod
    def resolve_download(obj):
        return f"/api/notices/{obj.notice_id}/attachments/{obj.pk}"


class NoticeDetailOut(NoticeOut):
    number_prefix: str
    number: int | None
    addressees_text: str
    addressees: list[Ref]
    body: str
    enclosure_title: str
    enclosure_body: str
    attachment_note: str
    copy_to: str
    version: int
    attachments: list[NoticeAttachmentOut]

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())

    @staticmethod
    def resolve_addressees(obj):
        return [{"id": u.pk, "name": u.name} for u in obj.addressees.all()]


class NoticeIn(Schema):
    issuer: str = ""
    number_prefix: str = ""
    number: int | None = Field(None, description="序号；留空则印发时自动编号")
    title: str = ""
    addressees: list[Id] = Field(default_factory=list, description="主送单位 ID")
    addressees_text: str = ""
    body: str = ""
    enclosure_title: str = ""
    enclosure_body: str = ""
    attachment_note: str = ""
    signed_on: dt.date | None = None
    printed_by: str = ""
    printed_on: dt.date | None = None
    copy_to: str = ""
    version: int | None = Field(None, description="修改草稿时：读取时的版本号")


class ReceiptOut(Schema):
    id: int
    unit: Ref
    from_unit: Ref | None = Field(description="转发单位；作风办直接送达时为空")
    delivered_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_by: str = Field(description="签收人")
    chase_count: int

    @staticmethod
    def resolve_unit(obj):
        return {"id": obj.unit_id, "name": obj.unit.name}

    @staticmethod
    def resolve_from_unit(obj):
        return {"id": obj.from_unit_id, "name": obj.from_unit.name} if obj.from_unit_id else None

    @staticmethod
    def resolve_acknowledged_by(obj):
        return obj.acknowledged_by.display_name if obj.acknowledged_by_id else ""


class ForwardIn(Schema):
    units: list[Id] = Field(description="转发给的单位 ID（本单位下属单位、内设科室或本单位审核的单位）")
    text: str = ""
    printed_by: str = ""
    printed_on: dt.date | None = None


class ForwardOut(Schema):
    id: int
    unit: Ref
    printed_by: str
    printed_on: dt.date
    delivered_to: int = Field(description="本次新送达的单位数（已收到的单位不重复送达）")


class NoticeChaseIn(Schema):
    receipts: list[Id] = Field(default_factory=list, description="要催办的签收记录 ID；留空则催办全部未签收单位")
    message: str = ""


class NoticeChaseOut(Schema):
    chased: int = Field(description="发出催办的单位数")


def _notice(user, notice_id: int) -> Notice:
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None or not may(user, "notice.view", notice):
        raise Http404
    return notice


def _receipt(user, notice: Notice, receipt_id: int) -> Delivery:
    qs = scope_to_units(user, Delivery.objects.filter(notice=notice)).select_related("unit", "notice", "from_unit")
    receipt = qs.filter(pk=receipt_id).first()
    if receipt is None:
        raise Http404
    return receipt


def _data(payload: NoticeIn, campaign_id) -> NoticeData:
    values = payload.dict(exclude={"addressees", "version"})
    return NoticeData(**values, campaign_id=campaign_id)


@router.get("", response=with_errors(list[NoticeOut]), summary="通知列表")
@paginate(Paged)
def notices(request):
    require(request.auth, "notice.view")
    return notice_list(user=request.auth).order_by("-signed_on", "-id")


@router.post("", response=with_errors(NoticeDetailOut, 400), summary="拟写通知（作风办）")
def notice_create(request, payload: NoticeIn):
    require(request.auth, "notice.manage")
    campaign = campaign_current()
    try:
        return notice_save(
            actor=request.auth, data=_data(payload, campaign.pk if campaign else None), addressee_ids=payload.addressees
        )
    except ValidationError as error:
        return refused(error)


@router.get("/{notice_id}", response=with_errors(NoticeDetailOut), summary="通知详情")
def notice_detail(request, notice_id: PathId):
    require(request.auth, "notice.view")
    return _notice(request.auth, notice_id)


@router.put("/{notice_id}", response=with_errors(NoticeDetailOut, 400, 409), summary="修改通知草稿（作风办）")
def notice_update(request, notice_id: PathId, payload: NoticeIn):
    require(request.auth, "notice.manage")
    notice = _notice(request.auth, notice_id)
    try:
        return notice_save(
            actor=request.auth,
            data=_data(payload, notice.campaign_id),
            addressee_ids=payload.addressees,
            notice=notice,
            version=payload.version,
        )
    except ValidationError as error:
        return refused(error, stale=getattr(error, "code", None) == "stale")


@router.post("/{notice_id}/issue", response=with_errors(NoticeDetailOut, 400), summary="印发通知（作风办）")
def notice_issue(request, notice_id: PathId):
    require(request.auth, "notice.manage")
    notice = _notice(request.auth, notice_id)
    try:
        return notice_transition(actor=request.auth, notice=notice, to="issued")
    except ValidationError as error:
        return refused(error)


@router.get("/{notice_id}/receipts", response=with_errors(list[ReceiptOut]), summary="签收情况（可见单位）")
@paginate(Paged)
def receipts(request, notice_id: PathId, unsigned: bool = False):
    require(request.auth, "notice.view")
    notice = _notice(request.auth, notice_id)
    qs = scope_to_units(request.auth, Delivery.objects.filter(notice=notice))
    if unsigned:
        qs = qs.filter(acknowledged_at__isnull=True)
    return qs.select_related("unit", "from_unit", "acknowledged_by__person").order_by("unit__sort_key", "id")


@router.post("/{notice_id}/receipts/{receipt_id}/acknowledge", response=with_errors(ReceiptOut), summary="签收")
def acknowledge(request, notice_id: PathId, receipt_id: PathId):
    require(request.auth, "notice.acknowledge")
    receipt = _receipt(request.auth, _notice(request.auth, notice_id), receipt_id)
    return delivery_acknowledge(actor=request.auth, delivery=receipt)


@router.post(
    "/{notice_id}/receipts/{receipt_id}/forward", response=with_errors(ForwardOut, 400), summary="转发（单位管理员）"
)
def forward(request, notice_id: PathId, receipt_id: PathId, payload: ForwardIn):
    require(request.auth, "notice.forward")
    receipt = _receipt(request.auth, _notice(request.auth, notice_id), receipt_id)
    try:
        forwarding = notice_forward(
            actor=request.auth,
            delivery=receipt,
            unit_ids=payload.units,
            text=payload.text,
            printed_by=payload.printed_by,
            printed_on=payload.printed_on,
        )
    except ValidationError as error:
        return refused(error)
    return {
        "id": forwarding.pk,
        "unit": {"id": forwarding.unit_id, "name": forwarding.unit.name},
        "printed_by": forwarding.printed_by,
        "printed_on": forwarding.printed_on,
        "delivered_to": forwarding.deliveries.count(),
    }


@router.post("/{notice_id}/chase", response=with_errors(NoticeChaseOut), summary="催办未签收单位")
def chase(request, notice_id: PathId, payload: NoticeChaseIn):
    require(request.auth, "notice.chase")
    notice = _notice(request.auth, notice_id)
    qs = Delivery.objects.filter(notice=notice, acknowledged_at__isnull=True).select_related(
        "unit", "notice", "from_unit"
    )
    if payload.receipts:
        qs = qs.filter(pk__in=payload.receipts)
    copies = [d for d in qs if payload.receipts or may(request.auth, "notice.chase", d)]
    return {"chased": deliveries_chase(actor=request.auth, deliveries=copies, message=payload.message)}


# ── 通报 and 曝光 (office), mounted at /api/bulletins ──────────────────────────

bulletins_router = Router(tags=["公文"])


class BulletinItemOut(Schema):
    id: int
    unit: str
    heading: str
    person: str
    phone: str
    text: str
    released: list[str] = Field(description="公开页面显示的栏目：unit、heading、person、phone、text")


class BulletinOut(Schema):
    id: int
    kind: str = Field(description="praise 通报表扬，criticism 通报批评")
    title: str
    text: str
    state: str = Field(description="draft 草稿，published 已曝光，withdrawn 已撤回，sent 已印发（内部通报）")
    published_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    items: list[BulletinItemOut]


class BulletinIn(Schema):
    kind: str
    title: str = ""
    text: str = ""


class BulletinItemIn(Schema):
    unit: str = ""
    heading: str = ""
    person: str = ""
    text: str = ""


class PublishIn(Schema):
    # JSON object keys are strings; a key that is not an item's id is a 400 in Chinese, not a 422.
    released: dict[str, list[str]] = Field(description="事项 ID → 公开的栏目")


def _released(released: dict[str, list[str]]) -> dict[int, list[str]]:
    if not all(key.isascii() and key.isdigit() and len(key) < 19 for key in released):
        raise ValidationError({"released": "公开的栏目不正确：事项 ID 应为数字。"})
    return {int(key): fields for key, fields in released.items()}


def _bulletin(bulletin_id: int) -> Bulletin:
    bulletin = Bulletin.objects.filter(pk=bulletin_id).first()
    if bulletin is None:
        raise Http404
    return bulletin


@bulletins_router.get("", response=with_errors(list[BulletinOut]), summary="通报列表（作风办）")
def bulletins(request):
    require(request.auth, "bulletin.manage")
    return Bulletin.objects.prefetch_related("items")


@bulletins_router.post("", response=with_errors(BulletinOut, 400), summary="拟写通报（作风办）")
def bulletin_new(request, payload: BulletinIn):
    require(request.auth, "bulletin.manage")
    try:
        return bulletin_services.bulletin_create(actor=request.auth, campaign=campaign_current(), **payload.dict())
    except ValidationError as error:
        return refused(error)


@bulletins_router.post("/{bulletin_id}/items", response=with_errors(BulletinOut, 400), summary="添加通报事项")
def bulletin_item(request, bulletin_id: PathId, payload: BulletinItemIn):
    require(request.auth, "bulletin.manage")
    bulletin = _bulletin(bulletin_id)
    try:
        bulletin_services.bulletin_item_add(actor=request.auth, bulletin=bulletin, **payload.dict())
    except ValidationError as error:
        return refused(error)
    return bulletin


@bulletins_router.post(
    "/{bulletin_id}/publish",
    response=with_errors(BulletinOut, 400),
    summary="曝光（逐栏选择公开内容）",
    description="只有所选栏目出现在公开页面；姓名、联系电话不选即不公开。选择记入审计日志。",
)
def bulletin_publish(request, bulletin_id: PathId, payload: PublishIn):
    require(request.auth, "bulletin.manage")
    try:
        return bulletin_services.bulletin_publish(
            actor=request.auth, bulletin=_bulletin(bulletin_id), released=_released(payload.released)
        )
    except ValidationError as error:
        return refused(error)


@bulletins_router.post("/{bulletin_id}/withdraw", response=with_errors(BulletinOut, 400), summary="撤回曝光")
def bulletin_withdraw(request, bulletin_id: PathId):
    require(request.auth, "bulletin.manage")
    try:
        return bulletin_services.bulletin_withdraw(actor=request.auth, bulletin=_bulletin(bulletin_id))
    except ValidationError as error:
        return refused(error)


# ── 草稿的附件与删除（作风办；已印发的通知不能再改） ─────────────────────────────


class NoticeAttachmentIn(Schema):
    title: str = Field("", description="附件名称，如：“十佳优秀服务明星”申报表")


@router.post(
    "/{notice_id}/attachments",
    response=with_errors(NoticeDetailOut, 400),
    summary="上传附件（作风办；草稿）",
    description="multipart/form-data：title 附件名称，file 附件文件（PDF、Word、Excel 或图片，不超过 20 MB）。",
)
def notice_attachment_add(
    request, notice_id: PathId, payload: Form[NoticeAttachmentIn], file: File[UploadedFile] = None
):
    require(request.auth, "notice.manage")
    notice = _notice(request.auth, notice_id)
    try:
        attachment_add(actor=request.auth, notice=notice, title=payload.title, upload=file)
    except ValidationError as error:
        return refused(error)
    return notice


def _attachment(user, notice_id: int, attachment_id: int) -> NoticeAttachment:
    notice = _notice(user, notice_id)
    attachment = NoticeAttachment.objects.filter(pk=attachment_id, notice=notice).select_related("notice").first()
    if attachment is None:
        raise Http404
    return attachment


@router.get(
    "/{notice_id}/attachments/{attachment_id}", response={200: None, **ALWAYS}, summary="下载附件（可见该通知者）"
)
def notice_attachment_download(request, notice_id: PathId, attachment_id: PathId):
    require(request.auth, "notice.view")
    item = _attachment(request.auth, notice_id, attachment_id)
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.file_name, content_type=item.content_type
    )


@router.delete(
    "/{notice_id}/attachments/{attachment_id}", response=with_errors(NoticeDetailOut, 400), summary="删除附件（草稿）"
)
def notice_attachment_remove(request, notice_id: PathId, attachment_id: PathId):
    require(request.auth, "notice.manage")
    attachment = _attachment(request.auth, notice_id, attachment_id)
    try:
        attachment_remove(actor=request.auth, attachment=attachment)
    except ValidationError as error:
        return refused(error)
    return _notice(request.auth, notice_id)


class NoticeDeletedOut(Schema):
    deleted: int = Field(description="已删除的通知草稿 ID")


@router.delete("/{notice_id}", response=with_errors(NoticeDeletedOut, 400), summary="删除通知草稿（作风办）")
def notice_remove(request, notice_id: PathId):
    require(request.auth, "notice.manage")
    notice = _notice(request.auth, notice_id)
    try:
        notice_delete(actor=request.auth, notice=notice)
    except ValidationError as error:
        return refused(error)
    return {"deleted": notice_id}


# ── 通报表扬：从评优申报的入选结果生成事项 ──────────────────────────────────


class BulletinFromResultsIn(Schema):
    nominations: list[Id] = Field(description="已入选的申报 ID")


@bulletins_router.post(
    "/{bulletin_id}/from-results", response=with_errors(BulletinOut, 400), summary="从评优入选结果添加通报事项"
)
def bulletin_from_results(request, bulletin_id: PathId, payload: BulletinFromResultsIn):
    require(request.auth, "bulletin.manage")
    bulletin = _bulletin(bulletin_id)
    wanted = set(payload.nominations)
    found = list(
        Nomination.objects.filter(pk__in=wanted)
        .exclude(bulletinitem__bulletin=bulletin)
        .select_related("award", "unit")
    )
    already = set(bulletin.items.filter(nomination__in=wanted).values_list("nomination_id", flat=True))
    if not wanted:
        return refused(ValidationError({"nominations": "请选择要通报表扬的入选申报。"}))
    unknown = sorted(wanted - already - {n.pk for n in found})
    if unknown:
        return refused(ValidationError({"nominations": f"申报不存在：{'、'.join(map(str, unknown))}。"}))
    try:
        bulletin_services.bulletin_items_from_results(actor=request.auth, bulletin=bulletin, nominations=found)
    except ValidationError as error:
        return refused(error)
    return bulletin


class BulletinSendIn(Schema):
    released: dict[str, list[str]] = Field(description="事项 ID → 单位可见的栏目")
    units: list[Id] = Field(description="接收通报并签收的单位 ID")


@bulletins_router.post(
    "/{bulletin_id}/send",
    response=with_errors(BulletinOut, 400),
    summary="内部通报：印发给所选单位签收",
    description="所选栏目成为一份通知，印发给所选单位（编号、签收和催办与通知相同）；姓名、联系电话不选即不送出。",
)
def bulletin_send(request, bulletin_id: PathId, payload: BulletinSendIn):
    require(request.auth, "bulletin.manage")
    try:
        return bulletin_services.bulletin_send(
            actor=request.auth,
            bulletin=_bulletin(bulletin_id),
            released=_released(payload.released),
            unit_ids=payload.units,
        )
    except ValidationError as error:
        return refused(error)


class BulletinFromSupervisionIn(Schema):
    findings: list[Id] = Field(default=[], description="已确认的督查发现 ID")
    cases: list[Id] = Field(default=[], description="已作出决定的问责案件 ID")


@bulletins_router.post(
    "/{bulletin_id}/from-supervision",
    response=with_errors(BulletinOut, 400),
    summary="从督查发现和问责决定添加通报批评事项",
)
def bulletin_from_supervision(request, bulletin_id: PathId, payload: BulletinFromSupervisionIn):
    require(request.auth, "bulletin.manage")
    bulletin = _bulletin(bulletin_id)
    # The same reads as the page: only what the caller may see (the office sees every finding and case).
    findings = list(findings_visible(user=request.auth).filter(pk__in=set(payload.findings)))
    cases = list(cases_visible(user=request.auth).filter(pk__in=set(payload.cases)))
    unknown = sorted(set(payload.findings) - {f.pk for f in findings}) + sorted(
        set(payload.cases) - {c.pk for c in cases}
    )
    if unknown:
        return refused(ValidationError({"findings": f"督查发现或问责案件不存在：{'、'.join(map(str, unknown))}。"}))
    try:
        bulletin_services.bulletin_items_from_supervision(
            actor=request.auth, bulletin=bulletin, findings=findings, cases=cases
        )
    except ValidationError as error:
        return refused(error)
    return bulletin
