"""`manage.py demo_supervision`: a demo inspection round with findings and a 回头看 (after demo_ledgers)."""

from django.core.management.base import BaseCommand, CommandError

from zuofeng.supervision.demo import demo_supervision_build


class Command(BaseCommand):
    help = "生成演示专项督查和回头看（先运行 demo_district、load_campaign 和 demo_ledgers）；已有时不重复生成。"

    def handle(self, *args, **options):
        result = demo_supervision_build()
        if result is None:
            raise CommandError(
                "缺少默认专项活动、作风办账号、督查员账号或区财政局预算科，请先运行 demo_district 和 load_campaign。"
            )
        if result.round_created:
            self.stdout.write(
                f"演示专项督查已生成：督查发现 {result.findings} 条，已确认转入整改清单 {result.confirmed} 条。"
            )
        else:
            self.stdout.write("演示专项督查已存在，未作修改。")
        if result.recheck_items:
            self.stdout.write(f"回头看已抽取 {result.recheck_items} 件已销号措施。")
        if result.line_links:
            self.stdout.write(f"条线关系：区财政局 → {result.line_links} 个镇经济发展局。")
        if result.case:
            self.stdout.write("问责案件 1 件（区财政局预算科）。")
        if result.report:
            self.stdout.write("区财政局已报送自查自纠报告。")
