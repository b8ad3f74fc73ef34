"""Units that share a name (55 are called 办公室) are named with their ancestors out of the tree."""

import pytest

from tests.factories import make_unit
from zuofeng.organisation.models import Unit, UnitKind
from zuofeng.organisation.selectors import unit_qualified_names, units_qualify


@pytest.fixture
def offices(db):
    education = make_unit(name="常州市武进区教育局", short_name="区教育局", order=1)
    finance = make_unit(name="常州市武进区财政局", short_name="区财政局", order=2)
    town = make_unit(name="湖塘镇", kind=UnitKind.TOWN, order=3)
    return {
        "education": make_unit(name="办公室", kind=UnitKind.SECTION, parent=education, order=1),
        "finance": make_unit(name="办公室", kind=UnitKind.SECTION, parent=finance, order=1),
        "centre": make_unit(name="湖塘镇便民服务中心", kind=UnitKind.SUBORDINATE, parent=town, order=1),
        "top": education,
    }


def test_two_offices_are_told_apart(offices):
    assert offices["education"].qualified_name == "区教育局·办公室"
    assert offices["finance"].qualified_name == "区财政局·办公室"


def test_a_top_unit_is_its_short_name_and_a_name_that_repeats_its_parent_is_not_doubled(offices):
    assert offices["top"].qualified_name == "区教育局"
    assert offices["centre"].qualified_name == "湖塘镇便民服务中心"


def test_three_levels(offices):
    service = make_unit(name="信息中心", kind=UnitKind.SUBORDINATE, parent=offices["education"], order=1)
    assert Unit.objects.get(pk=service.pk).qualified_name == "区教育局·办公室·信息中心"


def test_many_units_in_one_query_each(offices, django_assert_num_queries):
    ids = [offices["education"].pk, offices["finance"].pk, offices["centre"].pk]
    with django_assert_num_queries(2):
        names = unit_qualified_names(ids=ids)
    assert [names[pk] for pk in ids] == ["区教育局·办公室", "区财政局·办公室", "湖塘镇便民服务中心"]
    units = list(Unit.objects.filter(pk__in=ids).order_by("sort_key"))
    with django_assert_num_queries(1):
        units_qualify(units)
        assert [u.qualified_name for u in units] == ["区教育局·办公室", "区财政局·办公室", "湖塘镇便民服务中心"]
