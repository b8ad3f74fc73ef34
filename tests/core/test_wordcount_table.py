"""The 字数 code point table: generated from the pinned Unicode database, the same in Python and in
wordcount.js, independent of the running Python's Unicode tables."""

import itertools
import json
import re
from pathlib import Path

import pytest
import unicodedata2
from django.core.management import call_command

from zuofeng.core import wordcount
from zuofeng.core.wordcount import ALNUM, BREAK, NOTHING, SINGLE, class_of, classify, word_count

JS_FILE = Path(wordcount.__file__).parents[1] / "static" / "zuofeng" / "wordcount.js"


def js_table() -> dict:
    match = re.search(
        r"// BEGIN TABLE[^\n]*\n\s*var TABLE = (\{.*?\});\n\s*// END TABLE", JS_FILE.read_text("utf-8"), re.S
    )
    return json.loads(match.group(1))


def test_table_files_are_up_to_date_with_the_pinned_unicode_version(capsys):
    call_command("wordcount_table", "--check")
    assert capsys.readouterr().out.strip() == f"字数码位表与 Unicode {unicodedata2.unidata_version} 一致。"


def test_browser_counter_carries_the_same_table_as_the_server():
    data = json.loads(wordcount.TABLE_FILE.read_text("utf-8"))
    assert js_table() == data
    assert data["unicode"] == "18.0.0"


def test_table_runs_start_at_zero_and_alternate():
    starts, kinds = wordcount.table()
    assert starts[0] == 0 and starts == sorted(set(starts)) and len(starts) == len(kinds)
    assert set(kinds) == {BREAK, SINGLE, ALNUM, NOTHING}
    assert all(a != b for a, b in itertools.pairwise(kinds))


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("🫨", 1),  # U+1FAE8 shaking face, Unicode 15
        ("🩷", 1),  # U+1FA77 pink heart, Unicode 15
        ("🫩", 1),  # U+1FAE9 face with bags under eyes, Unicode 16
        ("作风" * 250 + "🫩", 501),
        ("\U0001faff", 1),  # not yet assigned, in the emoji blocks: tomorrow's emoji count too
        ("\U00031350", 1),  # CJK extension H
        ("\U000e0001", 0),  # language tag
    ],
)
def test_characters_newer_than_python_count_as_in_the_browser(text, count):
    assert word_count(text) == count


def test_lookup_agrees_with_the_rule_on_every_code_point():
    starts, kinds = wordcount.table()
    ends = [*starts[1:], 0x110000]
    expanded = "".join(kind * (end - start) for start, end, kind in zip(starts, ends, kinds, strict=True))
    assert len(expanded) == 0x110000
    assert [cp for cp in range(0, 0x110000, 97) if expanded[cp] != classify(cp, unicodedata2)] == []
    assert [class_of(cp) for cp in (0x20, 0x3000, 0x4E2D, 0x41, 0x301, 0x2C)] == ["B", "B", "S", "A", "N", "N"]
