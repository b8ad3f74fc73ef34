"""「我的工作」's 年终考核 card: nothing before a result; the office's open 异议 counted; a unit's own scores."""

import re

import pytest

from tests.assessment.support import compute
from tests.conftest import login
from zuofeng.assessment.models import Objection, ObjectionState, UnitScore


def card(user) -> str | None:
    html = login(user).get("/").content.decode()
    found = re.search(r'data-testid="assessment-card">(.*?)</div></div>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else None


def test_no_card_before_any_result(district):
    assert card(district.people.office) is None
    assert card(district.people.reviewer) is None


@pytest.fixture
def run(district):
    return compute(district.people.office, district.campaign)


def test_office_counts_only_open_objections_of_the_current_run(run, district):
    assert card(district.people.office) == "年终考核 查看考核得分"
    score_a = UnitScore.objects.get(run=run, unit=district.org.dept_a)
    score_b = UnitScore.objects.get(run=run, unit=district.org.dept_b)
    Objection.objects.create(score=score_a, text="完成率计算有误")
    Objection.objects.create(score=score_b, text="扣分有误")
    Objection.objects.create(score=score_b, text="已答复的", state=ObjectionState.ANSWERED, answer="维持")
    assert card(district.people.office) == "年终考核 待答复的考核异议 2 件"


def test_unit_sees_its_own_score(run, district):
    score_a = UnitScore.objects.get(run=run, unit=district.org.dept_a)
    assert card(district.people.reviewer) == f"年终考核 {district.org.dept_a.name}：{score_a.total} 分"
