from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from zuofeng.accounts.models import Role, RoleAssignment, User
from zuofeng.audit.models import AuditEntry
from zuofeng.organisation.demo_data import DEMO_PASSWORD, demo_accounts
from zuofeng.organisation.models import Person, Unit, UnitKind


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("demo_district", stdout=out)
    return out.getvalue()


def _snapshot():
    return (
        sorted(Unit.objects.values_list("pk", "code", "path", "sort_key", "depth", "name")),
        sorted(Person.objects.values_list("pk", "name", "phone", "unit_id", "position")),
        sorted(User.objects.values_list("pk", "username", "password", "person_id")),
        sorted(RoleAssignment.objects.values_list("pk", "user_id", "role", "unit_id")),
    )


def test_demo_district_counts(demo):
    grassroots = Unit.objects.filter(kind__in=[UnitKind.TOWN, UnitKind.STREET, UnitKind.ZONE])
    departments = Unit.objects.filter(kind=UnitKind.DEPARTMENT)
    assert grassroots.count() == 16
    assert 55 <= departments.count() <= 65
    section_counts = [
        Unit.objects.filter(parent__code=code, kind=UnitKind.SECTION).count()
        for code in departments.values_list("code", flat=True)
    ]
    assert all(3 <= n <= 12 for n in section_counts), section_counts
    assert Unit.objects.filter(kind=UnitKind.SUBORDINATE, functions=[]).count() == 0


def test_demo_district_tree_paths_are_consistent(demo):
    for unit in Unit.objects.select_related("parent"):
        parent = unit.parent
        assert unit.path == f"{parent.path if parent else '/'}{unit.pk}/"
        own = str(unit.order).zfill(5)
        assert unit.sort_key == (f"{parent.sort_key}.{own}" if parent else own)
        assert unit.depth == (parent.depth + 1 if parent else 0)


def test_demo_district_official_order_and_office_first(demo):
    top = list(Unit.objects.filter(parent=None).values_list("short_name", "name")[:3])
    assert top == [("区作风办", "区作风建设领导小组办公室"), ("", "湖塘镇"), ("", "牛塘镇")]
    assert Unit.objects.get(code="D20").short_name == "区财政局"
    assert Unit.objects.get(code="D20S02").name == "预算科"
    centre = Unit.objects.get(name="区政务服务中心")
    assert (centre.parent.short_name, centre.functions) == ("区行政审批局", ["approval", "service"])


def test_demo_district_people_are_fictitious_and_unique(demo):
    phones = list(Person.objects.values_list("phone", flat=True))
    assert len(phones) == len(set(phones))
    assert all(p.startswith("1390000") and len(p) == 11 for p in phones)
    assert Person.objects.filter(unit__code="D20", position="局长").count() == 1


def test_demo_district_second_run_changes_nothing(demo):
    before = _snapshot()
    audit_count = AuditEntry.objects.count()
    out = StringIO()
    call_command("demo_district", stdout=out)
    assert _snapshot() == before
    assert AuditEntry.objects.count() == audit_count
    assert "演示数据已是最新，未作修改。" in out.getvalue()


def test_demo_district_first_run_writes_one_audit_entry(demo):
    assert AuditEntry.objects.filter(action="organisation.demo_district").count() == 1


def test_demo_district_repairs_changed_data(demo):
    Unit.objects.filter(code="D20").update(name="改过的名称")
    Person.objects.filter(phone="13900000000").update(position="改过的职务")
    User.objects.filter(username="leader").update(is_active=False)
    RoleAssignment.objects.filter(user__username="clerk").delete()
    call_command("demo_district", stdout=StringIO())
    assert Unit.objects.get(code="D20").name == "常州市武进区财政局"
    assert Person.objects.get(phone="13900000000").position == "主任"
    assert User.objects.get(username="leader").is_active
    assert RoleAssignment.objects.filter(user__username="clerk", role=Role.SECTION_CLERK).count() == 1


def test_demo_district_prints_logins(demo):
    for account in demo_accounts():
        assert account.username in demo
    assert DEMO_PASSWORD in demo


def test_demo_district_accounts_option_writes_nothing(db):
    out = StringIO()
    call_command("demo_district", "--accounts", stdout=out)
    assert Unit.objects.count() == 0
    assert "sysadmin" in out.getvalue()


def test_demo_accounts_roles(demo):
    roles = {u.username: [a.role for a in u.role_assignments.all()] for u in User.objects.all()}
    assert roles == {
        "office": [Role.OFFICE],
        "leader": [Role.UNIT_LEADER],
        "clerk": [Role.SECTION_CLERK],
        "judge": [Role.JUDGE],
        "inspector": [Role.INSPECTOR],
        "sysadmin": [Role.SYSTEM_ADMIN],
        "secadmin": [Role.SECURITY_ADMIN],
        "auditor": [Role.AUDIT_ADMIN],
    }
    leader = User.objects.get(username="leader")
    clerk = User.objects.get(username="clerk")
    assert (leader.person.unit.short_name, leader.person.position) == ("区财政局", "局长")
    assert (clerk.person.unit.name, clerk.person.unit.parent.short_name) == ("预算科", "区财政局")
    assert User.objects.get(username="office").person.unit.short_name == "区作风办"


@pytest.mark.parametrize("username", [a.username for a in demo_accounts()])
def test_demo_account_can_log_in(demo, username, settings):
    settings.ZUOFENG_DEMO = True  # outside demo mode the published password must be changed first
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
