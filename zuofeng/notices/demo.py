"""The demo's second notice: a draft the office is still writing, so the drafting pages have one to open."""

from zuofeng.accounts.models import Role, RoleAssignment
from zuofeng.notices.models import Notice, NoticeState
from zuofeng.notices.services.drafting import NoticeData, notice_save
from zuofeng.notices.services.seed import addressed_units

DRAFT_TITLE = "关于报送专项活动宣传发动情况的通知"
DRAFT_BODY = (
    "为及时掌握全区专项活动宣传发动情况，现将有关事项通知如下：\n"
    "一、报送内容\n"
    "（一）组织学习情况。各单位组织学习实施意见的时间、范围和人数。\n"
    "（二）宣传报道情况。各单位开展宣传报道的主要形式和篇数。\n"
    "二、报送要求\n"
    "请于8月31日前将书面材料报区作风办。"
)


def demo_draft(campaign) -> Notice | None:
    """Idempotent: made once, found by its title afterwards; needs an office account."""
    existing = Notice.objects.filter(state=NoticeState.DRAFT, title=DRAFT_TITLE).first()
    if existing is not None:
        return existing
    office = RoleAssignment.objects.filter(role=Role.OFFICE, user__is_active=True).select_related("user").first()
    if office is None:
        return None
    data = NoticeData(
        issuer=campaign.issuer,
        number_prefix="武作组办",
        title=DRAFT_TITLE,
        body=DRAFT_BODY,
        signed_on=campaign.issued_on.replace(day=20),
        printed_by=campaign.printed_by or campaign.issuer,
        addressees_text="，".join(campaign.recipients) + "：",
        campaign_id=campaign.pk,
    )
    tops = addressed_units().values_list("pk", flat=True)
    return notice_save(actor=office.user, data=data, addressee_ids=list(tops))
