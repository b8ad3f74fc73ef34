"""Pieces of pages kept per process (core/pieces.py): the navbar is drawn once for each way it can
look, shows every change of what it shows on the next page, and carries each request's own CSRF token."""

import re

import pytest

from tests.factories import Role, make_user
from zuofeng.core import clock
from zuofeng.core.pieces import CSRF_SLOT, piece_fill
from zuofeng.core.templatetags import nav
from zuofeng.organisation.models import Person
from zuofeng.reminders.models import Reminder

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept(kept_fresh):
    kept_fresh(nav, "_navbars")


def page(client) -> str:
    response = client.get("/campaigns/")
    assert response.status_code == 200
    return response.content.decode()


def navbar(html: str) -> str:
    return html[html.index('<nav class="navbar') : html.index("</nav>")]


def token(html: str) -> str:
    return re.search(r'"X-CSRFToken": "(\w+)"', html).group(1)


def test_the_logout_form_carries_this_requests_token_and_no_slot(people, client_for):
    client = client_for(people.own_clerk)
    first, second = page(client), page(client)
    for html in (first, second):
        assert CSRF_SLOT not in html
        assert f'name="csrfmiddlewaretoken" value="{token(html)}"' in navbar(html)
    assert token(first) != token(second)  # masked afresh on every request, as Django does
    assert len(nav._navbars) == 1


def test_a_renamed_person_shows_on_the_next_page(people, client_for):
    client = client_for(people.own_clerk)
    assert "clerk_a1姓名" in navbar(page(client))
    Person.objects.filter(pk=people.own_clerk.person_id).update(name="赵文员")
    html = navbar(page(client))
    assert "赵文员" in html and "clerk_a1姓名" not in html


def test_the_unread_count_follows_the_reminders(people, client_for):
    client = client_for(people.own_clerk)
    assert 'data-testid="unread-count"' not in navbar(page(client))
    for i in range(3):
        Reminder.objects.create(recipient=people.own_clerk, kind="manual", title=f"提醒{i}", created_at=clock.now())
    assert '<span class="badge rounded-pill text-bg-danger" data-testid="unread-count">3</span>' in navbar(page(client))
    Reminder.objects.filter(recipient=people.own_clerk).update(read_at=clock.now())
    assert 'data-testid="unread-count"' not in navbar(page(client))


def test_a_role_granted_shows_its_menu_and_assignment_on_the_next_page(people, client_for, org):
    client = client_for(people.own_clerk)
    assert "待我审核" not in navbar(page(client))
    people.own_clerk.role_assignments.create(role=Role.UNIT_LEADER, unit=org.section_a1)
    html = navbar(page(client))
    assert "待我审核" in html
    assert "单位管理员/分管领导（预算科）" in html


def test_people_who_look_different_never_share_a_navbar(people, client_for, org):
    twin = make_user("clerk_a1_twin", role=Role.SECTION_CLERK, unit=org.section_a1)
    own, other = navbar(page(client_for(people.own_clerk))), navbar(page(client_for(twin)))
    assert "clerk_a1姓名" in own and "clerk_a1_twin姓名" not in own
    assert "clerk_a1_twin姓名" in other and "clerk_a1姓名" not in other
    assert len(nav._navbars) == 2


def test_filling_puts_the_token_in_every_slot_and_nothing_else():
    html = f'<input value="{CSRF_SLOT}"><p>zfcsrf</p><input value="{CSRF_SLOT}">'
    assert piece_fill(html=html, token="T0k") == '<input value="T0k"><p>zfcsrf</p><input value="T0k">'
