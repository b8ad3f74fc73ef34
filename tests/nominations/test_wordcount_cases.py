"""The server's 字数 on the shared case table (the browser counter is checked on the same table)."""

import json
from pathlib import Path

import pytest

from zuofeng.core.wordcount import word_count

CASES = json.loads((Path(__file__).parents[1] / "data" / "wordcount_cases.json").read_text(encoding="utf-8"))


def test_wordcount_case_table_has_forty_cases_or_more():
    assert len(CASES) >= 40
    assert len({c["name"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_wordcount_case(case):
    assert word_count(case["text"]) == case["count"]


def test_wordcount_none_is_zero():
    assert word_count(None) == 0


def test_wordcount_five_hundred_chinese_characters_is_five_hundred():
    assert word_count("作风" * 250) == 500
    assert word_count("作风" * 250 + "。") == 501


def test_wordcount_lone_surrogate_is_ignored():
    assert word_count("好\ud800好") == 2
