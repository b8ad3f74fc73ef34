"""`manage.py demo_notices`: the default campaign's own notice as its first notice (after load_campaign)."""

from django.core.management.base import BaseCommand, CommandError

from zuofeng.campaigns.models import Campaign
from zuofeng.notices.demo import demo_draft
from zuofeng.notices.services.seed import notice_seed


class Command(BaseCommand):
    help = "载入默认专项活动的通知（武作组办〔2018〕2号，附件为两张申报表）并拟一份草稿；已载入时不做修改。"

    def handle(self, *args, **options):
        campaign = Campaign.objects.filter(is_default=True).first()
        if campaign is None:
            raise CommandError("尚未载入默认专项活动，请先运行 load_campaign … --default。")
        result = notice_seed(campaign=campaign)
        demo_draft(campaign)
        if not result.created:
            self.stdout.write(f"{result.notice.doc_number} 已载入，未作修改。")
            return
        self.stdout.write(
            f"已载入 {result.notice.doc_number}：送达 {result.deliveries} 个单位，"
            f"附件 {result.notice.attachments.count()} 个；区安监局办公室转发 {result.forwarded_to} 个科室。"
        )
