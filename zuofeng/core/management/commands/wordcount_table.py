"""Regenerate the 字数 code point table (zuofeng/core/wordcount_table.json and its copy in wordcount.js).

Needs the dev package unicodedata2 (pinned in requirements-dev.txt): its Unicode version, not
the running Python's, decides which code point is what. `--check` fails if either file is stale.
"""

import json
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zuofeng.core.wordcount import TABLE_FILE, build_table

JS_FILE = Path(settings.BASE_DIR) / "zuofeng" / "static" / "zuofeng" / "wordcount.js"
JS_TABLE = re.compile(r"(// BEGIN TABLE[^\n]*\n).*?(\n\s*// END TABLE)", re.S)


def table_json(table: dict) -> str:
    return json.dumps(table, separators=(",", ":"))


def js_with_table(source: str, table: dict) -> str:
    if not JS_TABLE.search(source):
        raise CommandError(f"{JS_FILE} 中找不到 // BEGIN TABLE … // END TABLE 标记。")
    return JS_TABLE.sub(lambda m: f"{m.group(1)}  var TABLE = {table_json(table)};{m.group(2)}", source, count=1)


class Command(BaseCommand):
    help = "从 unicodedata2 重新生成字数统计的码位分类表（Python 与页面计数器共用）。"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只检查两个文件是否与生成结果一致")

    def handle(self, *args, check: bool, **options):
        try:
            import unicodedata2
        except ImportError as error:
            raise CommandError("需要开发依赖 unicodedata2：pip install -r requirements-dev.txt") from error
        table = build_table(unicodedata2)
        wanted = {TABLE_FILE: table_json(table) + "\n", JS_FILE: js_with_table(JS_FILE.read_text("utf-8"), table)}
        stale = [path for path, text in wanted.items() if not path.exists() or path.read_text("utf-8") != text]
        if check:
            if stale:
                raise CommandError("字数码位表已过期，请运行 manage.py wordcount_table：" + "、".join(map(str, stale)))
            self.stdout.write(f"字数码位表与 Unicode {table['unicode']} 一致。")
            return
        for path in stale:
            path.write_text(wanted[path], encoding="utf-8")
        self.stdout.write(f"已按 Unicode {table['unicode']} 生成 {len(table['starts'])} 段码位分类。")
