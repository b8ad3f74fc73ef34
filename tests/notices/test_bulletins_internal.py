"""内部通报 and 通报批评 from supervision: an internal bulletin is issued as a notice to the chosen
units (发文字号, one copy each, 签收 and 催办 are the notice's); only released fields are printed;
confirmed findings and decided cases become items, their subject's name only when released;
the office alone composes, and a unit never sees another unit's bulletin; Word and PDF."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from docx import Document

from tests.factories import PersonFactory
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.notices.models import Bulletin, Delivery, Notice
from zuofeng.notices.services.bulletins import (
    bulletin_create,
    bulletin_item_add,
    bulletin_items_from_supervision,
    bulletin_publish,
    bulletin_send,
)
from zuofeng.notices.services.delivery import deliveries_chase, delivery_acknowledge
from zuofeng.supervision.models import AccountabilityCase, CaseState, Finding, FindingState, InspectionRound

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_2018():
    with clock.frozen(dt.datetime(2018, 11, 5, 9, 0)):
        yield


@pytest.fixture
def internal(people, wujin):
    bulletin = bulletin_create(
        actor=people.office, kind="criticism", scope="internal", title="关于窗口服务问题的通报", campaign=wujin
    )
    bulletin_item_add(
        actor=people.office,
        bulletin=bulletin,
        unit="武进区财政局",
        heading="窗口推诿",
        person="张某某",
        text="三次未办结。",
    )
    return bulletin


@pytest.fixture
def supervision(org, people, wujin):
    round_ = InspectionRound.objects.create(
        campaign=wujin,
        name="第一轮督查",
        focus="rectify",
        starts_on=dt.date(2018, 10, 8),
        ends_on=dt.date(2018, 10, 12),
    )
    category = wujin.categories.first()
    common = {"round": round_, "inspector": people.inspector, "category": category, "found_on": dt.date(2018, 10, 9)}
    confirmed = Finding.objects.create(
        unit=org.section_a1, text="窗口无人值守。", state=FindingState.CONFIRMED, **common
    )
    recorded = Finding.objects.create(unit=org.section_a2, text="待确认的问题。", **common)
    decided = AccountabilityCase.objects.create(
        campaign=wujin,
        unit=org.dept_b,
        person=PersonFactory(unit=org.dept_b, name="李某某"),
        origin="finding",
        facts="对群众诉求推诿扯皮。",
        degree="general",
        measure="admonition",
        state=CaseState.DECIDED,
        decided_on=dt.date(2018, 11, 1),
        deciding_body="区纪委",
        doc_number="武纪〔2018〕5号",
    )
    open_case = AccountabilityCase.objects.create(
        campaign=wujin, unit=org.dept_a, origin="other", facts="尚在调查。", degree="general"
    )
    return confirmed, recorded, decided, open_case


def test_internal_bulletin_is_issued_to_chosen_units_who_sign_and_are_chased(internal, people, org):
    item = internal.items.get()
    sent = bulletin_send(
        actor=people.office,
        bulletin=internal,
        released={item.pk: ["unit", "heading", "text"]},
        unit_ids=[org.dept_a.pk],
    )
    notice = Notice.objects.get()
    assert (sent.state, sent.notice, notice.state, notice.doc_number) == (
        "sent",
        notice,
        "issued",
        "武作组办〔2018〕1号",
    )
    assert notice.body == "一、武进区财政局：窗口推诿\n三次未办结。"
    assert "张某某" not in notice.body
    assert notice.addressees_text == "武进区财政局："
    copy = Delivery.objects.get()
    assert copy.unit == org.dept_a
    assert deliveries_chase(actor=people.office, deliveries=[copy]) == 1
    delivery_acknowledge(actor=people.reviewer, delivery=copy)
    assert Delivery.objects.get().acknowledged_by == people.reviewer
    entry = AuditEntry.objects.get(action="bulletin.send")
    assert entry.after == {
        "state": "sent",
        "released": {str(item.pk): ["unit", "heading", "text"]},
        "doc_number": "武作组办〔2018〕1号",
    }
    # not on the public page, and not publishable there
    assert Client().get(f"/notices/public/{internal.pk}/").status_code == 404
    with pytest.raises(ValidationError):
        bulletin_publish(actor=people.office, bulletin=Bulletin.objects.get(), released={item.pk: ["unit"]})


def test_a_unit_not_chosen_never_sees_it(internal, people, org, client_for):
    item = internal.items.get()
    bulletin_send(actor=people.office, bulletin=internal, released={item.pk: ["unit"]}, unit_ids=[org.dept_a.pk])
    notice = Notice.objects.get()
    assert client_for(people.reviewer).get(f"/notices/{notice.pk}/").status_code == 200
    for who in (people.other_leader, people.judge):
        assert client_for(who).get(f"/notices/{notice.pk}/").status_code in (403, 404)
    for who in (people.reviewer, people.other_leader, people.judge, people.auditor, people.inspector):
        assert client_for(who).get(f"/notices/bulletins/{internal.pk}/").status_code == 403
        assert client_for(who).get(f"/notices/bulletins/{internal.pk}/bulletin.pdf").status_code == 403


def test_sending_bad_input_saves_nothing(internal, people, org, client_for):
    item = internal.items.get()
    with pytest.raises(ValidationError) as error:
        bulletin_send(actor=people.office, bulletin=internal, released={item.pk: ["unit"]}, unit_ids=[])
    assert error.value.message_dict == {"units": ["请选择接收通报的单位。"]}
    with pytest.raises(ValidationError) as error:
        bulletin_send(actor=people.office, bulletin=internal, released={}, unit_ids=[org.dept_a.pk])
    assert error.value.message_dict == {"released": ["请至少选择一个公开的栏目。"]}
    with pytest.raises(PermissionDenied):
        bulletin_send(actor=people.reviewer, bulletin=internal, released={item.pk: ["unit"]}, unit_ids=[org.dept_a.pk])
    assert (Notice.objects.count(), Bulletin.objects.get().state, internal.items.get().released) == (0, "draft", [])
    response = client_for(people.office).post(f"/notices/bulletins/{internal.pk}/send/", {f"release-{item.pk}": "unit"})
    assert response.status_code == 400 and "请选择接收通报的单位。" in response.content.decode()
    with pytest.raises(ValidationError) as error:
        bulletin_create(actor=people.office, kind="criticism", scope="internal", title="无活动")
    assert error.value.message_dict == {"scope": ["内部通报以专项活动的发文机关印发，请先设置当前专项活动。"]}


def test_sending_through_the_page(internal, people, org, client_for):
    item = internal.items.get()
    office = client_for(people.office)
    page = office.get(f"/notices/bulletins/{internal.pk}/").content.decode()
    assert 'data-testid="send"' in page and 'data-testid="publish"' not in page
    response = office.post(
        f"/notices/bulletins/{internal.pk}/send/",
        {f"release-{item.pk}": ["unit", "text"], "units": [org.dept_a.pk, org.dept_b.pk]},
    )
    assert response.status_code == 302
    assert sorted(Delivery.objects.values_list("unit__name", flat=True)) == ["武进区商务局", "武进区财政局"]
    assert "武作组办〔2018〕1号" in office.get(f"/notices/bulletins/{internal.pk}/").content.decode()


def test_criticism_from_supervision(people, supervision):
    confirmed, recorded, decided, open_case = supervision
    bulletin = bulletin_create(actor=people.office, kind="criticism", title="督查情况通报")
    with pytest.raises(ValidationError) as error:
        bulletin_items_from_supervision(actor=people.office, bulletin=bulletin, findings=[recorded])
    assert error.value.message_dict == {"findings": ["只能通报已确认的督查发现。"]}
    with pytest.raises(ValidationError) as error:
        bulletin_items_from_supervision(actor=people.office, bulletin=bulletin, cases=[open_case])
    assert error.value.message_dict == {"cases": ["只能通报已作出问责决定的案件。"]}
    with pytest.raises(PermissionDenied):
        bulletin_items_from_supervision(actor=people.reviewer, bulletin=bulletin, cases=[decided])
    assert bulletin.items.count() == 0
    first, second = bulletin_items_from_supervision(
        actor=people.office, bulletin=bulletin, findings=[confirmed], cases=[decided]
    )
    assert (first.order, first.finding, first.unit, first.heading, first.text, first.person) == (
        1,
        confirmed,
        "预算科",
        "督查发现（2018-10-09）",
        "窗口无人值守。",
        "",
    )
    assert (second.order, second.case, second.unit, second.heading, second.person, second.text) == (
        2,
        decided,
        "武进区商务局",
        "问责决定：诫勉",
        "李某某",
        "对群众诉求推诿扯皮。（区纪委武纪〔2018〕5号）",
    )
    # the subject's name is public only if released
    bulletin_publish(
        actor=people.office, bulletin=bulletin, released={first.pk: ["unit", "text"], second.pk: ["unit", "heading"]}
    )
    html = Client().get(f"/notices/public/{bulletin.pk}/").content.decode()
    assert "问责决定：诫勉" in html and "李某某" not in html and "推诿扯皮" not in html


def test_praise_takes_no_supervision_items(people, supervision):
    bulletin = bulletin_create(actor=people.office, kind="praise", title="表扬")
    with pytest.raises(ValidationError) as error:
        bulletin_items_from_supervision(actor=people.office, bulletin=bulletin, findings=[supervision[0]])
    assert error.value.message_dict == {"findings": ["督查发现和问责决定只能编入通报批评。"]}


def test_supervision_items_on_the_page_and_the_case_list_read_is_audited(people, supervision, client_for):
    confirmed, recorded, decided, open_case = supervision
    bulletin = bulletin_create(actor=people.office, kind="criticism", title="督查情况通报")
    office = client_for(people.office)
    page = office.get(f"/notices/bulletins/{bulletin.pk}/").content.decode()
    assert f'name="findings" value="{confirmed.pk}"' in page and f'value="{recorded.pk}"' not in page
    assert f'name="cases" value="{decided.pk}"' in page and f'name="cases" value="{open_case.pk}"' not in page
    assert AuditEntry.objects.filter(action="case.list", actor_id=people.office.pk).count() == 1
    # a case id not offered (open) is ignored; a recorded finding id too
    office.post(
        f"/notices/bulletins/{bulletin.pk}/from-supervision/",
        {"findings": [confirmed.pk, recorded.pk], "cases": [decided.pk, open_case.pk, "x"]},
    )
    assert list(bulletin.items.values_list("finding", "case")) == [(confirmed.pk, None), (None, decided.pk)]
    page = office.get(f"/notices/bulletins/{bulletin.pk}/").content.decode()
    assert 'data-testid="supervision-form"' not in page  # both already in the bulletin


def test_word_and_pdf_of_bulletins(internal, people, org, client_for):
    office = client_for(people.office)
    draft_docx = office.get(f"/notices/bulletins/{internal.pk}/bulletin.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(draft_docx.streaming_content))).paragraphs)
    assert "关于窗口服务问题的通报" in text and "一、武进区财政局：窗口推诿" in text and "张某某" not in text
    item = internal.items.get()
    bulletin_send(actor=people.office, bulletin=internal, released={item.pk: ["unit"]}, unit_ids=[org.dept_a.pk])
    sent_docx = office.get(f"/notices/bulletins/{internal.pk}/bulletin.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(sent_docx.streaming_content))).paragraphs)
    assert "武作组办〔2018〕1号" in text and "三次未办结" not in text
    pdf = office.get(f"/notices/bulletins/{internal.pk}/bulletin.pdf")
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert office.get(f"/notices/bulletins/{internal.pk}/bulletin.txt").status_code == 404


# ── the same through the API (issue 15: every page action has an operation) ────────────────────


def _post(user, url, data):
    from tests.notices.test_api import bearer

    return bearer(user).post(url, json.dumps(data), content_type="application/json")


def test_sending_and_supervision_items_through_the_api(internal, people, org, supervision):
    confirmed, _recorded, decided, _open_case = supervision
    item = internal.items.get()
    url = f"/api/bulletins/{internal.pk}"

    refused = _post(people.reviewer, f"{url}/send", {"released": {str(item.pk): ["unit"]}, "units": [org.dept_a.pk]})
    assert (refused.status_code, refused.json()) == (403, {"detail": "您的角色无权访问此项内容。"})
    empty = _post(people.office, f"{url}/send", {"released": {str(item.pk): ["unit"]}, "units": []})
    assert (empty.status_code, empty.json()["errors"]) == (400, {"units": ["请选择接收通报的单位。"]})
    assert Notice.objects.count() == 0

    unknown = _post(people.office, f"{url}/from-supervision", {"findings": [confirmed.pk, 999999]})
    assert (unknown.status_code, unknown.json()["errors"]) == (
        400,
        {"findings": ["督查发现或问责案件不存在：999999。"]},
    )
    added = _post(people.office, f"{url}/from-supervision", {"findings": [confirmed.pk], "cases": [decided.pk]})
    assert added.status_code == 200
    assert [i["heading"] for i in added.json()["items"]] == ["窗口推诿", "督查发现（2018-10-09）", "问责决定：诫勉"]

    sent = _post(people.office, f"{url}/send", {"released": {str(item.pk): ["unit", "text"]}, "units": [org.dept_a.pk]})
    assert (sent.status_code, sent.json()["state"]) == (200, "sent")
    assert Notice.objects.get().doc_number == "武作组办〔2018〕1号"
