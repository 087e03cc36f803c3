"""The supervision rules, pure: what counts as late in a body's record, and what the pages mark 逾期."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from supervision import rules

DEADLINE = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("state", "closed_on", "today", "late", "overdue"),
    [
        ("issued", None, date(2026, 6, 30), False, False),  # on the deadline's day: not yet
        ("issued", None, date(2026, 7, 1), True, True),
        ("closed", date(2026, 6, 29), date(2026, 12, 3), False, False),
        # Closed after its deadline: late in the record (逾期办结), but no longer marked overdue on the pages.
        ("closed", date(2026, 7, 15), date(2026, 12, 3), True, False),
    ],
)
def test_late_in_the_record_and_overdue_on_the_page(state, closed_on, today, late, overdue):
    assert rules.is_late(state=state, deadline=DEADLINE, closed_on=closed_on, today=today) is late
    assert rules.is_overdue(state=state, deadline=DEADLINE, answered_on=None, today=today) is overdue


@pytest.mark.parametrize(
    ("status", "today", "overdue"),
    [
        ("open", date(2026, 6, 30), False),  # on its 完成时限: not yet
        ("open", date(2026, 7, 1), True),
        ("done", date(2026, 7, 1), False),
        ("not_done", date(2026, 12, 31), False),  # settled at the year's end: nothing more to chase
    ],
)
def test_a_work_item_is_overdue_while_open_after_its_due_date(status, today, overdue):
    assert rules.work_item_is_overdue(status=status, due_date=DEADLINE, today=today, issued=True) is overdue
    assert rules.work_item_is_overdue(status=status, due_date=DEADLINE, today=today, issued=False) is False


@pytest.mark.parametrize(
    ("state", "answered_on", "overdue"),
    [
        # Answered by the deadline: it waits for the office's 办结 or 退回, not for the body.
        ("answered", date(2026, 6, 20), False),
        ("answered", DEADLINE, False),
        # Answered after it: late, and marked so (its assessment is offered as 逾期办结).
        ("answered", date(2026, 7, 2), True),
        # Answered in time, then returned: the body owes a new answer, and its deadline has passed.
        ("returned", date(2026, 6, 20), True),
    ],
)
def test_an_item_answered_by_its_deadline_is_not_overdue(state, answered_on, overdue):
    today = date(2026, 12, 3)
    assert rules.is_overdue(state=state, deadline=DEADLINE, answered_on=answered_on, today=today) is overdue
    assert rules.on_time_record([(state, "", DEADLINE, None, answered_on, today)])["open_late"] == int(overdue)


def test_the_to_dos_badge_calls_an_open_item_past_its_deadline_overdue_in_english():
    """ "1 late" read like 逾期办结 (closed late: "Closed late" in English); the items counted are open: overdue."""
    with translation.override("en"):
        html = render_to_string("supervision/_todo.html", {"supervision": [], "late_count": 1, "work_items": []})
    assert '<span class="badge overdue">1 overdue</span>' in html and "1 late" not in html


@pytest.mark.parametrize(
    ("state", "answered_on", "counts_from"),
    [
        ("issued", None, date(2026, 7, 3)),  # the first answer
        ("returned", None, date(2026, 7, 3)),  # a new answer after a 退回
        ("answered", date(2026, 6, 28), date(2026, 6, 28)),  # a supplement keeps the first answer's day
    ],
)
def test_an_answer_counts_from_the_first_answer_that_stands(state, answered_on, counts_from):
    assert rules.answer_counts_from(state=state, answered_on=answered_on, today=date(2026, 7, 3)) == counts_from
