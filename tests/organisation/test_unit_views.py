from zuofeng.audit.models import AuditEntry
from zuofeng.organisation.models import Unit, UnitKind
from zuofeng.organisation.selectors import phone_masked


def _detail(client, unit):
    return client.get(f"/organisation/units/{unit.pk}/")


def _listed_codes(response) -> list[str]:
    return [u.code for u in response.context["units"]]


def test_unit_detail_clerk_sees_own_section(people, org, client_for):
    response = _detail(client_for(people.own_clerk), org.section_a1)
    assert response.status_code == 200
    assert "预算科" in response.content.decode()


def test_unit_detail_clerk_of_other_section_gets_404(people, org, client_for):
    assert _detail(client_for(people.own_clerk), org.section_b1).status_code == 404


def test_unit_list_clerk_lists_only_own_section(people, org, client_for):
    response = client_for(people.own_clerk).get("/organisation/units/")
    assert _listed_codes(response) == ["D01S01"]


def test_unit_list_leader_sees_own_subtree_in_official_order(people, org, client_for):
    client = client_for(people.reviewer)
    assert _listed_codes(client.get("/organisation/units/")) == ["D01"]
    children = client.get(f"/organisation/units/?parent={org.dept_a.pk}", headers={"HX-Request": "true"})
    assert _listed_codes(children) == ["D01S01", "D01S02"]
    grandchildren = client.get(f"/organisation/units/?parent={org.section_a1.pk}", headers={"HX-Request": "true"})
    assert _listed_codes(grandchildren) == ["D01S01X"]


def test_unit_list_expanding_an_invisible_parent_lists_nothing(people, org, client_for):
    response = client_for(people.reviewer).get(
        f"/organisation/units/?parent={org.dept_b.pk}", headers={"HX-Request": "true"}
    )
    assert _listed_codes(response) == []


def test_unit_list_search_is_flat_and_paginated(people, org, client_for):
    response = client_for(people.office).get("/organisation/units/?q=科")
    assert _listed_codes(response) == ["D01S01", "D01S02", "D02S01"]
    assert "找到 3 个单位" in response.content.decode()


def test_unit_detail_leader_of_dept_a_cannot_open_dept_b(people, org, client_for):
    assert _detail(client_for(people.reviewer), org.dept_b).status_code == 404


def test_unit_list_office_sees_all(people, org, client_for):
    response = client_for(people.office).get("/organisation/units/")
    assert _listed_codes(response) == ["D01", "D02"]
    assert "共 6 个单位" in response.content.decode()


def test_unit_list_sysadmin_sees_all_units(people, org, client_for):
    response = client_for(people.sysadmin).get("/organisation/units/")
    assert _listed_codes(response) == ["D01", "D02"]
    assert "共 6 个单位" in response.content.decode()
    assert _detail(client_for(people.sysadmin), org.section_b1).status_code == 200


def test_unit_list_sysadmin_has_no_campaign_business_data(people, org, client_for):
    # the organisation tree is not business data; campaign data stays scoped away from the sysadmin
    from zuofeng.accounts.permissions import visible_unit_ids

    assert visible_unit_ids(people.sysadmin) == frozenset()


def test_unit_list_filter_by_kind_and_query(people, org, client_for):
    client = client_for(people.office)
    assert _listed_codes(client.get("/organisation/units/", {"kind": UnitKind.SECTION})) == [
        "D01S01",
        "D01S02",
        "D02S01",
    ]
    assert _listed_codes(client.get("/organisation/units/", {"q": "外贸"})) == ["D02S01"]
    assert _listed_codes(client.get("/organisation/units/", {"q": "D01S02"})) == ["D01S02"]


def test_unit_list_htmx_returns_rows_only(people, org, client_for):
    response = client_for(people.office).get("/organisation/units/", {"q": "国库"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "国库科" in body
    restore = client_for(people.office).get(
        "/organisation/units/", {"q": "国库"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restore.content.decode()


def test_unit_list_secadmin_forbidden(people, org, client_for):
    assert client_for(people.secadmin).get("/organisation/units/").status_code == 403


def test_unit_detail_shows_facts_and_reviewer(people, org, client_for):
    response = _detail(client_for(people.office), org.sub_a1x)
    body = response.content.decode()
    assert "D01S01X" in body
    assert "服务" in body
    assert "纳入" in body
    assert response.context["reviewer"] == org.section_a1


def test_unit_detail_top_level_reviewed_by_office(people, org, client_for):
    response = _detail(client_for(people.office), org.dept_a)
    assert response.context["reviewer"] is None
    assert '<dd class="col-8" data-testid="reviewer">作风办' in response.content.decode()
    assert [u.code for u in response.context["reviewed"]] == ["D01S01", "D01S02"]


def test_unit_detail_phone_masked_for_clerk(people, org, client_for):
    other = people.sibling_clerk.person
    other.unit = org.section_a1
    other.save()
    response = _detail(client_for(people.own_clerk), org.section_a1)
    shown = {p.name: p.phone_display for p in response.context["people"]}
    assert shown[other.name] == phone_masked(other.phone)
    assert shown[people.own_clerk.person.name] == people.own_clerk.person.phone
    assert other.phone not in response.content.decode()


def test_unit_detail_phone_shown_to_leader(people, org, client_for):
    response = _detail(client_for(people.reviewer), org.section_a1)
    person = people.own_clerk.person
    assert {p.name: p.phone_display for p in response.context["people"]}[person.name] == person.phone


def test_phone_masked_formats():
    assert phone_masked("13912341234") == "139****1234"
    assert phone_masked("0519-86300000") == "051****0000"
    assert phone_masked("") == ""
    assert phone_masked("1234") == "****"
    assert phone_masked("123456") == "****3456"


def test_unit_reviewer_assigned_by_office(people, org, client_for):
    response = client_for(people.office).post(
        f"/organisation/units/{org.section_b1.pk}/reviewer/", {"reviewer": org.dept_a.pk}
    )
    assert response.status_code == 302
    org.section_b1.refresh_from_db()
    assert org.section_b1.reviewer == org.dept_a
    entry = AuditEntry.objects.filter(action="unit.assign_reviewer").get()
    assert (entry.result, entry.after) == ("success", {"reviewer": org.dept_a.pk})


def test_unit_reviewer_blank_restores_parent(people, org, client_for):
    Unit.objects.filter(pk=org.section_b1.pk).update(reviewer=org.dept_a)
    client_for(people.office).post(f"/organisation/units/{org.section_b1.pk}/reviewer/", {"reviewer": ""})
    org.section_b1.refresh_from_db()
    assert org.section_b1.reviewer is None


def test_unit_reviewer_refused_for_clerk_and_audited(people, org, client_for):
    response = client_for(people.own_clerk).post(
        f"/organisation/units/{org.section_a1.pk}/reviewer/", {"reviewer": org.dept_b.pk}
    )
    assert response.status_code == 403
    org.section_a1.refresh_from_db()
    assert org.section_a1.reviewer is None
    entry = AuditEntry.objects.filter(action="unit.assign_reviewer").get()
    assert (entry.result, entry.actor_username) == ("denied", "clerk_a1")


def test_unit_reviewer_invisible_unit_404_and_audited(people, org, client_for):
    response = client_for(people.own_clerk).post(f"/organisation/units/{org.dept_b.pk}/reviewer/", {"reviewer": ""})
    assert response.status_code == 404
    assert AuditEntry.objects.filter(action="unit.assign_reviewer", result="denied").count() == 1


def test_unit_reviewer_invalid_choice_shows_message(people, org, client_for):
    client = client_for(people.office)
    response = client.post(f"/organisation/units/{org.dept_a.pk}/reviewer/", {"reviewer": org.dept_a.pk}, follow=True)
    assert "选择一个有效的选项" in response.content.decode()


def test_unit_create_by_sysadmin(people, org, client_for):
    client = client_for(people.sysadmin)
    assert client.get(f"/organisation/units/new/?parent={org.dept_b.pk}").status_code == 200
    response = client.post(
        "/organisation/units/new/",
        {"code": "D02S02", "name": "外资科", "kind": UnitKind.SECTION, "parent": org.dept_b.pk, "order": 2},
    )
    unit = Unit.objects.get(code="D02S02")
    assert response.status_code == 302
    assert (unit.path, unit.sort_key) == (f"{org.dept_b.path}{unit.pk}/", "00002.00002")
    assert AuditEntry.objects.filter(action="unit.create").count() == 1


def test_unit_create_duplicate_code_keeps_input(people, org, client_for):
    response = client_for(people.sysadmin).post(
        "/organisation/units/new/", {"code": "D01", "name": "重复单位", "kind": UnitKind.DEPARTMENT, "order": 3}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert 'value="重复单位"' in response.content.decode()


def test_unit_edit_move_carries_subtree(people, org, client_for):
    client_for(people.sysadmin).post(
        f"/organisation/units/{org.section_a1.pk}/edit/",
        {"code": "D01S01", "name": "预算科", "kind": UnitKind.SECTION, "parent": org.dept_b.pk, "order": 5},
    )
    org.sub_a1x.refresh_from_db()
    assert org.sub_a1x.path == f"{org.dept_b.path}{org.section_a1.pk}/{org.sub_a1x.pk}/"
    assert org.sub_a1x.sort_key == "00002.00005.00001"


def test_unit_edit_refused_for_office(people, org, client_for):
    assert client_for(people.office).get(f"/organisation/units/{org.dept_a.pk}/edit/").status_code == 403


def test_person_list_masks_and_paginates(people, org, client_for):
    response = client_for(people.own_clerk).get("/organisation/people/")
    assert [p.name for p in response.context["people"]] == ["clerk_a1姓名"]
    assert client_for(people.judge).get("/organisation/people/").status_code == 403
    htmx = client_for(people.office).get("/organisation/people/", {"q": "clerk"}, HTTP_HX_REQUEST="true")
    assert [p.name for p in htmx.context["people"]] == ["clerk_a1姓名", "clerk_a2姓名"]


def test_person_create_bad_phone_refused_in_chinese(people, org, client_for):
    response = client_for(people.sysadmin).post(
        "/organisation/people/new/",
        {"name": "新同志", "gender": "1", "unit": org.section_a2.pk, "phone": "12345", "order": 1, "is_active": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [
        "联系电话应为 11 位手机号码或带区号的固定电话（如 0519-86300000）。"
    ]


def test_person_create_and_edit_by_sysadmin(people, org, client_for):
    client = client_for(people.sysadmin)
    assert client.get(f"/organisation/people/new/?unit={org.section_a2.pk}").status_code == 200
    response = client.post(
        "/organisation/people/new/",
        {"name": "新同志", "gender": "2", "unit": org.section_a2.pk, "phone": "139 0000 1111", "order": 1},
    )
    assert response.status_code == 302
    from zuofeng.organisation.models import Person

    person = Person.objects.get(name="新同志")
    assert person.phone == "13900001111"
    assert client.get(f"/organisation/people/{person.pk}/edit/").status_code == 200


def test_unit_save_refusal_shown_on_form(people, org, client_for, monkeypatch):
    from django.core.exceptions import ValidationError

    from zuofeng.organisation import services

    def refuse(**kwargs):
        raise ValidationError({"parent": "上级单位不能是本单位或其下级单位。", "path": "路径错误"})

    monkeypatch.setattr(services, "unit_save", refuse)
    response = client_for(people.sysadmin).post(
        f"/organisation/units/{org.section_a1.pk}/edit/",
        {"code": "D01S01", "name": "预算科", "kind": UnitKind.SECTION, "parent": org.dept_b.pk, "order": 5},
    )
    form = response.context["form"]
    assert form.errors["parent"] == ["上级单位不能是本单位或其下级单位。"]
    assert form.non_field_errors() == ["路径错误"]


def test_person_save_refusal_shown_on_form(people, org, client_for, monkeypatch):
    from django.core.exceptions import ValidationError

    from zuofeng.organisation import services

    def refuse(**kwargs):
        raise ValidationError("保存失败")

    monkeypatch.setattr(services, "person_save", refuse)
    response = client_for(people.sysadmin).post(
        "/organisation/people/new/", {"name": "新同志", "gender": "2", "unit": org.section_a2.pk, "order": 1}
    )
    assert response.context["form"].non_field_errors() == ["保存失败"]


def test_unit_create_subordinate_with_functions(people, org, client_for):
    client_for(people.sysadmin).post(
        "/organisation/units/new/",
        {
            "code": "D02X01",
            "name": "商务服务中心",
            "kind": UnitKind.SUBORDINATE,
            "parent": org.dept_b.pk,
            "order": 9,
            "functions": ["approval", "service"],
            "is_active": "on",
        },
    )
    unit = Unit.objects.get(code="D02X01")
    assert (unit.functions, unit.in_scope) == (["approval", "service"], True)
    edit = client_for(people.sysadmin).get(f"/organisation/units/{unit.pk}/edit/")
    assert edit.content.decode().count("checked") == 3  # two functions and 启用
