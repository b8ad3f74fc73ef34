"""The campaign's own notice (武作组办〔2018〕2号) as the first notice of the default campaign.

Built from the campaign definition (the YAML's `notice:` and `opinion:` sections), issued on its
own date to every top-level unit, with the two award forms of 三、(三) (十佳优秀服务明星 and 优质服务事例
申报表) as 附件1 and 附件2, and — where the demo district has the unit — the seed copy's 转发 by
区安监局办公室 on 8月31日 with its own 印发 line. Idempotent: a second run finds the notice by its
发文字号 and changes nothing. Written by the system (actor None), and audited as such.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from zuofeng.accounts.models import Role, RoleAssignment
from zuofeng.audit.services import audit_record
from zuofeng.campaigns.models import Award, Campaign
from zuofeng.core.storage import file_changes
from zuofeng.core.uploads import CONTENT_TYPES, PDF
from zuofeng.notices.models import Delivery, DocNumberSequence, Forwarding, Notice, NoticeAttachment, NoticeState
from zuofeng.notices.numbers import doc_number_parse
from zuofeng.notices.text import opinion_body
from zuofeng.organisation.models import Unit

# 附件1 and 附件2 of the 实施意见, in the notice's order (六、(三)).
ATTACHED_AWARDS = ("service-star", "service-case")
FORWARDING_UNIT_NAMES = ("常州市武进区应急管理局（区安全生产监督管理局）", "常州市武进区安全生产监督管理局")


@dataclass
class SeedResult:
    notice: Notice
    created: bool
    deliveries: int = 0
    forwarded_to: int = 0


def _morning(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def notice_seed(*, campaign: Campaign, render_forms: bool = True) -> SeedResult:
    prefix, year, number = doc_number_parse(campaign.doc_number)
    existing = Notice.objects.filter(number_prefix=prefix, number_year=year, number=number).first()
    if existing is not None:
        return SeedResult(existing, created=False)
    awards = [Award.objects.filter(campaign=campaign, key=key).first() for key in ATTACHED_AWARDS]
    awards = [a for a in awards if a is not None and a.form]
    field = NoticeAttachment._meta.get_field("file")
    with file_changes(field.storage) as files, transaction.atomic():
        issued_at = _morning(campaign.issued_on)
        notice = Notice.objects.create(
            campaign=campaign,
            state=NoticeState.ISSUED,
            issuer=campaign.issuer,
            number_prefix=prefix,
            number_year=year,
            number=number,
            title=campaign.notice_title,
            addressees_text="，".join(campaign.recipients) + "：",
            body=campaign.notice_body,
            enclosure_title=campaign.opinion_title,
            enclosure_body=opinion_body(campaign.opinion_body),
            attachment_note="\n".join(a.form.get("title", a.name) for a in awards),
            signed_on=campaign.issued_on,
            printed_by=campaign.printed_by or campaign.issuer,
            printed_on=campaign.printed_on or campaign.issued_on,
            issued_at=issued_at,
        )
        sequence, _ = DocNumberSequence.objects.select_for_update().get_or_create(prefix=prefix, year=year)
        if sequence.last < number:
            sequence.last = number  # the number is used: never given out again
            sequence.save(update_fields=["last"])
        tops = list(addressed_units())
        notice.addressees.set(tops)
        Delivery.objects.bulk_create([Delivery(notice=notice, unit=u, delivered_at=issued_at) for u in tops])
        for order, award in enumerate(awards, start=1):
            title = award.form.get("title", award.name)
            attachment = NoticeAttachment(
                notice=notice,
                order=order,
                title=title,
                file_name=f"附件{order} {title}.pdf",
                content_type=CONTENT_TYPES[PDF],
            )
            content = _form_pdf(award.form) if render_forms else b"%PDF-1.4\n%%EOF\n"
            attachment.size = len(content)
            name = field.generate_filename(attachment, f"notice-{notice.pk}-{order}.pdf")
            attachment.file.name = files.save(name, ContentFile(content))
            attachment.save()
        forwarded_to = _seed_forwarding(campaign, notice)
        audit_record(
            actor=None,
            action="notice.seed",
            obj=notice,
            after={"doc_number": notice.doc_number, "units": len(tops), "attachments": len(awards)},
        )
    return SeedResult(notice, created=True, deliveries=len(tops), forwarded_to=forwarded_to)


def addressed_units():
    """Every top unit but the issuer's own (the office does not send itself its notice)."""
    office = RoleAssignment.objects.filter(role=Role.OFFICE)
    own = {*office.values_list("unit_id", flat=True), *office.values_list("user__person__unit_id", flat=True)} - {None}
    return Unit.objects.filter(parent__isnull=True, is_active=True).exclude(pk__in=own).order_by("sort_key")


def _form_pdf(form: dict) -> bytes:
    from zuofeng.documents.pdf import award_form_pdf

    return award_form_pdf(form)


def _seed_forwarding(campaign: Campaign, notice: Notice) -> int:
    """The seed copy was forwarded by 区安监局办公室: record it where the district has that unit."""
    if not campaign.forwarded_by:
        return 0
    unit = Unit.objects.filter(name__in=FORWARDING_UNIT_NAMES, parent__isnull=True).first()
    copy = Delivery.objects.filter(notice=notice, unit=unit).first() if unit else None
    if copy is None:
        return 0
    at = _morning(campaign.forwarded_on or campaign.issued_on)
    Delivery.objects.filter(pk=copy.pk).update(acknowledged_at=at)
    forwarding = Forwarding.objects.create(
        notice=notice,
        unit=unit,
        printed_by=campaign.forwarded_by,
        printed_on=campaign.forwarded_on or campaign.issued_on,
        created_by=None,
        created_at=at,
    )
    children = list(Unit.objects.filter(parent=unit, is_active=True).values_list("pk", flat=True))
    Delivery.objects.bulk_create(
        [Delivery(notice=notice, unit_id=u, forwarding=forwarding, from_unit=unit, delivered_at=at) for u in children]
    )
    return len(children)
