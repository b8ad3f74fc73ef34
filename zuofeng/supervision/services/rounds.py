"""Planning an inspection round (专项督查): units picked or drawn by a recorded seed, dates, team, focus."""

import datetime as dt
import random
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zuofeng.accounts.models import Role, User
from zuofeng.accounts.permissions import may
from zuofeng.accounts.roles import has_role
from zuofeng.audit.services import audit_record
from zuofeng.organisation.models import Unit, UnitKind
from zuofeng.supervision.definition import focus_choices
from zuofeng.supervision.models import InspectionRound

# Units a round can visit: the tree's working units, not the internal sections of a department.
SAMPLED_KINDS = (UnitKind.DEPARTMENT, UnitKind.TOWN, UnitKind.STREET, UnitKind.ZONE, UnitKind.SUBORDINATE)


def sample_units(*, seed: int, per_kind: int, kinds=SAMPLED_KINDS) -> list[Unit]:
    """N active units of each kind, drawn by `seed` from units in official order: the same seed draws the
    same units again, so anyone can check the draw."""
    by_kind: dict[str, list[Unit]] = defaultdict(list)
    for unit in Unit.objects.filter(is_active=True, kind__in=kinds).order_by("sort_key", "id"):
        by_kind[unit.kind].append(unit)
    rng = random.Random(seed)  # noqa: S311 — reproducible from the recorded seed on purpose
    drawn: list[Unit] = []
    for kind in kinds:
        candidates = by_kind.get(kind, [])
        drawn.extend(rng.sample(candidates, min(per_kind, len(candidates))))
    return sorted(drawn, key=lambda u: (u.sort_key, u.pk))


def _check(*, campaign, name: str, focus: str, starts_on: dt.date, ends_on: dt.date, team) -> dict:
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "请填写督查名称。"
    if focus not in dict(focus_choices(campaign)):
        errors["focus"] = "请选择活动定义中的督查重点。"
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期。"
    if not team:
        errors["team"] = "请至少选择一名督查员。"
    elif any(not has_role(user, Role.INSPECTOR) for user in team):
        errors["team"] = "督查组成员必须是督查员账号。"
    return errors


def round_create(
    *,
    actor,
    campaign,
    name: str,
    focus: str,
    starts_on: dt.date,
    ends_on: dt.date,
    team: list[User],
    units: list[Unit] | None = None,
    sample_seed: int | None = None,
    sample_size: int | None = None,
    keep_location: bool = False,
) -> InspectionRound:
    """Units are either `units` (picked) or drawn with `sample_seed` and `sample_size` per kind."""
    if not may(actor, "round.manage"):
        raise PermissionDenied("您无权安排专项督查。")
    errors = _check(campaign=campaign, name=name, focus=focus, starts_on=starts_on, ends_on=ends_on, team=team)
    if sample_size:
        if sample_seed is None:
            errors["sample_seed"] = "随机抽取须填写抽样种子。"
        else:
            units = sample_units(seed=sample_seed, per_kind=sample_size)
    else:
        sample_seed = None
    if not errors and not units:
        errors["units"] = "请选择被督查单位，或填写每类抽取单位数。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        round_ = InspectionRound.objects.create(
            campaign=campaign,
            name=name.strip(),
            focus=focus,
            starts_on=starts_on,
            ends_on=ends_on,
            sample_seed=sample_seed,
            sample_size=sample_size or None,
            keep_location=keep_location,
            created_by=actor,
        )
        round_.units.set(units)
        round_.team.set(team)
        audit_record(
            actor=actor,
            action="round.create",
            obj=round_,
            after={
                "督查名称": round_.name,
                "督查重点": dict(focus_choices(campaign))[focus],
                "日期": f"{starts_on}至{ends_on}",
                "单位数": len(units),
                "抽样种子": sample_seed,
                "每类抽取": sample_size,
                "督查组": [u.username for u in team],
            },
        )
    return round_
