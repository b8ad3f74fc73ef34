"""`manage.py demo_nominations`: demo nominations for the default campaign (after demo_district and load_campaign)."""

from django.core.management.base import BaseCommand, CommandError

from zuofeng.nominations.demo import demo_nominations_build


class Command(BaseCommand):
    help = "为默认专项活动生成演示申报（先运行 demo_district 和 load_campaign）；已有申报时不做任何修改。"

    def handle(self, *args, **options):
        result = demo_nominations_build()
        if not result.created:
            from zuofeng.campaigns.models import Campaign

            if not Campaign.objects.filter(is_default=True).exists():
                raise CommandError("尚未载入默认专项活动，请先运行 load_campaign … --default。")
            self.stdout.write("默认专项活动已有申报（或缺少奖项、作风办账号），未作修改。")
            return
        self.stdout.write(
            f"演示申报已生成：已报送 {result.submitted} 份，草稿 {result.drafts} 份，签署意见 {result.opinions} 份；"
            f"进入评审 {result.judging} 份，已评分 {result.scores} 份。"
        )
        if result.missing:
            self.stdout.write(f"未申报单位：{'、'.join(result.missing)}")
        if result.extension_unit:
            self.stdout.write(f"延期申报：{result.extension_unit}")
        if result.open_unit:
            self.stdout.write(
                f"演示账号 leader 所在单位（{result.open_unit}）的十佳申报表仍为草稿，已延期，今天可以填完报送。"
            )
        if result.accounts:
            self.stdout.write(f"为没有单位管理员的 {result.accounts} 个单位建立了演示管理员账号（不能登录）。")
