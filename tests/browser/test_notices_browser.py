"""公文 in a real browser (the issue's acceptance scenario, first half): the office issues a notice to
three units; one signs; one forwards it to its section, which signs; the office sees one unit
unsigned and sends it a 催办."""

import pytest

from tests.browser.conftest import ui_login
from tests.factories import Role, make_unit, make_user
from zuofeng.notices.models import Delivery, Notice
from zuofeng.reminders.models import Reminder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(browser, live_server, username, password):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    ui_login(page, username, password)
    return context, page


def test_office_issues_units_sign_and_forward_office_chases(browser, live_server, people, org, password):
    town = make_unit(name="湖塘镇", kind="town", order=3, code="T01")
    town_leader = make_user("leader_t", role=Role.UNIT_LEADER, unit=town)

    context, page = _as(browser, live_server, "office", password)
    page.goto("/notices/")
    page.get_by_test_id("notice-new").click()
    page.get_by_label("发文机关", exact=True).fill("常州市武进区作风建设领导小组办公室")
    page.get_by_label("机关代字").fill("武作组办")
    page.get_by_label("标题", exact=True).fill("关于做好专项活动宣传发动工作的通知")
    page.get_by_label("主送单位（逐个选择）").select_option(label=["区财政局", "区商务局", "湖塘镇"])
    page.get_by_label("正文", exact=True).fill("一、提高认识\n各单位要认真组织学习。")
    page.get_by_label("成文日期", exact=True).fill("2018-08-10")
    page.get_by_label("印发机关", exact=True).fill("常州市武进区作风建设领导小组办公室")
    page.get_by_label("印发日期", exact=True).fill("2018-08-10")
    page.get_by_test_id("notice-save").click()
    with page.expect_navigation():
        page.get_by_test_id("notice-issue").click()
    assert page.get_by_test_id("doc-number").inner_text() == "武作组办〔2018〕1号"
    assert page.get_by_test_id("sign-counts").inner_text() == "已签收 0 / 3"
    notice = Notice.objects.get()
    context.close()

    context, page = _as(browser, live_server, "leader_b", password)  # 区商务局 signs
    page.goto(f"/notices/{notice.pk}/")
    with page.expect_navigation():
        page.get_by_test_id("copy-D02").get_by_test_id("acknowledge").click()
    assert page.get_by_test_id("copy-D02").get_by_test_id("signed").is_visible()
    context.close()

    context, page = _as(browser, live_server, "leader_a", password)  # 区财政局 forwards to 预算科
    page.goto(f"/notices/{notice.pk}/")
    copy = page.get_by_test_id("copy-D01")
    copy.get_by_test_id("forward-open").click()
    copy.get_by_label("预算科").check()
    copy.get_by_label("印发机关").fill("武进区财政局办公室")
    copy.get_by_label("印发日期").fill("2018-08-31")
    with page.expect_navigation():
        copy.get_by_test_id("forward").click()
    assert page.get_by_test_id("copy-D01").get_by_test_id("signed").is_visible()
    context.close()

    context, page = _as(browser, live_server, "clerk_a1", password)  # 预算科 signs its forwarded copy
    page.goto(f"/notices/{notice.pk}/")
    assert "武进区财政局办公室" in page.get_by_test_id("forward-line").inner_text()
    with page.expect_navigation():
        page.get_by_test_id("copy-D01S01").get_by_test_id("acknowledge").click()
    context.close()

    context, page = _as(browser, live_server, "office", password)
    page.goto(f"/notices/{notice.pk}/tree/")
    assert page.get_by_test_id("node-D01S01").get_by_text("已签收").is_visible()
    page.goto(f"/notices/{notice.pk}/unsigned/")
    assert page.get_by_test_id("unsigned-counts").inner_text() == "共送达 4 个单位，已签收 3 个，未签收 1 个。"
    row = page.get_by_test_id("unsigned-T01")
    assert row.is_visible()
    with page.expect_navigation():
        row.get_by_test_id("chase").click()
    assert "已向 1 个未签收单位发出催办。" in page.content()
    context.close()

    assert Reminder.objects.filter(recipient=town_leader, kind="manual").count() == 1
    assert Delivery.objects.get(notice=notice, unit=town).chase_count == 1


def test_office_publishes_an_exposure_and_a_visitor_sees_only_released_fields(browser, live_server, people, password):
    context, page = _as(browser, live_server, "office", password)
    page.goto("/notices/bulletins/")
    form = page.get_by_test_id("bulletin-form")
    form.get_by_label("类别").select_option(label="通报批评")
    form.get_by_label("标题").fill("关于作风督查发现问题的通报")
    with page.expect_navigation():
        form.get_by_role("button", name="保存").click()
    items = page.get_by_test_id("item-form")
    items.get_by_label("单位").fill("武进区财政局")
    items.get_by_label("事项").fill("窗口服务推诿")
    items.get_by_label("姓名").fill("张某某")
    items.get_by_label("内容").fill("群众办事三次未办结。")
    with page.expect_navigation():
        items.get_by_role("button", name="添加事项").click()
    page.get_by_test_id("item-1").get_by_label("公开内容").uncheck()  # release 单位 and 事项 only
    with page.expect_navigation():
        page.get_by_test_id("publish").click()
    assert page.get_by_test_id("bulletin-state").inner_text() == "已曝光"
    public_url = page.get_by_test_id("public-link").get_attribute("href")
    context.close()

    visitor = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844})
    page = visitor.new_page()
    page.goto(public_url)
    shown = page.get_by_test_id("public-item").inner_text()
    assert "武进区财政局" in shown and "窗口服务推诿" in shown
    assert "张某某" not in page.content() and "群众办事三次未办结" not in page.content()
    visitor.close()


def test_office_sends_an_internal_bulletin_and_the_unit_signs(browser, live_server, people, org, password):
    from django.conf import settings

    from zuofeng.campaigns.services import campaign_load

    campaign_load(path=settings.BASE_DIR / "campaigns" / "wujin-2018.yaml", make_default=True)
    context, page = _as(browser, live_server, "office", password)
    page.goto("/notices/bulletins/")
    form = page.get_by_test_id("bulletin-form")
    form.get_by_label("类别").select_option(label="通报批评")
    form.get_by_label("范围").select_option(value="internal")
    form.get_by_label("标题").fill("关于窗口服务问题的内部通报")
    with page.expect_navigation():
        form.get_by_role("button", name="保存").click()
    items = page.get_by_test_id("item-form")
    items.get_by_label("单位").fill("武进区财政局")
    items.get_by_label("姓名").fill("张某某")
    items.get_by_label("内容").fill("群众办事三次未办结。")
    with page.expect_navigation():
        items.get_by_role("button", name="添加事项").click()
    page.get_by_label("接收单位").select_option(value=str(org.dept_a.pk))
    with page.expect_navigation():
        page.get_by_test_id("send").click()
    assert page.get_by_test_id("bulletin-state").inner_text() == "已印发"
    context.close()

    notice = Notice.objects.get(title="关于窗口服务问题的内部通报")
    assert "张某某" not in notice.body
    context, page = _as(browser, live_server, "leader_a", password)
    page.goto(f"/notices/{notice.pk}/")
    assert "群众办事三次未办结。" in page.content() and "张某某" not in page.content()
    with page.expect_navigation():
        page.get_by_test_id("copy-D01").get_by_test_id("acknowledge").click()
    assert Delivery.objects.get(notice=notice).acknowledged_at is not None
    context.close()
