"""`manage.py demo_ledgers`: a realistic mid-campaign 整改清单 picture for the demo district.

Run after `load_campaign … --default` and `demo_district`. Idempotent: units that already
have a list are left alone, so a second run changes nothing.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from zuofeng.campaigns.models import Campaign
from zuofeng.rectification.demo import demo_ledgers, demo_summary


class Command(BaseCommand):
    help = "为演示区生成活动中期的整改清单（问题、措施、审核、进展、销号）；重复运行不会重复创建。"

    def add_arguments(self, parser):
        parser.add_argument("--campaign", help="活动标识（slug），默认为默认活动")

    def handle(self, *args, campaign=None, **options):
        found = Campaign.objects.filter(slug=campaign) if campaign else Campaign.objects.filter(is_default=True)
        chosen = found.first()
        if chosen is None:
            raise CommandError("未找到活动，请先运行 load_campaign <定义文件> --default。")
        if not chosen.categories.exists() or not chosen.sources.exists():
            raise CommandError(f"活动“{chosen.title}”缺少问题类别或问题来源，无法生成演示清单。")
        start = time.perf_counter()
        created = demo_ledgers(campaign=chosen)
        elapsed = time.perf_counter() - start
        if any(created.values()):
            self.stdout.write("已生成：" + "，".join(f"{k} {v}" for k, v in created.items()) + f"（{elapsed:.1f} 秒）")
        else:
            self.stdout.write("演示整改清单已存在，未作修改。")
        self.stdout.write(demo_summary(campaign=chosen))
