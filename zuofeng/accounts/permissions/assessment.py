"""年终考核 and 系统性问题: the office computes, adjusts, answers and publishes; a unit's administrator
sees its own score (and those of the units it reviews) and raises 异议; nobody else sees scores.

Before the office publishes a run, a unit sees only its own score; after, the ranking of its kind
(totals, ranks, grades) too — never another unit's items. Judges, inspectors, clerks and the three
administrators see nothing here.
"""

from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions.units import can_see_unit, leads_unit
from zuofeng.accounts.roles import has_role

OFFICE = frozenset({Role.OFFICE})
SCORE_READERS = frozenset({Role.OFFICE, Role.UNIT_LEADER})


def _sees_score(user, score) -> bool:
    return has_role(user, Role.OFFICE) or can_see_unit(user, score.unit)


def _sees_ranking(user, run) -> bool:
    return has_role(user, Role.OFFICE) or run.published_at is not None


ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "assessment.view": SCORE_READERS,
    "assessment.ranking": SCORE_READERS,
    "assessment.object": frozenset({Role.UNIT_LEADER}),
    "assessment.compute": OFFICE,
    "assessment.adjust": OFFICE,
    "assessment.answer": OFFICE,
    "assessment.publish": OFFICE,
    "assessment.export": OFFICE,
    "cluster.view": OFFICE,
    "cluster.manage": OFFICE,
}

OBJECT_RULES = {
    "assessment.view": _sees_score,
    "assessment.ranking": _sees_ranking,
    # only the unit itself disputes its score, not a unit that reviews it
    "assessment.object": lambda user, score: leads_unit(user, score.unit),
}
