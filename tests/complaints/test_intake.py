"""Public intake without login: the case is stored once with a tracking code and secret, the reporter's
identity apart and encrypted; bad input is refused at the field with nothing stored; captcha, rate limits."""

import pytest
from django.db import connection
from django.test import Client

from tests.complaints.conftest import NAME, PHONE, file_report, report_form
from zuofeng.complaints.models import Attachment, Complaint, ComplaintState, Reporter, Throttle
from zuofeng.complaints.services.intake import secret_hash
from zuofeng.complaints.services.office import reporter_identity_read

pytestmark = pytest.mark.django_db


def test_a_visitor_files_a_named_complaint_and_gets_a_code_and_secret(campaign, org, people):
    complaint, secret = file_report(unit=str(org.dept_a.pk))

    assert complaint.state == ComplaintState.RECEIVED
    assert (complaint.kind, complaint.reported_unit, complaint.unit) == ("complaint", org.dept_a, None)
    assert complaint.code.startswith("Q") and len(complaint.code) == 10
    assert len(secret) == 8 and complaint.secret_hash == secret_hash(secret)
    assert complaint.text == complaint.text_original == "窗口工作人员让我来回跑了三趟，每次只告知缺一样材料。"
    assert complaint.is_named is True
    attachment = Attachment.objects.get(complaint=complaint)
    assert (attachment.original_name, attachment.kind, attachment.checked) == ("王秀英拍的窗口.jpg", "jpg", False)
    assert NAME not in attachment.file.name
    identity = reporter_identity_read(actor=people.office, complaint=complaint)
    assert (identity.name, identity.phone, identity.contact) == (NAME, PHONE, "微信 wxy1988")


def test_the_receipt_page_shows_the_code_and_the_secret_once(campaign, org):
    client = Client()
    complaint, secret = file_report(client)
    page = client.get("/complaints/report/done/").content.decode()
    assert complaint.code in page and secret in page


def test_name_and_phone_are_not_stored_in_clear_anywhere_in_the_database(campaign, org):
    complaint, _ = file_report()
    with connection.cursor() as cursor:
        for table in ("complaints_complaint", "complaints_reporter", "complaints_complaintevent", "audit_auditentry"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            dump = repr(cursor.fetchall())
            assert NAME not in dump and PHONE not in dump, table
    reporter = Reporter.objects.get(complaint=complaint)
    assert reporter.name_token.startswith("gAAAA") and reporter.phone_digest != PHONE


def test_an_anonymous_report_stores_no_reporter(campaign, org):
    complaint, _ = file_report(named="0", name="", phone="", contact="", photo=False)
    assert complaint.is_named is False
    assert not Reporter.objects.filter(complaint=complaint).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"text": "太慢"}, "text", "请写明反映的事情，至少 10 个字。"),
        ({"name": ""}, "name", "实名反映请填写姓名；不愿留名请选择“匿名”。"),
        ({"phone": "12345"}, "phone", "请填写 11 位手机号码。"),
        ({"happened_on": "2099-01-01"}, "happened_on", "发生日期不能晚于今天。"),
        ({"captcha_answer": "99"}, "captcha", "验证码不正确或已过期，请按新图片重新计算。"),
    ],
)
def test_bad_input_is_named_at_the_field_and_nothing_is_stored(campaign, org, overrides, field, message):
    client = Client()
    data = report_form(client, **overrides)
    response = client.post("/complaints/report/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in form.errors.get(field, []) + form.non_field_errors()
    assert Complaint.objects.count() == 0 and Reporter.objects.count() == 0
    page = response.content.decode()
    assert data["place"] in page  # what was typed is kept


def test_a_file_that_is_not_what_its_name_says_is_refused(campaign, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    data = report_form(client)
    data["files"] = [SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")]
    response = client.post("/complaints/report/", data)
    assert response.context["form"].errors["files"] == ["“照片.jpg” 不是有效的 JPG 图片。"]
    assert Complaint.objects.count() == 0 and Attachment.objects.count() == 0


def test_the_same_form_posted_twice_is_stored_once(campaign, org):
    client = Client()
    data = report_form(client)
    first = client.post("/complaints/report/", data)
    second = client.post("/complaints/report/", data)
    assert first.status_code == second.status_code == 302
    assert Complaint.objects.count() == 1


def test_a_captcha_answers_once(campaign, org):
    client = Client()
    data = report_form(client)
    client.post("/complaints/report/", data)
    data["submission_key"] = "another-form"
    response = client.post("/complaints/report/", data)
    assert response.context["form"].errors["captcha"] == ["验证码不正确或已过期，请按新图片重新计算。"]
    assert Complaint.objects.count() == 1


def test_the_captcha_is_an_image_drawn_by_the_server(campaign, org):
    client = Client()
    token = client.get("/complaints/report/").context["form"].initial["captcha"]
    response = client.get(f"/complaints/captcha/{token}.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def test_one_address_may_file_ten_an_hour(campaign, org):
    client = Client()
    for n in range(10):
        file_report(client, photo=False, named="0", text=f"第 {n} 次反映：窗口推诿，让我找别的部门。")
    data = report_form(client, named="0")
    response = client.post("/complaints/report/", data)
    assert response.context["form"].errors["captcha"] == ["提交过于频繁，请稍后再试；紧急事项请拨打 12345 热线。"]
    assert Complaint.objects.count() == 10
    assert Throttle.objects.get(bucket="ip:127.0.0.1").count == 10


def test_one_phone_may_file_five_a_day_from_any_address(campaign, org):
    for n in range(5):
        file_report(Client(REMOTE_ADDR=f"10.0.0.{n}"), photo=False)
    client = Client(REMOTE_ADDR="10.0.0.99")
    response = client.post("/complaints/report/", report_form(client))
    assert response.context["form"].errors["phone"] == ["该手机号今天的提交次数已达上限，请明天再试。"]
    assert Complaint.objects.count() == 5


def test_units_are_found_by_name_or_pinyin_initials(campaign, org):
    by_initials = Client().get("/complaints/report/units", {"unit_query": "qczj"}).content.decode()
    by_name = Client().get("/complaints/report/units", {"unit_query": "财政"}).content.decode()
    assert "区财政局" in by_initials and "区商务局" not in by_initials
    assert "区财政局" in by_name and "不清楚是哪个单位" in by_name
