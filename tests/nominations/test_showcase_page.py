"""先进典型: only selected nominations, no private fields, photos behind a check, the announcement list in Word."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from docx.oxml.ns import qn

from tests.nominations.test_judging_services import nominate
from tests.upload_files import image_bytes, jpg_bytes
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.nominations.models import Nomination, NominationState

pytestmark = pytest.mark.django_db
S = NominationState
JPG = jpg_bytes()
PRIVATE = {"phone": "13912345678", "birth_month": "1988-06"}


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path


@pytest.fixture
def results(star_award, case_award, org):
    return {
        "star_b": nominate(
            star_award, org.dept_b, S.SELECTED, "李服务", name="李服务", main_text="真情服务每一天", **PRIVATE
        ),
        "star_a": nominate(
            star_award, org.dept_a, S.SELECTED, "王服务", name="王服务", main_text="窗口服务标兵", **PRIVATE
        ),
        "star_lost": nominate(star_award, org.section_a1, S.NOT_SELECTED, "落选者", name="落选者", **PRIVATE),
        "star_judging": nominate(star_award, org.section_a2, S.JUDGING, "评审中", name="评审中"),
        "case_a": nominate(case_award, org.dept_a, S.SELECTED, "一窗通办", case_name="一窗通办", main_text="减材料"),
    }


@pytest.mark.parametrize("who", ["own_clerk", "judge", "office", "sysadmin", "auditor"])
def test_showcase_shows_only_selected_without_private_fields(client_for, people, results, who):
    page = client_for(getattr(people, who)).get("/nominations/showcase/")
    body = page.content.decode()
    assert (page.status_code, body.count('data-testid="showcase-entry"')) == (200, 3)
    assert ("王服务" in body, "真情服务每一天" in body, "一窗通办" in body, "减材料" in body) == (
        True,
        True,
        True,
        True,
    )
    assert ("落选者" in body, "评审中" in body, "13912345678" in body, "1988" in body) == (False, False, False, False)
    assert body.index("王服务") < body.index("李服务")  # official unit order: 区财政局 before 区商务局


def test_showcase_anonymous_redirected_to_login(client, results):
    assert client.get("/nominations/showcase/").status_code == 302


def test_showcase_empty_message(client_for, people):
    assert "评选结果确定后" in client_for(people.judge).get("/nominations/showcase/").content.decode()


def test_photo_upload_by_unit_and_view_by_everyone(client_for, people, results):
    target = results["star_a"]
    leader = client_for(people.reviewer)
    assert "上传照片" in leader.get("/nominations/showcase/").content.decode()
    done = leader.post(f"/nominations/showcase/{target.pk}/photo/upload/", {"photo": SimpleUploadedFile("me.jpg", JPG)})
    assert done.status_code == 302
    assert AuditEntry.objects.filter(action="nomination.photo").count() == 1
    shown = client_for(people.judge).get(f"/nominations/showcase/{target.pk}/photo/")
    assert (shown.status_code, b"".join(shown.streaming_content)) == (200, JPG)
    assert (
        f"/nominations/showcase/{target.pk}/photo/"
        in client_for(people.judge).get("/nominations/showcase/").content.decode()
    )


def test_photo_upload_refusals(client_for, people, results):
    target = results["star_a"]
    url = f"/nominations/showcase/{target.pk}/photo/upload/"
    assert client_for(people.other_leader).post(url, {"photo": SimpleUploadedFile("x.jpg", JPG)}).status_code == 403
    bad = client_for(people.reviewer).post(url, {"photo": SimpleUploadedFile("x.exe", b"MZ")}, follow=True)
    assert "“x.exe” 的文件类型不允许，只能上传JPG 图片、PNG 图片。" in bad.content.decode()
    empty = client_for(people.reviewer).post(url, {}, follow=True)
    assert "请选择照片（JPG 或 PNG）。" in empty.content.decode()
    assert not Nomination.objects.get(pk=target.pk).photo


def test_photo_of_unpublished_nomination_only_for_those_who_see_it(client_for, people, results):
    lost = results["star_lost"]
    lost.photo.save("p.jpg", io.BytesIO(JPG), save=True)
    url = f"/nominations/showcase/{lost.pk}/photo/"
    assert client_for(people.own_clerk).get(url).status_code == 200
    assert client_for(people.other_leader).get(url).status_code == 404
    assert client_for(people.judge).get(f"/nominations/showcase/{results['star_b'].pk}/photo/").status_code == 404


def test_announcement_word_lists_winners_in_unit_order(client_for, people, results):
    with clock.frozen(dt.date(2018, 11, 20)):
        response = client_for(people.office).get("/nominations/showcase/announcement.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''2018")
    document = Document(io.BytesIO(response.content))
    lines = [p.text for p in document.paragraphs if p.text]
    assert lines == [
        "专项活动先进典型公示名单",
        "一、十佳优秀服务明星（2名）",
        "区财政局　王服务",
        "区商务局　李服务",
        "二、优质服务事例（1例）",
        "区财政局　一窗通办",
        "区作风办",
        "2018年11月20日",
    ]
    assert "13912345678" not in response.content.decode("latin-1")
    fonts = {r._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for p in document.paragraphs for r in p.runs}
    assert fonts == {"方正小标宋简体", "黑体", "仿宋_GB2312"}
    assert AuditEntry.objects.filter(action="nomination.announcement_export").count() == 1


@pytest.mark.parametrize("who", ["reviewer", "judge"])
def test_announcement_forbidden_to_others(client_for, people, results, who):
    assert client_for(getattr(people, who)).get("/nominations/showcase/announcement.docx").status_code == 403


def test_showcase_and_announcement_in_surname_stroke_order(client_for, people, results, star_award, org):
    nominate(star_award, org.section_b1, S.SELECTED, "丁一", name="丁一", main_text="服务")
    page = client_for(people.office).get("/nominations/showcase/?order=strokes").content.decode()
    assert page.index("丁一") < page.index("王服务") < page.index("李服务")  # 丁 2 strokes, 王 4, 李 7
    by_unit = client_for(people.office).get("/nominations/showcase/").content.decode()
    assert by_unit.index("王服务") < by_unit.index("李服务") < by_unit.index("丁一")
    response = client_for(people.office).get("/nominations/showcase/announcement.docx?order=strokes")
    lines = [p.text for p in Document(io.BytesIO(response.content)).paragraphs if p.text]
    assert lines[2:5] == ["外贸科　丁一", "区财政局　王服务", "区商务局　李服务"]


def test_new_photo_replaces_the_old_file_on_disk(
    client_for, people, results, settings, django_capture_on_commit_callbacks
):
    target = results["star_a"]
    leader = client_for(people.reviewer)
    url = f"/nominations/showcase/{target.pk}/photo/upload/"
    with django_capture_on_commit_callbacks(execute=True):
        leader.post(url, {"photo": SimpleUploadedFile("first.jpg", JPG)})
        first = Nomination.objects.get(pk=target.pk).photo.name
        leader.post(url, {"photo": SimpleUploadedFile("second.png", image_bytes("PNG"))})
    second = Nomination.objects.get(pk=target.pk).photo.name
    root = settings.PRIVATE_STORAGE_ROOT
    assert (second.endswith(".png"), (root / first).exists(), (root / second).exists()) == (True, False, True)
