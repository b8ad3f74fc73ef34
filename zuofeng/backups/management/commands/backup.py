from django.core.management.base import BaseCommand, CommandError

from zuofeng.backups.services.runs import backup_take


class Command(BaseCommand):
    help = "把数据库快照、私有文件、活动定义文件和清单写成一个备份文件（系统照常使用，不阻塞写入）。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件路径，如 /var/backups/zuofeng/2018-09-30.tar")

    def handle(self, *args, path: str, **options):
        run = backup_take(path=path)
        self.stdout.write(f"已写入 {run.path}：{run.size} 字节，用时 {run.seconds} 秒。{run.message}")
        if not run.ok:
            raise CommandError(run.message)
