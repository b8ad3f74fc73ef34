"""条线督促: a department reads its line units' lists, lights and milestone status and sends 催办; it cannot
edit or review them, and sees nothing else of them (nominations, phones); the links are kept like the tree."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import Role, make_unit, make_user
from zuofeng.organisation.models import UnitKind
from zuofeng.reminders.models import Reminder
from zuofeng.supervision.models import LineLink
from zuofeng.supervision.services.lines import line_link_add, line_links_import, line_remind


@pytest.fixture
def town_office(org, people):
    town = make_unit(name="湖塘镇", kind=UnitKind.TOWN, order=5, code="T01")
    office = make_unit(name="湖塘镇财政所", kind=UnitKind.SUBORDINATE, parent=town, order=1, code="T01F")
    make_user("clerk_t01f", role=Role.SECTION_CLERK, unit=office)
    line_link_add(actor=people.office, department=org.dept_a, unit=office, line="财政")
    return office


def test_the_department_sees_the_line_units_list_read_only(town_office, ledger, people, client_for):
    from zuofeng.rectification.models import Ledger

    line_ledger = Ledger.objects.create(campaign=ledger.campaign, unit=town_office)
    leader = client_for(people.reviewer)
    board = leader.get("/supervision/lines/")
    assert board.status_code == 200
    assert "湖塘镇财政所" in board.content.decode()
    assert "未提交清单" in board.content.decode()
    assert leader.get(f"/supervision/lines/units/{town_office.pk}/").status_code == 200
    # the ordinary list pages, review and edit stay closed to the line department
    assert leader.get(f"/rectification/ledgers/{line_ledger.pk}/").status_code == 404
    assert leader.get(f"/rectification/review/ledgers/{line_ledger.pk}/").status_code in (403, 404)


def test_line_pages_by_role(town_office, people, client_for):
    url = f"/supervision/lines/units/{town_office.pk}/"
    for user in (people.other_leader, people.own_clerk, people.judge, people.inspector, people.office, people.auditor):
        assert client_for(user).get(url).status_code in (403, 404), user
        assert client_for(user).post(f"{url}remind/").status_code in (403, 404), user
    assert client_for(people.office).get("/supervision/lines/")["Location"] == "/supervision/lines/manage/"
    assert client_for(people.sysadmin).get("/supervision/lines/manage/").status_code == 200
    for user in (people.reviewer, people.own_clerk, people.judge, people.secadmin):
        assert client_for(user).get("/supervision/lines/manage/").status_code == 403


def test_the_department_chases_its_line_unit_once_a_day(town_office, people, org):
    assert line_remind(actor=people.reviewer, unit=town_office) == 1
    assert line_remind(actor=people.reviewer, unit=town_office) == 0
    assert Reminder.objects.get().recipient.username == "clerk_t01f"
    with pytest.raises(PermissionDenied):
        line_remind(actor=people.other_leader, unit=town_office)
    with pytest.raises(PermissionDenied):
        line_remind(actor=people.reviewer, unit=org.section_b1)


def test_links_import_checks_every_row_and_saves_all_or_nothing(town_office, org, people):
    with pytest.raises(ValidationError) as raised:
        line_links_import(actor=people.office, text="D01,T01F,财政\nD02,NOPE,商务\nD02,D02S01\nD02,T01F,商务")
    assert raised.value.message_dict["text"] == [
        "第 1 行：该条线关系已存在。",
        "第 2 行：没有编码为“NOPE”的单位。",
        "第 3 行：应有三列（部门编码，单位编码，条线）。",
    ]
    assert LineLink.objects.count() == 1
    assert line_links_import(actor=people.office, text="D02\tT01F\t商务\nD02，D01S01，商务") == 2
    with pytest.raises(PermissionDenied):
        line_links_import(actor=people.reviewer, text="D02,T01,商务")


def test_line_units_of_the_same_name_are_told_apart_by_their_town(org, ledger, people, client_for):
    # In the district every town has a 经济发展局: by bare name the board showed 16 identical rows.
    for order, town_name in enumerate(("湖塘镇", "牛塘镇"), start=5):
        town = make_unit(name=town_name, kind=UnitKind.TOWN, order=order, code=f"T0{order}")
        bureau = make_unit(name="经济发展局", kind=UnitKind.SUBORDINATE, parent=town, order=1, code=f"T0{order}E")
        line_link_add(actor=people.office, department=org.dept_a, unit=bureau, line="财政")
    board = client_for(people.reviewer).get("/supervision/lines/").content.decode()
    assert "湖塘镇·经济发展局" in board and "牛塘镇·经济发展局" in board
    manage = client_for(people.office).get("/supervision/lines/manage/").content.decode()
    assert "<td>湖塘镇·经济发展局</td>" in manage and "<td>牛塘镇·经济发展局</td>" in manage
