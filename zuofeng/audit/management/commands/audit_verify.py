from django.core.management.base import BaseCommand

from zuofeng.audit.verify import audit_verify


class Command(BaseCommand):
    help = "校验审计日志哈希链，报告第一处断点；链条不完整时以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000, help="每批读取的记录数")

    def handle(self, *args, batch_size: int, **options):
        result = audit_verify(batch_size=batch_size)
        if not result.ok:
            self.stderr.write(result.message)
            raise SystemExit(1)
        self.stdout.write(result.message)
