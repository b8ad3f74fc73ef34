"""The daily job: lights, 7/3/1-day and overdue reminders, working-day deadlines, review waiting."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from tests.factories import Role, make_user
from zuofeng.core import clock
from zuofeng.rectification.models import LedgerState, Light, Measure, MeasureState
from zuofeng.rectification.tasks import reminders as tasks
from zuofeng.rectification.tasks.reminders import daily_reminders, daily_run
from zuofeng.rectification.workflow import ledger_transition
from zuofeng.reminders.models import Reminder, ReminderKind

pytestmark = pytest.mark.django_db


def add_measure(problem, *, deadline, state=MeasureState.IN_PROGRESS, starts_on=dt.date(2018, 9, 16), **extra):
    return Measure.objects.create(
        problem=problem,
        unit=problem.unit,
        campaign=problem.ledger.campaign,
        text=extra.pop("text", "落实限时办结制度"),
        starts_on=starts_on,
        deadline=deadline,
        is_ongoing=deadline is None,
        state=state,
        **extra,
    )


@pytest.fixture
def measure(problem_with_measure):
    _, m = problem_with_measure
    Measure.objects.filter(pk=m.pk).update(state=MeasureState.IN_PROGRESS)
    m.refresh_from_db()
    return m


def run_days(first: dt.date, last: dt.date) -> dict[dt.date, list[tuple[str, str, str]]]:
    """Run the job each day; return the deadline reminders sent per day as (user, kind, title)."""
    sent = {}
    day = first
    while day <= last:
        before = set(Reminder.objects.values_list("pk", flat=True))
        with clock.frozen(day):
            daily_run()
        new = Reminder.objects.exclude(pk__in=before).filter(
            kind__in=[ReminderKind.DEADLINE_SOON, ReminderKind.OVERDUE]
        )
        rows = sorted(new.values_list("recipient__username", "kind", "title"))
        if rows:
            sent[day] = rows
        day += dt.timedelta(days=1)
    return sent


def test_deadline_reminders_7_3_1_and_overdue_on_calendar_days(measure, problem_with_measure):
    problem, _ = problem_with_measure
    add_measure(problem, deadline=dt.date(2018, 10, 16), state=MeasureState.CLOSED, text="已销号")
    add_measure(problem, deadline=None, text="长期坚持")
    add_measure(problem, deadline=dt.date(2018, 10, 16), state=MeasureState.PLANNED, text="未审定")
    assert run_days(dt.date(2018, 10, 1), dt.date(2018, 10, 25)) == {
        dt.date(2018, 10, 9): [("clerk_a1", "deadline_soon", "整改措施还有 7 天到期")],
        dt.date(2018, 10, 13): [("clerk_a1", "deadline_soon", "整改措施还有 3 天到期")],
        dt.date(2018, 10, 15): [("clerk_a1", "deadline_soon", "整改措施还有 1 天到期")],
        dt.date(2018, 10, 17): [("clerk_a1", "overdue", "整改措施已逾期")],
    }
    reminder = Reminder.objects.get(title="整改措施已逾期")
    assert (reminder.link, reminder.object_id, reminder.body) == (
        f"/rectification/measures/{measure.pk}/",
        str(measure.pk),
        "实行首问负责制，一次告知办理要求\n完成时限：2018年10月16日",
    )


def test_second_run_same_day_sends_nothing(measure):
    with clock.frozen(dt.date(2018, 10, 9)):
        first = daily_run()
        second = daily_run()
    assert (first["deadline_reminders"], second["deadline_reminders"]) == (1, 0)
    assert Reminder.objects.filter(kind=ReminderKind.DEADLINE_SOON).count() == 1


def test_reminder_goes_to_responsible_persons_account_only(measure, org):
    responsible = make_user("zeren", role=Role.SECTION_CLERK, unit=org.section_a2)
    measure.responsible_person = responsible.person
    measure.save(update_fields=["responsible_person"])
    assert run_days(dt.date(2018, 10, 9), dt.date(2018, 10, 9)) == {
        dt.date(2018, 10, 9): [("zeren", "deadline_soon", "整改措施还有 7 天到期")]
    }


def test_responsible_person_without_account_falls_back_to_unit_editors(measure, org, people):
    from tests.factories import PersonFactory

    measure.responsible_person = PersonFactory(unit=org.section_a1)
    measure.save(update_fields=["responsible_person"])
    leader = make_user("kezhang", role=Role.UNIT_LEADER, unit=org.section_a1)
    assert run_days(dt.date(2018, 10, 9), dt.date(2018, 10, 9)) == {
        dt.date(2018, 10, 9): [
            ("clerk_a1", "deadline_soon", "整改措施还有 7 天到期"),
            (leader.username, "deadline_soon", "整改措施还有 7 天到期"),
        ]
    }


def test_working_day_deadlines_skip_national_day(measure, campaign, problem_with_measure):
    """2018: 9月24日 中秋; 9月29日、30日 调休上班; 10月1日–7日 国庆放假."""
    problem, _ = problem_with_measure
    campaign.settings = {**campaign.settings, "working_days": True}
    campaign.save(update_fields=["settings"])
    Measure.objects.filter(pk=measure.pk).update(deadline=dt.date(2018, 10, 10))
    add_measure(problem, deadline=dt.date(2018, 9, 30), text="九月底完成")
    sent = run_days(dt.date(2018, 9, 17), dt.date(2018, 10, 15))
    assert {day: [title for _, _, title in rows] for day, rows in sent.items()} == {
        dt.date(2018, 9, 20): ["整改措施还有 7 个工作日到期"],  # for 9月30日
        dt.date(2018, 9, 26): ["整改措施还有 7 个工作日到期"],  # for 10月10日
        dt.date(2018, 9, 27): ["整改措施还有 3 个工作日到期"],
        dt.date(2018, 9, 29): ["整改措施还有 1 个工作日到期"],
        dt.date(2018, 9, 30): ["整改措施还有 3 个工作日到期"],
        dt.date(2018, 10, 8): ["整改措施已逾期"],  # 9月30日's first working day after
        dt.date(2018, 10, 9): ["整改措施还有 1 个工作日到期"],
        dt.date(2018, 10, 11): ["整改措施已逾期"],
    }


def test_review_waiting_reminder_after_three_days(ledger, people):
    with clock.frozen(dt.datetime(2018, 9, 10, 16, 30)):
        ledger_transition(actor=people.own_clerk, ledger=ledger, to=LedgerState.SUBMITTED)
    waiting = Reminder.objects.filter(kind=ReminderKind.REVIEW_WAITING)
    with clock.frozen(dt.date(2018, 9, 13)):
        daily_run()
    assert waiting.count() == 0
    with clock.frozen(dt.date(2018, 9, 14)):
        daily_run()
        daily_run()
    assert list(waiting.values_list("recipient__username", "title", "link")) == [
        ("leader_a", "区财政局·预算科的整改清单已提交 4 天，等待您审核", f"/rectification/ledgers/{ledger.pk}/")
    ]
    with clock.frozen(dt.date(2018, 9, 15)):
        daily_run()
    assert waiting.count() == 1


def test_approved_ledger_not_chased(ledger, people):
    with clock.frozen(dt.date(2018, 9, 10)):
        ledger_transition(actor=people.own_clerk, ledger=ledger, to=LedgerState.SUBMITTED)
        ledger_transition(actor=people.reviewer, ledger=ledger, to=LedgerState.APPROVED)
    with clock.frozen(dt.date(2018, 9, 20)):
        assert daily_run()["review_reminders"] == 0


def test_lights_refreshed_in_chunks(measure, problem_with_measure, monkeypatch):
    problem, _ = problem_with_measure
    monkeypatch.setattr(tasks, "CHUNK", 2)
    Measure.objects.filter(pk=measure.pk).update(percent=50)  # planned 53% on 10月2日: on schedule
    late = add_measure(problem, deadline=dt.date(2018, 9, 30))
    closed = add_measure(problem, deadline=dt.date(2018, 9, 30), state=MeasureState.CLOSED)
    ongoing = add_measure(problem, deadline=None, last_progress_on=dt.date(2018, 10, 1))
    with clock.frozen(dt.date(2018, 10, 2)):
        counts = daily_run()
    lights = dict(Measure.objects.values_list("pk", "light"))
    assert (lights[measure.pk], lights[late.pk], lights[closed.pk], lights[ongoing.pk]) == (
        Light.GREEN,
        Light.RED,
        Light.CLOSED,
        Light.GREEN,
    )
    assert counts["lights_changed"] == 4
    with clock.frozen(dt.date(2018, 10, 2)):
        assert daily_run()["lights_changed"] == 0


def test_reminders_emailed(measure, people, django_capture_on_commit_callbacks):
    people.own_clerk.email = "clerk@wj.gov.cn"
    people.own_clerk.save(update_fields=["email"])
    with clock.frozen(dt.date(2018, 10, 15)), django_capture_on_commit_callbacks(execute=True):
        daily_run()
    assert [(m.subject, m.to) for m in mail.outbox] == [("【作风效能平台】整改措施还有 1 天到期", ["clerk@wj.gov.cn"])]
    assert Reminder.objects.get(kind=ReminderKind.DEADLINE_SOON).emailed_at is not None


def test_command_runs_for_date(measure):
    out = io.StringIO()
    call_command("send_reminders", "--date", "2018-10-13", stdout=out)
    assert out.getvalue() == (
        "亮灯变化 1 项；到期/逾期提醒 1 条；待审核提醒 0 条；评优申报截止提醒 0 条；攻坚项目节点提醒 0 条；"
        "中断的导出任务 0 个；过期删除的导出文件 0 个；审计链完整，已写入锚点。\n"
    )
    # the audit administrator gets the day's audit anchor (tests/audit/test_anchor.py)
    assert Reminder.objects.exclude(recipient__username="auditor").get().title == "整改措施还有 3 天到期"


def test_command_enqueue_runs_task(measure):
    out = io.StringIO()
    call_command("send_reminders", "--date", "2018-10-15", "--enqueue", stdout=out)
    assert out.getvalue().startswith("已加入后台任务队列：")
    assert Reminder.objects.exclude(recipient__username="auditor").get().title == "整改措施还有 1 天到期"


def test_command_rejects_bad_date():
    with pytest.raises(CommandError, match="日期“2018/10/15”格式不正确"):
        call_command("send_reminders", "--date", "2018/10/15")


def test_task_returns_counts(measure):
    result = daily_reminders.enqueue("2018-10-17")
    assert result.return_value == {"lights_changed": 1, "deadline_reminders": 1, "review_reminders": 0}
