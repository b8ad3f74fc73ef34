"""`manage.py demo_assessment`: the 审批环节多 problem across units, one clustering, one score snapshot."""

from django.core.management.base import BaseCommand

from zuofeng.assessment.demo import demo_assessment_build


class Command(BaseCommand):
    help = "生成年终考核和系统性问题的演示数据（先运行 demo_ledgers）；已有数据时不做修改。"

    def handle(self, *args, **options):
        result = demo_assessment_build()
        self.stdout.write(f"新增“审批环节多”演示问题 {result.problems} 个。")
        self.stdout.write(f"新增年终考核演示记录（纸面销号、问责决定、被采用的活动信息）{result.outcomes} 条。")
        if result.cluster_run is not None:
            self.stdout.write(f"系统性问题分析：{result.cluster_run.clusters.count()} 个。")
        if result.assessment_run is not None:
            self.stdout.write(f"考核得分已计算（截至 {result.assessment_run.cutoff.isoformat()}）。")
