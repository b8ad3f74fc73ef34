"""发文字号: 机关代字〔年份〕序号号, a sequence per 机关代字 and year, a number never given twice."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.notices.conftest import draft, issue
from zuofeng.notices.models import DocNumberSequence
from zuofeng.notices.numbers import doc_number_parse
from zuofeng.notices.services.drafting import notice_delete


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("武作组办〔2018〕2号", ("武作组办", 2018, 2)), ("武作组办〔2018〕123号", ("武作组办", 2018, 123))],
)
def test_parse_accepts_the_standard_form(text, parsed):
    assert doc_number_parse(text) == parsed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("武作组办〔2018〕第2号", "发文字号不加“第”字，例如：武作组办〔2018〕2号。"),
        ("武作组办[2018]2号", "年份用六角括号〔〕括入，例如：武作组办〔2018〕2号。"),
        ("武作组办（2018）2号", "年份用六角括号〔〕括入，例如：武作组办〔2018〕2号。"),
        ("武作组办〔2018〕02号", "序号不编虚位，1 不写作 01 或 001。"),
        ("武作组办〔18〕2号", "发文字号的格式为“机关代字〔年份〕序号号”，例如：武作组办〔2018〕2号。"),
    ],
)
def test_parse_names_the_mistake(text, message):
    with pytest.raises(ValidationError) as error:
        doc_number_parse(text)
    assert error.value.messages == [message]


def test_numbers_count_up_per_prefix_and_year(org, people):
    first = issue(people.office, [org.dept_a])
    second = issue(people.office, [org.dept_a])
    other_prefix = issue(people.office, [org.dept_a], number_prefix="武作组")
    next_year = issue(people.office, [org.dept_a], signed_on=dt.date(2019, 1, 2), printed_on=dt.date(2019, 1, 2))
    assert [first.doc_number, second.doc_number] == ["武作组办〔2018〕1号", "武作组办〔2018〕2号"]
    assert other_prefix.doc_number == "武作组〔2018〕1号"
    assert next_year.doc_number == "武作组办〔2019〕1号"


def test_a_typed_number_is_kept_and_the_sequence_moves_past_it(org, people):
    typed = issue(people.office, [org.dept_a], number=7)
    following = issue(people.office, [org.dept_a])
    assert (typed.doc_number, following.doc_number) == ("武作组办〔2018〕7号", "武作组办〔2018〕8号")


def test_a_used_number_is_refused_at_the_field(org, people):
    issue(people.office, [org.dept_a], number=3)
    with pytest.raises(ValidationError) as error:
        draft(people.office, [org.dept_a], number=3)
    assert error.value.message_dict == {
        "number": ["发文字号 武作组办〔2018〕3号 已被使用，请换一个序号或留空自动编号。"]
    }


def test_automatic_numbers_skip_a_number_a_draft_has_typed(org, people):
    draft(people.office, [org.dept_a], number=1)
    assert issue(people.office, [org.dept_a]).doc_number == "武作组办〔2018〕2号"


def test_a_number_is_never_given_again_even_when_its_draft_is_deleted(org, people):
    issue(people.office, [org.dept_a])
    typed = draft(people.office, [org.dept_a], number=5)
    from zuofeng.notices.workflow import notice_transition

    notice_transition(actor=people.office, notice=typed, to="issued")
    assert DocNumberSequence.objects.get(prefix="武作组办", year=2018).last == 5
    throwaway = draft(people.office, [org.dept_a])
    notice_delete(actor=people.office, notice=throwaway)
    assert issue(people.office, [org.dept_a]).doc_number == "武作组办〔2018〕6号"
