"""公文排序: the demo district follows the notice's 主送 line, and the office moves units up and down."""

import pytest
from django.core.management import call_command

from tests.conftest import login
from zuofeng.audit.models import AuditEntry
from zuofeng.organisation.demo_data import RECIPIENT_GROUPS
from zuofeng.organisation.models import Unit


def names(parent=None) -> list[str]:
    return [u.display_name for u in Unit.objects.filter(parent=parent).order_by("sort_key")]


def move(user, unit, direction, back="unit"):
    return login(user).post(f"/organisation/units/{unit.pk}/move/", {"direction": direction, "back": back})


def test_office_moves_a_unit_up_and_its_subtree_follows(people, org):
    response = move(people.office, org.dept_b, "up")
    assert response.status_code == 302
    assert response["Location"] == f"/organisation/units/{org.dept_b.pk}/"
    assert names() == ["区商务局", "区财政局"]
    keys = dict(Unit.objects.values_list("name", "sort_key"))
    assert keys["武进区商务局"] == "00001" and keys["外贸科"] == "00001.00001"
    assert keys["武进区财政局"] == "00002" and keys["财政服务中心"] == "00002.00001.00001"
    ordered = list(Unit.objects.order_by("sort_key").values_list("name", flat=True))
    assert ordered == ["武进区商务局", "外贸科", "武进区财政局", "预算科", "财政服务中心", "国库科"]
    entry = AuditEntry.objects.get(action="unit.reorder")
    assert (entry.before, entry.after) == (
        {"同级排序": ["区财政局", "区商务局"]},
        {"同级排序": ["区商务局", "区财政局"]},
    )
    assert entry.detail == "武进区商务局上移一位"


def test_sysadmin_moves_a_section_down_back_to_the_parent_page(people, org):
    response = move(people.sysadmin, org.section_a1, "down", back="parent")
    assert response["Location"] == f"/organisation/units/{org.dept_a.pk}/"
    assert names(org.dept_a) == ["国库科", "预算科"]
    assert Unit.objects.get(pk=org.sub_a1x.pk).sort_key == "00001.00002.00001"


def test_moving_past_the_end_is_refused_in_chinese_and_changes_nothing(people, org):
    client = login(people.office)
    response = client.post(f"/organisation/units/{org.dept_a.pk}/move/", {"direction": "up"}, follow=True)
    assert "“武进区财政局”已经排在同级单位的最前面。" in response.content.decode()
    assert names() == ["区财政局", "区商务局"]
    assert not AuditEntry.objects.filter(action="unit.reorder", result="success").exists()


def test_others_may_not_reorder_and_the_refusal_is_audited(people, org):
    assert move(people.reviewer, org.section_a2, "up").status_code == 403
    assert names(org.dept_a) == ["预算科", "国库科"]
    assert AuditEntry.objects.get(action="unit.reorder").result == "denied"


def test_unit_page_offers_the_buttons_to_the_office_only(people, org):
    office = login(people.office).get(f"/organisation/units/{org.dept_a.pk}/").content.decode()
    assert f'data-testid="unit-move-{org.section_a1.pk}"' in office
    leader = login(people.reviewer).get(f"/organisation/units/{org.dept_a.pk}/").content.decode()
    assert "unit-move-" not in leader


@pytest.fixture
def demo(db):
    call_command("demo_district", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_district_follows_the_recipients_line(demo):
    tops = list(Unit.objects.filter(parent=None).order_by("sort_key"))
    kinds = [u.kind for u in tops]
    shown = [u.display_name for u in tops]
    # 区作风办 issues the notice; then 各镇, 区委各部委办, 开发区, 街道, 办局, 直属单位, 人民团体
    assert shown[:3] == ["区作风办", "湖塘镇", "牛塘镇"]
    assert shown[11:14] == ["湟里镇", "区委办", "区人大办"]
    assert shown[shown.index("区委老干部局") + 1] == "武进国家高新技术产业开发区"
    assert shown[shown.index("西太湖科技产业园") + 1 : shown.index("西太湖科技产业园") + 4] == [
        "南夏墅街道", "西湖街道", "区发改局",
    ]  # fmt: skip
    assert shown[-12:] == [
        "区投资促进中心", "区档案馆", "区史志办", "区融媒体中心", "区供销总社",
        "区总工会", "团区委", "区妇联", "区科协", "区工商联", "区残联", "区红十字会",
    ]  # fmt: skip
    assert kinds.index("street") > kinds.index("zone")
    assert len(RECIPIENT_GROUPS) == 7
