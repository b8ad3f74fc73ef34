"""The office's board: counts per award, units short of the minimum, 催办 and extensions."""

import pytest

from tests.nominations import nominate_support as support
from tests.nominations.nominate_support import AFTER, BEFORE, CASE_DATA, STAR_DATA
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.nominations.models import DeadlineExtension, Nomination, NominationState
from zuofeng.nominations.selectors.board import award_board, units_to_chase
from zuofeng.reminders.models import Reminder, ReminderKind

# Fixtures shared with the other nomination tests (pytest finds them as module attributes).
case = support.case
star = support.star
wujin = support.wujin


pytestmark = pytest.mark.django_db


def make(award, unit, state=NominationState.DRAFT, slot=None, data=None):
    return Nomination.objects.create(
        award=award, campaign=award.campaign, unit=unit, state=state, slot=slot, data=data or {}
    )


@pytest.fixture
def standing(star, case, org, people):
    """dept_a: a star and a case submitted; dept_b: a case draft only."""
    make(star, org.dept_a, NominationState.SUBMITTED, 1, STAR_DATA)
    make(case, org.dept_a, NominationState.SUBMITTED, None, CASE_DATA)
    make(case, org.dept_b, NominationState.DRAFT, None, CASE_DATA)


def test_board_counts_and_missing_units(standing, star, case, org):
    cases = award_board(award=case)
    assert (cases.submitted, cases.drafts, cases.units_total) == (1, 1, 2)
    assert [(r.unit, r.active, r.drafts) for r in cases.missing] == [(org.dept_b, 0, 1)]
    assert [r.unit for r in cases.with_drafts] == [org.dept_b]
    stars = award_board(award=star)
    assert (stars.submitted, stars.missing, stars.over) == (1, [], [])
    assert units_to_chase(award=case) == [org.dept_b]


def test_board_over_quota_listed(star, org):
    make(star, org.dept_a, NominationState.SUBMITTED, 1)
    make(star, org.dept_a, NominationState.SUBMITTED, 2)  # only possible by editing the database by hand
    assert [(r.unit, r.active) for r in award_board(award=star).over] == [(org.dept_a, 2)]


def test_board_page_for_office(client_for, people, standing, org):
    html = client_for(people.office).get("/nominations/board/").content.decode()
    assert "已报送 1 · 草稿 1 · 未达要求 1 个单位（共 2 个单位）" in html
    assert 'data-testid="missing-D02"' in html
    assert "全部催办" in html


def test_board_page_only_for_office(client_for, people, standing):
    for who in (people.reviewer, people.own_clerk, people.judge, people.inspector):
        assert client_for(who).get("/nominations/board/").status_code == 403


def test_board_remind_one_unit(client_for, people, standing, case, org):
    response = client_for(people.office).post(
        f"/nominations/board/{case.pk}/remind/", {"unit": org.dept_b.pk}, follow=True
    )
    assert "已向区商务局共 1 个单位催办“优质服务事例”（1 人）。" in response.content.decode()
    reminder = Reminder.objects.get()
    assert (reminder.recipient, reminder.kind, reminder.title, reminder.sender) == (
        people.other_leader,
        ReminderKind.MANUAL,
        "请按时报送“优质服务事例”申报",
        people.office,
    )
    assert AuditEntry.objects.filter(action="nomination.remind").count() == 1


def test_board_remind_all_missing(client_for, people, standing, case, org):
    client_for(people.office).post(f"/nominations/board/{case.pk}/remind/")
    assert list(Reminder.objects.values_list("recipient__username", flat=True)) == ["leader_b"]


def test_board_remind_unit_without_administrator_warns(client_for, people, case, org):
    response = client_for(people.office).post(
        f"/nominations/board/{case.pk}/remind/", {"unit": org.section_a1.pk}, follow=True
    )
    assert "预算科没有可接收催办的单位管理员账号。" in response.content.decode()


def test_board_remind_by_unit_leader_forbidden(client_for, people, case, org):
    response = client_for(people.reviewer).post(f"/nominations/board/{case.pk}/remind/", {"unit": org.dept_b.pk})
    assert response.status_code == 403
    assert Reminder.objects.count() == 0


def test_board_extension_granted(client_for, people, star, org):
    post = {"award": star.pk, "unit": org.dept_b.pk, "until": "2018-11-05T17:00", "reason": "主要负责人出差"}
    with clock.frozen(AFTER):
        response = client_for(people.office).post("/nominations/board/extend/", post, follow=True)
    assert "已同意区商务局“十佳优秀服务明星”延期申报。" in response.content.decode()
    extension = DeadlineExtension.objects.get()
    assert (extension.unit, extension.reason, extension.granted_by) == (org.dept_b, "主要负责人出差", people.office)
    with clock.frozen(AFTER):
        html = client_for(people.office).get("/nominations/board/").content.decode()
    assert "区商务局 至 2018年11月5日 17:00（主要负责人出差）" in html


def test_board_extension_refused_with_reasons(client_for, people, star, org):
    post = {"award": star.pk, "unit": org.dept_b.pk, "until": "2018-10-30T17:00", "reason": ""}
    with clock.frozen(BEFORE):
        response = client_for(people.office).post("/nominations/board/extend/", post)
    html = response.content.decode()
    assert response.status_code == 400
    assert "请填写延期理由。" in html
    post["reason"] = "出差"
    with clock.frozen(BEFORE):
        html = client_for(people.office).post("/nominations/board/extend/", post).content.decode()
    assert "“延长至”须晚于申报截止时间（2018年11月1日 23:59）。" in html
    assert DeadlineExtension.objects.count() == 0


def test_board_extension_needs_top_level_unit_and_award(client_for, people, star, org):
    post = {"award": star.pk, "unit": org.section_a1.pk, "until": "2018-11-05T17:00", "reason": "出差"}
    html = client_for(people.office).post("/nominations/board/extend/", post).content.decode()
    assert "请选择申报单位。" in html
    response = client_for(people.office).post("/nominations/board/extend/", {**post, "award": 0}, follow=True)
    assert "没有这个奖项。" in response.content.decode()


def test_board_extension_by_unit_leader_forbidden(client_for, people, star, org):
    post = {"award": star.pk, "unit": org.dept_a.pk, "until": "2018-11-05T17:00", "reason": "出差"}
    assert client_for(people.reviewer).post("/nominations/board/extend/", post).status_code == 403


def test_board_page_lists_drafts_only_and_units_without_submission(client_for, people, star, org):
    make(star, org.dept_b, NominationState.DRAFT)
    html = client_for(people.office).get("/nominations/board/").content.decode()
    assert "区商务局（草稿 1）" in html
    assert "尚未报送（本奖项不要求必报）：区财政局、区商务局" in html
    assert [r.unit for r in award_board(award=star).none_submitted] == [org.dept_a, org.dept_b]


def test_board_does_not_ask_the_office_unit_to_nominate(org, people):
    from tests.factories import make_unit
    from zuofeng.nominations.selectors.board import nominating_unit_list
    from zuofeng.organisation.models import Person

    office_unit = make_unit(name="区作风办", order=0, code="D00")
    people.office.person = Person.objects.create(name="作风办干部", unit=office_unit)
    people.office.save()
    assert [u.code for u in nominating_unit_list()] == ["D01", "D02"]
