"""我的申报 pages: standing before typing, the generated form, draft save and autosave, submit, detail, scan."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.nominations import nominate_support as support
from tests.nominations.nominate_support import BEFORE, STAR_DATA, STAR_POST, pdf, stored_files
from zuofeng.core import clock
from zuofeng.nominations.models import Nomination, NominationState
from zuofeng.nominations.services.lifecycle import nomination_submit

# Fixtures shared with the other nomination tests (pytest finds them as module attributes).
case = support.case
private_root = support.private_root
star = support.star
wujin = support.wujin


pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(star, org, people):
    return Nomination.objects.create(
        award=star,
        campaign=star.campaign,
        unit=org.dept_a,
        data=dict(STAR_DATA),
        title="王晓明",
        created_by=people.reviewer,
    )


@pytest.fixture
def submitted(draft, people, private_root):
    with clock.frozen(BEFORE):
        nomination_submit(actor=people.reviewer, nomination=draft, stamped_scan=pdf())
    return draft


def test_form_mine_shows_standing_before_anyone_types(client_for, people, star, case):
    with clock.frozen(BEFORE):
        html = client_for(people.reviewer).get("/nominations/").content.decode()
    assert "本单位已申报 0/1" in html
    assert "本单位已申报 0，至少 1 例" in html
    assert "填写“十佳优秀服务明星”申报表" in html


def test_form_mine_for_full_quota_hides_new_button(client_for, people, submitted):
    html = client_for(people.reviewer).get("/nominations/").content.decode()
    assert "本单位已申报 1/1" in html
    assert "填写“十佳优秀服务明星”申报表" not in html


def test_form_mine_for_office_links_board(client_for, people, star):
    html = client_for(people.office).get("/nominations/").content.decode()
    assert "查看各单位申报情况" in html
    assert "没有需要填写的申报" in html


def test_form_new_opens_a_blank_form_without_creating_a_draft(client_for, people, org, star):
    html = client_for(people.reviewer).get(f"/nominations/new/{star.pk}/?unit={org.dept_a.pk}").content.decode()
    assert Nomination.objects.count() == 0
    assert '<p class="text-center text-muted small mb-3" data-testid="state">新填写，尚未保存</p>' in html
    assert f'action="/nominations/new/{star.pk}/"' in html
    assert f'hx-post="/nominations/new/{star.pk}/autosave/"' in html
    assert f'<input type="hidden" name="unit" value="{org.dept_a.pk}">' in html


def test_form_new_first_save_creates_the_draft_with_what_was_typed(client_for, people, org, star):
    data = {**STAR_POST, "unit": org.dept_a.pk, "nomination": "", "version": "0", "action": "save"}
    response = client_for(people.reviewer).post(f"/nominations/new/{star.pk}/", data)
    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert response.url == f"/nominations/{nomination.pk}/edit/"
    assert (nomination.unit, nomination.created_by, nomination.state) == (org.dept_a, people.reviewer, "draft")
    assert nomination.data["name"] == STAR_DATA["name"]


def test_form_new_autosave_of_an_untouched_form_saves_nothing(client_for, people, org, star):
    data = {"unit": org.dept_a.pk, "nomination": "", "version": "0", "name": "", "main_text": "  "}
    response = client_for(people.reviewer).post(f"/nominations/new/{star.pk}/autosave/", data)
    assert (response.status_code, response.content) == (200, b"")
    assert Nomination.objects.count() == 0


def test_form_new_autosave_creates_once_then_saves_into_that_draft(client_for, people, org, star):
    client = client_for(people.reviewer)
    first = {"unit": org.dept_a.pk, "nomination": "", "version": "0", "name": "王晓明"}
    html = client.post(f"/nominations/new/{star.pk}/autosave/", first).content.decode()
    nomination = Nomination.objects.get()
    assert (
        f'<input type="hidden" name="nomination" id="id_nomination" value="{nomination.pk}" hx-swap-oob="true">' in html
    )
    assert "已自动保存" in html
    # The page keeps posting to the "new" addresses; the id it got back routes the saves to the same draft.
    second = {**first, "nomination": nomination.pk, "version": nomination.version, "position": "科长"}
    client.post(f"/nominations/new/{star.pk}/autosave/", second)
    client.post(f"/nominations/new/{star.pk}/", {**second, "version": nomination.version + 1, "action": "save"})
    assert Nomination.objects.count() == 1
    nomination.refresh_from_db()
    assert (nomination.data["name"], nomination.data["position"]) == ("王晓明", "科长")


def test_form_new_for_other_unit_forbidden(client_for, people, org, star):
    client = client_for(people.reviewer)
    assert client.get(f"/nominations/new/{star.pk}/?unit={org.dept_b.pk}").status_code == 403
    response = client.post(f"/nominations/new/{star.pk}/", {"unit": org.dept_b.pk, "name": "王晓明"})
    assert response.status_code == 403
    response = client.post(f"/nominations/new/{star.pk}/autosave/", {"unit": org.dept_b.pk, "name": "王晓明"})
    assert response.status_code == 403
    assert Nomination.objects.count() == 0


def test_form_new_cannot_save_into_another_units_draft(client_for, people, org, star, case):
    other = Nomination.objects.create(award=case, campaign=case.campaign, unit=org.dept_a, data={}, title="")
    data = {"unit": org.dept_a.pk, "nomination": other.pk, "version": "0", "name": "王晓明"}
    assert client_for(people.reviewer).post(f"/nominations/new/{star.pk}/autosave/", data).status_code == 404


def test_form_new_for_award_without_form_refused(client_for, people, org, star):
    star.form = {}
    star.save()
    response = client_for(people.reviewer).get(f"/nominations/new/{star.pk}/?unit={org.dept_a.pk}", follow=True)
    assert "“十佳优秀服务明星”不接受申报。" in response.content.decode()
    assert Nomination.objects.count() == 0


def test_form_edit_page_shows_unit_standing_counter_and_rule(client_for, people, draft):
    html = client_for(people.reviewer).get(f"/nominations/{draft.pk}/edit/").content.decode()
    assert "本单位已申报 0/1" in html
    assert '<span data-testid="applicant">武进区财政局</span>' in html
    assert "已写 38 / 500 字" in html
    assert "连续的英文字母或数字计 1 字" in html
    assert 'data-max-chars="500"' in html
    assert '<option value="01" selected>中共党员</option>' in html
    assert 'value="中共常州市武进区委"' in html
    assert "辖市（区）作风办" not in html
    assert 'name="opinion"' not in html


def test_form_edit_by_clerk_of_section_not_found(client_for, people, draft):
    assert client_for(people.own_clerk).get(f"/nominations/{draft.pk}/edit/").status_code == 404


def test_form_edit_by_office_forbidden(client_for, people, draft):
    assert client_for(people.office).get(f"/nominations/{draft.pk}/edit/").status_code == 403


def test_form_edit_by_other_unit_not_found(client_for, people, draft):
    assert client_for(people.other_leader).get(f"/nominations/{draft.pk}/edit/").status_code == 404


def test_form_save_draft_over_limit_keeps_text_and_shows_count(client_for, people, draft):
    text = "服务" * 260
    response = client_for(people.reviewer).post(
        f"/nominations/{draft.pk}/edit/", {**STAR_POST, "main_text": text, "version": 1, "action": "save"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "“主要事迹”已写 520 字，超出 20 字（限 500 字）。" in html
    assert text in html
    assert "草稿已保存；标出的内容在报送前须改正。" in html
    draft.refresh_from_db()
    assert (draft.data["main_text"], draft.version) == (text, 2)


def test_form_save_draft_clean_redirects(client_for, people, draft):
    post = {**STAR_POST, "position": "科长", "version": 1, "action": "save"}
    response = client_for(people.reviewer).post(f"/nominations/{draft.pk}/edit/", post)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.data["position"] == "科长"


def test_form_save_and_submit_with_missing_fields_stays_on_form(client_for, people, draft):
    post = {**STAR_POST, "name": "", "phone": "12345", "version": 1, "action": "submit"}
    html = client_for(people.reviewer).post(f"/nominations/{draft.pk}/edit/", post).content.decode()
    assert "请填写“姓名”。" in html
    assert "“联系电话”“12345”不是有效的手机号码或固定电话" in html
    assert 'value="12345"' in html
    assert "已保存草稿，但标出的内容须改正后才能报送。" in html


def test_form_save_and_submit_valid_goes_to_submit_page(client_for, people, draft):
    post = {**STAR_POST, "version": 1, "action": "submit"}
    response = client_for(people.reviewer).post(f"/nominations/{draft.pk}/edit/", post)
    assert response.url == f"/nominations/{draft.pk}/submit/"


def test_form_stale_save_refused_text_kept(client_for, people, draft):
    post = {**STAR_POST, "main_text": "我的新写法", "version": 0, "action": "save"}
    html = client_for(people.reviewer).post(f"/nominations/{draft.pk}/edit/", post).content.decode()
    assert "请刷新页面后再修改" in html
    assert "我的新写法" in html
    assert Nomination.objects.get(pk=draft.pk).data["main_text"] == STAR_DATA["main_text"]


def test_form_honours_older_than_three_years_refused_at_field(client_for, people, draft):
    post = {**STAR_POST, "honours-1-year": "2014", "honours-1-honour": "先进", "honours-1-body": "区委", "version": 1}
    html = client_for(people.reviewer).post(f"/nominations/{draft.pk}/edit/", post).content.decode()
    assert "第 2 行（2014年 先进）不在近三年内，只能填写 2016—2018 年的荣誉" in html
    assert 'value="2014"' in html


def test_form_autosave_returns_time_and_new_version(client_for, people, draft):
    with clock.frozen(BEFORE):
        response = client_for(people.reviewer).post(
            f"/nominations/{draft.pk}/autosave/", {**STAR_POST, "name": "王小明", "version": 1}
        )
    html = response.content.decode()
    assert "已自动保存 10:00:00" in html
    assert 'id="id_version" value="2" hx-swap-oob="true"' in html
    assert Nomination.objects.get(pk=draft.pk).data["name"] == "王小明"


def test_form_autosave_stale_warns(client_for, people, draft):
    html = client_for(people.reviewer).post(f"/nominations/{draft.pk}/autosave/", {"version": 7}).content.decode()
    assert "自动保存未成功" in html


def test_form_autosave_by_office_denied_message(client_for, people, draft):
    html = client_for(people.office).post(f"/nominations/{draft.pk}/autosave/", {"version": 1}).content.decode()
    assert "自动保存未成功：您无权修改该申报。" in html


def test_form_submit_page_upload_and_submit(client_for, people, draft, private_root):
    client = client_for(people.reviewer)
    page = client.get(f"/nominations/{draft.pk}/submit/").content.decode()
    assert "王晓明" in page and "13912345678" in page
    with clock.frozen(BEFORE):
        response = client.post(f"/nominations/{draft.pk}/submit/", {"stamped_scan": pdf()})
    assert response.url == f"/nominations/{draft.pk}/"
    assert Nomination.objects.get(pk=draft.pk).state == NominationState.SUBMITTED


def test_form_submit_page_refuses_renamed_exe_at_field(client_for, people, draft, private_root):
    exe = SimpleUploadedFile("盖章件.pdf", b"MZ\x90\x00" * 10)
    with clock.frozen(BEFORE):
        html = client_for(people.reviewer).post(f"/nominations/{draft.pk}/submit/", {"stamped_scan": exe}).content
    assert "“盖章件.pdf” 不是有效的 PDF 文件。" in html.decode()
    assert stored_files(private_root) == []


def test_form_submit_page_lists_form_problems(client_for, people, draft, private_root):
    draft.data["phone"] = "123"
    draft.save()
    html = client_for(people.reviewer).get(f"/nominations/{draft.pk}/submit/").content.decode()
    assert "申报表还有内容须改正" in html
    assert "“联系电话”“123”不是有效的手机号码或固定电话" in html


def test_form_submit_page_after_deadline_shows_reason(client_for, people, draft, private_root):
    with clock.frozen(BEFORE.replace(month=12)):
        html = client_for(people.reviewer).post(f"/nominations/{draft.pk}/submit/", {"stamped_scan": pdf()}).content
    assert "申报已于2018年11月1日 23:59截止。" in html.decode()


def test_form_submit_page_for_clerk_forbidden(client_for, people, star, org):
    n = Nomination.objects.create(award=star, campaign=star.campaign, unit=org.section_a1, data=STAR_DATA)
    assert client_for(people.own_clerk).get(f"/nominations/{n.pk}/submit/").status_code == 403


def test_form_detail_private_fields_for_unit_and_office(client_for, people, submitted):
    for who in (people.reviewer, people.office):
        html = client_for(who).get(f"/nominations/{submitted.pk}/").content.decode()
        assert "13912345678" in html and "1985年6月" in html
        assert "下载盖章扫描件（申报表.pdf）" in html


def test_form_detail_masks_private_fields_for_inspector(client_for, people, submitted):
    html = client_for(people.inspector).get(f"/nominations/{submitted.pk}/").content.decode()
    assert "139****5678" in html and "****年**月" in html
    assert "13912345678" not in html and "1985年6月" not in html
    assert "下载盖章扫描件" not in html


def test_form_detail_of_other_unit_not_found(client_for, people, submitted):
    assert client_for(people.other_leader).get(f"/nominations/{submitted.pk}/").status_code == 404


def test_form_detail_submitted_offers_withdraw_not_edit(client_for, people, submitted):
    html = client_for(people.reviewer).get(f"/nominations/{submitted.pk}/").content.decode()
    assert ">撤回</button>" in html
    assert "/edit/" not in html
    assert "已报送" in html


def test_form_edit_of_submitted_redirects_to_detail(client_for, people, submitted):
    response = client_for(people.reviewer).get(f"/nominations/{submitted.pk}/edit/")
    assert response.url == f"/nominations/{submitted.pk}/"


def test_form_withdraw_button(client_for, people, submitted):
    client = client_for(people.reviewer)
    with clock.frozen(BEFORE):
        response = client.post(f"/nominations/{submitted.pk}/withdraw/", follow=True)
    assert "已撤回。截止前可以修改后重新报送。" in response.content.decode()
    assert Nomination.objects.get(pk=submitted.pk).state == NominationState.WITHDRAWN


def test_form_withdraw_twice_shows_message(client_for, people, draft):
    with clock.frozen(BEFORE):
        response = client_for(people.reviewer).post(f"/nominations/{draft.pk}/withdraw/", follow=True)
    assert "当前状态为“草稿”，不能变为“已撤回”。" in response.content.decode()


def test_form_scan_download_permission_checked(client_for, people, submitted):
    response = client_for(people.office).get(f"/nominations/{submitted.pk}/scan/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client_for(people.inspector).get(f"/nominations/{submitted.pk}/scan/").status_code == 404
    assert client_for(people.other_leader).get(f"/nominations/{submitted.pk}/scan/").status_code == 404


def test_form_scan_missing_not_found(client_for, people, draft):
    assert client_for(people.reviewer).get(f"/nominations/{draft.pk}/scan/").status_code == 404


def test_form_pages_need_login(client, draft):
    assert client.get("/nominations/").status_code == 302
    assert client.get(f"/nominations/{draft.pk}/").status_code == 302


def test_form_mine_after_deadline_says_closed(client_for, people, star):
    with clock.frozen(BEFORE.replace(month=12)):
        html = client_for(people.reviewer).get("/nominations/").content.decode()
    assert '<p class="small text-danger mb-0" data-testid="closed">申报已截止</p>' in html
    assert "填写“十佳优秀服务明星”申报表" not in html


def test_form_edit_after_deadline_warns(client_for, people, draft):
    with clock.frozen(BEFORE.replace(month=12)):
        html = client_for(people.reviewer).get(f"/nominations/{draft.pk}/edit/").content.decode()
    assert "申报已截止，可以保存草稿，但不能报送" in html


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor", "judge", "inspector"])
def test_my_nominations_page_refused_for_roles_that_do_not_nominate(people, client_for, who):
    assert client_for(getattr(people, who)).get("/nominations/").status_code == 403
