"""活动信息 and 简报: units report (own units only), the office adopts or declines with a reason,
adopted items become 简报 第N期 (a notice draft issued like any other), per-unit counts per period."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.upload_files import png_bytes
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.notices.models import Briefing, InfoItem
from zuofeng.notices.selectors.info import info_counts
from zuofeng.notices.services.info import briefing_compile, info_decide, info_report
from zuofeng.notices.workflow import notice_transition

pytestmark = pytest.mark.django_db
DAY = dt.date(2018, 8, 20)


def report(user, unit, title="召开动员大会", day=DAY, **kw):
    return info_report(actor=user, unit=unit, title=title, text="全局干部参加动员大会。", happened_on=day, **kw)


def test_units_report_their_own_news_with_a_photo(people, org, private_root):
    photo = SimpleUploadedFile("会场.png", png_bytes(), content_type="image/png")
    item = report(people.reviewer, org.dept_a, photo=photo)
    assert (item.state, item.unit, item.photo.storage.exists(item.photo.name)) == ("reported", org.dept_a, True)
    with pytest.raises(PermissionDenied):
        report(people.reviewer, org.dept_b)
    with pytest.raises(ValidationError) as error:
        info_report(actor=people.reviewer, unit=org.dept_a, title="", text="", happened_on=None)
    assert error.value.message_dict == {
        "title": ["请填写标题。"],
        "text": ["请填写内容。"],
        "happened_on": ["请填写日期。"],
    }


def test_decline_needs_a_reason_and_is_decided_once(people, org):
    item = report(people.reviewer, org.dept_a)
    with pytest.raises(ValidationError) as error:
        info_decide(actor=people.office, item=item, adopt=False)
    assert error.value.message_dict == {"reason": ["不采用时请填写理由。"]}
    info_decide(actor=people.office, item=item, adopt=False, reason="内容与专项活动无关。")
    assert (item.state, item.reason) == ("declined", "内容与专项活动无关。")
    with pytest.raises(ValidationError):
        info_decide(actor=people.office, item=item, adopt=True)
    with pytest.raises(PermissionDenied):
        info_decide(actor=people.reviewer, item=report(people.reviewer, org.dept_a), adopt=True)


def test_adopted_items_compile_into_numbered_briefings_issued_like_a_notice(people, org, wujin):
    first = [report(people.reviewer, org.dept_a, f"信息{i}") for i in range(2)]
    for item in first:
        info_decide(actor=people.office, item=item, adopt=True)
    with clock.frozen(dt.date(2018, 9, 1)):
        briefing = briefing_compile(actor=people.office, campaign=wujin, items=first)
    assert briefing.number == 1
    body = briefing.notice.body.splitlines()
    assert body[:4] == [
        "（第1期）",
        "常州市武进区作风建设领导小组办公室编　2018年9月1日",
        "一、信息0",
        "全局干部参加动员大会。（武进区财政局）",
    ]
    with pytest.raises(ValidationError):  # already in a 简报
        briefing_compile(actor=people.office, campaign=wujin, items=first)
    second = report(people.reviewer, org.dept_a, "信息2")
    info_decide(actor=people.office, item=second, adopt=True)
    assert briefing_compile(actor=people.office, campaign=wujin, items=[second]).number == 2
    notice = briefing.notice
    notice.addressees.set([org.dept_a])
    issued = notice_transition(actor=people.office, notice=notice, to="issued")
    assert issued.deliveries.count() == 1 and Briefing.objects.count() == 2
    assert AuditEntry.objects.filter(action="briefing.compile").count() == 2


def test_counts_per_unit_per_period(people, org):
    info_decide(actor=people.office, item=report(people.reviewer, org.dept_a), adopt=True)
    report(people.reviewer, org.dept_a)
    report(people.other_leader, org.dept_b)
    report(people.other_leader, org.dept_b, day=dt.date(2018, 9, 2))
    counts = info_counts(user=people.office, start=dt.date(2018, 8, 1), end=dt.date(2018, 9, 1))
    assert [(c.name, c.reported, c.adopted) for c in counts] == [("区财政局", 2, 1), ("区商务局", 1, 0)]
    mine = info_counts(user=people.reviewer, start=dt.date(2018, 8, 1), end=dt.date(2018, 9, 1))
    assert [(c.name, c.reported) for c in mine] == [("区财政局", 2)]


def test_info_pages(client_for, people, org):
    leader = client_for(people.reviewer)
    response = leader.post(
        "/notices/info/report/", {"unit": org.dept_a.pk, "title": "", "text": "保留的内容", "happened_on": "2018-08-20"}
    )
    assert response.status_code == 400 and "请填写标题。" in response.content.decode()
    assert "保留的内容" in response.content.decode()
    leader.post(
        "/notices/info/report/", {"unit": org.dept_a.pk, "title": "动员会", "text": "内容", "happened_on": "2018-08-20"}
    )
    item = InfoItem.objects.get()
    office = client_for(people.office)
    assert f'data-testid="queue-{item.pk}"' in office.get("/notices/info/").content.decode()
    office.post(f"/notices/info/{item.pk}/decide/", {"adopt": "0", "reason": "请补充成效"})
    html = leader.get("/notices/info/?period=2018-08").content.decode()
    assert "未采用：请补充成效" in html
    assert client_for(people.judge).get("/notices/info/").status_code == 403
    assert client_for(people.other_leader).post(f"/notices/info/{item.pk}/decide/", {"adopt": "1"}).status_code == 403
