"""Shared fixtures for the nomination form, lifecycle, quota and board tests (imported by name)."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.upload_files import pdf_bytes
from zuofeng.campaigns.services import campaign_load

SEED = Path(settings.BASE_DIR) / "campaigns" / "wujin-2018.yaml"
BEFORE = timezone.make_aware(dt.datetime(2018, 10, 20, 10, 0))
AFTER = timezone.make_aware(dt.datetime(2018, 11, 2, 0, 0, 0))
PDF_BYTES = pdf_bytes()
MAIN_TEXT = "本人扎根窗口服务一线，推行“不见面审批”，2018年办件量达1.2万件，群众满意率100%。"

STAR_POST = {
    "name": "王晓明",
    "position": "行政审批科科长",
    "gender": "1",
    "birth_month": "1985-06",
    "political_status": "01",
    "phone": "139 1234 5678",
    "honours-0-year": "2017",
    "honours-0-honour": "优秀共产党员",
    "honours-0-body": "中共常州市武进区委",
    "main_text": MAIN_TEXT,
}
STAR_DATA = {
    "name": "王晓明",
    "position": "行政审批科科长",
    "gender": "1",
    "birth_month": "1985-06",
    "political_status": "01",
    "phone": "13912345678",
    "honours": [{"year": 2017, "honour": "优秀共产党员", "body": "中共常州市武进区委"}],
    "main_text": MAIN_TEXT,
}
CASE_DATA = {
    "lead_section": "行政审批科",
    "leader": "李华",
    "phone": "0519-86310060",
    "case_name": "不见面审批",
    "main_text": MAIN_TEXT,
}


def pdf(name: str = "申报表.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


def stored_files(root: Path) -> list[str]:
    return sorted(p.name for p in Path(root).rglob("*") if p.is_file())


@pytest.fixture
def wujin(db):
    """The real 2018 campaign definition (all awards and their forms), as the default campaign."""
    return campaign_load(path=SEED, make_default=True).campaign


@pytest.fixture
def star(wujin):
    return wujin.awards.get(key="service-star")


@pytest.fixture
def case(wujin):
    return wujin.awards.get(key="service-case")
