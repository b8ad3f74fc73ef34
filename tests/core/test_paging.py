"""?page= on list pages: a page that is not there is a 404 that says why, never a quiet other page."""

import pytest
from django.core.paginator import Paginator
from django.http import Http404

from zuofeng.core.paging import page_or_404

pytestmark = pytest.mark.django_db

ITEMS = list(range(120))  # 3 pages of 50


@pytest.mark.parametrize(("value", "number"), [(None, 1), ("", 1), ("1", 1), ("3", 3)])
def test_existing_pages(value, number):
    assert page_or_404(Paginator(ITEMS, 50), value).number == number


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "第 0 页不存在：共 3 页。"),
        ("4", "第 4 页不存在：共 3 页。"),
        ("abc", "页码“abc”不正确：请填写 1 到 3 之间的整数。"),
        ("-1", "页码“-1”不正确：请填写 1 到 3 之间的整数。"),
        ("２", "页码“２”不正确：请填写 1 到 3 之间的整数。"),  # a full-width digit is not taken as 2
        ("99999999999999999999", "页码“99999999999999999999”不正确：请填写 1 到 3 之间的整数。"),
    ],
)
def test_pages_that_are_not_there(value, message):
    with pytest.raises(Http404) as refused:
        page_or_404(Paginator(ITEMS, 50), value)
    assert str(refused.value) == message


def test_an_empty_list_has_its_one_empty_page():
    assert list(page_or_404(Paginator([], 50), None).object_list) == []


@pytest.mark.parametrize("url", ["/audit/?page=", "/reminders/?page=", "/accounts/users/?page="])
def test_list_pages_answer_404_with_the_reason(client_for, people, url):
    user = {"/audit/?page=": people.auditor, "/accounts/users/?page=": people.sysadmin}.get(url, people.office)
    response = client_for(user).get(url + "99999999999999999999")
    assert response.status_code == 404
    assert "页码“99999999999999999999”不正确：请填写 1 到 1 之间的整数。" in response.content.decode()
    assert client_for(user).get(url + "1").status_code == 200
