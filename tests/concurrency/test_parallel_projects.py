"""The key projects' and the key-work list's writes that meet each other (found by driving the production stack with
two users at once): each is serialised, and the second is answered from what the first did, never a 500 and never a
figure that misses the other's write.

Real threads, each with its own database connection, as in test_parallel_writes.py: SQLite queues its writers at
BEGIN; PostgreSQL (CI's second run) meets the races these tests guard, which `chuxiong_portal.db.serialised` closes.
"""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection

from chuxiong_portal import dates
from indicators.models import Cadence, ReportingPeriod
from projects import services
from projects.models import Milestone, Project, ProjectInvestment, ProjectReport
from supervision import services as supervision
from supervision.models import TaskList
from tests.concurrency.test_parallel_writes import at_once, run_together

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def project(plan, olga):
    return services.project_create(
        user=olga,
        data={
            "code": "p-0001",
            "name": "禄丰光伏组件项目",
            "zone": plan["lufeng"],
            "kind": Project.Kind.INDUSTRIAL,
            "total_investment": Decimal("10000"),
            "lead_unit": plan["ndrc"],
        },
        today=date(2026, 12, 1),
    )


def test_two_openings_of_a_projects_report_in_a_year_without_periods_give_one_report(project, alice, olga):
    """2031 has no half-month periods yet: both openings need them made, and the report."""
    with time_machine.travel(date(2031, 3, 20)):
        answers = run_together(lambda i: services.project_report_open(project=project, user=(alice, olga)[i]), 2)
    assert not [answer for answer in answers if isinstance(answer, Exception)], answers
    assert answers[0].pk == answers[1].pk
    assert ProjectReport.objects.filter(project=project).count() == 1
    assert ReportingPeriod.objects.filter(year=2031, cadence=Cadence.BIWEEKLY).count() == 24


def test_two_projects_created_with_one_code_at_once_one_is_told_the_code_is_taken(plan, olga):
    def create(i: int):
        return services.project_create(
            user=olga,
            data={
                "code": "p-same",
                "name": f"项目{i}",
                "zone": plan["lufeng"],
                "kind": Project.Kind.INDUSTRIAL,
                "total_investment": Decimal("1000"),
            },
            today=date(2026, 12, 1),
        )

    answers = run_together(create, 2)
    refused = [answer for answer in answers if isinstance(answer, services.ProjectError)]
    assert len(refused) == 1 and "已被使用" in refused[0].errors["code"][0], answers
    assert Project.objects.filter(code="p-same").count() == 1


def test_two_half_months_approved_at_once_both_count_in_the_months_investment(project, alice, rita):
    reports = []
    for day, amount in ((date(2026, 11, 10), "100"), (date(2026, 11, 25), "200")):
        with time_machine.travel(day):
            report = services.project_report_open(project=project, user=alice)
            reports.append(
                services.project_report_save(
                    report=report,
                    user=alice,
                    data=services.ProjectReportInput(
                        investment_period=Decimal(amount), investment_to_date=Decimal("300"), image_progress="施工"
                    ),
                    version=report.version,
                    submit=True,
                )
            )
    answers = run_together(
        lambda i: services.project_report_approve(report=reports[i], user=rita, version=reports[i].version), 2
    )
    assert not [answer for answer in answers if isinstance(answer, Exception)], answers
    assert ProjectInvestment.objects.get(project=project, year=2026, month=11).amount == Decimal("300")


def test_two_answers_to_one_coordination_request_at_once_keep_the_first_and_tell_the_second(project, alice, olga, plan):
    with time_machine.travel(date(2026, 11, 20)):
        report = services.project_report_open(project=project, user=alice)
        report = services.project_report_save(
            report=report,
            user=alice,
            data=services.ProjectReportInput(
                investment_period=Decimal("1"),
                image_progress="施工",
                coordination="请协调用电",
                coordination_unit_id=plan["ndrc"].pk,
            ),
            version=report.version,
            submit=False,
        )
    answers = run_together(lambda i: services.coordination_answer(report=report, user=olga, answer=f"答复{i}"), 2)
    refused = [answer for answer in answers if isinstance(answer, services.ProjectError)]
    kept = [answer for answer in answers if isinstance(answer, ProjectReport)]
    assert len(refused) == 1 and len(kept) == 1, answers
    report.refresh_from_db()
    assert report.coordination_answer == kept[0].coordination_answer
    # The second is told the first's answer, which it could not have seen.
    assert f"已由他人答复：“{kept[0].coordination_answer}”" in refused[0].errors["answer"][0]


def test_two_copies_of_the_key_work_list_at_once_make_one_list(plan, olga):
    adopted = TaskList.objects.create(year=2026, state=TaskList.State.ADOPTED, adopted_on=date(2026, 1, 10))
    answers = run_together(lambda i: supervision.task_list_copy(task_list=adopted, user=olga), 2)
    refused = [answer for answer in answers if isinstance(answer, supervision.SupervisionError)]
    assert len(refused) == 1 and "已存在" in str(refused[0].message), answers
    assert TaskList.objects.filter(year=2027).count() == 1


def test_a_milestone_recorded_done_twice_at_once_keeps_the_first_date_and_tells_the_second(project, olga):
    """The project page offers 记录完成 on an open milestone to everyone who keeps the project; two of them sent two
    dates at once, and the second replaced the first unseen (both kept as 节点完成 in the history, none a correction).
    The second is told the first's date; a correction is made from the page that shows it."""
    services.listing_adopt(
        project=project,
        user=olga,
        year=2026,
        planned_investment=Decimal("1200"),
        milestones={Milestone.Kind.SIGNED: date(2026, 3, 31), Milestone.Kind.SITE: date(2026, 5, 31)},
    )
    site = Milestone.objects.get(listing__project=project, kind=Milestone.Kind.SITE)
    opened = [Milestone.objects.get(pk=site.pk) for _i in range(2)]  # as each one's page read it
    days = (date(2026, 5, 10), date(2026, 5, 12))

    answers = at_once(
        lambda i: services.milestone_done(milestone=opened[i], user=olga, on=days[i], today=date(2026, 6, 10))
    )
    done = [answer for answer in answers if isinstance(answer, Milestone)]
    refused = [answer for answer in answers if isinstance(answer, services.ProjectError)]
    assert len(done) == len(refused) == 1, answers
    site.refresh_from_db()
    assert site.actual_on == done[0].actual_on
    assert refused[0].errors["on"] == [f"该节点的实际完成日期刚被他人登记为{dates.day(site.actual_on)}。"]
    assert list(site.history.exclude(actual_on=None).values_list("history_change_reason", flat=True)) == ["节点完成"]


def test_a_half_month_approved_while_the_province_sends_the_months_figure_is_approved(project, alice, rita):
    """The province's sync posts a project's month (/api/v1/project-investments/bulk/) while a reviewer approves the
    month's first half-month report, and neither figure was stored: both insert the month's figure. The approval
    used to fail on the unique (project, year, month) index when it came second (a 500 on PostgreSQL); it now finds
    the sync's figure and sets it to the approved reports' sum, as when it comes after."""
    from projects.investment_import import investment_import

    with time_machine.travel(date(2026, 11, 10)):
        report = services.project_report_open(project=project, user=alice)
        report = services.project_report_save(
            report=report,
            user=alice,
            data=services.ProjectReportInput(
                investment_period=Decimal("100"), investment_to_date=Decimal("100"), image_progress="施工"
            ),
            version=report.version,
            submit=True,
        )
    row = {"project": project.code, "year": 2026, "month": 11, "amount": "90"}

    def work(i: int):
        if i == 0:
            return investment_import(rows=[row], user=rita, today=date(2026, 11, 30))
        return services.project_report_approve(report=report, user=rita, version=report.version)

    answers = at_once(work)
    assert not [answer for answer in answers if isinstance(answer, Exception)], answers
    assert answers[1].state == ProjectReport.State.APPROVED
    # The figure of the one that wrote last: on PostgreSQL the sync's insert comes first (`at_once`) and the approval
    # sets the sum; SQLite's writers queue at BEGIN, in either order.
    sync_first = answers[0].created == 1
    assert ProjectInvestment.objects.get(project=project, year=2026, month=11).amount == Decimal(
        "100" if sync_first else "90"
    )
    if connection.vendor == "postgresql":
        assert sync_first


def test_two_batches_adding_new_months_at_once_never_take_a_project_past_its_total_investment(project, olga):
    """Each batch adds a month of its own worth 60% of the total: together they would pass it. On PostgreSQL the
    months already stored are no lock against a month another batch inserts: both read the old sum and both passed
    (92,880 of 45,000 万元 with ten clients). Locking the project's row first makes the second wait and count the
    first's month. (SQLite serialises whole transactions: there both always ran one after the other.)"""
    from projects.investment_import import investment_import

    def push(i: int):
        row = {"project": project.code, "year": 2026, "month": 10 + i, "amount": "6000"}
        return investment_import(rows=[row], user=olga, today=date(2026, 12, 1))

    answers = at_once(push)
    assert not [answer for answer in answers if isinstance(answer, Exception)], answers
    assert sorted(bool(answer.errors) for answer in answers) == [False, True], [a.as_dict() for a in answers]
    refused = next(answer for answer in answers if answer.errors)
    assert "将超过总投资（10000.00万元）" in refused.errors[0]["message"]
    assert ProjectInvestment.objects.filter(project=project).count() == 1
