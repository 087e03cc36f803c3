"""The responsibility cycle's writes sent twice at once (two offices, a double click): the first is made, the second
is told in words what the first did; never a 500, never a duplicate row or a number given twice.

Real threads, each with its own database connection, as in test_parallel_writes.py: SQLite queues its writers at
BEGIN; PostgreSQL (CI's second run) meets the races, which the services' row locks and `serialised` close.
"""

from datetime import date

import pytest

from indicators.models import Scope, Target
from supervision import services as supervision
from supervision.models import LetterTarget, ResponsibilityLetter, TaskList, WorkItem
from tasks.models import Task
from tests.concurrency.test_parallel_writes import at_once, run_together

pytestmark = pytest.mark.django_db(transaction=True)


def _split(answers: list, made_type: type) -> tuple[list, list]:
    """The answers made (of `made_type`) and refused (SupervisionError); anything else fails the test."""
    made = [answer for answer in answers if isinstance(answer, made_type)]
    refused = [answer for answer in answers if isinstance(answer, supervision.SupervisionError)]
    assert len(made) + len(refused) == len(answers), answers
    return made, refused


def test_two_offices_making_a_zones_letter_for_a_year_at_once_make_one_and_tell_the_second(plan, olga):
    answers = at_once(lambda i: supervision.letter_new(zone=plan["lufeng"], year=2025, user=olga))
    made, refused = _split(answers, ResponsibilityLetter)
    assert len(made) == len(refused) == 1, answers
    assert "2025年度的责任书已存在，请在该责任书页面修改" in refused[0].message
    letter = ResponsibilityLetter.objects.get(zone=plan["lufeng"], year=2025)
    targets = Target.objects.filter(scope=Scope.ZONE, zone=plan["lufeng"], year=2025).count()
    assert LetterTarget.objects.filter(letter=letter).count() == targets > 0


@pytest.fixture
def draft(plan):
    return TaskList.objects.create(year=2027, state=TaskList.State.DRAFT)


def _add(draft, olga, plan, title: str):
    return supervision.work_item_add(
        task_list=draft,
        user=olga,
        task=Task.objects.get(number=14),
        title=title,
        body=plan["ndrc"],
        due_date=date(2027, 3, 31),
        evidence_required="平台上线文件",
    )


def test_one_work_item_added_twice_at_once_is_added_once_and_the_second_is_told(draft, olga, plan):
    made, refused = _split(at_once(lambda i: _add(draft, olga, plan, "建设园区数字化管理平台")), WorkItem)
    assert len(made) == len(refused) == 1
    assert "已有工作事项“建设园区数字化管理平台”，未重复新增" in refused[0].message
    assert WorkItem.objects.filter(task_list=draft).count() == 1


def test_work_items_added_at_once_under_one_task_take_the_next_places_in_turn(draft, olga, plan):
    made, _refused = _split(run_together(lambda i: _add(draft, olga, plan, f"工作事项{i}"), 4), WorkItem)
    assert len(made) == 4
    assert sorted(WorkItem.objects.filter(task_list=draft).values_list("order", flat=True)) == [1, 2, 3, 4]


def test_a_list_issued_twice_at_once_is_issued_once_and_the_second_is_told(draft, olga, plan):
    _add(draft, olga, plan, "建设园区数字化管理平台")
    answers = at_once(lambda i: supervision.task_list_adopt(task_list=draft, user=olga, today=date(2027, 1, 10 + i)))
    made, refused = _split(answers, TaskList)
    assert len(made) == len(refused) == 1
    assert refused[0].message == "该清单已印发。"
    draft.refresh_from_db()
    assert draft.state == TaskList.State.ADOPTED and draft.adopted_on == made[0].adopted_on
