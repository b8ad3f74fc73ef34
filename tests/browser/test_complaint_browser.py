"""群众提, the issue's acceptance scenario in a real browser: a visitor on a phone files a named complaint
about 区财政局 with a photo and gets a tracking code; the office dispatches; the unit signs, asks for an
extension, replies; the reporter reads the reply with the code and rates 不满意; the office sends it back;
the unit replies again; 办结; the unit's list holds a 群众提 problem. The unit never sees the reporter."""

import datetime as dt

import pytest

from tests.browser.conftest import ui_login
from tests.complaints import conftest as complaints_support
from tests.upload_files import jpg_bytes
from zuofeng.complaints.models import Captcha, Complaint, ComplaintState
from zuofeng.rectification.models import Problem

campaign = complaints_support.campaign  # the fixture, found by pytest as a module attribute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE_SIZE = {"width": 390, "height": 844}


def _signed_in(browser, live_server, username, password):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    ui_login(page, username, password)
    return page


def _move(page, pk, to, button, **fields):
    page.goto(f"/complaints/{pk}/")
    form = page.locator(f"form[data-move={to}]")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.get_by_role("button", name=button).click()


def test_phone_visitor_to_concluded_problem(browser, live_server, campaign, org, people, password, tmp_path):
    photo = tmp_path / "窗口照片.jpg"
    photo.write_bytes(jpg_bytes())
    phone = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE_SIZE, is_mobile=True)
    phone.set_default_timeout(10_000)
    visitor = phone.new_page()
    visitor.goto("/complaints/report/")
    visitor.get_by_label("投诉", exact=True).check()
    visitor.get_by_label("遇到了什么情况").select_option(label="推诿扯皮")
    visitor.get_by_label("反映哪个单位").fill("czj")
    visitor.get_by_label("区财政局", exact=True).check()
    visitor.get_by_label("事情经过").fill("到财政局办理退付，窗口让我补材料，第二次去又说缺另一份，前后跑了三趟。")
    visitor.get_by_label("照片或材料").set_input_files(str(photo))
    visitor.get_by_label("实名反映（便于回访，单位看不到您的信息）").check()
    visitor.get_by_label("姓名").fill("王秀英")
    visitor.get_by_label("手机号码").fill("13912345678")
    token = visitor.locator("input[name=captcha]").input_value()
    a, b = Captcha.objects.get(token=token).answer.split("+")
    visitor.get_by_label("验证码：图中算式的结果").fill(str(int(a) + int(b)))
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="提交").click()
    code = visitor.get_by_test_id("code").inner_text()
    secret = visitor.get_by_test_id("secret").inner_text()
    complaint = Complaint.objects.get(code=code)
    assert (complaint.reported_unit, complaint.attachments.count()) == (org.dept_a, 1)

    office = _signed_in(browser, live_server, "office", password)
    _move(office, complaint.pk, "dispatched", "派单")
    complaint.refresh_from_db()
    assert (complaint.state, complaint.unit) == (ComplaintState.DISPATCHED, org.dept_a)

    unit = _signed_in(browser, live_server, "leader_a", password)
    _move(unit, complaint.pk, "handling", "签收")
    later = (complaint.deadline + dt.timedelta(days=7)).isoformat()
    _move(unit, complaint.pk, "extension_requested", "申请延期", extension_until=later, comment="需调取窗口监控")
    office.goto(f"/complaints/{complaint.pk}/")
    office.locator("form[data-move=handling]").get_by_label("同意", exact=True).check()
    with office.expect_navigation():
        office.locator("form[data-move=handling]").get_by_role("button", name="审批延期").click()
    _move(unit, complaint.pk, "replied", "答复", reply="经查属实，已对窗口人员批评教育，并实行一次性告知。")
    _move(office, complaint.pk, "answered", "答复审核通过")

    visitor.goto("/complaints/track/")
    visitor.get_by_label("查询码").fill(code)
    visitor.get_by_label("查询密码").fill(secret)
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="查询").click()
    assert "经查属实，已对窗口人员批评教育" in visitor.get_by_test_id("reply").inner_text()
    visitor.get_by_label("不满意", exact=True).check()
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="提交评价").click()
    assert visitor.get_by_test_id("state").inner_text() == "已评价"

    _move(office, complaint.pk, "handling", "重办", comment="群众不满意，请当面回访并办结")
    _move(unit, complaint.pk, "replied", "答复", reply="已当面回访，事项当场办结，群众认可。")
    _move(office, complaint.pk, "answered", "答复审核通过")
    office.goto(f"/complaints/{complaint.pk}/")
    office.locator("form[data-move=concluded]").locator("[name=obstruction_category]").select_option(label="责任中梗阻")
    with office.expect_navigation():
        office.locator("form[data-move=concluded]").get_by_role("button", name="办结").click()

    complaint.refresh_from_db()
    assert (complaint.state, complaint.redo_count) == (ComplaintState.CONCLUDED, 1)
    problem = Problem.objects.get(pk=complaint.problem_id)
    assert (problem.unit_id, problem.origin, problem.source.kind) == (org.dept_a.pk, "群众提", "public")
    unit.goto(f"/rectification/ledgers/{problem.ledger_id}/")
    assert "前后跑了三趟" in unit.content()
    for path in (f"/complaints/{complaint.pk}/", "/complaints/unit/", "/"):
        unit.goto(path)
        assert "王秀英" not in unit.content() and "13912345678" not in unit.content()
