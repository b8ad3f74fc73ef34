"""姓氏笔画: stroke count, then strokes in the order 横竖撇点折, then the next characters."""

import random

from zuofeng.core.strokes import char_key, name_key, split_surname, stroke_sorted, strokes

# Expected order worked out by hand: stroke count, then first stroke (一丨丿丶乙), then the next strokes.
#  2 丁(横)  4 王(横) 方(点)  5 石  6 刘(点横…) 许(点折…) 孙(折)  7 李(横竖撇点折竖…) 杨(…折撇…) 吴(竖) 何(撇)
#  张(折横…) 陈(折竖…)  8 林(横) 郑(点)  9 赵(横竖横…) 胡(横竖竖…)  10 徐  11 黄(横竖竖…) 曹(横竖折…) 梁(点)
#  12 董(横竖竖撇…) 蒋(横竖竖点…) 谢(点)  14 蔡  15 潘  16 薛  17 魏
KNOWN = list("丁王方石刘许孙李杨吴何张陈林郑赵胡徐黄曹梁董蒋谢蔡潘薛魏")


def test_stroke_order_of_known_surnames_exact():
    shuffled = KNOWN[:]
    random.Random(4).shuffle(shuffled)
    assert stroke_sorted(shuffled) == KNOWN


def test_stroke_sequences_of_sample_characters():
    assert [strokes(c) for c in "丁王方孙张"] == ["12", "1121", "4153", "521234", "5153154"]


def test_same_surname_ordered_by_given_name():
    assert stroke_sorted(["王五", "王二", "王大山", "丁一"]) == ["丁一", "王二", "王大山", "王五"]


def test_compound_surname_sorted_as_one_surname():
    assert split_surname("欧阳修") == ("欧阳", "修")
    assert split_surname("欧明") == ("欧", "明")
    assert stroke_sorted(["欧阳修", "欧明", "司马光", "司空图", "诸葛亮", "王五"]) == [
        "王五",
        "司马光",
        "司空图",
        "欧明",
        "欧阳修",
        "诸葛亮",
    ]


def test_unknown_characters_sort_after_known_ones():
    assert char_key("A")[0] == 99
    assert stroke_sorted(["Anna", "魏明"]) == ["魏明", "Anna"]


def test_spaces_in_names_are_ignored():
    assert name_key("王  五") == name_key("王五")


def test_stroke_data_covers_gb2312_level_1():
    level_1 = [
        bytes([a, b]).decode("gb2312") for a in range(0xB0, 0xD8) for b in range(0xA1, 0xFF) if (a, b) < (0xD7, 0xFA)
    ]
    assert len(level_1) == 3755
    assert [c for c in level_1 if not strokes(c)] == []


def test_text_titles_sorted_character_by_character():
    assert stroke_sorted(["一窗通办", "不见面审批", "马上办"], surname=False) == ["一窗通办", "马上办", "不见面审批"]
