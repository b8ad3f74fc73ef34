"""`manage.py demo_nominations`: a realistic, repeatable district of nominations, built only through services."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.core.uploads import PDF, check_upload
from zuofeng.core.wordcount import word_count
from zuofeng.nominations.demo import STAR_LINES, compose, placeholder_pdf, plans
from zuofeng.nominations.models import DeadlineExtension, JudgeAssignment, Nomination, NominationEvent, Opinion, Score

pytestmark = pytest.mark.django_db
AFTER_JUDGING_STARTED = timezone.make_aware(dt.datetime(2018, 11, 27, 10, 0))


@pytest.fixture
def district(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    call_command("demo_district", stdout=io.StringIO())
    call_command("load_campaign", "campaigns/wujin-2018.yaml", "--default", stdout=io.StringIO())


def run() -> str:
    out = io.StringIO()
    with clock.frozen(AFTER_JUDGING_STARTED):
        call_command("demo_nominations", stdout=out)
    return out.getvalue()


def test_demo_builds_the_story_and_is_idempotent(district):
    first = run()
    assert first.startswith("演示申报已生成：")
    counts = Counter(Nomination.objects.values_list("award__key", "state"))
    total, audits = Nomination.objects.count(), AuditEntry.objects.count()
    assert run() == "默认专项活动已有申报（或缺少奖项、作风办账号），未作修改。\n"
    assert (Nomination.objects.count(), AuditEntry.objects.count()) == (total, audits)
    stars = {k[1]: v for k, v in counts.items() if k[0] == "service-star"}
    cases = {k[1]: v for k, v in counts.items() if k[0] == "service-case"}
    assert set(stars) == {"judging", "draft"} and stars["judging"] > 50 and 1 <= stars["draft"] <= 10
    assert {"submitted", "opinion_given", "draft"} <= set(cases) and cases["draft"] >= 1
    assert Opinion.objects.count() > 50
    units = Nomination.objects.values("unit").distinct().count()
    assert "未申报单位：" in first and 60 <= units <= 75


def test_demo_extension_judging_texts_and_scans(district):
    """One build, several facts: each build of the district takes seconds."""
    run()
    extension = DeadlineExtension.objects.get(reason__startswith="该单位主要负责人参加市委党校集中学习")
    late = Nomination.objects.get(award=extension.award, unit=extension.unit)
    assert extension.award.deadline < late.submitted_at <= extension.until
    assert AuditEntry.objects.filter(action="nomination.extension_grant").count() == 2  # the late unit, the leader's
    # judging in progress for the 十佳, never on the judge's own unit
    assignment = JudgeAssignment.objects.select_related("judge__person__unit", "award").get()
    assert (assignment.judge.username, assignment.award.key) == ("judge", "service-star")
    scored = Nomination.objects.filter(scores__isnull=False).distinct()
    judging = Nomination.objects.filter(award=assignment.award, state="judging").count()
    assert 0 < scored.count() < judging
    own_path = assignment.judge.person.unit.path
    assert not scored.filter(unit__path__startswith=own_path).exists()
    assert Score.objects.count() == scored.count() * 4


def test_demo_texts_scans_and_history(district):
    run()
    for nomination in Nomination.objects.all():
        assert 300 <= word_count(nomination.data["main_text"]) <= 480
        assert nomination.data["phone"] != "13800000000"
    submitted = Nomination.objects.exclude(state="draft").first()
    with submitted.stamped_scan.open("rb") as scan:
        assert scan.read(5) == b"%PDF-"
    events = list(NominationEvent.objects.filter(nomination=submitted).values_list("to_state", flat=True))
    assert events[-1] == "submitted"


def test_placeholder_pdf_is_a_valid_pdf_marked_as_demo():
    content = placeholder_pdf()
    file = io.BytesIO(content)
    file.name = "scan.pdf"
    assert check_upload(file, allowed={PDF}, max_bytes=10_000) == PDF
    assert "演示扫描件".encode("utf-16-be").hex().upper().encode() in content
    assert content.endswith(b"%%EOF\n")


def test_compose_stays_within_300_to_480_characters():
    import random

    for seed in range(30):
        text = compose(STAR_LINES, random.Random(seed), name="王测试", unit="区财政局", post="科员")
        assert 300 <= word_count(text) <= 480


def test_demo_leaves_the_leader_a_draft_to_finish_today(district):
    out = run()
    star = Nomination.objects.get(award__key="service-star", unit__code="D20")  # 区财政局, the leader's unit
    assert star.state == "draft"
    extension = DeadlineExtension.objects.get(unit__code="D20")
    assert extension.until == AFTER_JUDGING_STARTED + dt.timedelta(days=7)
    assert extension.reason == "该单位申报表尚在履行党组审定程序，经申请同意延期报送。"
    assert "演示账号 leader 所在单位（区财政局）的十佳申报表仍为草稿，已延期，今天可以填完报送。" in out


def test_demo_stamps_nothing_after_its_deadline(district):
    run()
    extensions = {(e.award_id, e.unit_id): e.until for e in DeadlineExtension.objects.all()}
    checked = 0
    for nomination in Nomination.objects.exclude(submitted_at=None).select_related("award"):
        closes_at = extensions.get((nomination.award_id, nomination.unit_id), nomination.award.deadline)
        assert nomination.submitted_at <= closes_at, nomination.pk
        for opinion in Opinion.objects.filter(nomination=nomination):
            assert opinion.signed_on <= timezone.localtime(closes_at).date()
        checked += 1
    assert checked > 50


def test_plans_one_late_unit_and_some_missing():
    chosen = plans(list(range(78)))
    assert sum(p.late for p in chosen) == 1
    assert sum(p.missing for p in chosen) == 6
    assert not any(p.keeps_open for p in chosen)
    opened = plans(list(range(78)), open_unit=6)  # 6 would be missing; the leader's unit never is
    assert [p.unit for p in opened if p.keeps_open] == [6]
    assert (opened[6].missing, opened[6].star_draft, opened[6].late) == (False, True, False)
