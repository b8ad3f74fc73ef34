"""Planning a round: picked units or a seeded draw per unit kind that anyone can repeat; bad input refused."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import make_unit
from zuofeng.audit.models import AuditEntry
from zuofeng.organisation.models import UnitKind
from zuofeng.supervision.services.rounds import round_create, sample_units


def _plan(campaign, people, team, **overrides):
    fields = {
        "actor": people.office,
        "campaign": campaign,
        "name": "第二轮专项督查",
        "focus": "innovate",
        "starts_on": dt.date(2018, 11, 1),
        "ends_on": dt.date(2018, 11, 5),
        "team": team,
    }
    return round_create(**{**fields, **overrides})


def test_a_picked_round_keeps_its_units_team_and_audit(round_, org, inspectors):
    assert set(round_.units.all()) == {org.section_a1, org.section_b1}
    assert list(round_.team.all()) == [inspectors.on_team]
    assert round_.sample_seed is None
    entry = AuditEntry.objects.get(action="round.create")
    assert entry.after["督查重点"] == "找差整改"
    assert entry.after["单位数"] == 2


def test_a_seeded_draw_is_the_same_every_time_and_takes_n_per_kind(supervised, org, people, inspectors):
    for n in range(5):
        make_unit(name=f"第{n}镇", kind=UnitKind.TOWN, order=10 + n)
    first = _plan(supervised, people, [inspectors.on_team], sample_seed=20181008, sample_size=2)
    again = sample_units(seed=20181008, per_kind=2)

    drawn = list(first.units.order_by("sort_key"))
    assert [u.pk for u in drawn] == [u.pk for u in again]
    assert sorted(u.kind for u in drawn) == ["department", "department", "subordinate", "town", "town"]
    assert (first.sample_seed, first.sample_size) == (20181008, 2)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "  "}, "name", "请填写督查名称。"),
        ({"focus": "nowhere"}, "focus", "请选择活动定义中的督查重点。"),
        ({"ends_on": dt.date(2018, 10, 1)}, "ends_on", "结束日期不能早于开始日期。"),
        ({"units": []}, "units", "请选择被督查单位，或填写每类抽取单位数。"),
        ({"sample_size": 2}, "sample_seed", "随机抽取须填写抽样种子。"),
    ],
)
def test_bad_plans_are_refused_at_the_field_and_save_nothing(
    supervised, org, people, inspectors, overrides, field, message
):
    overrides.setdefault("units", [org.section_a1])
    with pytest.raises(ValidationError) as raised:
        _plan(supervised, people, [inspectors.on_team], **overrides)
    assert raised.value.message_dict[field] == [message]
    assert not AuditEntry.objects.filter(action="round.create").exists()


def test_the_team_must_be_inspectors_and_only_the_office_plans(supervised, org, people):
    with pytest.raises(ValidationError) as raised:
        _plan(supervised, people, [people.own_clerk], units=[org.section_a1])
    assert raised.value.message_dict["team"] == ["督查组成员必须是督查员账号。"]
    with pytest.raises(PermissionDenied):
        _plan(supervised, people, [people.inspector], actor=people.reviewer, units=[org.section_a1])
