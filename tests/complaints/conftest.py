"""A campaign with the 群众提 source, and a named complaint filed through the public form."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.upload_files import jpg_bytes
from zuofeng.campaigns.models import Campaign, ObstructionCategory, ProblemSource, ProblemSourceKind, Symptom
from zuofeng.complaints.models import Captcha, Complaint
from zuofeng.core import clock

NAME, PHONE = "王秀英", "13912345678"


@pytest.fixture
def campaign(db):
    c = Campaign.objects.create(
        slug="test-2018",
        year=2018,
        title="打通中梗阻专项活动",
        issuer="区作风办",
        issued_on=dt.date(2018, 8, 8),
        is_default=True,
    )
    duty = ObstructionCategory.objects.create(campaign=c, key="duty", name="责任中梗阻", order=1)
    Symptom.objects.create(campaign=c, category=duty, key="tuiwei", name="推诿扯皮", order=1)
    for order, kind in enumerate(ProblemSourceKind, start=1):
        ProblemSource.objects.create(campaign=c, key=kind.value, name=kind.label, kind=kind.value, order=order)
    return c


@pytest.fixture
def monday():
    """Monday 2018-10-15 09:00, a working day; the two weeks after it have no holiday."""
    with clock.frozen(dt.datetime(2018, 10, 15, 9, 0)):
        yield dt.date(2018, 10, 15)


def report_form(client: Client, **overrides) -> dict:
    """The public form's fields, filled in as a visitor would, with the captcha answered."""
    page = client.get("/complaints/report/")
    initial = page.context["form"].initial
    a, b = Captcha.objects.get(token=initial["captcha"]).answer.split("+")
    data = {
        "kind": "complaint",
        "symptom": "",
        "unit": "",
        "text": "窗口工作人员让我来回跑了三趟，每次只告知缺一样材料。",
        "happened_on": "2018-10-12",
        "place": "区政务服务中心 3 号窗口",
        "named": "1",
        "name": NAME,
        "phone": PHONE,
        "contact": "微信 wxy1988",
        "captcha": initial["captcha"],
        "captcha_answer": str(int(a) + int(b)),
        "submission_key": initial["submission_key"],
    }
    data.update(overrides)
    return data


def file_report(client: Client | None = None, *, photo: bool = True, **overrides) -> tuple[Complaint, str]:
    client = client or Client()
    data = report_form(client, **overrides)
    if photo:
        data["files"] = [SimpleUploadedFile("王秀英拍的窗口.jpg", jpg_bytes(), content_type="image/jpeg")]
    response = client.post("/complaints/report/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    receipt = client.session["complaints_receipt"]
    return Complaint.objects.get(code=receipt["code"]), receipt["secret"]
