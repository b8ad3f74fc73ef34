from django.core.management.base import BaseCommand, CommandError

from zuofeng.campaigns.loader import CampaignFileError
from zuofeng.campaigns.services import campaign_load


class Command(BaseCommand):
    help = "载入（或重新载入）专项活动定义文件，如 campaigns/wujin-2018.yaml。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="定义文件路径")
        parser.add_argument(
            "--year", type=int, help="把活动的所有日期平移到该年（按与文件中 year 的差值整年平移），演示用"
        )
        parser.add_argument("--default", action="store_true", help="设为默认活动")

    def handle(self, *args, path, year, default, **options):
        if year is not None and not 2000 <= year <= 2100:
            raise CommandError("--year 须在 2000 到 2100 之间")
        try:
            result = campaign_load(path=path, year=year, make_default=default)
        except CampaignFileError as error:
            raise CommandError("定义文件未载入，数据库未作任何修改：\n" + "\n".join(error.messages))
        style = self.style.SUCCESS if result.changed else self.style.NOTICE
        for line in result.summary():
            self.stdout.write(style(line))
