"""The task-list part of the prefecture's 综合考评 computed from the year's work items: the share of the zone's
management committee's items done by their deadline, among those due."""

from datetime import date
from decimal import Decimal

import pytest

from evaluations.models import SubScore
from evaluations.services import SubIndicatorSpec, prefecture_compute, scheme_define
from parks.models import County, Zone
from supervision.models import TaskList, WorkItem
from tasks.models import Task


@pytest.fixture
def work_items(plan):
    """lufeng's 2024 items: on time, late, not done, open and not yet due, done early; and items that must not
    count (another zone's, a county's, lufeng's in the 2025 list)."""
    lists = {
        2024: TaskList.objects.create(year=2024, state=TaskList.State.ADOPTED, adopted_on=date(2024, 1, 10)),
        2025: TaskList.objects.create(year=2025, state=TaskList.State.ADOPTED, adopted_on=date(2025, 1, 10)),
    }
    task = Task.objects.get(number=6)
    lufeng = plan["lufeng"]
    other = Zone.objects.exclude(pk=lufeng.pk).order_by("order").first()

    def item(year, due, status="open", done_on=None, **body):
        return WorkItem.objects.create(
            task_list=lists[year],
            task=task,
            title=f"事项{due}",
            due_date=due,
            status=status,
            done_on=done_on,
            evidence_required="文件",
            **body or {"zone": lufeng},
        )

    item(2024, date(2024, 3, 31), "done", date(2024, 3, 20))  # on time
    item(2024, date(2024, 6, 30), "done", date(2024, 7, 15))  # late
    item(2024, date(2024, 9, 30), "not_done")  # missed
    item(2024, date(2024, 12, 31))  # open, due after 1 December
    item(2024, date(2024, 12, 31), "done", date(2024, 11, 15))  # done early: counts, on time
    item(2024, date(2024, 3, 31), "done", date(2024, 3, 1), zone=other)
    item(2024, date(2024, 3, 31), "not_done", county=County.objects.first())
    item(2025, date(2025, 3, 31), "done", date(2025, 3, 1))
    return lufeng, other


def _scheme():
    return scheme_define(
        kind="prefecture",
        year=2024,
        title="2024年度考评",
        sub_indicators=[
            SubIndicatorSpec(group="党建", code="party", name="抓党建促发展成效", weight=Decimal(40), method="manual"),
            SubIndicatorSpec(
                group="重点任务", code="tasks", name="重点任务清单完成情况", weight=Decimal(60), method="work_items"
            ),
        ],
    )


@pytest.mark.parametrize(
    ("today", "on_time", "due", "score"),
    [
        # By hand, 1 December 2024: due are the on-time, the late, the missed and the early one (4); on time 2.
        (date(2024, 12, 1), 2, 4, "50.00"),
        # After the year's end the open item is due as well: 2 of 5.
        (date(2025, 1, 10), 2, 5, "40.00"),
    ],
)
def test_the_task_list_part_is_the_share_of_work_items_done_on_time(work_items, olga, today, on_time, due, score):
    lufeng, other = work_items
    prefecture_compute(scheme=_scheme(), user=olga, today=today)
    mine = SubScore.objects.get(result__zone=lufeng, sub_indicator__code="tasks")
    assert mine.inputs == {"method": "work_items", "done": on_time, "due": due}
    assert mine.score == Decimal(score) and mine.source == "computed"
    theirs = SubScore.objects.get(result__zone=other, sub_indicator__code="tasks")
    assert (theirs.inputs["done"], theirs.inputs["due"], theirs.score) == (1, 1, Decimal(100))
    # A zone without work items has nothing to compute from: left for a hand score.
    empty = SubScore.objects.filter(sub_indicator__code="tasks", inputs__due=0).exclude(
        result__zone__in=[lufeng, other]
    )
    assert empty.exists() and not empty.exclude(score=None).exists()


def test_a_draft_list_does_not_count(work_items, olga):
    lufeng, _other = work_items
    TaskList.objects.filter(year=2024).update(state=TaskList.State.DRAFT)
    prefecture_compute(scheme=_scheme(), user=olga, today=date(2025, 1, 10))
    mine = SubScore.objects.get(result__zone=lufeng, sub_indicator__code="tasks")
    assert (mine.inputs["due"], mine.score) == (0, None)
