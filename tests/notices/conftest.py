"""A campaign, a notice draft addressed to the two departments of `org`, and who does what."""

import datetime as dt

import pytest
from django.conf import settings

from zuofeng.campaigns.services import campaign_load
from zuofeng.notices.models import Delivery, Notice
from zuofeng.notices.services.drafting import NoticeData, notice_save
from zuofeng.notices.workflow import notice_transition

SEED = settings.BASE_DIR / "campaigns" / "wujin-2018.yaml"


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture
def wujin(db):
    return campaign_load(path=SEED, make_default=True).campaign


def notice_data(**changes) -> NoticeData:
    values = {
        "issuer": "常州市武进区作风建设领导小组办公室",
        "number_prefix": "武作组办",
        "title": "关于开展作风效能专项督查的通知",
        "body": "各单位要高度重视。\n一、督查内容\n（一）找差整改。对照清单逐项检查。\n1. 查台账\n（1）查措施",
        "signed_on": dt.date(2018, 9, 3),
        "printed_on": dt.date(2018, 9, 3),
        "printed_by": "常州市武进区作风建设领导小组办公室",
    }
    values.update(changes)
    return NoticeData(**values)


def draft(office, units, **changes) -> Notice:
    return notice_save(actor=office, data=notice_data(**changes), addressee_ids=[u.pk for u in units])


def issue(office, units, **changes) -> Notice:
    notice = draft(office, units, **changes)
    return notice_transition(actor=office, notice=notice, to="issued")


def copy_of(notice: Notice, unit) -> Delivery:
    return Delivery.objects.select_related("unit", "notice", "from_unit").get(notice=notice, unit=unit)
