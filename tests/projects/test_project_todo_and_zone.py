"""Overdue project dates and unanswered 需协调事项 in the responsible unit's to-do; the zone page's panel."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from indicators.models import DispatchReport, ReportingPeriod
from projects import selectors, services
from projects.models import Milestone, ProjectInvestment
from tasks.models import Task

pytestmark = pytest.mark.django_db


def _section(page: str, marker: str) -> str:
    return page.split(f'id="{marker}"')[1].split("</section>")[0]


def _submit_report(project, filer, **data):
    """`filer` opens (or finds) `project`'s half-month report of today and submits it: 洽谈中, no investment."""
    report = services.project_report_open(project=project, user=filer)
    return services.project_report_save(
        report=report,
        user=filer,
        version=report.version,
        submit=True,
        data=services.ProjectReportInput(investment_period=0, image_progress="洽谈中", **data),
    )


def _list_signing_by(project, office, day) -> None:
    """`project` on the 2026 list, its signing due on `day`."""
    services.listing_adopt(
        project=project,
        user=office,
        year=2026,
        planned_investment=Decimal("100"),
        milestones={Milestone.Kind.SIGNED: day},
    )


def test_the_lead_units_todo_lists_overdue_dates_and_the_addressed_unit_its_requests(
    listed, client_for, alice, bob, plan, settings
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    with time_machine.travel(date(2026, 3, 31)):
        assert "禄丰光伏组件项目" not in _section(
            client_for(alice).get(reverse("todo")).content.decode(), "project-todo"
        )
    with time_machine.travel(date(2026, 4, 2)):
        _submit_report(listed, alice, coordination="请协调签约主体资质", coordination_unit_id=plan["commerce"].pk)
        mine = _section(client_for(alice).get(reverse("todo")).content.decode(), "project-todo")
        assert "禄丰光伏组件项目" in mine and "已逾期2天" in mine
        theirs = _section(client_for(bob).get(reverse("todo")).content.decode(), "project-todo")
    assert "已逾期" not in theirs  # not bob's unit's project
    assert "请协调签约主体资质" in theirs


def test_a_county_reads_the_overdue_dates_of_its_zones_projects_and_nobody_is_told_of_projects_they_have_none_of(
    listed, make_project, client_for, cora, cary, zack, bob, olga, plan, settings
):
    """武定's to-do read 「2026年度清单中没有逾期的项目节点。」 while the board had a 武定 project overdue: a county has
    neither a unit nor a zone. Its zones' projects are its own; and a body without listed projects is not told that
    none is overdue, as if it had been looked for."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    wuding = make_project(name="武定循环经济产业园基础设施", zone=plan["wuding"])
    _list_signing_by(wuding, olga, date(2026, 3, 1))

    def section(user):
        return _section(client_for(user).get(reverse("todo")).content.decode(), "project-todo")

    with time_machine.travel(date(2026, 3, 31)):  # 禄丰光伏组件项目 signs by today: not overdue yet
        county, staff, committee, unit = section(cary), section(cora), section(zack), section(bob)
    for page in (county, staff):
        assert "武定循环经济产业园基础设施" in page and "已逾期30天" in page
        assert "禄丰光伏组件项目" not in page
    assert "武定循环经济产业园基础设施" not in committee
    assert "2026年度清单中与本单位相关的项目没有逾期的节点。" in committee
    assert "2026年度清单中没有与本单位相关的项目。" in unit  # 州商务局 has no listed project
    assert "没有逾期的项目节点" not in committee + unit


def test_the_zone_page_shows_its_projects(listed, client_for, sam, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    ProjectInvestment.objects.create(project=listed, year=2026, month=1, amount=Decimal("67292.5"))
    with time_machine.travel(date(2026, 4, 2)):
        panel = _section(client_for(sam).get(reverse("zone-detail", args=["lufeng"])).content.decode(), "zone-projects")
    assert "2026年度重点项目建设清单共1个项目" in panel and "禄丰光伏组件项目" in panel and "逾期2天" in panel
    # Amounts written as the board writes them (71,400 / 67,292.5), not 1200.00 and 67292.50.
    assert "年度计划投资1,200万元，已完成67,292.5万元" in panel


def test_the_rates_stand_beside_the_indicators_of_tasks_10_and_21(make_project, client_for, alice, plan, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    make_project(
        kind="investment",
        signed_on=date(2026, 2, 1),
        landed_on=date(2026, 3, 1),
        stage="landed",
        signed_amount=1000,
        capital_in_place=250,
    )
    make_project(kind="investment", signed_on=date(2026, 5, 1), stage="signed", signed_amount=1000)
    client = client_for(alice)
    with time_machine.travel(date(2026, 12, 1)):
        task_10 = client.get(reverse("task-detail", args=[10])).content.decode()
        task_21 = client.get(reverse("task-detail", args=[21])).content.decode()
        task_9 = client.get(reverse("task-detail", args=[9])).content.decode()
    rates = _section(task_10, "task-project-rates")
    lufeng = rates.split("禄丰产业园区")[1].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in lufeng.split('class="num">')[1:]] == ["2", "50.0%", "0.0%", "12.5%"]
    assert 'id="task-project-rates"' in task_21 and 'id="task-project-rates"' not in task_9


def test_a_units_overdue_projects_are_read_for_that_unit_or_zone_only(
    listed, make_project, olga, plan, django_assert_num_queries
):
    """The lead unit, a co-unit or the zone sees the project once; the others do not, and the reading is three
    queries (listings, milestones, investment) whatever the number of projects."""
    listed.units.set([plan["commerce"], plan["ndrc"]])  # two co-unit rows joined: still one row for the lead
    other = make_project(name="武定项目", zone=plan["wuding"], lead_unit=plan["commerce"])
    _list_signing_by(other, olga, date(2026, 3, 1))
    on_time = make_project(name="按期项目", lead_unit=plan["ndrc"])
    _list_signing_by(on_time, olga, date(2026, 12, 31))

    def names(department=None, zone=None):
        return [
            row.project.name
            for row in selectors.overdue_for_unit(
                department_id=department and plan[department].pk,
                zone_id=zone and plan[zone].pk,
                year=2026,
                today=date(2026, 4, 2),
            )
        ]

    assert names("ndrc") == ["禄丰光伏组件项目"]
    assert names("commerce") == ["禄丰光伏组件项目", "武定项目"]  # co-unit of one, lead of the other; zone order
    assert names(zone="wuding") == ["武定项目"]
    assert names("ndrc", "wuding") == ["禄丰光伏组件项目", "武定项目"]
    assert names() == []
    with django_assert_num_queries(3):
        names("commerce")


def test_a_project_report_waits_in_its_reviewers_todo_and_comes_back_to_its_filers(
    listed, client_for, alice, rita, bob, olga, settings
):
    """Submitted, the half-month report is on the unit reviewer's (and the office's) to-do, not another unit's;
    returned, it is on its filer's to-do with the reason."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0

    def listed_for(user, kind):
        page = client_for(user).get(reverse("todo")).content.decode()
        marker = f'id="project-reports-{kind}"'
        return page.split(marker)[1].split("</ul>")[0] if marker in page else ""

    with time_machine.travel(date(2026, 4, 2)):
        services.project_report_open(project=listed, user=alice)
        assert "禄丰光伏组件项目" in listed_for(alice, "fill")
        report = _submit_report(listed, alice)
        assert report.get_absolute_url() in listed_for(rita, "review")
        page = client_for(rita).get(reverse("todo")).content.decode()
        assert "待审核 1 项" in page.split('id="todo-headline"')[1].split("</p>")[0]  # the headline counts it
        assert 'id="project-reports-review"' in _section(page, "waiting")  # at the head of the page, with the rest
        assert report.get_absolute_url() in listed_for(olga, "review")
        assert listed_for(bob, "review") == "" and listed_for(alice, "fill") == ""
        services.project_report_return(report=report, user=rita, version=report.version, reason="投资数据有误")
        assert listed_for(rita, "review") == ""
        assert "投资数据有误" in listed_for(alice, "fill")


def test_a_reviewers_waiting_dispatch_reports_have_a_heading_of_their_own_beside_the_project_reports(
    listed, client_for, alice, rita, plan, settings
):
    """The unit reviewer's 待审核 held the dispatch reports' table with no heading of its own, under which the project
    reports' list came with one: each list is now named."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    dispatch = DispatchReport.objects.create(
        department=plan["ndrc"],
        task=Task.objects.get(number=14),
        period=ReportingPeriod.objects.get(cadence="monthly", year=2024, index=1),
        state=DispatchReport.State.SUBMITTED,
    )
    with time_machine.travel(date(2026, 4, 2)):
        report = _submit_report(listed, alice)
        waiting = _section(client_for(rita).get(reverse("todo")).content.decode(), "waiting")
    heading = waiting.index("<h3>待审核的调度报告</h3>")
    assert heading < waiting.index('id="dispatch-reports-review"') < waiting.index(dispatch.get_absolute_url())
    assert waiting.index(dispatch.get_absolute_url()) < waiting.index("<h3>待审核的项目调度报告</h3>")
    assert report.get_absolute_url() in waiting.split("<h3>待审核的项目调度报告</h3>")[1]


@pytest.mark.parametrize(
    ("today", "year_read"),
    [
        (date(2026, 12, 6), 2026),
        (date(2027, 1, 15), 2026),  # no 2027 list yet: 2026's overdue signing is still owed
        (date(2027, 3, 31), 2026),
    ],
)
def test_before_next_years_list_is_drawn_up_the_todo_reads_the_last_list(
    listed, client_for, alice, olga, settings, today, year_read
):
    """On 1 January the to-do switched to the new year's list, which no one had drawn up, and said 「2027年度清单中
    没有逾期的项目节点。」 while 2026's overdue milestones were still owed."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    with time_machine.travel(today):
        assert selectors.list_year(today) == year_read
        for user in (olga, alice):
            mine = _section(client_for(user).get(reverse("todo")).content.decode(), "project-todo")
            assert "禄丰光伏组件项目" in mine and f"已逾期{(today - date(2026, 3, 31)).days}天" in mine
            assert "2027年度清单中没有" not in mine
