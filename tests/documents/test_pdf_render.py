"""The PDF of a nomination: same text, fonts embedded, one page for a 500-字 text, a clear error without fonts."""

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.documents.builders import STAR_DATA, give_opinion, make_award, make_campaign, make_nomination, text_500
from zuofeng.core.wordcount import word_count
from zuofeng.documents import fonts
from zuofeng.documents.pdf import award_form_pdf, nomination_pdf


@pytest.fixture
def star(org):
    return make_nomination(make_award(make_campaign()), org.dept_a)


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _embedded_fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(descendant.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_nomination_pdf_contains_the_form_text(star):
    text = _text(nomination_pdf(star))
    for expected in ("附件1", "“十佳优秀服务明星”申报表", "申报单位（盖章）：武进区财政局", "王小明", "预算科科长"):
        assert expected in text
    assert "中共党员" in text and "1980.05" in text and "13912345678" in text
    assert "2017年 获区优秀公务员（武进区委）" in text


def test_nomination_pdf_embeds_noto_cjk_fonts(star):
    assert _embedded_fonts(nomination_pdf(star)) == {"Noto-Sans-CJK-SC", "Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold"}


def test_nomination_pdf_500_characters_fit_one_page(org):
    award = make_award(make_campaign())
    text = text_500()
    assert word_count(text) == 500
    nomination = make_nomination(award, org.dept_a, data={**STAR_DATA, "main_text": text})
    give_opinion(nomination, text="该同志事迹突出，同意推荐。")
    nomination.refresh_from_db()
    pdf = nomination_pdf(nomination)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "同意推荐" in _text(pdf)


def test_nomination_pdf_masked_hides_phone_and_birth(star):
    text = _text(nomination_pdf(star, masked=True))
    assert "13912345678" not in text and "1980.05" not in text
    assert "139****5678" in text


def test_blank_form_pdf_is_one_page_with_labels(org):
    pdf = award_form_pdf(make_award(make_campaign(), key="service-case", kind="case").form)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "主要做法及成效" in _text(pdf) and "年　　月　　日" in _text(pdf)


def test_missing_cjk_fonts_refused_with_clear_message(tmp_path: Path):
    with pytest.raises(fonts.MissingFonts, match="请安装 Debian 软件包 fonts-noto-cjk"):
        fonts.ensure_cjk_fonts(tmp_path)


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig tools not installed")
@pytest.mark.parametrize(
    ("family", "resolved"),
    [
        ("仿宋_GB2312", "Noto Serif CJK SC"),
        ("宋体", "Noto Serif CJK SC"),
        ("楷体", "LXGW WenKai"),  # fonts-lxgw-wenkai (Makefile RUN_PACKAGES)
        ("方正小标宋简体", "Noto Serif CJK SC"),
        ("黑体", "Noto Sans CJK SC"),
        ("SimHei", "Noto Sans CJK SC"),
    ],
)
def test_fontconfig_maps_official_font_names_to_noto(family, resolved):
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts.FONTCONFIG_FILE)}
    out = subprocess.run(
        ["fc-match", "-f", "%{family[0]}", family], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout == resolved
