"""「我的工作」's 待签收通知 card: the unsigned copies of my units, newest first, read in one query."""

from tests.notices.conftest import issue
from zuofeng.notices.selectors.delivery import copies_to_sign


def test_unsigned_copies_of_my_units_with_what_the_card_shows_in_one_query(people, org, django_assert_num_queries):
    first = issue(people.office, [org.dept_a])
    second = issue(people.office, [org.dept_a, org.dept_b])
    people.reviewer.refresh_from_db()
    copies_to_sign(people.reviewer)  # the person's roles and units read once
    with django_assert_num_queries(1):
        shown = [
            (d.notice_id, d.notice.doc_number, d.notice.title, d.unit.name) for d in copies_to_sign(people.reviewer)
        ]
    assert shown == [(n.pk, n.doc_number, n.title, org.dept_a.name) for n in (second, first)]
    assert copies_to_sign(people.own_clerk) == []  # a section's clerk signs for the section, not the department
