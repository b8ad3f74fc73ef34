"""附件1 and 附件2 stay on one A4 page in their worst cases, in Word (LibreOffice) and in PDF (WeasyPrint):
500 full-width characters, 500 字 dense with digit runs and Latin words (which count 1 but take two
or three character widths), and the longest honours list allowed. Normal text keeps 五号."""

import datetime as dt
import io
import os
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from tests.documents.builders import form_of
from zuofeng.core.wordcount import word_count
from zuofeng.documents.docx import form_docx
from zuofeng.documents.fit import form_fit
from zuofeng.documents.fonts import FONTCONFIG_FILE
from zuofeng.documents.pdf import form_pdf
from zuofeng.documents.values import OpinionBlock, field_lines, form_fields
from zuofeng.nominations.services.forms import HONOUR_BODY_MAX_CHARS, HONOUR_MAX_CHARS, HONOURS_MAX_ROWS

OPINION = OpinionBlock(text="该同志事迹突出，群众认可度高，经研究同意推荐。", signed_on=dt.date(2018, 10, 31))
PEOPLE = {
    "name": "欧阳晓明",
    "position": "行政审批局政务服务科科长",
    "gender": "1",
    "birth_month": "1980-05",
    "political_status": "01",
    "phone": "0519-86310060-123456",
    "lead_section": "行政审批局政务服务管理科",
    "leader": "司马建国",
    "case_name": "企业开办“一窗受理、一网通办、一日办结”改革",
}
LONGEST_HONOURS = [
    {"year": 2018 - i % 3, "honour": "全" * HONOUR_MAX_CHARS, "body": "委" * HONOUR_BODY_MAX_CHARS}
    for i in range(HONOURS_MAX_ROWS)
]


def exactly_500(pattern: str) -> str:
    """`pattern` repeated and cut so that the text is exactly 500 字, in paragraphs of about 100."""
    text, i = "", 0
    while word_count(text + pattern[i % len(pattern)]) <= 500:
        text += pattern[i % len(pattern)]
        if word_count(text) % 100 == 0 and text[-1] == "。":
            text += "\n"
        i += 1
    return text


FULL_WIDTH = exactly_500("为民服务打通中梗阻激发新动能，")
DIGITS = exactly_500("2018年完成87项，提速63%；累计办件12345件，群众满意率99.8%，办理时限压缩至0.5个工作日。")
LATIN = exactly_500("推行App掌上办、O2O服务和Wi-Fi全覆盖，GDP增长8.5%，PPP项目12个，WeChat公众号粉丝3.2万；")
CASES = {
    "full-width": {"main_text": FULL_WIDTH},
    "digit runs": {"main_text": DIGITS},
    "Latin words": {"main_text": LATIN},
    "longest honours + digit runs": {"main_text": DIGITS, "honours": LONGEST_HONOURS},
    "longest honours + Latin words": {"main_text": LATIN, "honours": LONGEST_HONOURS},
}
# 附件2 has no honours row.
PAIRS = [
    (key, case)
    for key in ("service-star", "service-case")
    for case in CASES
    if key == "service-star" or "honours" not in CASES[case]
]


def values_for(form: dict, data: dict) -> dict:
    data = {**PEOPLE, **data}
    return {f["key"]: field_lines(f, data.get(f["key"])) for f in form_fields(form) if f.get("type") != "opinion"}


def docx_pages(content: bytes, tmp_path) -> int:
    source = tmp_path / "form.docx"
    source.write_bytes(content)
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"  # one profile per job: parallel runs do not clash
    command = ["soffice", profile, "--headless", "--convert-to", "pdf", str(source), "--outdir", str(tmp_path)]
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG_FILE)}
    subprocess.run(command, env=env, capture_output=True, timeout=180, check=True)
    return len(PdfReader(tmp_path / "form.pdf").pages)


def test_worst_case_texts_are_exactly_500():
    assert [word_count(t) for t in (FULL_WIDTH, DIGITS, LATIN)] == [500, 500, 500]
    assert len(DIGITS) > 650 and len(LATIN) > 650  # many more characters than 字


@pytest.mark.parametrize(("key", "case"), PAIRS)
def test_worst_case_pdf_is_one_page(key, case):
    form = form_of(key)
    pdf = form_pdf(form, unit_name="武进区行政审批局", values=values_for(form, CASES[case]), opinion=OPINION)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert "经研究同意推荐" in reader.pages[0].extract_text()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed (libreoffice-writer-nogui)")
@pytest.mark.parametrize(("key", "case"), PAIRS)
def test_worst_case_word_is_one_page_in_libreoffice(key, case, tmp_path):
    form = form_of(key)
    content = form_docx(form, unit_name="武进区行政审批局", values=values_for(form, CASES[case]), opinion=OPINION)
    assert docx_pages(content, tmp_path) == 1


@pytest.mark.parametrize(
    ("key", "data", "sizes"),
    [
        ("service-star", {"main_text": "该同志扎根窗口服务一线十余年。"}, (10.5, 12.0)),
        ("service-star", {"main_text": FULL_WIDTH}, (10.5, 12.0)),
        ("service-case", {"main_text": DIGITS}, (10.5, 12.0)),
    ],
)
def test_normal_and_full_texts_keep_the_standard_sizes(key, data, sizes):
    form = form_of(key)
    fit = form_fit(form, values_for(form, data), OPINION.text.splitlines())
    assert (fit.of("main_text")[0], fit.of("opinion")[0]) == sizes


def test_dense_text_steps_down_and_squeezes_blank_lines_first():
    form = form_of("service-star")
    fit = form_fit(form, values_for(form, {"main_text": DIGITS, "honours": LONGEST_HONOURS}), [OPINION.text])
    main_size, honours_size = fit.of("main_text")[0], fit.of("honours")[0]
    assert main_size < 10.5 and honours_size <= 12.0
    assert main_size >= 7.5
