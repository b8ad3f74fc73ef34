"""`manage.py rollups_rebuild`: recount the dashboard roll-ups from the measures and problems.

For repair only: triggers keep the roll-ups exact on every write. Writers wait while it runs.
"""

from django.core.management.base import BaseCommand

from zuofeng.core import clock
from zuofeng.rectification.services.rollups import rollups_advance, rollups_rebuild


class Command(BaseCommand):
    help = "重新统计整改工作看板的汇总数（修复用；平时由数据库触发器随每次写入维护）。"

    def handle(self, *args, **options) -> None:
        rollups_advance(today=clock.today())
        rows = rollups_rebuild()
        self.stdout.write(
            f"已重新统计看板汇总：单位 {rows['unit']} 行，销号周 {rows['closure']} 行，问题 {rows['problem']} 行。"
        )
