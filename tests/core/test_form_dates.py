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


CRAWLS: dict[str, pages.Crawl] = {}  # by role, kept for the coverage test at the end
# Routes of the URL conf no demo role reaches by a link, and why that is not a missed form page.
# (Routes that refuse GET — POST-only actions — are recognised by their 405 and need no entry.)
NOT_REACHED = {
    "healthz": "monitoring probe, plain text",
    "readyz": "monitoring probe, JSON for the allow-list",
    "metrics": "Prometheus text for the allow-list",
    "campaigns:award_form": "Word download",
    "nominations:announcement": "Word download",
    "nominations:blank_docx": "Word download",
    "nominations:blank_pdf": "PDF download",
    "nominations:summary_xlsx": "Excel download",
    "nominations:photo": "image",
    "nominations:opinion_scan": "scan download",
    "nominations:export_job": "progress fragment of a ZIP job the office starts",
    "nominations:export_download": "ZIP download",
    "rectification:dashboard_export_job": "progress fragment of an export the office starts",
    "rectification:dashboard_export_download": "Excel download",
    "rectification:dashboard_word": "Word download",
    "rectification:ledger_template": "Excel download",
    "rectification:ledger_table": "htmx fragment that a cancel button reloads; no form",
    "rectification:ledger_problem_row": "htmx fragment that a cancel button reloads; no form",
    "rectification:ledger_measure_row": "htmx fragment that a cancel button reloads; no form",
    "rectification:ledger_symptoms": "htmx <option> list for the category select",
    "rectification:ledger_people": "htmx <option> list for the unit select",
    "rectification:ledger_import": "answers the import form's POST; the form is on the ledger page",
    "rectification:ledger_history": "history page without a form",
    "rectification:change_decide": "the demo has no pending change request",
    "supervision:round_report": "Word download",
    "notices:docx": "Word download",
    "notices:pdf": "PDF download",
    "notices:bulletin_document": "Word / PDF download",
    "notices:bulletin": "the demo has no bulletin (tests/notices/test_bulletins*.py render its page)",
    "notices:public_bulletin": "the demo publishes no bulletin (tests/notices/test_bulletins.py opens it anonymously)",
    "supervision:photo": "image (the demo findings have no photos)",
    "assessment:run": "progress page of a score computation the office starts",
    "assessment:cluster_run": "progress page of a clustering the office starts",
    "assessment:export_xlsx": "Excel download",
    "assessment:export_docx": "Word download",
    "projects:evidence": "file download (the demo's project reports carry no files)",
    "projects:export_xlsx": "Excel download",
    "projects:area_summary": "Word download",
    "projects:person_record": "old address of a person's activities; redirects to organisation:person_detail",
    "complaints:attachment": "file download (the demo's cases have no attachments)",
    "complaints:captcha": "PNG image",
    "complaints:report_done": "receipt after a report; no form (tests/complaints/test_intake.py)",
    "complaints:sheet": "Word download",
    "complaints:survey_poster": "PDF download",
    "complaints:track_case": "opened with a tracking code and secret in the visitor's session; its rating form is "
    "in tests/browser/test_complaint_browser.py at 390 px",
}


@pytest.mark.parametrize("role", pages.ROLES)
def test_every_date_input_on_every_form_page_is_iso(demo, role):
    crawl = CRAWLS[role] = pages.crawl(role)
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


def test_every_route_of_the_url_conf_is_reached_or_has_no_form_page(demo):
    """The page list is complete: what no role reaches is POST-only (405 to a GET) or listed above."""
    assert set(CRAWLS) == set(pages.ROLES), "run with the per-role tests above"
    reached = set().union(*(c.routes for c in CRAWLS.values()))
    office = pages.client_for("office")
    unreached = set(pages.url_conf_routes()) - reached - set(NOT_REACHED)
    post_only = {r for r in unreached if office.get(pages.sample_url(r)).status_code == 405}
    assert sorted(unreached - post_only) == []
