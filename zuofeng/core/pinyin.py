"""Pinyin initials of a person's name, so a typeahead finds 张三 by typing "zs".

A surname read differently from the character's common reading (曾 zēng, not céng; 单 shàn, not
dān) would make the clerk type letters nobody says aloud, so surnames use their surname reading.
"""

from pypinyin import Style, lazy_pinyin

from zuofeng.core.strokes import split_surname

# Surname readings that differ from the everyday reading pypinyin gives first (initial letters).
SURNAME_INITIALS = {
    "曾": "z", "单": "s", "解": "x", "仇": "q", "朴": "p", "查": "z", "区": "o", "乐": "y", "覃": "q",
    "翟": "z", "盖": "g", "缪": "m", "尉迟": "yc", "万俟": "mq", "长孙": "zs", "秘": "b", "黑": "h",
}  # fmt: skip


def _letters(text: str) -> str:
    """First letter of each character's reading; a run of other characters counts as one word."""
    return "".join(s[0] for s in lazy_pinyin(text, style=Style.FIRST_LETTER) if s).lower()


def name_initials(name: str) -> str:
    """'张三' → 'zs', '曾国藩' → 'zgf', '欧阳修' → 'oyx'; '' for an empty name."""
    name = "".join((name or "").split())
    if not name:
        return ""
    surname, given = split_surname(name)
    head = SURNAME_INITIALS.get(surname) or _letters(surname)
    return (head + _letters(given))[:20]


def text_initials(text: str) -> str:
    """'区财政局' → 'qczj': the first letter of every character's everyday reading (unit names)."""
    return _letters("".join((text or "").split()))
