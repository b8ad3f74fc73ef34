"""`manage.py demo_projects`: demo 攻坚 projects, initiatives and post activities (after demo_district,
load_campaign and demo_nominations)."""

from django.core.management.base import BaseCommand, CommandError

from zuofeng.projects.demo import demo_projects_build


class Command(BaseCommand):
    help = "为默认专项活动生成演示攻坚项目、创新举措和岗位建功活动；已有攻坚项目时不做任何修改。"

    def handle(self, *args, **options):
        result = demo_projects_build()
        if not result.projects:
            from zuofeng.campaigns.models import Campaign

            if not Campaign.objects.filter(is_default=True).exists():
                raise CommandError("尚未载入默认专项活动，请先运行 load_campaign … --default。")
            self.stdout.write("默认专项活动已有攻坚项目（或缺少作风办账号），未作修改。")
            return
        self.stdout.write(
            f"演示攻坚项目已生成：{result.projects} 个（审核通过 {result.approved} 个），节点进展 {result.reports} 条；"
            f"创新举措 {result.initiatives} 项（推广 {result.promoted} 项，借鉴 {result.adoptions} 次）；"
            f"岗位建功活动 {result.activities} 次。"
        )
