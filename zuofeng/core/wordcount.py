"""字数 counted the way Word counts a Chinese document, so "500字以内" means what the unit's Word shows.

Rules (the browser counter zuofeng/static/zuofeng/wordcount.js applies the same table; both are
tested on tests/data/wordcount_cases.json and on every code point in Chromium):

* every CJK character counts 1: the CJK Unified Ideographs and all their extensions, the
  compatibility ideographs, radicals, kana, Hangul, bopomofo;
* every full-width punctuation mark or sign counts 1: CJK Symbols and Punctuation (、。《》【】),
  the full-width forms FF01–FF60 and FFE0–FFE6, the Chinese quotes and dashes of General
  Punctuation (“”‘’…—), the 间隔号 ·, circled numbers (①);
* full-width letters and digits (ＧＤＰ２０１８) count 1 each, as Word counts every
  double-byte character on its own;
* every other symbol character (emoji, ★, ©) counts 1 per code point, and so does every code
  point of the emoji blocks not yet assigned (tomorrow's emoji); emoji modifiers, joiners and
  variation selectors count nothing, so 👍🏻 is 1 and the family 👨‍👩‍👧 is 3; a flag is 2;
* a run of anything else between whitespace and the characters above counts 1 if it contains a
  letter or digit: "2018", "GDP", "GDP2018", "3.5", "e.g." are 1 each;
* whitespace (including the full-width space U+3000 and line breaks) and half-width punctuation
  on its own count nothing.

Which code point is which does not come from the running Python's or browser's Unicode tables
(they lag: Python 3.11 knows Unicode 14, Chromium 16 and later, so 🫨 counted 0 on the server and 1
in the page). `manage.py wordcount_table` classifies every code point once, from the pinned
Unicode database of the `unicodedata2` package, into wordcount_table.json, and writes the same
table into wordcount.js; at run time both only look code points up in it.
"""

import bisect
import json
from functools import cache
from pathlib import Path

TABLE_FILE = Path(__file__).resolve().parent / "wordcount_table.json"

# The four classes of the table. Punctuation that is not full-width and the ignored marks are one
# class: neither starts a word nor ends one, and neither makes a run count.
BREAK, SINGLE, ALNUM, NOTHING = "B", "S", "A", "N"

# Code point ranges counted one by one (inclusive).
SINGLE_RANGES = (
    (0x00B7, 0x00B7),  # 间隔号 ·
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2010, 0x2027),  # ‐ – — ‘ ’ “ ” … and friends
    (0x2030, 0x205E),  # ‰ ′ ″ ※
    (0x2460, 0x24FF),  # ① ⑴ ⒈
    (0x2E80, 0x2FFF),  # radicals, Kangxi radicals, ideographic description
    (0x3001, 0x303F),  # CJK symbols and punctuation, except the ideographic space U+3000
    (0x3040, 0x33FF),  # kana, bopomofo, Hangul compatibility jamo, strokes, enclosed CJK, CJK compatibility
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4DC0, 0x9FFF),  # Yijing symbols, CJK Unified Ideographs
    (0xA960, 0xA97F),  # Hangul Jamo extended A
    (0xAC00, 0xD7FF),  # Hangul syllables, Jamo extended B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE6F),  # CJK compatibility forms, small form variants
    (0xFF01, 0xFF60),  # full-width forms (punctuation, letters, digits)
    (0xFF61, 0xFFDC),  # half-width CJK punctuation, katakana, Hangul
    (0xFFE0, 0xFFE6),  # full-width signs ￥ ￠
    (0x1F200, 0x1F2FF),  # enclosed ideographic supplement
    (0x20000, 0x3FFFF),  # CJK extensions B–H and the compatibility supplement
)
EMOJI_BLOCKS = (0x1F000, 0x1FBFF)  # mahjong … symbols for legacy computing: unassigned ones count 1
WHITESPACE = frozenset("\t\n\x0b\x0c\r\x85")
MAX_CODE_POINT = 0x10FFFF


_SINGLE_LOWS = [low for low, _ in SINGLE_RANGES]


def _in_single_ranges(cp: int) -> bool:
    i = bisect.bisect_right(_SINGLE_LOWS, cp) - 1
    return i >= 0 and cp <= SINGLE_RANGES[i][1]


def classify(cp: int, unicode_db) -> str:
    """The class of one code point under the rules above, from a Unicode database module."""
    ch = chr(cp)
    category = unicode_db.category(ch)
    if ch in WHITESPACE or category in ("Zs", "Zl", "Zp"):
        return BREAK
    if category == "So" or _in_single_ranges(cp):
        return SINGLE
    if category == "Cn" and EMOJI_BLOCKS[0] <= cp <= EMOJI_BLOCKS[1]:
        return SINGLE
    if category[0] in "LN":
        return ALNUM
    return NOTHING  # combining marks, joiners, selectors, controls, surrogates, half-width punctuation


def build_table(unicode_db) -> dict:
    """Every code point's class as runs: starts[i] begins a run of class kinds[i]."""
    starts, kinds = [], []
    for cp in range(MAX_CODE_POINT + 1):
        kind = classify(cp, unicode_db)
        if not kinds or kinds[-1] != kind:
            starts.append(cp)
            kinds.append(kind)
    return {"unicode": unicode_db.unidata_version, "starts": starts, "kinds": "".join(kinds)}


@cache
def table() -> tuple[list[int], str]:
    data = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    return data["starts"], data["kinds"]


def class_of(cp: int) -> str:
    starts, kinds = table()
    return kinds[bisect.bisect_right(starts, cp) - 1]


def word_count(text: str) -> int:
    starts, kinds = table()
    find = bisect.bisect_right
    count = 0
    has_alnum = False  # inside a run that will count once it ends
    for ch in text or "":
        kind = kinds[find(starts, ord(ch)) - 1]
        if kind == ALNUM:
            has_alnum = True
        elif kind != NOTHING:  # a break or a single character ends the run
            count += has_alnum + (kind == SINGLE)
            has_alnum = False
    return count + has_alnum
