"""Pages: opinion queue and form, judge's list and score form (masked), judges, ranking and selection."""

# ruff: noqa: F811 - fixtures imported from test_judging_services

from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.nominations.test_judging_services import _after_deadline, dept_c, in_judging, judge_b, nominate  # noqa: F401
from tests.upload_files import pdf_bytes
from zuofeng.audit.models import AuditEntry
from zuofeng.nominations.models import JudgeAssignment, Nomination, NominationState, Score
from zuofeng.nominations.services.judging import score_save

pytestmark = pytest.mark.django_db
S = NominationState
STAR_DATA = {
    "name": "周测试",
    "position": "窗口科员",
    "gender": "女",
    "birth_month": "1988-06",
    "phone": "13912345678",
    "main_text": "热情服务群众。",
}


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path


def form_of(star_award):
    star_award.form = {
        "rows": [
            [{"key": "name", "label": "姓  名"}, {"key": "position", "label": "现任职务"}],
            [{"key": "gender", "label": "性  别"}, {"key": "birth_month", "label": "出生年月", "type": "month"}],
            [{"key": "phone", "label": "联系电话", "type": "phone"}],
            [{"key": "honours", "label": "所获荣誉\n（近三年）", "type": "textarea"}],
            [{"key": "main_text", "label": "主要事迹", "type": "textarea"}],
            [{"key": "opinion", "label": "意见", "type": "opinion"}],
        ]
    }
    star_award.save()


def test_opinion_queue_page_for_reviewer_of_unit(client_for, people, star_award, org):
    own = nominate(star_award, org.section_a1, S.SUBMITTED, title="预算科申报")
    page = client_for(people.reviewer).get("/nominations/opinions/")
    assert page.status_code == 200
    assert "预算科申报" in page.content.decode()
    assert f"/nominations/opinions/{own.pk}/" in page.content.decode()


@pytest.mark.parametrize(("who", "status"), [("own_clerk", 403), ("judge", 403), ("sysadmin", 403), ("office", 200)])
def test_opinion_queue_page_by_role(client_for, people, who, status):
    assert client_for(getattr(people, who)).get("/nominations/opinions/").status_code == status


def test_opinion_form_gives_opinion_and_keeps_text_on_error(client_for, people, star_award, org):
    form_of(star_award)
    target = nominate(star_award, org.section_a1, S.SUBMITTED, **STAR_DATA)
    client = client_for(people.reviewer)
    url = f"/nominations/opinions/{target.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "13912345678" in page.content.decode()  # the reviewer may see private fields
    bad = SimpleUploadedFile("scan.pdf", b"not a pdf")
    refused = client.post(url, {"text": "同意推荐", "signed_on": "2018-11-05", "stamped_scan": bad})
    body = refused.content.decode()
    assert (refused.status_code, "“scan.pdf” 不是有效的 PDF 文件。" in body, "同意推荐" in body) == (200, True, True)
    good = SimpleUploadedFile("scan.pdf", pdf_bytes())
    done = client.post(url, {"text": "同意推荐", "signed_on": "2018-11-05", "stamped_scan": good})
    assert (done.status_code, done["Location"]) == (302, "/nominations/opinions/")
    assert Nomination.objects.get(pk=target.pk).state == S.OPINION_GIVEN
    scan = client.get(f"/nominations/opinions/{target.pk}/scan/")
    assert (scan.status_code, b"".join(scan.streaming_content)) == (200, pdf_bytes())
    assert client_for(people.other_leader).get(f"/nominations/opinions/{target.pk}/scan/").status_code == 404


def test_opinion_form_by_the_unit_itself_forbidden_and_invisible_404(client_for, people, star_award, org):
    own = nominate(star_award, org.dept_a, S.SUBMITTED)
    assert client_for(people.reviewer).get(f"/nominations/opinions/{own.pk}/").status_code == 403
    assert client_for(people.other_leader).get(f"/nominations/opinions/{own.pk}/").status_code == 404


def test_judge_page_lists_only_conflict_free_nominations(client_for, in_judging, judge_b):
    page = client_for(judge_b).get("/nominations/judging/")
    body = page.content.decode()
    assert page.status_code == 200
    assert (body.count('data-testid="judge-row"'), "区财政局" in body, "区商务局" in body, "区教育局" in body) == (
        1,
        True,
        False,
        False,
    )


def test_score_page_masks_phone_and_birth_and_saves(client_for, star_award, in_judging, judge_b):
    form_of(star_award)
    target = in_judging[0]
    target.data = STAR_DATA
    target.save()
    client = client_for(judge_b)
    page = client.get(f"/nominations/judging/score/{target.pk}/")
    body = page.content.decode()
    assert ("139****5678" in body, "13912345678" in body, "1988-06" in body, "****年**月" in body) == (
        True,
        False,
        False,
        True,
    )
    assert "姓名" in body and "周测试" in body
    refused = client.post(f"/nominations/judging/score/{target.pk}/", {"score_0": "120", "score_1": "80"})
    assert "“服务态度”的得分须在 0 到 100 之间。" in refused.content.decode()
    assert 'value="80"' in refused.content.decode()
    saved = client.post(
        f"/nominations/judging/score/{target.pk}/", {"score_0": "90", "comment_0": "好", "score_1": "80"}
    )
    assert saved.status_code == 302
    assert sorted(Score.objects.values_list("criterion", "score")) == [(0, 90), (1, 80)]
    assert "修改评分" in client.get("/nominations/judging/").content.decode()


@pytest.mark.parametrize("index", [1, 2])
def test_score_page_for_conflicting_unit_forbidden(client_for, in_judging, judge_b, index):
    url = f"/nominations/judging/score/{in_judging[index].pk}/"
    assert client_for(judge_b).get(url).status_code == 403
    assert client_for(judge_b).post(url, {"score_0": "99", "score_1": "99"}).status_code == 403
    assert not Score.objects.exists()


def test_judges_page_assign_open_and_remove(client_for, people, star_award, org):
    nominate(star_award, org.dept_a, S.OPINION_GIVEN)
    client = client_for(people.office)
    overview = client.get("/nominations/judging/").content.decode()
    assert '<td class="text-end">1</td><td class="text-end">0</td>' in overview  # one waiting, none in judging
    url = f"/nominations/judging/{star_award.pk}/judges/"
    assert "judge（未关联单位）" in client.get(url).content.decode()  # a candidate, not yet assigned
    client.post(url, {"judges": [people.judge.pk]})
    assert list(JudgeAssignment.objects.values_list("judge__username", flat=True)) == ["judge"]
    opened = client.post(f"/nominations/judging/{star_award.pk}/open/", follow=True)
    assert "1 份申报进入评审" in opened.content.decode()
    client.post(url, {"remove": people.judge.pk})
    assert not JudgeAssignment.objects.exists()
    again = client.post(f"/nominations/judging/{star_award.pk}/open/", follow=True)
    assert "请先分配评审专家。" in again.content.decode()


@pytest.mark.parametrize("who", ["reviewer", "judge", "own_clerk"])
def test_office_pages_forbidden_to_others(client_for, people, star_award, who):
    client = client_for(getattr(people, who))
    for url in ("judges", "ranking"):
        assert client.get(f"/nominations/judging/{star_award.pk}/{url}/").status_code == 403
    assert client.post(f"/nominations/judging/{star_award.pk}/select/", {"selected": []}).status_code == 403


def test_ranking_page_flags_ties_and_selection_is_recorded(client_for, people, star_award, in_judging, judge_b):
    score_save(actor=judge_b, nomination=in_judging[0], scores=[(0, D(80), ""), (1, D(80), "")])
    client = client_for(people.office)
    page = client.get(f"/nominations/judging/{star_award.pk}/ranking/")
    body = page.content.decode()
    assert (page.status_code, body.count('data-testid="rank-row"'), "平均分" in body) == (200, 3, True)
    assert "judge_b姓名 80.00" in body  # the judge's weighted total, next to the aggregate
    done = client.post(
        f"/nominations/judging/{star_award.pk}/select/", {"selected": [str(in_judging[0].pk)]}, follow=True
    )
    assert "入选 1 个，未入选 2 个" in done.content.decode()
    assert AuditEntry.objects.filter(action="award.results_select", actor_username="office").count() == 1
    refused = client.post(f"/nominations/judging/{star_award.pk}/select/", {"selected": []}, follow=True)
    assert "请至少选择 1 个入选申报。" in refused.content.decode()


def test_judge_without_assignments_sees_empty_message(client_for, people):
    assert "您尚未被分配评审任何奖项。" in client_for(people.judge).get("/nominations/judging/").content.decode()
    assert client_for(people.own_clerk).get("/nominations/judging/").status_code == 403


def test_score_page_outside_judging_shows_refusal_and_keeps_input(client_for, star_award, in_judging, judge_b):
    target = in_judging[0]
    url = f"/nominations/judging/score/{target.pk}/"
    page = client_for(judge_b).get(url)
    Nomination.objects.filter(pk=target.pk).update(state=S.SELECTED)
    refused = client_for(judge_b).post(url, {"score_0": "91", "score_1": "80"})
    body = refused.content.decode()
    assert (page.status_code, refused.status_code, "不在评审中，不能评分" in body, 'value="91"' in body) == (
        200,
        200,
        True,
        True,
    )
    assert not Score.objects.exists()


def test_judges_page_refusal_shown_as_message(client_for, people, star_award, in_judging, judge_b):
    score_save(actor=judge_b, nomination=in_judging[0], scores=[(0, D(80), ""), (1, D(80), "")])
    url = f"/nominations/judging/{star_award.pk}/judges/"
    page = client_for(people.office).post(url, {"remove": judge_b.pk}, follow=True)
    assert "judge_b姓名 已经评分，不能取消分配。" in page.content.decode()
    refused = client_for(people.office).post(url, {"judges": [people.own_clerk.pk]}, follow=True)
    assert "clerk_a1姓名 不是评审专家账号，不能分配。" in refused.content.decode()
