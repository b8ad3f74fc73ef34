from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zuofeng.accounts.models import SEPARATED_ADMIN_ROLES, Role, User
from zuofeng.accounts.services import role_assign


class Command(BaseCommand):
    help = (
        "在服务器上直接授予三员角色（系统管理员、安全管理员、审计管理员），不经网页上的两人批准；"
        "用于初次部署或三员中无人能批准时。操作记入审计日志（无操作人账号，即服务器命令行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="账号用户名")
        parser.add_argument("role", choices=sorted(str(r) for r in SEPARATED_ADMIN_ROLES), help="要授予的三员角色")

    def handle(self, *args, username: str, role: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"账号“{username}”不存在。")
        try:
            role_assign(actor=None, user=user, role=role)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(f"已授予账号“{username}”角色“{Role(role).label}”。")
