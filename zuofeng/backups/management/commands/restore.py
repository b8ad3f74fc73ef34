from django.core.management.base import BaseCommand, CommandError

from zuofeng.backups.services.restore import RestoreRefused, backup_restore


class Command(BaseCommand):
    help = (
        "把备份文件恢复到空数据库和空的私有文件目录，然后核对：各表行数、每个文件的 SHA-256、审计链及链头。"
        "数据库种类不同（如 SQLite 备份恢复到 PostgreSQL）时自动按行数据恢复。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="backup 命令写出的备份文件")
        parser.add_argument("--portable", action="store_true", help="即使数据库种类相同，也按行数据恢复")

    def handle(self, *args, path: str, portable: bool, **options):
        try:
            report = backup_restore(path, portable=portable)
        except RestoreRefused as error:
            raise CommandError(str(error)) from error
        how = "原生快照" if report.path == "native" else "行数据（跨数据库）"
        self.stdout.write(f"已按{how}恢复 {report.tables} 张表 {report.rows} 行、{report.files} 个文件。")
        if not report.ok:
            raise CommandError("恢复后核对不一致：\n" + "\n".join(report.problems))
        self.stdout.write("核对通过：各表行数、文件哈希与备份清单一致，审计链完整且链头与清单相同。")
