"""The pages: drafting through the form, reading and signing, forwarding, the unsigned table, the tree;
and who may open which page (own unit / other unit / office / judge / 三员)."""

import pytest

from tests.notices.conftest import copy_of, draft, issue
from zuofeng.notices.models import Forwarding, Notice

pytestmark = pytest.mark.django_db

FORM = {
    "issuer": "常州市武进区作风建设领导小组办公室",
    "number_prefix": "武作组办",
    "number": "",
    "title": "关于开展督查的通知",
    "addressees_text": "",
    "body": "一、督查内容\n各单位要认真自查。",
    "signed_on": "2018-09-03",
    "printed_by": "常州市武进区作风建设领导小组办公室",
    "printed_on": "2018-09-03",
    "copy_to": "",
}


def test_office_drafts_and_issues_through_the_pages(client_for, people, org):
    client = client_for(people.office)
    assert client.get("/notices/new/").status_code == 200
    response = client.post("/notices/new/", {**FORM, "units": [org.dept_a.pk, org.dept_b.pk]})
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/notices/{notice.pk}/edit/"
    response = client.post(f"/notices/{notice.pk}/issue/")
    assert response["Location"] == f"/notices/{notice.pk}/"
    html = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "武作组办〔2018〕1号" in html and "已签收 0 / 2" in html


def test_bad_input_keeps_what_was_typed_and_says_why_at_the_field(client_for, people, org):
    response = client_for(people.office).post(
        "/notices/new/", {**FORM, "title": "", "number_prefix": "武作组办〔2018〕", "body": "保留的正文"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "请填写标题。" in html
    assert "机关代字只写代字本身（如“武作组办”），年份和序号另填。" in html
    assert "保留的正文" in html and Notice.objects.count() == 0


def test_a_used_number_is_refused_on_the_form(client_for, people, org):
    issue(people.office, [org.dept_a], number=2)
    response = client_for(people.office).post("/notices/new/", {**FORM, "number": "2", "units": [org.dept_a.pk]})
    assert "发文字号 武作组办〔2018〕2号 已被使用，请换一个序号或留空自动编号。" in response.content.decode()


def test_unit_signs_and_forwards_from_the_notice_page(client_for, people, org):
    notice = issue(people.office, [org.dept_a])
    leader = client_for(people.reviewer)
    assert 'data-testid="copy-D01"' in leader.get(f"/notices/{notice.pk}/").content.decode()
    copy = copy_of(notice, org.dept_a)
    leader.post(f"/notices/{notice.pk}/copies/{copy.pk}/acknowledge/")
    response = leader.post(
        f"/notices/{notice.pk}/copies/{copy.pk}/forward/",
        {"units": [org.section_a1.pk], "text": "", "printed_by": "武进区财政局办公室", "printed_on": "2018-09-05"},
    )
    assert response.status_code == 302
    assert Forwarding.objects.get().printed_by == "武进区财政局办公室"
    clerk = client_for(people.own_clerk)
    section_copy = copy_of(notice, org.section_a1)
    clerk.post(f"/notices/{notice.pk}/copies/{section_copy.pk}/acknowledge/")
    assert copy_of(notice, org.section_a1).acknowledged_by == people.own_clerk
    html = clerk.get(f"/notices/{notice.pk}/").content.decode()
    assert "武进区财政局办公室" in html and "2018年9月5日印发" in html


def test_forwarding_outside_the_tree_on_the_form_is_a_400_at_the_field(client_for, people, org):
    notice = issue(people.office, [org.dept_a])
    copy = copy_of(notice, org.dept_a)
    response = client_for(people.reviewer).post(
        f"/notices/{notice.pk}/copies/{copy.pk}/forward/",
        {"units": [org.section_b1.pk], "printed_by": "办公室"},
    )
    assert response.status_code == 400
    assert Forwarding.objects.count() == 0


def test_unsigned_table_and_chase_for_the_office(client_for, people, org):
    notice = issue(people.office, [org.dept_a, org.dept_b])
    client = client_for(people.office)
    html = client.get(f"/notices/{notice.pk}/unsigned/").content.decode()
    assert 'data-testid="unsigned-D01"' in html and 'data-testid="unsigned-D02"' in html
    client.post(f"/notices/{notice.pk}/chase/", {"delivery": copy_of(notice, org.dept_b).pk})
    assert copy_of(notice, org.dept_b).chase_count == 1 and copy_of(notice, org.dept_a).chase_count == 0
    client.post(f"/notices/{notice.pk}/chase/", {"message": "请今天签收"})
    assert copy_of(notice, org.dept_a).chase_count == 1
    live = client.get(f"/notices/{notice.pk}/unsigned/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in live and "共送达 2 个单位，已签收 0 个，未签收 2 个。" in live
    assert 'data-testid="node-D01"' in client.get(f"/notices/{notice.pk}/tree/").content.decode()


def test_who_may_open_which_page(client_for, people, org):
    notice = issue(people.office, [org.dept_a])
    other = issue(people.office, [org.dept_b])
    pending = draft(people.office, [org.dept_a])
    expect = {
        # (page, who): status
        (f"/notices/{notice.pk}/", "reviewer"): 200,
        (f"/notices/{notice.pk}/", "own_clerk"): 403,  # a section does not see its parent's copy
        (f"/notices/{other.pk}/", "reviewer"): 403,
        (f"/notices/{notice.pk}/", "other_leader"): 403,
        (f"/notices/{notice.pk}/", "office"): 200,
        (f"/notices/{notice.pk}/", "judge"): 403,
        (f"/notices/{notice.pk}/", "sysadmin"): 403,
        (f"/notices/{notice.pk}/", "auditor"): 403,
        (f"/notices/{pending.pk}/", "reviewer"): 403,
        (f"/notices/{pending.pk}/edit/", "reviewer"): 403,
        ("/notices/new/", "reviewer"): 403,
        ("/notices/new/", "office"): 200,
        (f"/notices/{notice.pk}/unsigned/", "office"): 200,
        (f"/notices/{notice.pk}/unsigned/", "own_clerk"): 403,
        (f"/notices/{notice.pk}/tree/", "reviewer"): 403,
        (f"/notices/{notice.pk}/tree/", "office"): 200,
        ("/notices/", "secadmin"): 403,
        ("/notices/", "reviewer"): 200,
    }
    got = {key: client_for(getattr(people, key[1])).get(key[0]).status_code for key in expect}
    assert got == expect


def test_the_list_shows_each_person_only_their_units_notices(client_for, people, org):
    mine = issue(people.office, [org.dept_a], title="发给财政局的通知")
    issue(people.office, [org.dept_b], title="发给商务局的通知")
    draft(people.office, [org.dept_a], title="尚未印发的草稿")
    html = client_for(people.reviewer).get("/notices/").content.decode()
    assert "发给财政局的通知" in html and "发给商务局的通知" not in html and "尚未印发的草稿" not in html
    assert f'data-testid="notice-{mine.pk}"' in html
    office = client_for(people.office).get("/notices/").content.decode()
    assert "尚未印发的草稿" in office and "发给商务局的通知" in office


def test_another_units_copy_cannot_be_signed_through_the_url(client_for, people, org):
    notice = issue(people.office, [org.dept_a, org.dept_b])
    response = client_for(people.reviewer).post(
        f"/notices/{notice.pk}/copies/{copy_of(notice, org.dept_b).pk}/acknowledge/"
    )
    assert response.status_code == 403
    assert copy_of(notice, org.dept_b).acknowledged_at is None


def test_home_lists_copies_to_sign_and_the_nav_links_notices(client_for, people, org):
    notice = issue(people.office, [org.dept_a])
    html = client_for(people.reviewer).get("/").content.decode()
    assert f'href="/notices/{notice.pk}/"' in html and 'href="/notices/"' in html
    client_for(people.reviewer).post(f"/notices/{notice.pk}/copies/{copy_of(notice, org.dept_a).pk}/acknowledge/")
    assert "没有待签收的通知。" in client_for(people.reviewer).get("/").content.decode()


def test_word_and_pdf_downloads_for_who_may_read(client_for, people, org, private_root):
    import io

    from docx import Document

    notice = issue(people.office, [org.dept_a], copy_to="区纪委监委")
    leader = client_for(people.reviewer)
    pdf = leader.get(f"/notices/{notice.pk}/notice.pdf")
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    word = leader.get(f"/notices/{notice.pk}/notice.docx")
    texts = [p.text for p in Document(io.BytesIO(b"".join(word.streaming_content))).paragraphs]
    assert texts[:3] == ["常州市武进区作风建设领导小组办公室文件", "", "武作组办〔2018〕1号"]
    assert "抄送：区纪委监委" in texts and "常州市武进区作风建设领导小组办公室\t2018年9月3日印发" in texts
    assert client_for(people.other_leader).get(f"/notices/{notice.pk}/notice.pdf").status_code == 403


def test_on_a_phone_the_notice_list_and_the_unsigned_table_stack_with_each_cell_named(client_for, people, org):
    # At 390 px these tables cut off 状态 and the 催办 button; .zf-stack shows one labelled block per row.
    notice = issue(people.office, [org.dept_a])
    office = client_for(people.office)
    listing = office.get("/notices/").content.decode()
    assert "zf-stack" in listing and '<td data-label="状态">已印发</td>' in listing
    unsigned = office.get(f"/notices/{notice.pk}/unsigned/").content.decode()
    assert "zf-stack" in unsigned and '<td class="text-sm-end" data-label="已等工作日">' in unsigned
