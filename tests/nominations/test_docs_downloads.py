"""Per-nomination Word/PDF downloads, blank forms and the summary sheet through their URLs."""

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from tests.documents.builders import make_award, make_campaign, make_nomination
from tests.word import docx_text
from zuofeng.audit.models import AuditEntry
from zuofeng.nominations.models import JudgeAssignment


@pytest.fixture
def star(org):
    return make_nomination(make_award(make_campaign()), org.dept_a)


def _docx_text(response) -> str:
    return docx_text(b"".join(response.streaming_content))


def test_unit_leader_downloads_word_file_named_after_the_nomination(star, people, client_for):
    response = client_for(people.reviewer).get(reverse("nominations:docx", args=[star.pk]))
    assert response.status_code == 200
    assert quote("武进区财政局-王小明-十佳优秀服务明星申报表.docx") in response["Content-Disposition"]
    assert "13912345678" in _docx_text(response)
    assert AuditEntry.objects.filter(action="nomination.download").count() == 1


def test_office_downloads_pdf(star, people, client_for):
    response = client_for(people.office).get(reverse("nominations:pdf", args=[star.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert "王小明" in reader.pages[0].extract_text()


def test_other_unit_cannot_download(star, people, client_for):
    assert client_for(people.other_leader).get(reverse("nominations:docx", args=[star.pk])).status_code == 404
    assert client_for(people.own_clerk).get(reverse("nominations:docx", args=[star.pk])).status_code == 404
    assert client_for(people.sysadmin).get(reverse("nominations:pdf", args=[star.pk])).status_code == 404


def test_anonymous_is_sent_to_login(star, client):
    response = client.get(reverse("nominations:docx", args=[star.pk]))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_judge_gets_masked_document(star, people, client_for):
    JudgeAssignment.objects.create(award=star.award, judge=people.judge)
    text = _docx_text(client_for(people.judge).get(reverse("nominations:docx", args=[star.pk])))
    assert "13912345678" not in text and "1980.05" not in text
    assert "139****5678" in text and "****.**" in text


def test_masked_option_for_publication(star, people, client_for):
    response = client_for(people.office).get(reverse("nominations:docx", args=[star.pk]) + "?masked=1")
    assert "139****5678" in _docx_text(response)


def test_blank_forms_download_as_word_and_pdf(star, people, client_for):
    client = client_for(people.own_clerk)
    word = client.get(reverse("nominations:blank_docx", args=[star.award.pk]))
    assert word.status_code == 200
    assert quote("附件1：“十佳优秀服务明星”申报表.docx") in word["Content-Disposition"]
    pdf = client.get(reverse("nominations:blank_pdf", args=[star.award.pk]))
    assert pdf.status_code == 200
    assert "申报单位（盖章）" in PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages[0].extract_text()


def test_campaign_blank_form_route_renders_through_documents(star, people, client_for):
    campaign = star.award.campaign
    response = client_for(people.own_clerk).get(reverse("campaigns:award_form", args=[campaign.slug, "service-star"]))
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    assert document.tables[0].rows[0].cells[0].text == "姓  名"


def test_summary_sheet_download_for_office(star, people, client_for):
    url = reverse("nominations:summary_xlsx", args=[star.award.pk]) + "?order=strokes&masked=1"
    response = client_for(people.office).get(url)
    assert response.status_code == 200
    assert quote("十佳优秀服务明星申报汇总表（按姓氏笔画排序") in response["Content-Disposition"]


def test_summary_sheet_refused_to_unit_leader(star, people, client_for):
    response = client_for(people.reviewer).get(reverse("nominations:summary_xlsx", args=[star.award.pk]))
    assert response.status_code == 403


def test_documents_page_for_office_and_own_unit_leader(star, people, client_for):
    url = reverse("nominations:award_documents", args=[star.award.pk])
    office_page = client_for(people.office).get(url).content.decode()
    assert "导出汇总表" in office_page and "全部单位" in office_page
    leader_page = client_for(people.reviewer).get(url).content.decode()
    assert "导出汇总表" not in leader_page and "武进区财政局" in leader_page
    assert client_for(people.other_leader).get(url).status_code == 403


def test_pdf_without_cjk_fonts_answers_with_clear_message(star, people, client_for, monkeypatch, tmp_path):
    monkeypatch.setattr("zuofeng.documents.fonts.NOTO_DIR", tmp_path)
    client = client_for(people.office)
    response = client.get(reverse("nominations:pdf", args=[star.pk]))
    assert response.status_code == 503
    assert "请安装 Debian 软件包 fonts-noto-cjk" in response.content.decode()
    assert client.get(reverse("nominations:blank_pdf", args=[star.award.pk])).status_code == 503
