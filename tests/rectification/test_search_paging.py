"""Search pages by keyset (a cursor, never OFFSET) and estimates its counts past a threshold."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zuofeng.rectification.models import Ledger
from zuofeng.rectification.selectors import search as selectors
from zuofeng.rectification.selectors.search import count_label, search_page
from zuofeng.rectification.services import ledger as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def add_problem(ledger, campaign, people):
    duty, source = campaign.categories.get(key="duty"), campaign.sources.get(key="self")

    def add(text, target=None, actor=None):
        return services.problem_create(
            actor=actor or people.own_clerk, ledger=target or ledger, category=duty, source=source,
            description=text, found_on=dt.date(2018, 9, 1),
        )  # fmt: skip

    return add


@pytest.fixture
def many(add_problem):
    """25 problems with 推诿 among 5 without, interleaved."""
    hits = []
    for i in range(30):
        problem = add_problem(f"第{i}个：部门之间相互推诿" if i % 6 else f"第{i}个：材料重复提交")
        if i % 6:
            hits.append(problem.pk)
    return hits


def _walk(user, campaign, q="推诿", size=10):
    pages, after = [], None
    while True:
        page = search_page(user=user, q=q, campaign=campaign, kind="problem", after=after, size=size)
        pages.append([p.pk for p in page.items])
        if page.next_after is None:
            return pages
        after = page.next_after


def test_pages_follow_the_cursor_without_duplicates_or_omissions(many, people, campaign):
    pages = _walk(people.own_clerk, campaign)
    assert [len(p) for p in pages] == [10, 10, 5]
    assert [pk for page in pages for pk in page] == many  # every match once, in the order recorded


def test_next_page_starts_after_the_cursor_and_uses_no_offset(many, people, campaign):
    first = search_page(user=people.office, q="推诿", campaign=campaign, kind="problem", size=10)
    assert (first.next_after, first.count, first.estimated) == (many[9], 25, False)
    with CaptureQueriesContext(connection) as queries:
        second = search_page(user=people.office, q="推诿", campaign=campaign, kind="problem", after=many[9], size=10)
    assert [p.pk for p in second.items] == many[10:20]
    assert second.next_after == many[19]
    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)


def test_items_added_while_paging_neither_repeat_nor_shift_pages(many, people, campaign, add_problem):
    first = search_page(user=people.office, q="推诿", campaign=campaign, kind="problem", size=10)
    late = add_problem("新发现：审批推诿")
    rest = _walk_from(people.office, campaign, first.next_after)
    assert [p.pk for p in first.items] + rest == [*many, late.pk]


def _walk_from(user, campaign, after):
    found = []
    while after is not None:
        page = search_page(user=user, q="推诿", campaign=campaign, kind="problem", after=after, size=10)
        found += [p.pk for p in page.items]
        after = page.next_after
    return found


def test_paging_stays_within_the_users_units(many, people, campaign, org, add_problem):
    sibling = Ledger.objects.create(campaign=campaign, unit=org.section_a2)
    other = [add_problem(f"国库科推诿{i}", target=sibling, actor=people.sibling_clerk).pk for i in range(3)]
    assert [pk for page in _walk(people.own_clerk, campaign) for pk in page] == many
    assert [pk for page in _walk(people.sibling_clerk, campaign) for pk in page] == other
    assert [pk for page in _walk(people.reviewer, campaign) for pk in page] == [*many, *other]


def test_longer_terms_and_several_terms_page_exactly(many, people, campaign, add_problem):
    apart = add_problem("推动工作，诿过于人")  # has the bigrams 推动… and 诿过 but not 推诿 together
    assert [pk for page in _walk(people.office, campaign, q="相互推诿") for pk in page] == many
    assert _walk(people.office, campaign, q="推诿 材料") == [[]]
    assert apart.pk not in [pk for page in _walk(people.office, campaign) for pk in page]


@pytest.mark.parametrize(
    ("count", "estimated", "label"),
    [
        (0, False, "共 0 条"),
        (25, False, "共 25 条"),
        (1001, True, "1000 条以上"),
        (3456, True, "约 3500 条"),
        (12345, True, "约 1.2 万条"),
        (20400, True, "约 2 万条"),
        (123456, True, "约 12 万条"),
    ],
)
def test_count_wording(count, estimated, label):
    assert count_label(count, estimated) == label


def test_counts_past_the_threshold_are_estimated(many, people, campaign, monkeypatch):
    monkeypatch.setattr(selectors, "EXACT_UP_TO", 20)
    page = search_page(user=people.office, q="推诿", campaign=campaign, kind="problem", size=10)
    assert page.estimated is True
    if connection.vendor == "sqlite":
        assert (page.count, page.count_label) == (25, "约 25 条")  # the FTS5 vocabulary's row count
    else:
        matches = selectors._matching(selectors._base(people.office, "problem", campaign), "problem", ["推诿"])
        assert page.count == max(selectors._estimate(matches, people.office, ["推诿"]), 21)
        assert page.count_label == count_label(page.count, True)
    small = search_page(user=people.office, q="材料", campaign=campaign, kind="problem", size=10)
    assert (small.count, small.estimated, small.count_label) == (5, False, "共 5 条")


def test_narrower_scope_on_sqlite_says_more_than_the_threshold(many, people, campaign, monkeypatch):
    monkeypatch.setattr(selectors, "EXACT_UP_TO", 20)
    page = search_page(user=people.own_clerk, q="推诿", campaign=campaign, kind="problem", size=10)
    assert page.estimated is True
    if connection.vendor == "sqlite":
        assert page.count_label == "20 条以上"


def test_search_page_links_to_the_next_page_of_one_list(many, client_for, people):
    client = client_for(people.own_clerk)
    url = reverse("rectification:search")
    first = client.get(url, {"q": "推诿"}).content.decode()
    assert f'href="?q=%E6%8E%A8%E8%AF%BF&amp;kind=problem&amp;after={many[19]}"' in first
    assert 'data-testid="problem-count">共 25 条<' in first
    assert first.count("<mark>推诿</mark>") == 20
    second = client.get(url, {"q": "推诿", "kind": "problem", "after": str(many[19])}).content.decode()
    assert second.count("<mark>推诿</mark>") == 5
    assert 'data-testid="measure-results"' not in second
    assert "回到第一页" in second and 'data-testid="problem-next"' not in second
    nonsense = client.get(url, {"q": "推诿", "kind": "problem", "after": "-1; DROP"}).content.decode()
    assert nonsense.count("<mark>推诿</mark>") == 20  # a cursor that is not a number starts from the beginning


def test_search_query_count_is_the_same_for_5_and_25_matches(people, campaign, client_for, add_problem):
    client = client_for(people.office)
    url = reverse("rectification:search")
    for i in range(5):
        add_problem(f"推诿{i}")
    client.get(url, {"q": "推诿"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "推诿"})
    for i in range(20):
        add_problem(f"推诿{i}")
    with CaptureQueriesContext(connection) as more:
        client.get(url, {"q": "推诿"})
    # the session with the user (with roles and the badge's unread count), campaign, and one statement
    # for both lists (per list: up to 1,001 ids counted, the page's rows joined to the smallest); the
    # planner's estimate only past 1,000 matches
    assert (len(few), len(more)) == (3, 3)


def test_latin_terms_past_the_threshold_are_not_guessed(people, campaign, add_problem, monkeypatch):
    monkeypatch.setattr(selectors, "EXACT_UP_TO", 3)
    for i in range(25):
        add_problem(f"ABC系统第{i}次")
    page = search_page(user=people.office, q="abc", campaign=campaign, kind="problem", size=10)
    assert ([len(page.items)], page.count, page.estimated, page.count_label) == ([10], 4, True, "3 条以上")
