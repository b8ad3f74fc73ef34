"""The 交办单: one case in Word for whoever may read it — the unit's text as the office left it, the
dates of the order, room for the reply and the signature, and nothing of the reporter."""

import io

import pytest
from docx import Document

from tests.complaints.conftest import NAME, PHONE, file_report
from tests.conftest import login
from tests.word import docx_table, docx_text
from zuofeng.audit.models import AuditEntry
from zuofeng.complaints.exports import BLANK
from zuofeng.complaints.models import ComplaintState as S
from zuofeng.complaints.workflow import complaint_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatched(campaign, org, people, monday):
    complaint, _ = file_report(unit=str(org.section_a1.pk), symptom=str(campaign.symptoms.get().pk))
    login(people.office).post(
        f"/complaints/{complaint.pk}/redact", {"text": "窗口工作人员让群众来回跑了三趟。", "version": complaint.version}
    )
    complaint.refresh_from_db()
    complaint_transition(actor=people.office, complaint=complaint, to=S.DISPATCHED, unit=org.section_a1)
    return complaint


def _sheet(response) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return b"".join(response.streaming_content)


def test_the_unit_prints_the_sheet_of_its_case(dispatched, people):
    content = _sheet(login(people.own_clerk).get(f"/complaints/{dispatched.pk}/sheet.docx"))
    assert docx_table(content) == [
        ["项目", "内容"],
        ["编号（查询码）", dispatched.code],
        ["类型", "投诉"],
        ["问题表现", "责任中梗阻 · 推诿扯皮"],
        ["承办单位", "区财政局·预算科"],
        ["提交时间", "2018年10月15日 09:00"],
        ["发生日期、地点", "2018年10月12日 区政务服务中心 3 号窗口"],
        ["派单日期", "2018年10月15日"],
        ["签收期限", "2018年10月16日"],
        ["办理期限", "2018年10月29日"],
        ["反映内容", "窗口工作人员让群众来回跑了三趟。"],
        ["办理情况", BLANK],
    ]
    table = Document(io.BytesIO(content)).tables[0]
    assert [round(cell.width.cm, 2) for cell in table.rows[1].cells] == [3.5, 12.1]  # the 15.6 cm text block
    assert [round(column.width.cm, 2) for column in table.columns] == [3.5, 12.1]
    assert round(table.rows[-1].height.cm, 2) == 6.0  # room to write the reply by hand
    text = docx_text(content)
    assert "群众反映问题交办单" in text and "反映人信息由区作风办保管，不向承办单位提供。" in text
    for secret in (NAME, PHONE, "每次只告知缺一样材料", "wxy1988"):
        assert secret not in text
    assert AuditEntry.objects.filter(action="complaint.sheet", actor_username="clerk_a1").count() == 1


def test_the_reply_is_on_the_sheet_once_given_and_the_api_serves_the_same(dispatched, people):
    complaint_transition(actor=people.own_clerk, complaint=dispatched, to=S.HANDLING)
    reply = "已对窗口人员批评教育，并实行一次性告知。"
    complaint_transition(actor=people.own_clerk, complaint=dispatched, to=S.REPLIED, reply=reply)
    content = _sheet(login(people.office).get(f"/api/complaints/{dispatched.pk}/sheet.docx"))
    rows = docx_table(content)
    assert rows[-1] == ["办理情况", reply]
    assert Document(io.BytesIO(content)).tables[0].rows[-1].height is None  # the reply fills it


@pytest.mark.parametrize("who", ["sibling_clerk", "other_leader", "judge", "sysadmin"])
def test_nobody_else_gets_the_sheet(dispatched, people, who):
    client = login(getattr(people, who))
    assert client.get(f"/complaints/{dispatched.pk}/sheet.docx").status_code in (403, 404)
    assert client.get(f"/api/complaints/{dispatched.pk}/sheet.docx").status_code in (403, 404)
    assert not AuditEntry.objects.filter(action="complaint.sheet").exists()
