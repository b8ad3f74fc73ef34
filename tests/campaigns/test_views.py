import datetime as dt
import io
import re
from urllib.parse import quote

import docx
import pytest
from django.urls import reverse

from tests.campaigns.conftest import SECOND
from tests.campaigns.conftest import SEED as SEED_FILE
from zuofeng.campaigns.selectors import campaign_current, campaign_timeline
from zuofeng.campaigns.services import campaign_load
from zuofeng.core import clock

DETAIL = "/campaigns/wujin-2018/"
NOTICE = (
    '<span class="badge zf-basis zf-basis-notice" title="通知原文：“{}”" data-testid="basis-notice">通知原文</span>'
)
OFFICE = (
    '<span class="badge zf-basis zf-basis-office" title="通知未作规定，由作风办设定" '
    'data-testid="basis-office">作风办设定</span>'
)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_urls_keep_their_names():
    assert reverse("campaigns:list") == "/campaigns/"
    assert reverse("campaigns:detail", args=["wujin-2018"]) == DETAIL
    assert (
        reverse("campaigns:award_form", args=["wujin-2018", "service-star"])
        == "/campaigns/wujin-2018/forms/service-star.docx"
    )


@pytest.mark.parametrize("url", ["/campaigns/", DETAIL, "/campaigns/wujin-2018/forms/service-star.docx"])
def test_anonymous_is_sent_to_login(client, seed, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_user_without_role_is_refused(client_for, seed, django_user_model):
    nobody = django_user_model.objects.create_user(username="nobody", password="x")
    assert client_for(nobody).get(DETAIL).status_code == 403


@pytest.mark.parametrize(
    "who", ["own_clerk", "reviewer", "office", "sysadmin", "secadmin", "auditor", "judge", "inspector"]
)
def test_every_role_may_view(people, seed, client_for, who):
    assert client_for(getattr(people, who)).get(DETAIL).status_code == 200


def test_detail_lays_out_the_notice(people, seed, client_for):
    with clock.frozen(dt.date(2018, 10, 8)):
        response = client_for(people.own_clerk).get(DETAIL)
    assert response.status_code == 200
    page = text_of(response)
    assert '<div class="zf-doc-number" data-testid="doc-number">武作组办〔2018〕2号</div>' in page
    assert "关于印发《全区机关开展“打通中梗阻、激发新动能”专项活动实施意见》的通知" in page
    assert (
        "各镇党委、人民政府，区委各部委办，开发区党工委、管委会，街道党工委、办事处，区各办局（公司）行，区各直属单位，区各人民团体："
        in page
    )
    assert '<p class="zf-doc-signature">常州市武进区作风建设领导小组办公室<br>2018年8月8日</p>' in page
    for heading in ["一、总体要求", "二、工作目标", "三、对象范围", "四、主要任务", "五、实施步骤", "六、保障措施"]:
        assert heading in page
    assert "<span>常州市武进区安全生产监督管理局办公室</span><span>2018年8月31日印发</span>" in page
    assert '附件：1. <a href="/campaigns/wujin-2018/forms/service-star.docx">“十佳优秀服务明星”申报表</a>' in page
    assert '2. <a href="/campaigns/wujin-2018/forms/service-case.docx">“优质服务事例”申报表</a>' in page


def test_detail_shows_schedule_with_today(people, seed, client_for):
    with clock.frozen(dt.date(2018, 10, 8)):
        page = text_of(client_for(people.own_clerk).get(DETAIL))
    assert 'data-testid="current-phase">当前阶段：全面推进</span>' in page
    assert 'data-testid="today-marker"><span>今天 2018年10月8日</span>' in page
    assert (
        "<strong>2018年9月15日前</strong> 完成找差和整改措施制定 "
        '<span class="badge text-bg-secondary">已过期 23 天</span>' in page
    )
    assert (
        "<strong>2018年11月1日前</strong> 申报表电子稿和纸质稿报区委办 "
        '<span class="badge text-bg-light">还剩 24 天</span>' in page
    )


def test_detail_shows_categories_awards_and_contact(people, seed, client_for):
    with clock.frozen(dt.date(2018, 10, 28)):
        page = text_of(client_for(people.own_clerk).get(DETAIL))
    assert "打通“思维中梗阻”，推动思想大解放" in page
    assert '<li title="精神状态上的“疲软症”">疲软症</li>' in page
    assert "对照企业、基层、群众期盼诉求" in page
    assert all(name in page for name in ["自己找", "领导点", "群众提", "组织议"])
    assert "开展问效问责、专项督查活动" in page
    assert "生态引领" in page
    assert "<td>每单位限报 1 名 " + NOTICE.format("“十佳优秀服务明星”（申报表见附件1）各单位限报1名") in page
    assert "<td>每单位至少 1 例 " + NOTICE.format("“优质服务事例”（申报表见附件2）各单位至少报送1例") in page
    assert "<td>每单位限报 1 项 " + OFFICE in page  # 优秀项目奖: a district quota the office set
    assert (
        '2018年11月1日 23:59前报区委办 <span class="badge text-bg-warning">还剩 4 天</span> '
        + NOTICE.format("申报表电子稿和纸质稿（盖章）于11月1日前报区委办")
    ) in page
    assert "评审标准" + OFFICE + "：服务态度 25%、履职成效 35%、创新创优 20%、群众评价 20%" in page
    assert '<dd class="col-8">区行政中心1号楼915室</dd>' in page
    assert '<dd class="col-8">wjqwbmsk@126.com</dd>' in page
    assert "落后序时进度 10 个百分点及以上亮" in page
    assert "期限按自然日计算" in page


def test_detail_after_the_campaign_marks_today_at_the_edge(people, seed, client_for):
    with clock.frozen(dt.date(2026, 11, 27)):
        page = text_of(client_for(people.own_clerk).get(DETAIL))
    assert 'class="today edge-after" style="left: 100.0%"' in page
    assert "（已在活动安排之后）" in page
    assert 'data-testid="current-phase">当前阶段：持续深化</span>' in page


def test_timeline_positions(seed):
    timeline = campaign_timeline(campaign=seed, today=dt.date(2018, 7, 1))
    assert (timeline.start, timeline.end, timeline.today_where, timeline.today_left) == (
        dt.date(2018, 8, 1),
        dt.date(2019, 2, 1),
        "before",
        0.0,
    )
    assert [(b.phase.key, b.left, b.width) for b in timeline.bars] == [
        ("mobilise", 0.0, 16.3),
        ("advance", 16.85, 65.76),
        ("deepen", 83.15, 16.85),
    ]
    assert [m.left for m in timeline.marks] == [24.46, 50.0]
    assert timeline.ticks[0] == ("2018年8月", 0.0)
    assert timeline.ticks[5] == ("2019年1月", 83.15)


def test_unknown_campaign_is_404(people, seed, client_for):
    assert client_for(people.own_clerk).get("/campaigns/nowhere/").status_code == 404
    assert client_for(people.own_clerk).get("/campaigns/wujin-2018/forms/nothing.docx").status_code == 404


def test_list_shows_both_campaigns_default_first(people, seed, client_for):
    campaign_load(path=SECOND)
    page = text_of(client_for(people.judge).get("/campaigns/"))
    assert page.index("全区机关开展“打通中梗阻、激发新动能”专项活动") < page.index(
        "青溪区优化营商环境“堵点破除”专项行动"
    )
    assert "宣传发动 → 全面推进 → 持续深化" in page
    assert campaign_current().slug == "wujin-2018"


def test_list_when_nothing_loaded(people, client_for):
    assert "尚未载入任何专项活动" in text_of(client_for(people.office).get("/campaigns/"))


def test_second_campaign_page_renders(people, seed, client_for):
    campaign_load(path=SECOND)
    with clock.frozen(dt.date(2019, 5, 10)):
        page = text_of(client_for(people.own_clerk).get("/campaigns/qingxi-2019/"))
    assert "青营商办〔2019〕5号" in page
    assert "当前阶段：集中攻坚" in page
    assert "打通“审批堵点”，审批再提速" in page
    assert "期限按工作日计算" in page
    assert "武作组办" not in page


def read_docx(response) -> docx.Document:
    return docx.Document(io.BytesIO(b"".join(response.streaming_content)))


def test_docx_download_of_attachment_1(people, seed, client_for):
    response = client_for(people.own_clerk).get("/campaigns/wujin-2018/forms/service-star.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''%E9%99%84%E4%BB%B61")
    document = read_docx(response)
    assert [p.text for p in document.paragraphs[:3]] == ["附件1", "“十佳优秀服务明星”申报表", "申报单位（盖章）："]
    [table] = document.tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert [row[0] for row in cells] == [
        "姓  名",
        "性  别",
        "政治面貌",
        "所获荣誉\n（近三年）",
        "主要事迹\n（500字以内）",
        "辖市（区）作风办\n或主管部门意见",
    ]
    assert [row[2] for row in cells[:3]] == ["现任职务", "出生年月", "联系电话"]
    # one-field rows: the value cell spans the three right-hand columns
    assert table.rows[4].cells[1]._tc is table.rows[4].cells[3]._tc
    assert table.rows[0].cells[1]._tc is not table.rows[0].cells[3]._tc
    assert "（盖章）" in cells[5][1]
    assert "年    月    日" in cells[5][1]
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    title_run = document.paragraphs[1].runs[0]
    assert title_run._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    ) == ("方正小标宋简体")


def test_docx_download_of_attachment_2(people, seed, client_for):
    response = client_for(people.office).get("/campaigns/wujin-2018/forms/service-case.docx")
    document = read_docx(response)
    cells = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert cells[0][0] == "牵头处（科）室"
    assert cells[1] == ["负 责 人", "", "联系电话", ""]
    assert cells[3][0] == "主要做法及成效\n（500字以内）"


def test_docx_of_form_without_attachment_number(people, seed, client_for):
    response = client_for(people.office).get("/campaigns/wujin-2018/forms/yanghu-pioneer.docx")
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote("“阳湖先锋”申报表.docx")
    assert read_docx(response).paragraphs[0].text == "“阳湖先锋”申报表"


def test_home_still_shows_the_loaded_campaign(people, seed, client_for):
    with clock.frozen(dt.date(2018, 9, 10)):
        page = text_of(client_for(people.own_clerk).get("/"))
    assert 'href="/campaigns/wujin-2018/"' in page
    assert "完成找差和整改措施制定 — 2018年9月15日前" in page


def test_schedule_marks_each_rule_as_from_the_notice_or_set_by_the_office(people, seed, client_for):
    with clock.frozen(dt.date(2018, 10, 8)):
        page = text_of(client_for(people.own_clerk).get(DETAIL))
    assert 'data-testid="basis-legend"' in page
    assert NOTICE.format("宣传发动（8月）") in page
    assert NOTICE.format("全面推进（9月—12月）") in page
    assert NOTICE.format("于9月15日前完成找差和整改措施制定工作") in page
    # 持续深化 has no date in the notice; its start and the light thresholds are the office's.
    deepen = page[page.index("<strong>持续深化</strong>") :][:600]
    assert OFFICE in deepen
    assert "进度提醒规则 " + OFFICE in page


def test_shifted_demo_keeps_the_notice_dates_and_shows_no_developer_line(people, client_for, db):
    campaign_load(path=SEED_FILE, year=2026, make_default=True)
    with clock.frozen(dt.date(2026, 10, 8)):
        page = text_of(client_for(people.own_clerk).get(DETAIL))
    assert "常州市武进区作风建设领导小组办公室<br>2018年8月8日" in page
    assert "<span>2018年8月31日印发</span>" in page
    assert "2026年11月1日 23:59前报区委办" in page
    assert "活动安排已按2026年演示；通知的成文、印发日期保持原文不变。" in page
    assert "定义文件" not in page
    assert ".yaml" not in page
