"""Two administrators of one unit submit two different 十佳 drafts at the same moment: exactly one is accepted.

Each thread has its own database connection; the quota holds through the unique (award, unit,
slot) constraint, so this needs PostgreSQL (SQLite serialises writers and proves nothing).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.factories import Role, make_user
from tests.nominations import nominate_support as support
from tests.nominations.nominate_support import BEFORE, STAR_DATA, pdf
from zuofeng.core import clock
from zuofeng.nominations.models import Nomination, NominationState
from zuofeng.nominations.services.lifecycle import nomination_submit

# Fixtures shared with the other nomination tests (pytest finds them as module attributes).
private_root = support.private_root
star = support.star
wujin = support.wujin


pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent submissions need PostgreSQL"),
]


def test_quota_two_simultaneous_star_submissions_one_accepted(star, org, private_root):
    admins = [make_user(f"admin{i}", role=Role.UNIT_LEADER, unit=org.dept_a) for i in (1, 2)]
    drafts = [
        Nomination.objects.create(
            award=star, campaign=star.campaign, unit=org.dept_a, data={**STAR_DATA, "name": name}, title=name
        )
        for name in ("王晓明", "李华")
    ]
    start = threading.Barrier(2)
    outcomes: list[str] = [""] * 2

    def submit(i: int) -> None:
        try:
            start.wait()
            nomination_submit(actor=admins[i], nomination=drafts[i], stamped_scan=pdf(f"扫描件{i}.pdf"))
            outcomes[i] = "accepted"
        except ValidationError as error:
            outcomes[i] = error.messages[0]
        finally:
            connections.close_all()

    with clock.frozen(BEFORE):
        threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    assert sorted(outcomes) == ["accepted", "本单位“十佳优秀服务明星”已申报 1/1，名额已满（每单位限报 1 个）。"]
    states = sorted(Nomination.objects.values_list("state", "slot"))
    assert states == [(NominationState.DRAFT, None), (NominationState.SUBMITTED, 1)]
    assert len(list((private_root / "nominations" / "scans").rglob("*.pdf"))) == 1  # the winner's scan only
