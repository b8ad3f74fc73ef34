import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import PersonFactory
from zuofeng.accounts.models import LoginAttempt, Role, RoleAssignment, User
from zuofeng.accounts.services import user_create
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock

WEAK = "password"
STRONG = "Strong#Pass2018"


def _create(client, **overrides):
    data = {"username": "newbie", "person": "", "full_name": "", "password1": STRONG, "password2": STRONG}
    data.update(overrides)
    return client.post("/accounts/users/new/", data)


def test_user_list_shows_roles(people, client_for):
    response = client_for(people.sysadmin).get("/accounts/users/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "科室填报员（预算科）" in body
    assert len(response.context["page"].object_list) == 10


def test_user_list_filters(people, client_for):
    client = client_for(people.sysadmin)
    by_role = client.get("/accounts/users/", {"role": Role.UNIT_LEADER})
    assert [u.username for u in by_role.context["page"].object_list] == ["leader_a", "leader_b"]
    by_name = client.get("/accounts/users/", {"q": "clerk_a2"})
    assert [u.username for u in by_name.context["page"].object_list] == ["clerk_a2"]


def test_user_pages_forbidden_for_office_and_secadmin(people, client_for):
    for user in (people.office, people.secadmin):
        client = client_for(user)
        assert client.get("/accounts/users/").status_code == 403
        assert client.get("/accounts/users/new/").status_code == 403
        assert client.get(f"/accounts/users/{people.own_clerk.pk}/").status_code == 403


def test_user_create_sets_must_change_password(people, org, client_for):
    client = client_for(people.sysadmin)
    assert client.get("/accounts/users/new/").status_code == 200
    person = PersonFactory(unit=org.section_b1, name="外贸科新人")
    response = _create(client, person=person.pk)
    user = User.objects.get(username="newbie")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/users/{user.pk}/"
    assert (user.person, user.must_change_password, user.check_password(STRONG)) == (person, True, True)
    assert AuditEntry.objects.filter(action="account.create", object_id=str(user.pk)).count() == 1


def test_user_create_weak_password_refused_in_chinese(people, client_for):
    response = _create(client_for(people.sysadmin), password1=WEAK, password2=WEAK)
    assert response.status_code == 200
    assert response.context["form"].errors["password1"] == ["密码须包含大写字母、小写字母、数字、特殊字符中的至少 3 种"]
    assert 'value="newbie"' in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()


def test_user_create_password_containing_username_refused(people, client_for):
    response = _create(client_for(people.sysadmin), password1="Newbie#2018x", password2="Newbie#2018x")
    assert response.context["form"].errors["password1"] == ["密码不能包含用户名"]


def test_user_create_mismatched_and_duplicate(people, client_for):
    client = client_for(people.sysadmin)
    mismatch = _create(client, password2=STRONG + "x")
    assert mismatch.context["form"].errors["password2"] == ["两次输入的密码不一致。"]
    duplicate = _create(client, username="CLERK_A1")
    assert duplicate.context["form"].errors["username"] == ["用户名“CLERK_A1”已被使用。"]
    bad = _create(client, username="张三")
    assert bad.context["form"].errors["username"] == ["用户名只能由字母、数字和 _ . @ - 组成。"]


def test_user_create_person_already_has_account(people, client_for):
    with pytest.raises(ValidationError) as error:
        user_create(actor=people.sysadmin, username="second", password=STRONG, person=people.own_clerk.person)
    assert error.value.message_dict == {"person": ["“clerk_a1姓名”已有账号，一人只能有一个账号。"]}


def test_user_detail_renders(people, client_for):
    response = client_for(people.sysadmin).get(f"/accounts/users/{people.own_clerk.pk}/")
    assert response.status_code == 200
    assert [str(a) for a in response.context["assignments"]] == ["科室填报员（预算科）"]


def test_role_add_and_remove(people, org, client_for):
    client = client_for(people.sysadmin)
    url = f"/accounts/users/{people.own_clerk.pk}/roles/"
    response = client.post(url, {"role": Role.SECTION_CLERK, "unit": org.section_a2.pk, "include_subtree": "on"})
    assert response.status_code == 302
    added = RoleAssignment.objects.get(user=people.own_clerk, unit=org.section_a2)
    assert added.include_subtree is True
    client.post(f"/accounts/users/{people.own_clerk.pk}/roles/{added.pk}/remove/")
    assert list(RoleAssignment.objects.filter(user=people.own_clerk).values_list("unit__code", flat=True)) == ["D01S01"]
    assert AuditEntry.objects.filter(action__in=["role.assign", "role.revoke"]).count() == 2


def test_role_add_leader_without_unit_shown_at_unit_field(people, client_for):
    response = client_for(people.sysadmin).post(
        f"/accounts/users/{people.judge.pk}/roles/", {"role": Role.UNIT_LEADER, "unit": ""}
    )
    assert response.status_code == 200
    assert response.context["role_form"].errors["unit"] == ["“单位管理员/分管领导”必须指定单位。"]


def test_role_add_separation_of_duties_refused(people, client_for):
    response = client_for(people.sysadmin).post(
        f"/accounts/users/{people.secadmin.pk}/roles/", {"role": Role.AUDIT_ADMIN, "unit": ""}
    )
    assert response.status_code == 200
    assert response.context["role_form"].errors["role"] == [
        "“审计管理员”须由独立账号担任，不能与其他角色兼任（三员分立）。"
    ]
    assert "三员分立" in response.content.decode()
    assert list(RoleAssignment.objects.filter(user=people.secadmin).values_list("role", flat=True)) == [
        Role.SECURITY_ADMIN
    ]


def test_role_add_business_role_to_admin_refused(people, client_for):
    response = client_for(people.sysadmin).post(f"/accounts/users/{people.auditor.pk}/roles/", {"role": Role.JUDGE})
    assert response.context["role_form"].errors["role"] == [
        "系统管理员、安全管理员、审计管理员账号不能兼任业务角色（三员分立）。"
    ]


def test_password_reset_sets_must_change(people, client_for):
    client = client_for(people.sysadmin)
    url = f"/accounts/users/{people.own_clerk.pk}/password/"
    weak = client.post(url, {"password1": WEAK, "password2": WEAK})
    assert weak.context["password_form"].errors["password1"] == [
        "密码须包含大写字母、小写字母、数字、特殊字符中的至少 3 种"
    ]
    response = client.post(url, {"password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    people.own_clerk.refresh_from_db()
    assert (people.own_clerk.must_change_password, people.own_clerk.check_password(STRONG)) == (True, True)


def test_deactivate_and_reactivate(people, client_for):
    client = client_for(people.sysadmin)
    url = f"/accounts/users/{people.own_clerk.pk}/active/"
    client.post(url, {"active": "0"})
    people.own_clerk.refresh_from_db()
    assert people.own_clerk.is_active is False
    client.post(url, {"active": "1"})
    people.own_clerk.refresh_from_db()
    assert people.own_clerk.is_active is True
    assert list(
        AuditEntry.objects.filter(action__startswith="account.").order_by("id").values_list("action", flat=True)
    ) == ["account.deactivate", "account.activate"]


def test_deactivate_self_refused(people, client_for):
    response = client_for(people.sysadmin).post(
        f"/accounts/users/{people.sysadmin.pk}/active/", {"active": "0"}, follow=True
    )
    assert "不能停用自己正在使用的账号。" in response.content.decode()
    people.sysadmin.refresh_from_db()
    assert people.sysadmin.is_active is True


def test_unlock_clears_lock(people, client_for):
    LoginAttempt.objects.create(username="clerk_a1", failures=5, locked_until=clock.now() + dt.timedelta(minutes=10))
    client = client_for(people.sysadmin)
    detail = client.get(f"/accounts/users/{people.own_clerk.pk}/")
    assert detail.context["locked"] is True
    client.post(f"/accounts/users/{people.own_clerk.pk}/unlock/")
    assert not LoginAttempt.objects.filter(username="clerk_a1").exists()
    assert AuditEntry.objects.filter(action="auth.unlock").count() == 1


def test_admin_posts_forbidden_for_office(people, client_for):
    client = client_for(people.office)
    pk = people.own_clerk.pk
    for url in ("roles/", "password/", "active/", "unlock/"):
        assert client.post(f"/accounts/users/{pk}/{url}", {"role": Role.JUDGE}).status_code == 403


def test_user_create_service_denied_is_audited(people):
    with pytest.raises(PermissionDenied):
        user_create(actor=people.office, username="x", password=STRONG)
    assert AuditEntry.objects.filter(action="account.create", result="denied").count() == 1
