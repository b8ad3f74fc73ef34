"""Awards with the real forms of the campaign definition, and filled nominations, for document tests."""

import datetime as dt

import yaml
from django.conf import settings
from django.utils import timezone

from zuofeng.campaigns.models import Award, Campaign
from zuofeng.campaigns.schema import FormDef
from zuofeng.core.wordcount import word_count
from zuofeng.nominations.models import Nomination, NominationState, Opinion

MAIN_TEXT = (
    "该同志扎根窗口服务一线十余年，始终坚持群众利益无小事，主动靠前服务，推行预约办、延时办、上门办等便民举措。"
    "累计为企业和群众办理各类事项三万余件，做到件件有回音、事事有着落。"
)
STAR_DATA = {
    "name": "王小明",
    "position": "预算科科长",
    "gender": "1",
    "birth_month": "1980-05",
    "political_status": "01",
    "phone": "13912345678",
    "honours": [
        {"year": 2017, "honour": "区优秀公务员", "body": "武进区委"},
        {"year": 2018, "honour": "市人民满意公务员", "body": "常州市人社局"},
    ],
    "main_text": MAIN_TEXT,
}


def definition_award(key: str) -> dict:
    with open(settings.DEFAULT_CAMPAIGN_FILE, encoding="utf-8") as handle:
        awards = yaml.safe_load(handle)["awards"]
    return next(a for a in awards if a["key"] == key)


def form_of(key: str) -> dict:
    return FormDef(**definition_award(key)["form"]).model_dump()


def make_campaign() -> Campaign:
    return Campaign.objects.create(
        slug="docs-2018", year=2018, title="作风效能专项活动", issuer="区作风办", issued_on=dt.date(2018, 8, 8)
    )


def make_award(campaign: Campaign, key: str = "service-star", kind: str = "individual", order: int = 1) -> Award:
    award = definition_award(key)
    return Award.objects.create(
        campaign=campaign, key=key, name=award["name"], kind=kind, order=order, form=form_of(key), quota_max=None
    )


def make_nomination(award, unit, *, title: str = "王小明", data: dict | None = None, at: dt.datetime | None = None):
    data = dict(STAR_DATA if data is None else data)
    if award.key == "service-star":
        data["name"] = title
    return Nomination.objects.create(
        award=award,
        campaign=award.campaign,
        unit=unit,
        title=title,
        data=data,
        state=NominationState.SUBMITTED,
        submitted_at=at or timezone.make_aware(dt.datetime(2018, 10, 30, 9, 30)),
    )


def give_opinion(nomination, text: str = "同意推荐。", signed_on: dt.date = dt.date(2018, 10, 31)) -> Opinion:
    return Opinion.objects.create(nomination=nomination, unit=None, text=text, signed_on=signed_on)


PARAGRAPH = (
    "他扎根窗口服务一线十余年，始终坚持群众利益无小事，主动靠前服务，推行预约办、延时办、上门办等便民举措，"
    "累计为企业和群众办理各类事项三万余件，做到件件有回音、事事有着落，群众满意率保持在百分之百。"
)


def text_500() -> str:
    """A deeds text of exactly 500 字 as Word counts them, in five paragraphs."""
    paragraphs = []
    while word_count("\n".join([*paragraphs, PARAGRAPH])) <= 500:
        paragraphs.append(PARAGRAPH)
    text = "\n".join(paragraphs)
    filler = "为民服务"
    while word_count(text + filler[0]) <= 500:
        text += filler[len(text) % 4]
    return text
