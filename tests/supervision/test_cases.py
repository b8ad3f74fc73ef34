"""问责案件: narrow visibility (office + leader of the subject's unit), every read audited, 申辩 before the
decision, the decision's measure from the campaign definition; a decided person is flagged on nominations."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import PersonFactory
from zuofeng.audit.models import AuditEntry
from zuofeng.supervision.models import CaseState, Severity
from zuofeng.supervision.selectors.cases import decided_cases_by_unit, decided_person_ids
from zuofeng.supervision.services.cases import case_open, case_statement
from zuofeng.supervision.workflow import case_transition


@pytest.fixture
def case(supervised, org, people):
    person = PersonFactory(unit=org.section_a1, name="王某某")
    return case_open(
        actor=people.office,
        campaign=supervised,
        unit=org.section_a1,
        person=person,
        origin="other",
        facts="对群众反映的问题推诿扯皮，造成不良影响。",
        degree=Severity.SERIOUS,
    )


def _decide(case, actor, **overrides):
    fields = {
        "measure": "admonition",
        "decided_on": dt.date(2018, 11, 20),
        "deciding_body": "区纪委",
        "doc_number": "武纪〔2018〕12号",
    }
    return case_transition(actor=actor, case=case, to=CaseState.DECIDED, **{**fields, **overrides})


def test_the_subjects_leader_files_a_statement_then_the_office_decides(case, people, supervised):
    case_statement(actor=people.reviewer, case=case, text="已当面向群众道歉并整改。")
    decided = _decide(case, people.office)

    assert (decided.state, decided.measure, decided.doc_number) == (CaseState.DECIDED, "admonition", "武纪〔2018〕12号")
    assert decided.statement == "已当面向群众道歉并整改。"
    with pytest.raises(ValidationError):
        case_statement(actor=people.reviewer, case=decided, text="补充")
    assert decided_person_ids(campaign=supervised) == {(case.unit_id, "王某某")}
    assert decided_cases_by_unit(user=people.office, campaign=supervised) == {case.unit_id: 1}
    assert decided_cases_by_unit(user=people.reviewer, campaign=supervised) == {}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"measure": "firing"}, "measure", "请选择活动定义中的问责方式。"),
        ({"decided_on": None}, "decided_on", "请填写决定日期。"),
        ({"doc_number": " "}, "doc_number", "请填写文号。"),
    ],
)
def test_a_decision_needs_a_listed_measure_date_and_number(case, people, overrides, field, message):
    with pytest.raises(ValidationError) as raised:
        _decide(case, people.office, **overrides)
    assert raised.value.message_dict[field] == [message]
    case.refresh_from_db()
    assert case.state == CaseState.OPEN


def test_no_one_else_decides_or_files(case, people, inspectors):
    for user in (people.reviewer, people.own_clerk, people.judge, inspectors.on_team):
        with pytest.raises(PermissionDenied):
            _decide(case, user)
    for user in (people.own_clerk, people.other_leader, people.office, people.judge):
        with pytest.raises(PermissionDenied):
            case_statement(actor=user, case=case, text="x")


def test_case_pages_and_api_only_for_office_and_the_subjects_leader_every_read_audited(
    case, people, inspectors, client_for
):
    allowed = {"office": people.office, "leader": people.reviewer}
    refused = {
        "clerk": people.own_clerk,
        "sibling_clerk": people.sibling_clerk,
        "other_leader": people.other_leader,
        "judge": people.judge,
        "inspector": inspectors.on_team,
        "district_inspector": people.inspector,
        "sysadmin": people.sysadmin,
        "secadmin": people.secadmin,
        "auditor": people.auditor,
    }
    urls = [f"/supervision/cases/{case.pk}/", f"/api/supervision/cases/{case.pk}"]
    for name, user in allowed.items():
        for url in urls:
            response = client_for(user).get(url)
            assert response.status_code == 200, (url, name)
            assert "王某某" in response.content.decode()
        assert client_for(user).get("/supervision/cases/").status_code == 200
        assert [c["id"] for c in client_for(user).get("/api/supervision/cases").json()] == [case.pk]
    for name, user in refused.items():
        for url in [*urls, "/supervision/cases/", "/api/supervision/cases"]:
            response = client_for(user).get(url)
            # a leader of another unit has the role: its list answers, empty
            expected = (200,) if name == "other_leader" and url.endswith(("cases/", "cases")) else (403, 404)
            assert response.status_code in expected, (url, name)
            assert "王某某" not in response.content.decode()
    # other_leader has the role but not the unit: the list is empty, the case a 404
    assert client_for(people.other_leader).get(urls[0]).status_code == 404
    reads = AuditEntry.objects.filter(action="case.view", result="success", object_id=str(case.pk))
    assert reads.count() == 4
    assert AuditEntry.objects.filter(action="case.view", result="denied").count() == 3  # other_leader ×3
    assert client_for(people.own_clerk).post(f"/supervision/cases/{case.pk}/decide/", {}).status_code == 403


def test_on_a_phone_the_case_list_stacks_with_each_cell_named(case, people, client_for):
    # At 390 px the 立案日期 column was cut off; .zf-stack shows one labelled block per case.
    html = client_for(people.office).get("/supervision/cases/").content.decode()
    assert "zf-stack" in html
    assert '<td data-label="情节">较重</td>' in html and '<td data-label="状态">已立案</td>' in html
