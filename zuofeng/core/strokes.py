"""姓氏笔画 ordering, as official name lists use it.

Names compare by surname first, then by given name. Characters compare by stroke count, then by
the order of their strokes — first stroke 横 丨 丿 丶 乙 (一 丨 丿 丶 乙), then the second, and so on —
and a character outside the table (Latin letters, rare characters) after all known ones, by code
point. Compound surnames (欧阳, 司马, 诸葛 …) are one surname: 欧明 (surname 欧) precedes 欧阳修.
Stroke data: strokes.tsv beside this module (full stroke sequence of 6,939 characters, all of
GB 2312 level 1).
"""

from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("strokes.tsv")

_COMPOUND = (
    "欧阳司马诸葛上官东方皇甫尉迟公孙慕容长孙宇文司徒司空夏侯令狐端木西门南宫独孤万俟呼延轩辕澹台公冶宗政濮阳淳于单于太叔申屠"
    "钟离闻人赫连拓跋百里东郭南门羊舌微生公羊梁丘左丘东门第五鲜于闾丘亓官司寇子车颛孙壤驷公良漆雕乐正谷梁段干巫马公西"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND[i : i + 2] for i in range(0, len(_COMPOUND), 2))
UNKNOWN = 99  # stroke count given to characters outside the table: after every real character


@cache
def stroke_table() -> dict[str, str]:
    table = {}
    with DATA_FILE.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            char, sequence = line.rstrip("\n").split("\t")
            table[char] = sequence
    return table


def strokes(char: str) -> str:
    """The stroke sequence of one character as digits 1–5 (横竖撇点折); '' when unknown."""
    return stroke_table().get(char, "")


def char_key(char: str) -> tuple:
    sequence = strokes(char)
    if not sequence:
        return (UNKNOWN, "", ord(char))
    return (len(sequence), sequence, ord(char))


def split_surname(name: str) -> tuple[str, str]:
    name = "".join(name.split())
    if name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def name_key(name: str) -> tuple:
    """Sort key of a person's name: surname characters, then given-name characters."""
    surname, given = split_surname(name)
    return (tuple(char_key(c) for c in surname), tuple(char_key(c) for c in given))


def text_key(text: str) -> tuple:
    """Sort key of any title (a case's name): character by character."""
    return tuple(char_key(c) for c in "".join(text.split()))


def stroke_sorted(names, key=lambda item: item, surname: bool = True) -> list:
    """Sort items by the stroke order of `key(item)`; person names when `surname`, else plain titles."""
    make = name_key if surname else text_key
    return sorted(names, key=lambda item: make(key(item)))
