"""The list page's frame (core/frames.py): base.html around the kept part, drawn once for each way it
looks, is exactly the page drawn in full; it shows a rename, a new reminder or a message on the next
page, carries each request's own CSRF token, and is never another person's."""

import re

import pytest
from django.test import override_settings

from tests.factories import Role, make_user
from zuofeng.core import clock, frames
from zuofeng.core.pieces import CSRF_SLOT
from zuofeng.organisation.models import Person
from zuofeng.reminders.models import Reminder

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept(kept_fresh):
    kept_fresh(frames, "_frames")


def url(ledger) -> str:
    return f"/rectification/ledgers/{ledger.pk}/"


def token(html: str) -> str:
    return re.search(r'"X-CSRFToken": "(\w+)"', html).group(1)


def in_full(client, ledger) -> str:
    """The page as Django draws it with no frame kept: DEBUG on."""
    with override_settings(DEBUG=True):
        return client.get(url(ledger)).content.decode()


def same_but_tokens(html: str) -> str:
    return html.replace(token(html), "{csrf}")


def test_the_framed_page_is_the_page_drawn_in_full_with_its_own_token_in_every_form(
    ledger, problem_with_measure, people, client_for
):
    client = client_for(people.own_clerk)
    first, second = (client.get(url(ledger)).content.decode() for _ in range(2))
    assert len(frames._frames) == 1
    full = in_full(client, ledger)
    assert same_but_tokens(first) == same_but_tokens(second) == same_but_tokens(full)
    for html in (first, second):
        assert CSRF_SLOT not in html and frames.PIECE_SLOT not in html
        assert html.count(f'name="csrfmiddlewaretoken" value="{token(html)}"') == 4  # 3 in the part, logout
        assert "<title>区财政局·预算科整改清单 · 作风效能专项活动管理平台</title>" in html
    assert token(first) != token(second)


def test_each_list_has_its_title_and_each_look_of_the_navbar_its_frame(
    ledger, problem_with_measure, people, client_for, campaign, org
):
    from zuofeng.rectification.models import Ledger

    other = Ledger.objects.create(campaign=campaign, unit=org.section_a2)
    office = client_for(people.office)
    assert "<title>区财政局·预算科整改清单" in office.get(url(ledger)).content.decode()
    assert "<title>区财政局·国库科整改清单" in office.get(url(other)).content.decode()
    clerk = client_for(people.own_clerk).get(url(ledger)).content.decode()
    assert "clerk_a1姓名" in clerk and "office姓名" not in clerk
    assert len(frames._frames) == 3


def test_a_rename_and_a_new_reminder_show_on_the_next_page(ledger, problem_with_measure, people, client_for):
    client = client_for(people.own_clerk)
    assert "clerk_a1姓名" in client.get(url(ledger)).content.decode()
    Person.objects.filter(pk=people.own_clerk.person_id).update(name="赵文员")
    Reminder.objects.create(recipient=people.own_clerk, kind="manual", title="整改期限临近", created_at=clock.now())
    html = client.get(url(ledger)).content.decode()
    assert "赵文员" in html and "clerk_a1姓名" not in html
    assert '<span class="badge rounded-pill text-bg-danger" data-testid="unread-count">1</span>' in html
    assert same_but_tokens(html) == same_but_tokens(in_full(client, ledger))


def test_a_message_is_shown_once_and_the_page_after_it_is_framed_again(
    ledger, problem_with_measure, people, client_for
):
    client = client_for(people.own_clerk)
    client.get(url(ledger))
    response = client.post(f"/rectification/review/ledgers/{ledger.pk}/submit/", follow=True)
    assert [str(m) for m in response.context["messages"]] == ["整改清单已提交，等待审核单位审核。"]
    assert "整改清单已提交，等待审核单位审核。" in response.content.decode()
    again = client.get(url(ledger)).content.decode()
    assert "整改清单已提交" not in again
    assert same_but_tokens(again) == same_but_tokens(in_full(client, ledger))


def test_two_people_alike_in_the_navbar_share_a_frame_but_not_a_token(
    ledger, problem_with_measure, people, client_for, org
):
    twin = make_user("clerk_a1_twin", role=Role.SECTION_CLERK, unit=org.section_a1)
    Person.objects.filter(pk=twin.person_id).update(name="clerk_a1姓名")
    pages = [client_for(user).get(url(ledger)).content.decode() for user in (people.own_clerk, twin)]
    assert len(frames._frames) == 1
    assert token(pages[0]) != token(pages[1])
    assert same_but_tokens(pages[0]) == same_but_tokens(pages[1])
