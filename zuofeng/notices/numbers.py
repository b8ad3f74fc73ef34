"""发文字号: 机关代字〔年份〕序号号 — parsing what people type and taking the next number.

GB/T 9704-2012 7.2.4: the year in full in 六角括号 〔〕, the number without 第 and without leading
zeros. People type 【】, [] or () for 〔〕 and 第02号; `doc_number_parse` says what is wrong in Chinese
instead of quietly fixing a number that would then differ from the paper.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zuofeng.notices.models import DocNumberSequence, Notice

_PATTERN = re.compile(r"^(?P<prefix>[^〔〕\d\s]{1,30})〔(?P<year>\d{4})〕(?P<number>[1-9]\d{0,5})号$")


def doc_number_parse(text: str) -> tuple[str, int, int]:
    """武作组办〔2018〕2号 → ("武作组办", 2018, 2); a Chinese ValidationError naming the mistake."""
    text = (text or "").strip()
    if "第" in text:
        raise ValidationError("发文字号不加“第”字，例如：武作组办〔2018〕2号。")
    if any(bracket in text for bracket in "【】[]()（）"):
        raise ValidationError("年份用六角括号〔〕括入，例如：武作组办〔2018〕2号。")
    if re.search(r"〕0\d*号$", text):
        raise ValidationError("序号不编虚位，1 不写作 01 或 001。")
    match = _PATTERN.match(text)
    if match is None:
        raise ValidationError("发文字号的格式为“机关代字〔年份〕序号号”，例如：武作组办〔2018〕2号。")
    return match["prefix"], int(match["year"]), int(match["number"])


def _locked_sequence(prefix: str, year: int) -> DocNumberSequence:
    try:
        with transaction.atomic():
            DocNumberSequence.objects.create(prefix=prefix, year=year)
    except IntegrityError:
        pass  # another transaction created it; the lock below waits for it
    return DocNumberSequence.objects.select_for_update().get(prefix=prefix, year=year)


def doc_number_take(*, prefix: str, year: int, number: int | None = None, exclude_pk: int | None = None) -> int:
    """The number a notice is issued under; call inside the issuing transaction.

    Without `number`, the next one after the highest ever given out for this 机关代字 and year,
    skipping numbers a draft has typed. With `number` (typed by the office, e.g. a document
    numbered on paper), it must be free; the sequence moves past it so it is never given again.
    The sequence row is locked until the transaction ends, so two issues never get the same
    number; the unique constraint on Notice is the last guard.
    """
    sequence = _locked_sequence(prefix, year)
    taken = Notice.objects.filter(number_prefix=prefix, number_year=year)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if number is None:
        number = sequence.last + 1
        while taken.filter(number=number).exists():
            number += 1
    elif taken.filter(number=number).exists():
        raise ValidationError(
            {"number": f"发文字号 {prefix}〔{year}〕{number}号 已被使用，请换一个序号或留空自动编号。"}
        )
    if number > sequence.last:
        sequence.last = number
        sequence.save(update_fields=["last"])
    return number
