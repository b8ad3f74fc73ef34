from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zuofeng.accounts.models import User
from zuofeng.api.services import api_token_create


class Command(BaseCommand):
    help = "为账号创建接口令牌，令牌原文只显示这一次。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="账号用户名")
        parser.add_argument("--name", required=True, help="用途，例如“数据大屏读取”")

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"账号“{username}”不存在。")
        try:
            issued = api_token_create(actor=None, user=user, name=name)
        except ValidationError as error:
            raise CommandError("；".join(error.messages))
        self.stderr.write(f"已为账号“{username}”创建令牌“{issued.token.name}”。请立即保存，它不会再次显示：")
        # The token alone on stdout, so a deploy script can capture it with $(...).
        self.stdout.write(issued.raw)
