"""No page that lists actions shows an internal code: every action the code base can record has a
Chinese name in audit.labels, and the 办理记录, the audit pages and the reminders render none of
them as `word.word`."""

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import login
from zuofeng.audit.labels import ACTION_LABELS, UNKNOWN_ACTION, action_label
from zuofeng.audit.models import AuditEntry
from zuofeng.audit.services import audit_record
from zuofeng.nominations.workflow import MOVES as NOMINATION_MOVES
from zuofeng.rectification.models import ChangeState, ItemReview, LedgerEvent, LedgerState
from zuofeng.rectification.workflow import LEDGER_MOVES, MEASURE_MOVES, ledger_transition

SOURCE = Path(__file__).resolve().parents[2] / "zuofeng"
LITERAL = re.compile(r"""action=\s*"([a-z_]+\.[a-z_]+)\"""")
# dotted identifiers in visible text: not e-mail addresses, file names, numbers or URLs
DOTTED = re.compile(r"(?<![\w@./:-])([a-z_]+\.[a-z_]+(?:\.[a-z_]+)*)(?![\w@/-])")
FILE_SUFFIXES = ("xlsx", "docx", "pdf", "jpg", "png", "zip", "txt", "csv", "doc", "xls", "html", "js", "css")


def emitted_actions() -> set[str]:
    """Every action code the application can record: literals in the source, the workflow tables,
    and the codes built from state names (f"ledger.{to}" and the like)."""
    codes = set()
    for path in SOURCE.rglob("*.py"):
        codes |= set(LITERAL.findall(path.read_text(encoding="utf-8")))
    codes |= {*LEDGER_MOVES.values(), *MEASURE_MOVES.values(), *NOMINATION_MOVES.values()}
    # the transitions audit f"<machine>.{to}" for every state a move leads to
    codes |= {f"ledger.{to}" for _, to in LEDGER_MOVES} | {f"measure.{to}" for _, to in MEASURE_MOVES}
    codes |= {f"nomination.{to}" for _, to in NOMINATION_MOVES}
    codes |= {f"change.{s}" for s in (ChangeState.APPROVED, ChangeState.REJECTED)}
    codes |= {f"problem.{s}" for s in (ItemReview.APPROVED, ItemReview.RETURNED)}
    return codes


class _Text(HTMLParser):
    """The text a person reads: no tags, attributes, scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def dotted_codes(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    return [m for m in DOTTED.findall(text) if m.rsplit(".", 1)[-1] not in FILE_SUFFIXES]


def test_the_scanner_finds_codes_and_spares_addresses_files_and_urls():
    html = (
        "<p>measure.report_progress 与 a.b@example.cn、整改台账.xlsx、1.5、http://intra.gov/x.y</p><script>x.y</script>"
    )
    assert dotted_codes(html) == ["measure.report_progress"]


def test_every_recorded_action_has_a_chinese_name():
    missing = sorted(code for code in emitted_actions() if action_label(code) == UNKNOWN_ACTION)
    assert missing == []


def test_labels_read_by_where_the_step_led():
    assert action_label("ledger.review", "approved") == "审核通过"
    assert action_label("ledger.review", "returned") == "退回修改"
    assert action_label("measure.report_progress", "in_progress") == "报告整改进展"
    assert action_label("no.such_code") == "其他操作"


@pytest.fixture
def every_event(problem_with_measure, ledger, people):
    """One 办理记录 line and one audit entry for every action code, plus real notifications."""
    problem, measure = problem_with_measure
    at = dt.datetime(2018, 9, 20, 9, 0, tzinfo=dt.UTC)
    codes = sorted(emitted_actions() | set(ACTION_LABELS) - {k for k in ACTION_LABELS if "→" in k})
    LedgerEvent.objects.bulk_create(
        LedgerEvent(ledger=ledger, problem=problem, measure=measure, actor=people.own_clerk, action=code,
                    from_state="", to_state="in_progress", comment="", at=at)
        for code in codes
    )  # fmt: skip
    for code in codes:
        audit_record(actor=people.own_clerk, action=code, obj=measure, detail="说明")
    ledger_transition(actor=people.own_clerk, ledger=ledger, to=LedgerState.SUBMITTED)
    ledger_transition(actor=people.reviewer, ledger=ledger, to=LedgerState.RETURNED, comment="请补充措施")
    return codes


def test_history_audit_and_reminder_pages_show_no_codes(every_event, ledger, people, problem_with_measure):
    _, measure = problem_with_measure
    pages = [(people.own_clerk, reverse("rectification:ledger_history", args=[ledger.pk]))]
    pages.append((people.own_clerk, reverse("rectification:measure_detail", args=[measure.pk])))
    pages += [(people.own_clerk, reverse("reminders:list")), (people.reviewer, reverse("reminders:list"))]
    entries = AuditEntry.objects.count()
    last_page = (entries + 49) // 50
    pages += [(people.auditor, f"{reverse('audit:list')}?page={n}") for n in range(1, last_page + 1)]
    for pk in AuditEntry.objects.order_by("id").values_list("pk", flat=True)[:: max(1, entries // 20)]:
        pages.append((people.auditor, reverse("audit:detail", args=[pk])))
    found = {}
    for user, url in pages:
        response = login(user).get(url)
        assert response.status_code == 200, url
        codes = dotted_codes(response.content.decode())
        if codes:
            found[url] = sorted(set(codes))
    assert found == {}
    assert set(every_event) >= emitted_actions()


def test_history_names_a_progress_report_in_chinese(problem_with_measure, ledger, people):
    _, measure = problem_with_measure
    LedgerEvent.objects.create(
        ledger=ledger, measure=measure, actor=people.own_clerk, action="measure.report_progress",
        from_state="in_progress", to_state="in_progress", comment="50% 已制定制度",
        at=dt.datetime(2018, 9, 20, tzinfo=dt.UTC),
    )  # fmt: skip
    for url in (
        reverse("rectification:ledger_history", args=[ledger.pk]),
        reverse("rectification:measure_detail", args=[measure.pk]),
    ):
        html = login(people.own_clerk).get(url).content.decode()
        assert "报告整改进展" in html
        assert "measure.report_progress" not in html
