"""The daily job: refresh lights; send deadline, review-waiting and nomination-deadline reminders;
fail interrupted export jobs, delete old export files; verify and anchor the audit chain.

Run daily at 08:00 by a systemd timer; `--enqueue` hands it to db_worker instead.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from zuofeng.reminders.daily import daily_jobs, daily_jobs_run


class Command(BaseCommand):
    help = (
        "刷新红黄绿灯，发送整改到期、逾期、待审核提醒和评优申报截止提醒，清理中断和过期的导出任务，"
        "校验审计链并写入锚点（每天运行一次，重复运行不会重复发送提醒）"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期运行（YYYY-MM-DD），默认今天")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务（db_worker）执行")

    def handle(self, *args, date=None, enqueue=False, **options):
        try:
            day = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"日期“{date}”格式不正确，应为 YYYY-MM-DD。")
        if enqueue:
            result = daily_jobs.enqueue(day.isoformat() if day else None)
            self.stdout.write(f"已加入后台任务队列：{result.id}")
            return
        counts = daily_jobs_run(today=day)
        self.stdout.write(
            f"亮灯变化 {counts['lights_changed']} 项；到期/逾期提醒 {counts['deadline_reminders']} 条；"
            f"待审核提醒 {counts['review_reminders']} 条；评优申报截止提醒 {counts['nomination_reminders']} 条；"
            f"攻坚项目节点提醒 {counts['project_reminders']} 条；"
            f"中断的导出任务 {counts['jobs_failed']} 个；过期删除的导出文件 {counts['files_expired']} 个；"
            f"审计链{'完整，已写入锚点' if counts['audit_ok'] else '校验失败，已提醒审计管理员'}。"
        )
