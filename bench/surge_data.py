"""The surge's people and their work, rebuilt fresh for every run, and the check of the database afterwards.

For N virtual users (N/10 reviewers, N/5 unit administrators, the rest section clerks):
  - reviewing departments 冲刺部门k (codes SGkkk), each with two unit leaders (分管领导) who review the lists
    of its sections, so two reviewers race for the same list;
  - one section per clerk (SGkkkSss), with its own draft list (整改清单) of 3 problems × 2 measures;
  - nominating units 冲刺申报单位k (SNkkk), each with two unit administrators, and an award 冲刺服务明星
    that closes tomorrow with a quota of 1 per unit, so both administrators race for the one slot.
Accounts have unusable passwords: the sessions are made directly, as bench/serve.py does (a PBKDF2 login
per user would measure the password hasher, not the deadline day).
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from zuofeng.accounts.models import Role, RoleAssignment, User
from zuofeng.campaigns.models import Award, Campaign
from zuofeng.core import clock
from zuofeng.organisation.models import Unit, UnitKind
from zuofeng.organisation.services import ORDER_WIDTH
from zuofeng.rectification.models import Ledger, LedgerEvent, LedgerState, Measure, Problem
from zuofeng.rectification.services.ledger import problem_import_key
from zuofeng.rectification.services.search import bigrams

AWARD_KEY = "surge-star"
PROBLEMS, MEASURES = 3, 2


@dataclass
class Clerk:
    username: str
    ledger: int
    measures: list[int]


@dataclass
class Plan:
    award: int
    clerks: list[Clerk] = field(default_factory=list)
    reviewers: list[str] = field(default_factory=list)
    leaders: list[tuple[str, int]] = field(default_factory=list)  # (username, unit id)

    @property
    def usernames(self) -> list[str]:
        return [c.username for c in self.clerks] + self.reviewers + [u for u, _ in self.leaders]


def _split(users: int) -> tuple[int, int, int]:
    reviewers = max(2, users // 10 // 2 * 2)
    leaders = max(2, users // 5 // 2 * 2)
    return reviewers, leaders, users - reviewers - leaders


def _unit(code: str, name: str, kind: str, order: int, parent: Unit | None = None) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        depth = parent.depth + 1 if parent else 0
        unit = Unit.objects.create(code=code, name=name, kind=kind, parent=parent, order=order, depth=depth)
        unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
        unit.sort_key = f"{parent.sort_key + '.' if parent else ''}{str(order).zfill(ORDER_WIDTH)}"
        unit.save(update_fields=["path", "sort_key"])
    return unit


def _account(username: str, role: str, unit: Unit) -> str:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username)
        user.set_unusable_password()
        user.save()
        RoleAssignment.objects.create(user=user, role=role, unit=unit)
    return username


def _award(campaign: Campaign) -> Award:
    """A copy of 十佳优秀服务明星 that closes tomorrow: the surge is the last day before the deadline."""
    award = Award.objects.filter(campaign=campaign, key=AWARD_KEY).first()
    if award is None:
        award = Award.objects.get(campaign=campaign, key="service-star")
        award.pk, award.key, award.name, award.order = None, AWARD_KEY, "冲刺服务明星", 900
        award.save()
    award.quota_min, award.quota_max, award.is_active = 0, 1, True
    award.opens_on = clock.today() - dt.timedelta(days=30)
    award.deadline = clock.now() + dt.timedelta(days=1)
    award.save()
    return award


def _draft_ledger(campaign: Campaign, unit: Unit, categories, source) -> Clerk:
    today = clock.today()
    ledger = Ledger.objects.create(campaign=campaign, unit=unit, state=LedgerState.DRAFT)
    ids = []
    for p in range(1, PROBLEMS + 1):
        text = f"窗口服务推诿扯皮，群众办事多头跑（{unit.name}第{p}项）"
        category = categories[p % len(categories)]
        found_on = today - dt.timedelta(days=10)
        problem = Problem(ledger=ledger, unit=unit, order=p, category=category, source=source, description=text,
                          found_on=found_on, search_bigrams=bigrams(text))  # fmt: skip
        problem.import_key = problem_import_key(problem)
        problem.save()
        for m in range(1, MEASURES + 1):
            measure_text = f"实行首问负责制，第{m}条措施"
            measure = Measure.objects.create(
                problem=problem, unit=unit, campaign=campaign, order=m, text=measure_text, standard="一次办结率95%",
                responsible_leader="张副局长", responsible_name="李四", starts_on=today - dt.timedelta(days=5),
                deadline=today + dt.timedelta(days=30), search_bigrams=bigrams(measure_text, "一次办结率95%"),
            )  # fmt: skip
            ids.append(measure.pk)
    return Clerk(username="", ledger=ledger.pk, measures=ids)


def build(users: int) -> Plan:
    """Accounts and units (kept between runs), fresh draft lists and no nominations (rebuilt every run)."""
    from zuofeng.nominations.models import Nomination

    campaign = Campaign.objects.get(is_default=True)
    categories = list(campaign.categories.all())
    source = campaign.sources.order_by("order").first()
    reviewers, leaders, clerks = _split(users)
    departments = reviewers // 2
    per_department = -(-clerks // departments)
    with transaction.atomic():
        award = _award(campaign)
        Nomination.objects.filter(award=award).delete()
        Ledger.objects.filter(unit__code__startswith="SG").delete()
        plan = Plan(award=award.pk)
        for d in range(departments):
            department = _unit(f"SG{d:03d}", f"冲刺部门{d}", UnitKind.DEPARTMENT, 5000 + d)
            plan.reviewers += [_account(f"surge-r{d}-{i}", Role.UNIT_LEADER, department) for i in (1, 2)]
            for s in range(min(per_department, clerks - d * per_department)):
                section = _unit(f"SG{d:03d}S{s:02d}", f"冲刺部门{d}第{s}科", UnitKind.SECTION, s + 1, department)
                clerk = _draft_ledger(campaign, section, categories, source)
                clerk.username = _account(f"surge-c{d}-{s}", Role.SECTION_CLERK, section)
                plan.clerks.append(clerk)
        for n in range(leaders // 2):
            unit = _unit(f"SN{n:03d}", f"冲刺申报单位{n}", UnitKind.DEPARTMENT, 6000 + n)
            plan.leaders += [(_account(f"surge-n{n}-{i}", Role.UNIT_LEADER, unit), unit.pk) for i in (1, 2)]
    return plan


# ── afterwards: is every acknowledged write there exactly once? ─────────────


@dataclass
class Found:
    label: str
    attempted: int
    acknowledged: int
    found: int  # acknowledged writes found in the database (once or more)
    duplicates: int  # acknowledged writes found more than once
    unacknowledged_stored: int = 0  # the client got no success, yet the write is there (a timeout, say)
    note: str = ""


def check(plan: Plan, acks: dict, attempts: dict, started: dt.datetime) -> list[Found]:
    from zuofeng.audit.models import AuditEntry
    from zuofeng.nominations.models import Nomination, NominationEvent, NominationState

    measure_ids = {str(m) for c in plan.clerks for m in c.measures}
    updates = AuditEntry.objects.filter(action="measure.update", at__gte=started, object_id__in=measure_ids)
    # A token stays in the text through later saves of the same measure: count the save that added it.
    added: dict[str, int] = {}
    for before, after in updates.values_list("before", "after"):
        for token in set(_tokens(str(after))) - set(_tokens(str(before))):
            added[token] = added.get(token, 0) + 1
    results = [_found("save measure", attempts["save"], acks["save"], added)]

    ledger_ids = [c.ledger for c in plan.clerks]
    # The list's own moves (problem=None): an approval also writes one event per approved problem.
    moves = LedgerEvent.objects.filter(ledger_id__in=ledger_ids, problem=None, at__gte=started)
    submits = _count(moves.filter(to_state=LedgerState.SUBMITTED))
    results.append(_found("submit list", attempts["submit"], acks["submit"], submits))
    approvals = _count(moves.filter(to_state=LedgerState.APPROVED))
    approved_now = Ledger.objects.filter(pk__in=ledger_ids, state=LedgerState.APPROVED).count()
    found = _found("approve list", attempts["approve"], acks["approve"], approvals)
    found.note = f"{approved_now} lists approved in all"
    results.append(found)

    nominations = Nomination.objects.filter(award_id=plan.award)
    events = _count(NominationEvent.objects.filter(nomination__award_id=plan.award, to_state=NominationState.SUBMITTED))
    found = _found("submit nomination + scan", attempts["nominate"], acks["nominate"], events)
    submitted = nominations.filter(state=NominationState.SUBMITTED)
    per_unit = {}
    for unit_id in submitted.values_list("unit_id", flat=True):
        per_unit[unit_id] = per_unit.get(unit_id, 0) + 1
    no_scan = sum(1 for n in submitted if not n.stamped_scan or not n.stamped_scan.storage.exists(n.stamped_scan.name))
    over = sum(1 for count in per_unit.values() if count > 1)
    found.note = (
        f"{submitted.count()} submitted for {len(plan.leaders) // 2} units, over quota: {over}, "
        f"without the scan file: {no_scan}, refused as quota full: {acks['quota_full_count']}"
    )
    results.append(found)
    return results


def _tokens(text: str) -> list[str]:
    return re.findall(r"〔(surge-[^〕]+)〕", text)


def _count(events) -> dict:
    counts: dict = {}
    for key in events.values_list("ledger_id" if events.model is LedgerEvent else "nomination_id", flat=True):
        counts[key] = counts.get(key, 0) + 1
    return counts


def _found(label: str, attempted: int, acknowledged: set, stored: dict) -> Found:
    found = sum(1 for key in acknowledged if stored.get(key, 0) >= 1)
    duplicates = sum(1 for key in acknowledged if stored.get(key, 0) > 1)
    duplicates += sum(1 for key, count in stored.items() if key not in acknowledged and count > 1)
    unacknowledged = sum(1 for key in stored if key not in acknowledged)
    return Found(label, attempted, len(acknowledged), found, duplicates, unacknowledged)


def now() -> dt.datetime:
    return timezone.now()
