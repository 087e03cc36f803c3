"""The responsibility cycle's writes sent twice at once (two offices, a double click): the first is made, the second
is told in words what the first did; never a 500, never a duplicate row or a number given twice.

Real threads, each with its own database connection, as in test_parallel_writes.py: SQLite queues its writers at
BEGIN; PostgreSQL (CI's second run) meets the races, which the services' row locks and `serialised` close.
"""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from indicators.models import DispatchReport, ReportingPeriod, Scope, Target
from supervision import services as supervision
from supervision.models import EvidenceFile, LetterTarget, ResponsibilityLetter, SupervisionItem, TaskList, WorkItem
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


@pytest.fixture
def reported_problem(plan):
    """州发展改革委's March 2023 report on task 14, naming a problem: a row an item may be issued for."""
    return DispatchReport.objects.create(
        department=plan["ndrc"],
        task=Task.objects.get(number=14),
        period=ReportingPeriod.objects.get(cadence="monthly", year=2023, index=3),
        problems="资金缺口",
    )


def _issue_form(row, body) -> dict:
    return {
        "source": SupervisionItem.Source.REPORT_PROBLEM,
        "source_ref": str(row.pk),
        "source_text": "",
        "body": body,
        "requirement": "请说明资金缺口的解决办法",
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }


def test_a_rows_supervision_item_issued_twice_at_once_is_issued_once_and_the_second_office_is_told(
    reported_problem, olga, plan
):
    """The row's page offers 交办督办单 to every office; two of them (or a double click) sent the same 督办 twice under
    two numbers. The model holds no rule of one item per row (a row may be sent to several bodies, and followed up
    again once closed): the service refuses a second open item for the same row and body."""
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(olga)
    body = f"department:{plan['ndrc'].pk}"

    def issue(i: int):
        response = clients[i].post("/supervision/new/", _issue_form(reported_problem, body))
        return response.status_code, response.content.decode()

    answers = at_once(issue)
    assert not [answer for answer in answers if isinstance(answer, Exception)], answers
    assert sorted(status for status, _page in answers) == [302, 400], [status for status, _page in answers]
    item = SupervisionItem.objects.get(source_id=reported_problem.pk)
    loser = next(page for status, page in answers if status == 400)
    assert f"已就该事项向州发展改革委交办督办单 {item.number}，尚未办结，未重复交办" in loser


def test_a_row_may_be_sent_to_another_body_and_followed_up_again_once_its_item_is_closed(reported_problem, olga, plan):
    def issue(body):
        return supervision.supervision_issue(
            user=olga,
            body=body,
            source=SupervisionItem.Source.REPORT_PROBLEM,
            source_object=reported_problem,
            requirement="请说明资金缺口的解决办法",
            deadline=date(2026, 12, 31),
            today=date(2026, 12, 5),
        )

    first = issue(plan["ndrc"])
    issue(plan["lufeng"])  # another body: its own item
    with pytest.raises(supervision.SupervisionError, match="未重复交办"):
        issue(plan["ndrc"])
    SupervisionItem.objects.filter(pk=first.pk).update(state=SupervisionItem.State.CLOSED)
    issue(plan["ndrc"])  # closed: the row may be followed up again
    assert SupervisionItem.objects.filter(source_id=reported_problem.pk).count() == 3


def test_a_list_issued_twice_at_once_is_issued_once_and_the_second_is_told(draft, olga, plan):
    _add(draft, olga, plan, "建设园区数字化管理平台")
    answers = at_once(lambda i: supervision.task_list_adopt(task_list=draft, user=olga, today=date(2027, 1, 10 + i)))
    made, refused = _split(answers, TaskList)
    assert len(made) == len(refused) == 1
    assert refused[0].message == "该清单已印发。"
    draft.refresh_from_db()
    assert draft.state == TaskList.State.ADOPTED and draft.adopted_on == made[0].adopted_on


def test_a_letter_signed_twice_at_once_keeps_one_signing_whole_and_tells_the_second(plan, olga, private_storage):
    """Both offices read the letter unsigned; the second signing used to replace the first unseen, its scan left
    behind. Now the second is told, and its scan is not kept."""
    letter = supervision.letter_create(zone=plan["lufeng"], year=2025)
    opened = [ResponsibilityLetter.objects.get(pk=letter.pk) for _i in range(2)]  # as each office's page read it

    def sign(i: int):
        return supervision.letter_sign(
            letter=opened[i],
            user=olga,
            prefecture_signatory=f"州{i}",
            zone_signatory=f"园{i}",
            signed_on=date(2025, 2, 20 + i),
            scan=SimpleUploadedFile(
                f"scan{i}.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n%" + bytes([48 + i])
            ),
        )

    made, refused = _split(at_once(sign), ResponsibilityLetter)
    assert len(made) == len(refused) == 1
    assert "签订情况刚被他人登记。" in refused[0].message
    letter.refresh_from_db()
    i = int(letter.prefecture_signatory[-1])
    assert (letter.zone_signatory, letter.signed_on, letter.scan.original_name) == (
        f"园{i}",
        date(2025, 2, 20 + i),
        f"scan{i}.pdf",
    )
    assert EvidenceFile.objects.count() == 1
    assert [path.name for path in private_storage.rglob("*.bin")] == [letter.scan.file.name.rsplit("/", 1)[-1]]
