import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PersonFactory, make_unit
from zuofeng.api.pagination import Paged
from zuofeng.organisation.models import UnitKind


def names(response) -> list[str]:
    assert response.status_code == 200
    return [row["name"] for row in response.json()["items"]]


ALL_UNITS = ["武进区财政局", "预算科", "财政服务中心", "国库科", "武进区商务局", "外贸科"]


def test_units_for_section_clerk_only_own_section(people, client_for):
    assert names(client_for(people.own_clerk).get("/api/units")) == ["预算科"]


def test_unit_detail_of_other_department_is_404_for_clerk(people, org, client_for):
    response = client_for(people.own_clerk).get(f"/api/units/{org.section_b1.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该记录，或您无权查看。"}


def test_unit_detail_missing_id_same_404_as_invisible(people, client_for):
    response = client_for(people.own_clerk).get("/api/units/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该记录，或您无权查看。"}


def test_units_for_leader_of_dept_a_is_its_subtree_in_official_order(people, client_for):
    assert names(client_for(people.reviewer).get("/api/units")) == ["武进区财政局", "预算科", "财政服务中心", "国库科"]


def test_units_for_leader_include_units_it_reviews(people, org, client_for):
    org.dept_b.reviewer = org.dept_a
    org.dept_b.save()
    assert names(client_for(people.reviewer).get("/api/units")) == ALL_UNITS


def test_units_for_office_all_in_official_order(people, client_for):
    response = client_for(people.office).get("/api/units")
    assert names(response) == ALL_UNITS
    assert response.json()["count"] == 6


def test_units_for_sysadmin_all(people, client_for):
    assert names(client_for(people.sysadmin).get("/api/units")) == ALL_UNITS


@pytest.mark.parametrize("who", ["auditor", "secadmin"])
def test_units_and_people_forbidden_for_audit_and_security_admins(people, org, client_for, who):
    client = client_for(getattr(people, who))
    for path in ("/api/units", f"/api/units/{org.dept_a.pk}", "/api/people", f"/api/people/{people.office.pk}"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert response.json() == {"detail": "您的角色无权访问此项内容。"}


def test_units_for_judge_empty(people, client_for):
    response = client_for(people.judge).get("/api/units")
    assert response.json() == {"items": [], "count": 0}


def test_units_filter_kind(people, client_for):
    assert names(client_for(people.office).get("/api/units?kind=section")) == ["预算科", "国库科", "外贸科"]


def test_units_filter_unknown_kind_is_422(people, client_for):
    assert client_for(people.office).get("/api/units?kind=planet").status_code == 422


def test_units_filter_q_matches_name_short_name_and_code(people, client_for):
    client = client_for(people.office)
    assert names(client.get("/api/units?q=财政")) == ["武进区财政局", "财政服务中心"]
    assert names(client.get("/api/units?q=区商务局")) == ["武进区商务局"]
    assert names(client.get("/api/units?q=D01S02")) == ["国库科"]


def test_units_filter_parent_lists_direct_children(people, org, client_for):
    response = client_for(people.office).get(f"/api/units?parent={org.dept_a.pk}")
    assert names(response) == ["预算科", "国库科"]


def test_units_filter_parent_still_scoped(people, org, client_for):
    response = client_for(people.own_clerk).get(f"/api/units?parent={org.dept_a.pk}")
    assert names(response) == ["预算科"]


def test_units_paginated(people, client_for):
    response = client_for(people.office).get("/api/units?page=2&page_size=4")
    assert names(response) == ["武进区商务局", "外贸科"]
    assert response.json()["count"] == 6


def test_unit_detail_fields(people, org, client_for):
    org.sub_a1x.reviewer = org.dept_a
    org.sub_a1x.save()
    response = client_for(people.reviewer).get(f"/api/units/{org.sub_a1x.pk}")
    assert response.status_code == 200
    assert response.json() == {
        "id": org.sub_a1x.pk,
        "code": "D01S01X",
        "name": "财政服务中心",
        "short_name": "",
        "kind": "subordinate",
        "kind_label": "下属单位",
        "parent_id": org.section_a1.pk,
        "parent_name": "预算科",
        "order": 1,
        "depth": 2,
        "functions": ["service"],
        "function_labels": ["服务"],
        "is_active": True,
        "reviewer_id": org.dept_a.pk,
        "effective_reviewer_id": org.dept_a.pk,
        "in_scope": True,
    }


def test_unit_detail_effective_reviewer_defaults_to_parent(people, org, client_for):
    body = client_for(people.own_clerk).get(f"/api/units/{org.section_a1.pk}").json()
    assert (body["reviewer_id"], body["effective_reviewer_id"]) == (None, org.dept_a.pk)


def test_unit_detail_subordinate_without_functions_out_of_scope(people, org, client_for):
    unit = make_unit(name="财政印刷厂", kind=UnitKind.SUBORDINATE, parent=org.dept_a, order=9, code="D01X9")
    body = client_for(people.office).get(f"/api/units/{unit.pk}").json()
    assert (body["in_scope"], body["functions"], body["function_labels"]) == (False, [], [])


def test_units_list_constant_queries(people, org, client_for):
    client = client_for(people.office)
    client.get("/api/units")  # warm the session and policy rows
    with CaptureQueriesContext(connection) as before:
        client.get("/api/units")
    for n in range(5):
        make_unit(name=f"新科室{n}", kind=UnitKind.SECTION, parent=org.dept_b, order=10 + n, code=f"D02S9{n}")
    with CaptureQueriesContext(connection) as after:
        client.get("/api/units")
    assert len(after) == len(before)


# People


def person_names(response) -> list[str]:
    return names(response)


def test_people_for_clerk_only_own_section(people, client_for):
    assert person_names(client_for(people.own_clerk).get("/api/people")) == ["clerk_a1姓名"]


def test_people_of_dept_b_invisible_to_clerk_of_a1(people, client_for):
    client = client_for(people.own_clerk)
    other = people.other_leader.person
    assert client.get(f"/api/people/{other.pk}").status_code == 404
    assert client.get(f"/api/people?unit={other.unit_id}").json() == {"items": [], "count": 0}


def test_people_for_leader_of_dept_a_its_subtree(people, client_for):
    assert person_names(client_for(people.reviewer).get("/api/people")) == [
        "leader_a姓名",
        "clerk_a1姓名",
        "clerk_a2姓名",
    ]


def test_people_for_office_all(people, client_for):
    assert person_names(client_for(people.office).get("/api/people")) == [
        "leader_a姓名",
        "clerk_a1姓名",
        "clerk_a2姓名",
        "leader_b姓名",
    ]


def test_people_filter_unit_and_q(people, org, client_for):
    client = client_for(people.office)
    assert person_names(client.get(f"/api/people?unit={org.section_a2.pk}")) == ["clerk_a2姓名"]
    assert person_names(client.get("/api/people?q=leader")) == ["leader_a姓名", "leader_b姓名"]
    assert client.get("/api/people?unit=999999").json() == {"items": [], "count": 0}


def test_person_phone_null_for_sibling_clerk(people, org, client_for):
    colleague = PersonFactory(unit=org.section_a2, name="丙", phone="13900000003", email="c@example.cn")
    client = client_for(people.sibling_clerk)
    body = client.get(f"/api/people/{colleague.pk}").json()
    assert (body["name"], body["phone"], body["email"]) == ("丙", None, None)
    assert client.get(f"/api/people/{people.own_clerk.person_id}").status_code == 404


def test_person_phone_present_for_office(people, client_for):
    own = people.own_clerk.person
    own.email = "a1@example.cn"
    own.save()
    body = client_for(people.office).get(f"/api/people/{own.pk}").json()
    assert body == {
        "id": own.pk,
        "name": "clerk_a1姓名",
        "gender": "9",
        "gender_label": "未说明的性别",
        "position": "科员",
        "phone": own.phone,
        "email": "a1@example.cn",
        "unit_id": own.unit_id,
        "unit_name": "预算科",
        "order": 0,
        "is_active": True,
    }


def test_person_own_phone_visible_to_self(people, client_for):
    own = people.own_clerk.person
    assert client_for(people.own_clerk).get(f"/api/people/{own.pk}").json()["phone"] == own.phone


def test_people_list_phone_per_row_for_leader(people, org, client_for):
    PersonFactory(unit=org.section_a1, name="甲", phone="13900000001")
    rows = client_for(people.reviewer).get("/api/people?q=甲").json()["items"]
    assert [(r["name"], r["phone"]) for r in rows] == [("甲", "13900000001")]


def test_people_phone_null_in_list_for_clerk(people, org, client_for):
    PersonFactory(unit=org.section_a1, name="乙", phone="13900000002")
    rows = client_for(people.own_clerk).get("/api/people?q=乙").json()["items"]
    assert [(r["name"], r["phone"]) for r in rows] == [("乙", None)]


def test_people_for_sysadmin_all_with_phone(people, client_for):
    rows = client_for(people.sysadmin).get("/api/people").json()["items"]
    assert len(rows) == 4
    assert all(r["phone"] for r in rows)


def test_people_for_judge_forbidden(people, client_for):
    assert client_for(people.judge).get("/api/people").status_code == 403


def test_people_list_constant_queries(people, org, client_for):
    client = client_for(people.office)
    client.get("/api/people")
    with CaptureQueriesContext(connection) as before:
        client.get("/api/people")
    for _ in range(5):
        PersonFactory(unit=org.section_b1)
    with CaptureQueriesContext(connection) as after:
        client.get("/api/people")
    assert len(after) == len(before)


def test_units_with_clerk_token_scoped_like_session(people, bearer_client):
    assert names(bearer_client(people.own_clerk).get("/api/units")) == ["预算科"]


def test_units_for_districtwide_inspector_all(people, client_for):
    assert names(client_for(people.inspector).get("/api/units")) == ALL_UNITS


def test_unit_detail_for_sysadmin_any_unit(people, org, client_for):
    assert client_for(people.sysadmin).get(f"/api/units/{org.section_b1.pk}").json()["name"] == "外贸科"


def test_units_page_size_defaults_to_50_and_capped_at_500(people, client_for):
    assert names(client_for(people.office).get("/api/units?page_size=100000")) == ALL_UNITS
    assert (Paged()._get_page_size(None), Paged()._get_page_size(100000)) == (50, 500)
