"""`manage.py demo_complaints`: demo 群众反映 for the default campaign (after demo_district and load_campaign)."""

from django.core.management.base import BaseCommand, CommandError

from zuofeng.complaints.demo import demo_complaints_build


class Command(BaseCommand):
    help = "为默认专项活动生成演示群众反映（先运行 demo_district 和 load_campaign）；已生成的不重复生成。"

    def handle(self, *args, **options):
        result = demo_complaints_build()
        if result.created == 0:
            from zuofeng.campaigns.models import Campaign

            if not Campaign.objects.filter(is_default=True).exists():
                raise CommandError("尚未载入默认专项活动，请先运行 load_campaign … --default。")
            self.stdout.write("演示群众反映已存在（或缺少作风办、leader 演示账号），未作修改。")
            return
        self.stdout.write(
            f"演示群众反映已生成：{result.created} 件，办理步骤 {result.moved} 步；满意度测评 {result.answers} 份。"
        )
