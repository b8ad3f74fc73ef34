def test_login_page_renders_in_chinese(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "作风效能专项活动管理平台" in response.content.decode()


def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_office_home_shows_office_card(people, client_for):
    response = client_for(people.office).get("/")
    assert response.status_code == 200
    assert "作风办" in response.content.decode()


def test_healthz_answers_without_login(client, db):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_csrf_failure_page_is_chinese(db, people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people.office)
    response = client.post("/accounts/password/", {"old_password": "x"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_auditor_home_shows_counts_not_entries(people, client_for):
    body = client_for(people.auditor).get("/").content.decode()
    assert "今天共记录操作" in body


def test_home_shows_clerk_ledger_state_and_due_measure(problem_with_measure_home, people, client_for):
    body = client_for(people.own_clerk).get("/").content.decode()
    assert "预算科整改清单" in body
    assert 'data-testid="due-measures"' in body


def test_home_shows_reviewer_waiting_lists(problem_with_measure_home, people, client_for):
    from zuofeng.rectification.models import Ledger, LedgerState
    from zuofeng.rectification.workflow import ledger_transition

    ledger = Ledger.objects.get()
    ledger.state = LedgerState.DRAFT
    ledger.save()
    ledger_transition(actor=people.own_clerk, ledger=ledger, to=LedgerState.SUBMITTED)
    body = client_for(people.reviewer).get("/").content.decode()
    assert "待我审核 1 项" in body


def test_home_marks_rectification_milestone_late_only_for_units_that_owe_it(people, org, client_for):
    import datetime as dt

    from zuofeng.campaigns.models import Campaign, Milestone
    from zuofeng.core import clock
    from zuofeng.rectification.models import Ledger

    campaign = Campaign.objects.create(
        slug="late", year=2018, title="专项活动", issuer="区作风办", issued_on=dt.date(2018, 8, 8), is_default=True
    )
    Milestone.objects.create(
        campaign=campaign,
        key="plan",
        name="完成找差和整改措施制定",
        due_on=dt.date(2018, 9, 15),
        applies_to="rectification",
    )
    from django.utils import timezone

    on_time = timezone.make_aware(dt.datetime(2018, 9, 14, 10, 0))
    Ledger.objects.create(campaign=campaign, unit=org.section_a1, first_submitted_at=on_time)
    with clock.frozen(dt.date(2018, 9, 20)):
        own = client_for(people.own_clerk).get("/").content.decode()
        sibling = client_for(people.sibling_clerk).get("/").content.decode()
    assert 'data-testid="late-milestones"' not in own
    assert "已截止" in own
    assert 'data-testid="late-milestones"' in sibling
    assert "国库科尚未按时提交" in sibling
