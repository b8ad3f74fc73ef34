"""The campaign's own notice, loaded from the YAML as the default campaign's first notice."""

from django.core.management import call_command

from tests.factories import make_unit
from zuofeng.notices.models import Delivery, Forwarding, Notice
from zuofeng.notices.services.seed import notice_seed


def test_the_seed_notice_is_loaded_once_with_its_two_forms(org, wujin, private_root):
    safety = make_unit(name="常州市武进区应急管理局（区安全生产监督管理局）", code="D09")
    make_unit(name="办公室", parent=safety, code="D09S01", kind="section")
    call_command("demo_notices")
    call_command("demo_notices")
    notice = Notice.objects.get()
    assert (notice.doc_number, notice.state, notice.campaign) == ("武作组办〔2018〕2号", "issued", wujin)
    assert notice.title == "关于印发《全区机关开展“打通中梗阻、激发新动能”专项活动实施意见》的通知"
    assert notice.addressees_text.startswith("各镇党委、人民政府，区委各部委办，")
    assert notice.enclosure_body.splitlines()[1] == "一、总体要求"
    assert notice.attachment_names == ["“十佳优秀服务明星”申报表", "“优质服务事例”申报表"]
    assert [(a.order, a.content_type) for a in notice.attachments.all()] == [
        (1, "application/pdf"),
        (2, "application/pdf"),
    ]
    assert notice.attachments.first().file.open("rb").read(5) == b"%PDF-"
    assert Delivery.objects.filter(notice=notice, from_unit__isnull=True).count() == 3
    forwarding = Forwarding.objects.get()
    assert (forwarding.printed_by, str(forwarding.printed_on)) == ("常州市武进区安全生产监督管理局办公室", "2018-08-31")
    assert list(Delivery.objects.filter(forwarding=forwarding).values_list("unit__code", flat=True)) == ["D09S01"]


def test_the_sequence_will_not_give_the_seed_number_again(org, wujin, private_root):
    from tests.factories import Role, make_user
    from tests.notices.conftest import issue

    notice_seed(campaign=wujin, render_forms=False)
    office = make_user("office2", role=Role.OFFICE)
    assert issue(office, [org.dept_a], signed_on=wujin.issued_on).doc_number == "武作组办〔2018〕3号"


def test_the_demo_adds_one_draft_for_the_drafting_pages(org, people, wujin, private_root):
    from zuofeng.notices.demo import DRAFT_TITLE, demo_draft

    first = demo_draft(wujin)
    assert demo_draft(wujin) == first
    assert (first.title, first.state, first.number) == (DRAFT_TITLE, "draft", None)
    assert sorted(first.addressees.values_list("code", flat=True)) == ["D01", "D02"]
