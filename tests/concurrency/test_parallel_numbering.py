"""Numbers given in turn: many office sessions issuing 督办单 or bulletins at the same moment each get the next
number (`chuxiong_portal.db.serialised`), rather than some of them running out of retries ("请重试")."""

from datetime import date

import pytest

from indicators.models import BulletinIssue, ReportingPeriod
from indicators.reporting.services import bulletin_issue
from supervision import services as supervision
from supervision.models import SupervisionItem
from tests.concurrency.test_parallel_writes import run_together

pytestmark = pytest.mark.django_db(transaction=True)

AT_ONCE = 8


def test_supervision_items_issued_at_once_take_the_next_numbers_in_turn(plan, olga):
    def issue(i: int):
        return supervision.supervision_issue(
            user=olga,
            body=plan["lufeng"],
            source="instruction",
            requirement=f"报进展{i}",
            deadline=date(2026, 12, 20),
            today=date(2026, 12, 5),
        )

    answers = run_together(issue, AT_ONCE)
    assert not [answer for answer in answers if isinstance(answer, Exception)], answers
    numbers = sorted(SupervisionItem.objects.values_list("number", flat=True))
    assert len(set(numbers)) == AT_ONCE


def test_bulletins_of_different_periods_issued_at_once_are_numbered_one_to_n(plan, olga):
    periods = list(ReportingPeriod.objects.filter(cadence="monthly", year=2025).order_by("index")[:AT_ONCE])
    answers = run_together(lambda i: bulletin_issue(period=periods[i], user=olga, today=date(2026, 1, 15)), AT_ONCE)
    assert not [answer for answer in answers if isinstance(answer, Exception)], answers
    assert sorted(BulletinIssue.objects.values_list("number", flat=True)) == list(range(1, AT_ONCE + 1))
