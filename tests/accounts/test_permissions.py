"""Who sees which units: the one scoping function, tested by relation to section_a1 ("own unit")."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import make_unit, make_user
from zuofeng.accounts.models import Role
from zuofeng.accounts.permissions import (
    ALL,
    can_see_phone,
    may,
    reviewed_units,
    reviews_unit,
    scope_to_units,
    visible_unit_ids,
)
from zuofeng.organisation.models import Person, Unit, UnitKind
from zuofeng.organisation.services import unit_assign_reviewer

pytestmark = pytest.mark.django_db


def names(user) -> set[str]:
    return set(scope_to_units(user, Unit.objects.all(), unit_field="self").values_list("name", flat=True))


def test_visible_units_own_section_clerk_sees_only_own_section(people):
    assert names(people.own_clerk) == {"预算科"}


def test_visible_units_sibling_clerk_does_not_see_own_section(people):
    assert "预算科" not in names(people.sibling_clerk)
    assert names(people.sibling_clerk) == {"国库科"}


def test_visible_units_reviewer_sees_its_subtree(people):
    assert names(people.reviewer) == {"武进区财政局", "预算科", "国库科", "财政服务中心"}


def test_visible_units_other_unit_leader_sees_nothing_of_dept_a(people):
    assert names(people.other_leader) == {"武进区商务局", "外贸科"}


def test_visible_units_office_sees_all(people):
    assert visible_unit_ids(people.office) is ALL
    assert len(names(people.office)) == 6


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor", "judge"])
def test_visible_units_admins_and_judges_see_no_business_data(people, who):
    assert names(getattr(people, who)) == set()


def test_visible_units_anonymous_sees_nothing(people):
    assert names(AnonymousUser()) == set()


def test_visible_units_inactive_user_sees_nothing(people):
    people.office.is_active = False
    assert names(people.office) == set()


def test_visible_units_districtwide_inspector_sees_all(people):
    assert visible_unit_ids(people.inspector) is ALL


def test_visible_units_scoped_inspector_sees_subtree(org):
    inspector = make_user("insp_b", role=Role.INSPECTOR, unit=org.dept_b)
    assert names(inspector) == {"武进区商务局", "外贸科"}


def test_visible_units_clerk_with_subtree_sees_subordinate(org):
    clerk = make_user("clerk_tree", role=Role.SECTION_CLERK, unit=org.section_a1, include_subtree=True)
    assert names(clerk) == {"预算科", "财政服务中心"}


def test_reviewed_units_default_is_children(org):
    assert set(reviewed_units(org.dept_a).values_list("name", flat=True)) == {"预算科", "国库科"}


def test_reviewed_units_office_assigned_reviewer_moves_authority(org, people):
    unit_assign_reviewer(actor=people.office, unit=org.section_b1, reviewer=org.dept_a)
    assert set(reviewed_units(org.dept_a).values_list("name", flat=True)) == {"预算科", "国库科", "外贸科"}
    assert set(reviewed_units(org.dept_b).values_list("name", flat=True)) == set()
    fresh_reviewer = type(people.reviewer).objects.get(pk=people.reviewer.pk)
    assert "外贸科" in names(fresh_reviewer)
    assert reviews_unit(fresh_reviewer, Unit.objects.get(pk=org.section_b1.pk))


def test_reviews_unit_only_reviewing_leader_and_office(org, people):
    assert reviews_unit(people.reviewer, org.section_a1)
    assert reviews_unit(people.office, org.section_a1)
    assert not reviews_unit(people.other_leader, org.section_a1)
    assert not reviews_unit(people.own_clerk, org.section_a1)
    assert not reviews_unit(people.sibling_clerk, org.section_a1)


def test_can_see_phone_by_relation(org, people):
    person = Person.objects.create(name="王测试", unit=org.section_a1, phone="13900000001")
    assert can_see_phone(people.office, person)
    assert can_see_phone(people.reviewer, person)
    assert can_see_phone(people.sysadmin, person)
    assert not can_see_phone(people.sibling_clerk, person)
    assert not can_see_phone(people.other_leader, person)
    assert not can_see_phone(people.own_clerk, person)
    assert can_see_phone(people.own_clerk, people.own_clerk.person)
    assert not can_see_phone(AnonymousUser(), person)


def test_may_unit_view_by_relation(org, people):
    assert may(people.own_clerk, "unit.view", org.section_a1)
    assert not may(people.own_clerk, "unit.view", org.section_b1)
    assert not may(people.sibling_clerk, "unit.view", org.section_a1)
    assert may(people.reviewer, "unit.view", org.section_a1)
    assert may(people.office, "unit.view", org.section_b1)
    assert not may(AnonymousUser(), "unit.view", org.section_a1)
    assert not may(people.auditor, "unit.view", org.section_a1)


def test_may_admin_actions_are_separated(people):
    assert may(people.sysadmin, "organisation.manage")
    assert not may(people.sysadmin, "audit.view")
    assert not may(people.sysadmin, "security.manage")
    assert may(people.secadmin, "security.manage")
    assert not may(people.secadmin, "audit.view")
    assert may(people.auditor, "audit.view")
    assert not may(people.auditor, "organisation.manage")
    assert not may(people.office, "audit.view")


def test_may_unknown_action_is_a_programming_error(people):
    with pytest.raises(KeyError):
        may(people.office, "no.such.action")


def test_unit_tree_paths_and_official_order(org):
    tail = make_unit(name="区委办", order=0, code="D00")
    ordered = list(Unit.objects.filter(parent__isnull=True).values_list("name", flat=True))
    assert ordered == ["区委办", "武进区财政局", "武进区商务局"]
    assert org.sub_a1x.path == f"/{org.dept_a.pk}/{org.section_a1.pk}/{org.sub_a1x.pk}/"
    assert org.sub_a1x.depth == 2
    assert tail.sort_key == "00000"


def test_unit_move_carries_subtree(org):
    from zuofeng.organisation.services import unit_save

    section = Unit.objects.get(pk=org.section_a1.pk)
    section.parent = org.dept_b
    unit_save(actor=None, unit=section, audit=False)
    sub = Unit.objects.get(pk=org.sub_a1x.pk)
    assert sub.path == f"/{org.dept_b.pk}/{org.section_a1.pk}/{org.sub_a1x.pk}/"
    assert sub.sort_key.startswith(Unit.objects.get(pk=org.dept_b.pk).sort_key + ".")


def test_unit_in_scope_requires_function_for_subordinates(org):
    assert org.sub_a1x.in_scope
    plain = make_unit(name="食堂", kind=UnitKind.SUBORDINATE, parent=org.dept_a, functions=[])
    assert not plain.in_scope
    assert org.section_a1.in_scope


def test_unit_assign_reviewer_refusal_stays_in_audit_trail(org, people):
    from django.core.exceptions import PermissionDenied

    from zuofeng.audit.models import AuditEntry

    with pytest.raises(PermissionDenied):
        unit_assign_reviewer(actor=people.own_clerk, unit=org.section_b1, reviewer=org.dept_a)
    entry = AuditEntry.objects.get(action="unit.assign_reviewer")
    assert (entry.result, entry.actor_username) == ("denied", "clerk_a1")
    assert Unit.objects.get(pk=org.section_b1.pk).reviewer_id is None
