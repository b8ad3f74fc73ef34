"""The list page's cached part: never older than any write it shows, never shared between people whose
rights draw it differently, never a way past the check of who may see the list; and the marker
behind it (LedgerStamp)."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection

from tests.concurrency import second_writer_does_not_wait
from tests.factories import PersonFactory, Role, make_user
from zuofeng.accounts.models import User
from zuofeng.campaigns.models import Benchmark, Campaign, KeyArea, ObstructionCategory, ProblemSource
from zuofeng.core import clock
from zuofeng.organisation.models import Person, Unit
from zuofeng.rectification import ledger_stamp_triggers
from zuofeng.rectification.ledger_stamp_triggers import NAMES
from zuofeng.rectification.models import (
    ItemReview,
    Ledger,
    LedgerEvent,
    LedgerStamp,
    LedgerState,
    Light,
    Measure,
    MeasureState,
    Problem,
)
from zuofeng.rectification.views import ledger as views

pytestmark = pytest.mark.django_db
TODAY = dt.date(2018, 10, 1)


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(dt.datetime(2018, 10, 1, 9, 0)):
        yield


@pytest.fixture
def shown(ledger, problem_with_measure, campaign, people, org):
    """A list whose page shows every kind of value: a benchmark mark, a key area, a responsible unit
    and person, and a history step by the clerk; plus 外贸科's list, to move a measure to."""
    problem, measure = problem_with_measure
    problem.benchmarks.add(campaign.benchmarks.get())
    person = PersonFactory(unit=org.section_a1, name="李科长")
    Measure.objects.filter(pk=measure.pk).update(
        key_area=campaign.key_areas.get(), responsible_unit=org.sub_a1x, responsible_person=person
    )
    LedgerEvent.objects.create(ledger=ledger, actor=people.own_clerk, action="ledger.submit", at=clock.now())
    other = Ledger.objects.create(campaign=campaign, unit=org.section_b1)
    other_problem = Problem.objects.create(
        ledger=other, unit=org.section_b1, order=1, category=problem.category, source=problem.source,
        description="外贸备案材料反复退回", found_on=dt.date(2018, 9, 2),
    )  # fmt: skip
    return {"ledger": ledger, "problem": problem, "measure": measure, "person": person, "other": other_problem}


# The part each page was served with: the frame around it is drawn once (core/frames.py), so the
# page's template context is not there to read.
_SERVED: list[dict] = []


@pytest.fixture(autouse=True)
def _recording(monkeypatch):
    real = views.framed

    def recording(request, template, *, shown, part):
        _SERVED.append(part)
        return real(request, template, shown=shown, part=part)

    _SERVED.clear()
    monkeypatch.setattr(views, "framed", recording)


@pytest.fixture
def computed(monkeypatch):
    """Who had the shared part drawn (not read from the cache)."""
    calls = []
    real = views._shared_part

    def counting(ledger, access, can_review):
        calls.append((ledger.pk, access["can_edit"]))
        return real(ledger, access, can_review)

    monkeypatch.setattr(views, "_shared_part", counting)
    return calls


def url(ledger) -> str:
    return f"/rectification/ledgers/{ledger.pk}/"


def part(client, ledger) -> dict:
    """The cached part as the page showed it, with its CSRF slot marked {csrf}; and its token is the page's."""
    response = client.get(url(ledger))
    assert response.status_code == 200
    served = _SERVED[-1]
    page = response.content.decode()
    assert served["body"].replace(served["slot"], page_token(page)) in page
    return {**served, "body": served["body"].replace(served["slot"], "{csrf}")}


def page_token(page: str) -> str:
    """The request's CSRF token, as base.html gives it to htmx."""
    return re.search(r'"X-CSRFToken": "(\w+)"', page).group(1)


def fresh_part(client, ledger) -> dict:
    cache.clear()
    return part(client, ledger)


# ── writes: the next page equals one drawn afresh ──────────────────────────


def _measure_added(s, org, campaign):
    Measure.objects.create(
        problem=s["problem"], unit=org.section_a1, campaign=campaign, order=2, text="设立帮办代办窗口",
        starts_on=dt.date(2018, 9, 16), deadline=dt.date(2018, 11, 30), state=MeasureState.PLANNED,
    )  # fmt: skip


def _measure_text_edited(s, org, campaign):
    Measure.objects.filter(pk=s["measure"].pk).update(text="实行首问负责制（修订）")


def _measure_deadline_moved(s, org, campaign):
    Measure.objects.filter(pk=s["measure"].pk).update(deadline=dt.date(2018, 12, 31))


def _measure_lit_red(s, org, campaign):
    Measure.objects.filter(pk=s["measure"].pk).update(state=MeasureState.IN_PROGRESS, light=Light.RED)


def _measure_deleted(s, org, campaign):
    Measure.objects.filter(pk=s["measure"].pk).delete()


def _measure_moved_to_another_list(s, org, campaign):
    Measure.objects.filter(pk=s["measure"].pk).update(problem=s["other"], unit=org.section_b1)


def _responsible_person_changed(s, org, campaign):
    Measure.objects.filter(pk=s["measure"].pk).update(responsible_person=None, responsible_name="王主任")


def _responsible_person_renamed(s, org, campaign):
    Person.objects.filter(pk=s["person"].pk).update(name="李处长")


def _responsible_unit_renamed(s, org, campaign):
    Unit.objects.filter(pk=org.sub_a1x.pk).update(name="财政综合服务中心")


def _ancestor_renamed(s, org, campaign):
    Unit.objects.filter(pk=org.dept_a.pk).update(short_name="区财政")


def _problem_edited(s, org, campaign):
    Problem.objects.filter(pk=s["problem"].pk).update(description="窗口办件推诿扯皮（补充）")


def _problem_returned(s, org, campaign):
    Problem.objects.filter(pk=s["problem"].pk).update(review=ItemReview.RETURNED, review_comment="措施不具体")


def _problem_deleted(s, org, campaign):
    Problem.objects.filter(pk=s["problem"].pk).delete()


def _benchmark_unmarked(s, org, campaign):
    s["problem"].benchmarks.clear()


def _benchmark_renamed(s, org, campaign):
    Benchmark.objects.filter(campaign=campaign).update(name="对照群众期盼")


def _category_renamed(s, org, campaign):
    ObstructionCategory.objects.filter(pk=s["problem"].category_id).update(name="责任梗阻")


def _source_renamed(s, org, campaign):
    ProblemSource.objects.filter(pk=s["problem"].source_id).update(name="自己查")


def _key_area_renamed(s, org, campaign):
    KeyArea.objects.filter(campaign=campaign).update(name="高效便民服务")


def _list_submitted(s, org, campaign):
    Ledger.objects.filter(pk=s["ledger"].pk).update(state=LedgerState.SUBMITTED, submitted_at=clock.now())


def _history_step(s, org, campaign):
    LedgerEvent.objects.create(ledger=s["ledger"], action="problem.return", comment="请细化", at=clock.now())


def _actor_renamed(s, org, campaign):
    Person.objects.filter(account__username="clerk_a1").update(name="赵文员")


def _actor_unlinked(s, org, campaign):
    User.objects.filter(username="clerk_a1").update(person=None, first_name="文员")


WRITES = [
    _measure_added, _measure_text_edited, _measure_deadline_moved, _measure_lit_red, _measure_deleted,
    _measure_moved_to_another_list, _responsible_person_changed, _responsible_person_renamed,
    _responsible_unit_renamed, _ancestor_renamed, _problem_edited, _problem_returned, _problem_deleted,
    _benchmark_unmarked, _benchmark_renamed, _category_renamed, _source_renamed, _key_area_renamed,
    _list_submitted, _history_step, _actor_renamed, _actor_unlinked,
]  # fmt: skip


@pytest.mark.parametrize("write", WRITES)
def test_after_a_write_the_page_equals_one_drawn_afresh(shown, people, client_for, org, campaign, computed, write):
    client = client_for(people.own_clerk)
    before = part(client, shown["ledger"])
    assert part(client, shown["ledger"]) == before
    assert len(computed) == 1  # the second was the cache's
    write(shown, org, campaign)
    after = part(client, shown["ledger"])
    assert after == fresh_part(client, shown["ledger"])
    assert after != before  # the write is one the page shows
    assert len(computed) == 3


def test_a_measure_moved_away_shows_on_both_lists(shown, people, client_for, org, campaign):
    client = client_for(people.office)
    parts = [part(client, shown["ledger"]), part(client, shown["other"].ledger)]
    _measure_moved_to_another_list(shown, org, campaign)
    assert "实行首问负责制" not in part(client, shown["ledger"])["body"]
    assert "实行首问负责制" in part(client, shown["other"].ledger)["body"]
    assert parts[0] != part(client, shown["ledger"])


def test_a_write_to_another_list_keeps_this_one_cached(shown, people, client_for, org, campaign, computed):
    client = client_for(people.office)
    part(client, shown["ledger"])
    Problem.objects.filter(pk=shown["other"].pk).update(description="改了另一份清单")
    part(client, shown["ledger"])
    assert computed == [(shown["ledger"].pk, False)]


def test_the_next_day_is_drawn_again(shown, people, client_for, computed):
    client = client_for(people.office)
    with clock.frozen(dt.datetime(2018, 10, 1, 23, 59)):
        part(client, shown["ledger"])
        part(client, shown["ledger"])
    with clock.frozen(dt.datetime(2018, 10, 2, 0, 1)):
        part(client, shown["ledger"])
    assert len(computed) == 2


def test_a_retitled_campaign_shows_on_the_next_page(shown, people, client_for, campaign, computed):
    client = client_for(people.office)
    part(client, shown["ledger"])
    campaign.title = "作风建设专项活动"
    campaign.save()  # as load_campaign and the admin save it: updated_at moves
    assert "作风建设专项活动" in client.get(url(shown["ledger"])).content.decode()
    assert len(computed) == 2


def test_the_review_button_follows_the_state_and_the_right(shown, people, client_for):
    Ledger.objects.filter(pk=shown["ledger"].pk).update(state=LedgerState.SUBMITTED, submitted_at=clock.now())
    review = f'href="/rectification/review/ledgers/{shown["ledger"].pk}/"'
    assert review in client_for(people.reviewer).get(url(shown["ledger"])).content.decode()
    assert review not in client_for(people.own_clerk).get(url(shown["ledger"])).content.decode()
    assert review not in client_for(people.inspector).get(url(shown["ledger"])).content.decode()


# ── who sees what ──────────────────────────────────────────────────────────


def test_people_with_different_rights_never_share_the_table(shown, people, client_for):
    viewers = [people.own_clerk, people.office, people.reviewer, people.inspector]
    expected = {user.username: fresh_part(client_for(user), shown["ledger"]) for user in viewers}
    cache.clear()
    for user in [*viewers, *reversed(viewers)]:  # warm for everyone, in both orders
        assert part(client_for(user), shown["ledger"]) == expected[user.username], user.username
    assert 'title="删除"' in expected["clerk_a1"]["body"]
    assert "只读" not in expected["clerk_a1"]["body"]
    for username in ("office", "leader_a", "inspector"):
        assert 'title="删除"' not in expected[username]["body"]
        assert "只读" in expected[username]["body"]


def test_people_with_the_same_rights_share_one_drawing(shown, people, client_for, org, computed):
    second_clerk = make_user("clerk_a1_deputy", role=Role.SECTION_CLERK, unit=org.section_a1)
    assert part(client_for(people.own_clerk), shown["ledger"]) == part(client_for(second_clerk), shown["ledger"])
    assert part(client_for(people.office), shown["ledger"]) == part(client_for(people.inspector), shown["ledger"])
    assert computed == [(shown["ledger"].pk, True), (shown["ledger"].pk, False)]


def test_a_cached_list_is_still_hidden_from_who_may_not_see_it(shown, people, client_for, org):
    part(client_for(people.office), shown["ledger"])  # cached for read-only viewers
    for user in (people.sibling_clerk, people.other_leader, people.sysadmin):
        assert client_for(user).get(url(shown["ledger"])).status_code == 404, user.username
    for path in ("/rectification/ledgers/999999/", f"/rectification/ledgers/{2**64}/"):
        assert client_for(people.office).get(path).status_code == 404, path


def test_a_revoked_right_shows_on_the_next_page(shown, people, client_for):
    client = client_for(people.own_clerk)
    assert 'title="删除"' in part(client, shown["ledger"])["body"]
    people.own_clerk.role_assignments.update(role=Role.INSPECTOR)
    assert "只读" in part(client, shown["ledger"])["body"]


def test_the_shared_part_holds_nothing_of_the_person_or_the_request(shown, people, client_for):
    response = client_for(people.own_clerk).get(url(shown["ledger"]))
    shared, page = _SERVED[-1], response.content.decode()
    token = page_token(page)
    assert token not in shared["body"]
    assert shared["body"].count(shared["slot"]) == 3  # 提交审核, 导出台账 and 从 Excel 导入's forms
    assert shared["slot"] not in page
    assert page.count(f'name="csrfmiddlewaretoken" value="{token}"') == 4  # and the navbar's 退出登录
    assert shared["title"] == "区财政局·预算科"


def test_two_people_sharing_a_part_each_get_their_own_token(shown, people, client_for, org, computed):
    deputy = make_user("clerk_a1_deputy", role=Role.SECTION_CLERK, unit=org.section_a1)
    pages = [client_for(user).get(url(shown["ledger"])) for user in (people.own_clerk, deputy)]
    assert len(computed) == 1
    tokens = [page_token(page.content.decode()) for page in pages]
    assert tokens[0] != tokens[1]
    for page, token, other in zip(pages, tokens, reversed(tokens), strict=True):
        assert f'value="{token}"' in page.content.decode() and other not in page.content.decode()


# ── the marker ──────────────────────────────────────────────────────────────


def stamps() -> dict[int, int]:
    return dict(LedgerStamp.objects.values_list("ledger_id", "changes"))


def test_each_write_bumps_its_list_and_a_name_bumps_row_0(shown, org):
    ledger, other = shown["ledger"].pk, shown["other"].ledger_id
    before = stamps()
    Measure.objects.filter(pk=shown["measure"].pk).update(remark="已部署")
    assert stamps() == {**before, ledger: before[ledger] + 1}
    before = stamps()
    Measure.objects.filter(pk=shown["measure"].pk).update(problem=shown["other"])
    assert stamps() == {**before, ledger: before[ledger] + 1, other: before[other] + 1}
    before = stamps()
    Unit.objects.filter(pk=org.section_b1.pk).update(name="外贸服务科")
    assert stamps() == {**before, NAMES: before.get(NAMES, 0) + 1}


def test_writes_the_page_does_not_show_bump_nothing(shown, people, org):
    before = stamps()
    Person.objects.filter(pk=shown["person"].pk).update(phone="88889999")
    Unit.objects.filter(pk=org.section_a1.pk).update(code="D01S01-new")
    User.objects.filter(pk=people.own_clerk.pk).update(last_login=clock.now())
    Campaign.objects.filter(pk=shown["ledger"].campaign_id).update(issuer="区委办")
    PersonFactory(unit=org.section_a1, name="新同事")  # no list names a new person yet
    make_user("clerk_a1_new", role=Role.SECTION_CLERK, unit=org.section_a1)
    assert stamps() == before


def test_stamps_outlive_their_list(shown):
    ledger = shown["ledger"]
    Ledger.objects.filter(pk=ledger.pk).delete()
    assert LedgerStamp.objects.filter(ledger_id=ledger.pk).exists()


def test_missing_triggers_are_reinstalled(shown):
    ledger_stamp_triggers.remove(connection)
    before = stamps()
    Measure.objects.filter(pk=shown["measure"].pk).update(text="无触发器时的修改")
    assert stamps() == before
    ledger_stamp_triggers.ensure(connection)
    Measure.objects.filter(pk=shown["measure"].pk).update(text="触发器回来了")
    assert stamps()[shown["ledger"].pk] == before[shown["ledger"].pk] + 1


def test_a_cached_page_reads_two_statements(shown, people, client_for, django_assert_num_queries):
    client = client_for(people.own_clerk)
    part(client, shown["ledger"])
    with django_assert_num_queries(2):  # the session with the user, the list with its marker
        part(client, shown["ledger"])


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_writers_of_different_lists_do_not_wait_for_each_other(campaign, org):
    first = Ledger.objects.create(campaign=campaign, unit=org.section_a1)
    second = Ledger.objects.create(campaign=campaign, unit=org.section_a2)
    before = stamps()
    second_writer_does_not_wait(
        lambda: LedgerEvent.objects.create(ledger=first, action="ledger.submit", at=clock.now()),
        lambda: LedgerEvent.objects.create(ledger=second, action="ledger.submit", at=clock.now()),
    )
    assert stamps() == {**before, first.pk: before[first.pk] + 1, second.pk: before[second.pk] + 1}
