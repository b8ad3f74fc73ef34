"""Every date input carries an ISO value: a browser's date picker shows nothing for “2026/11/27”.

Each demo role's form pages (tests/pages.py walks them from the URL conf and the demo data) are
rendered by the server and every <input type="date"> must be empty or YYYY-MM-DD, every
<input type="datetime-local"> empty or YYYY-MM-DDTHH:MM(:SS).
"""

import datetime as dt
import re

import lxml.html
import pytest
from django import forms

from tests import pages
from zuofeng.nominations.views.judging import OpinionForm

demo = pages.demo
pytestmark = pytest.mark.django_db
ISO = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "datetime-local": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?"),
}


def bad_date_values(html: str) -> list[str]:
    doc = lxml.html.fromstring(html)
    wrong = []
    for el in doc.iter("input"):
        kind, value = el.get("type"), el.get("value") or ""
        if kind in ISO and value and not ISO[kind].fullmatch(value):
            wrong.append(f"{el.get('name')}={value!r}")
    return wrong


def test_opinion_form_prefills_signing_date_as_iso():
    form = OpinionForm(initial={"signed_on": dt.date(2026, 11, 27)})
    assert 'value="2026-11-27"' in str(form["signed_on"])
    assert bad_date_values(str(form["signed_on"])) == []


def test_plain_django_date_widgets_render_iso():
    class Plain(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        moment = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    form = Plain(initial={"day": dt.date(2018, 9, 30), "moment": dt.datetime(2018, 9, 30, 17, 30)})
    assert 'value="2018-09-30"' in str(form["day"])
    assert 'value="2018-09-30T17:30"' in str(form["moment"])


def test_typed_chinese_dates_still_parse():
    field = forms.DateField()
    assert [field.clean(v) for v in ("2018-09-30", "2018/09/30", "2018年9月30日")] == [dt.date(2018, 9, 30)] * 3


@pytest.mark.parametrize("role", pages.ROLES)
def test_every_date_input_on_every_form_page_is_iso(demo, role):
    crawl = pages.crawl(role)
    client = pages.client_for(role)
    wrong = {}
    for page in crawl.pages:
        url = page.fragment or page.url
        headers = {"HX-Request": "true"} if page.fragment else {}
        bad = bad_date_values(client.get(url, headers=headers).content.decode())
        if bad:
            wrong[url] = bad
    assert crawl.pages, f"{role} reached no form page"
    assert wrong == {}
