"""The arithmetic of a score, with no database: item limits, group weights, ranks, grades.

* An item's points are held between its floor and its cap (cap defaults to its full points).
* A group's points are the sum of its items, held between the group's floor and its full marks, where
  full marks are the positive points of its items that count: a skipped item (来源尚未启用) leaves the
  full marks, so a missing source never costs a unit anything.
* Total = 100 × Σ(weight × group points ÷ full) ÷ Σ(weight of groups with full marks) + bonus groups
  (each up to its weight). A group whose every item is skipped drops out and the rest scale to 100.
* Ranks are competition ranks within a ranking (90, 90, 85 → 1, 1, 3); equal totals are tied.
* Grades go from the highest; a grade with a share cap (优秀 ≤ 30 %) is given in rank order while the
  whole tie still fits, so tied units always get the same grade.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from zuofeng.campaigns.schema import GradeDef, RubricDef, RubricGroupDef, RubricItemDef

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def q(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def item_cap(item: RubricItemDef) -> Decimal | None:
    if item.cap is not None:
        return q(item.cap)
    return q(item.points) if item.points > 0 else None


def item_clamp(item: RubricItemDef, raw: Decimal) -> Decimal:
    cap = item_cap(item)
    if cap is not None and raw > cap:
        raw = cap
    if item.floor is not None and raw < q(item.floor):
        raw = q(item.floor)
    return q(raw)


def item_full(item: RubricItemDef) -> Decimal:
    """What the item adds to its group's full marks."""
    cap = item_cap(item)
    return cap if cap is not None and cap > 0 else Decimal(0)


@dataclass
class ItemValue:
    key: str
    points: Decimal | None  # None: skipped, or a hand item not scored yet
    skipped: bool = False


def group_score(group: RubricGroupDef, values: dict[str, ItemValue]) -> tuple[Decimal, Decimal]:
    """(points, full marks) of a group."""
    full = Decimal(0)
    points = Decimal(0)
    for item in group.items:
        value = values.get(item.key)
        if value is None or value.skipped:
            continue
        full += item_full(item)
        points += value.points or Decimal(0)
    if group.bonus:
        full = q(group.weight)
    points = min(max(points, q(group.floor)), full)
    return q(points), q(full)


def total_score(rubric: RubricDef, values: dict[str, ItemValue]) -> Decimal:
    weighted = Decimal(0)
    weights = Decimal(0)
    bonus = Decimal(0)
    for group in rubric.groups:
        points, full = group_score(group, values)
        if group.bonus:
            bonus += points
        elif full > 0:
            weighted += Decimal(group.weight) * points / full
            weights += Decimal(group.weight)
    base = HUNDRED * weighted / weights if weights else Decimal(0)
    return q(base + bonus)


@dataclass
class Placed:
    key: object
    total: Decimal
    rank: int = 0
    tied: bool = False
    grade: str = ""


def rank_and_grade(entries: list[Placed], grades: list[GradeDef]) -> list[Placed]:
    """Competition ranks and grades for one ranking; returns the entries best first."""
    ordered = sorted(entries, key=lambda e: -e.total)
    counts: dict[Decimal, int] = {}
    for e in ordered:
        counts[e.total] = counts.get(e.total, 0) + 1
    for i, e in enumerate(ordered):
        e.rank = 1 + sum(1 for other in ordered[:i] if other.total > e.total)
        e.tied = counts[e.total] > 1
        e.grade = ""
    n = len(ordered)
    for grade in grades:
        allowed = n if grade.max_share is None else n * grade.max_share // 100
        given = 0
        closed = False
        # walk tie groups (same total) in rank order among the still ungraded
        groups: dict[Decimal, list[Placed]] = {}
        for e in ordered:
            if not e.grade:
                groups.setdefault(e.total, []).append(e)
        for total, tie in groups.items():
            if closed or total < q(grade.min_score):
                break
            if given + len(tie) > allowed:
                closed = True  # the share is full; a tie is never split
                break
            for e in tie:
                e.grade = grade.name
            given += len(tie)
    return ordered
