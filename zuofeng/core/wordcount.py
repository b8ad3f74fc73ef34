"""字数 counted the way Word counts a Chinese document, so "500字以内" means what the unit's Word shows.

Rules (kept identical in zuofeng/static/zuofeng/wordcount.js; both are tested on
tests/data/wordcount_cases.json):

* every CJK character counts 1: the CJK Unified Ideographs and all their extensions, the
  compatibility ideographs, radicals, kana, Hangul, bopomofo;
* every full-width punctuation mark or sign counts 1: CJK Symbols and Punctuation (、。《》【】),
  the full-width forms FF01–FF60 and FFE0–FFE6, the Chinese quotes and dashes of General
  Punctuation (“”‘’…—), the 间隔号 ·, circled numbers (①);
* full-width letters and digits (ＧＤＰ２０１８) count 1 each, as Word counts every
  double-byte character on its own;
* every other symbol character (emoji, ★, ©) counts 1 per code point; emoji modifiers, joiners
  and variation selectors count nothing, so 👍🏻 is 1 and the family 👨‍👩‍👧 is 3; a flag is 2;
* a run of anything else between whitespace and the characters above counts 1 if it contains a
  letter or digit: "2018", "GDP", "GDP2018", "3.5", "e.g." are 1 each;
* whitespace (including the full-width space U+3000 and line breaks) and half-width punctuation
  on its own count nothing.
"""

import unicodedata

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
WHITESPACE = frozenset("\t\n\x0b\x0c\r\x85")


def _single(cp: int) -> bool:
    for low, high in SINGLE_RANGES:
        if cp < low:
            return False
        if cp <= high:
            return True
    return False


def word_count(text: str) -> int:
    count = 0
    in_run = has_alnum = False
    for ch in text or "":
        cp = ord(ch)
        category = unicodedata.category(ch)
        if ch in WHITESPACE or category in ("Zs", "Zl", "Zp"):
            kind = "break"
        elif _single(cp) or category == "So":
            kind = "single"
        elif category[0] == "M" or category in ("Cf", "Cc", "Cs", "Sk"):
            continue  # joiners, selectors, skin tones, combining marks: part of what they follow
        else:
            in_run = True
            has_alnum = has_alnum or category[0] in "LN"
            continue
        if in_run and has_alnum:
            count += 1
        in_run = has_alnum = False
        if kind == "single":
            count += 1
    if in_run and has_alnum:
        count += 1
    return count
