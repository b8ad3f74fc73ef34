"""通报 and 曝光: items from the nomination results or typed; the public page shows only the fields
released one by one (recorded in the audit trail), never a name or phone not released; withdrawal
takes it off at once; only the office writes, publishes and withdraws."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from zuofeng.audit.models import AuditEntry
from zuofeng.campaigns.models import Award
from zuofeng.nominations.models import Nomination, NominationState
from zuofeng.notices.models import Bulletin
from zuofeng.notices.services.bulletins import (
    bulletin_create,
    bulletin_item_add,
    bulletin_items_from_results,
    bulletin_publish,
    bulletin_withdraw,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def criticism(people):
    bulletin = bulletin_create(actor=people.office, kind="criticism", title="关于作风督查发现问题的通报")
    bulletin_item_add(
        actor=people.office,
        bulletin=bulletin,
        unit="武进区财政局",
        heading="窗口服务推诿",
        person="张某某",
        text="群众办事三次未办结。",
    )
    return bulletin


def test_public_page_shows_only_released_fields(criticism, people):
    item = criticism.items.get()
    bulletin_publish(actor=people.office, bulletin=criticism, released={item.pk: ["unit", "heading", "text"]})
    html = Client().get(f"/notices/public/{criticism.pk}/").content.decode()
    assert "武进区财政局" in html and "窗口服务推诿" in html and "群众办事三次未办结。" in html
    assert "张某某" not in html and "姓名" not in html
    entry = AuditEntry.objects.get(action="bulletin.publish")
    assert entry.after == {"state": "published", "released": {str(item.pk): ["unit", "heading", "text"]}}
    assert "关于作风督查发现问题的通报" in Client().get("/notices/public/").content.decode()


def test_a_name_is_shown_only_when_released(criticism, people):
    item = criticism.items.get()
    bulletin_publish(actor=people.office, bulletin=criticism, released={item.pk: ["unit", "person"]})
    html = Client().get(f"/notices/public/{criticism.pk}/").content.decode()
    assert "张某某" in html and "窗口服务推诿" not in html


def test_withdrawal_takes_it_off_at_once(criticism, people):
    item = criticism.items.get()
    bulletin_publish(actor=people.office, bulletin=criticism, released={item.pk: ["unit"]})
    bulletin_withdraw(actor=people.office, bulletin=criticism)
    assert Client().get(f"/notices/public/{criticism.pk}/").status_code == 404
    assert "关于作风督查发现问题的通报" not in Client().get("/notices/public/").content.decode()
    assert AuditEntry.objects.filter(action="bulletin.withdraw").count() == 1
    with pytest.raises(ValidationError):
        bulletin_publish(actor=people.office, bulletin=Bulletin.objects.get(), released={item.pk: ["unit"]})


def test_drafts_are_not_public_and_nothing_released_is_refused(criticism, people):
    assert Client().get(f"/notices/public/{criticism.pk}/").status_code == 404
    with pytest.raises(ValidationError) as error:
        bulletin_publish(actor=people.office, bulletin=criticism, released={})
    assert error.value.message_dict == {"released": ["请至少选择一个公开的栏目。"]}
    with pytest.raises(ValidationError):
        bulletin_publish(actor=people.office, bulletin=criticism, released={criticism.items.get().pk: ["password"]})


def test_only_the_office_publishes(criticism, people):
    for user in (people.reviewer, people.inspector, people.sysadmin):
        with pytest.raises(PermissionDenied):
            bulletin_publish(actor=user, bulletin=criticism, released={criticism.items.get().pk: ["unit"]})
    assert AuditEntry.objects.filter(action="bulletin.manage", result="denied").count() == 3


def test_praise_from_nomination_results(people, org, wujin):
    star = Award.objects.get(campaign=wujin, key="service-star")
    chosen = Nomination.objects.create(
        award=star,
        campaign=wujin,
        unit=org.dept_a,
        state=NominationState.SELECTED,
        title="王晓明",
        data={"name": "王晓明", "phone": "13900000000", "main_text": "扎根窗口服务一线。"},
    )
    judging = Nomination.objects.create(award=star, campaign=wujin, unit=org.dept_b, state=NominationState.JUDGING)
    bulletin = bulletin_create(actor=people.office, kind="praise", title="关于表扬十佳优秀服务明星的通报")
    with pytest.raises(ValidationError):
        bulletin_items_from_results(actor=people.office, bulletin=bulletin, nominations=[judging])
    [item] = bulletin_items_from_results(actor=people.office, bulletin=bulletin, nominations=[chosen])
    assert (item.unit, item.heading, item.person, item.phone, item.text) == (
        "武进区财政局",
        "十佳优秀服务明星",
        "王晓明",
        "13900000000",
        "扎根窗口服务一线。",
    )


def test_office_pages_and_who_may_open_them(client_for, people, criticism):
    office = client_for(people.office)
    assert office.get("/notices/bulletins/").status_code == 200
    assert 'data-testid="item-1"' in office.get(f"/notices/bulletins/{criticism.pk}/").content.decode()
    response = office.post(
        f"/notices/bulletins/{criticism.pk}/publish/", {f"release-{criticism.items.get().pk}": ["unit", "text"]}
    )
    assert response.status_code == 302 and Bulletin.objects.get().state == "published"
    for who in (people.reviewer, people.own_clerk, people.judge, people.auditor):
        assert client_for(who).get(f"/notices/bulletins/{criticism.pk}/").status_code == 403
    bad = office.post("/notices/bulletins/new/", {"kind": "praise", "title": ""})
    assert bad.status_code == 400 and "请填写标题。" in bad.content.decode()
