"""The body of a notice as paragraphs with their heading level (GB/T 9704-2012 7.3.3).

Structure numbers are 一、 （一） 1. （1）: the first level in 黑体, the second in 楷体, the third
and fourth in 仿宋 like the text. A paragraph is one line of the typed text; the level is read
from how it begins, so the office types the notice as it would on paper.
"""

import re
from dataclasses import dataclass

LEVELS = (
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^（[一二三四五六七八九十]+）")),
    (3, re.compile(r"^\d+[.．]")),
    (4, re.compile(r"^（\d+）")),
)
# A second-level heading ends at its first 。 (the rest of the line is text in 仿宋):
# "（一）打通“思维中梗阻”，推动思想大解放。紧扣…"
_HEAD_END = re.compile(r"^(.+?。)(.*)$")


@dataclass(frozen=True)
class Block:
    level: int  # 0 text, 1–4 headings
    text: str
    head: str = ""  # the part of a level-2 paragraph printed in 楷体; `text` is the rest


def body_blocks(body: str) -> list[Block]:
    blocks = []
    for line in (body or "").splitlines():
        line = line.strip()
        if not line:
            continue
        level = next((lvl for lvl, pattern in LEVELS if pattern.match(line)), 0)
        if level == 2:
            match = _HEAD_END.match(line)
            if match and match[2]:
                blocks.append(Block(2, match[2], head=match[1]))
                continue
        blocks.append(Block(level, "" if level == 2 else line, head=line if level == 2 else ""))
    return blocks


def opinion_body(sections: list[dict]) -> str:
    """A campaign's 实施意见 (campaign.opinion_body, sections of paragraphs and items) as typed text."""
    lines = []
    for section in sections:
        if section.get("number"):  # the preamble is a section without number or title
            lines.append(f"{section['number']}、{section['title']}")
        lines.extend(section.get("paragraphs", []))
        lines.extend(f"{item['heading']}{item['text']}" for item in section.get("items", []))
    return "\n".join(lines)
