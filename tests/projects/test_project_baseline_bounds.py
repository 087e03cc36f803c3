"""A year's 倒排工期 baseline: its dates lie in the year (or early in the next), in the order the actual dates keep,
and the years' planned investments add up to no more than the project's total — on adoption and on a change alike."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from projects import rules, services
from projects.models import Listing, Milestone

pytestmark = pytest.mark.django_db

K = Milestone.Kind


def _adopt(project, olga, year, milestones, planned=Decimal("500")):
    return services.listing_adopt(
        project=project, user=olga, year=year, planned_investment=planned, milestones=milestones
    )


def test_it_allows_a_years_baseline_into_the_first_quarter_of_the_next():
    assert rules.baseline_range(2026) == (date(2026, 1, 1), date(2027, 3, 31))
    assert not rules.baseline_out_of_range(2026, date(2027, 3, 31))
    assert rules.baseline_out_of_range(2026, date(2027, 4, 1))
    assert rules.baseline_out_of_range(2026, date(2025, 12, 31))


@pytest.mark.parametrize(
    "year,on,refused",
    [
        (
            2028,
            date(1999, 1, 1),
            "主体完工的计划日期（1999年1月1日）不在2028年度倒排工期的范围内（2028年1月1日至2029年3月31日）。",
        ),
        (
            2029,
            date(2035, 1, 1),
            "主体完工的计划日期（2035年1月1日）不在2029年度倒排工期的范围内（2029年1月1日至2030年3月31日）。",
        ),
        (
            2027,
            date(2028, 4, 1),
            "主体完工的计划日期（2028年4月1日）不在2027年度倒排工期的范围内（2027年1月1日至2028年3月31日）。",
        ),
        (
            2027,
            date(2026, 12, 31),
            "主体完工的计划日期（2026年12月31日）不在2027年度倒排工期的范围内（2027年1月1日至2028年3月31日）。",
        ),
        (2027, date(2028, 3, 31), None),
    ],
    ids=["1999-on-2028", "2035-on-2029", "after-march-next-year", "year-before", "last-day-allowed"],
)
def test_it_refuses_an_adopted_date_outside_the_lists_year(client_for, olga, make_project, year, on, refused):
    project = make_project()
    response = client_for(olga).post(
        f"/projects/{project.code}/adopt/",
        {"year": year, "planned_investment": "500", "m_structure": on.isoformat()},
    )
    if refused is None:
        assert response.status_code == 302
        assert project.listings.get().milestones.get().planned_on == on
        return
    assert response.status_code == 400
    assert refused in response.content.decode()
    assert not Listing.objects.filter(project=project).exists()


def test_it_refuses_a_baseline_change_outside_the_lists_year(client_for, olga, make_project):
    """2027's 投产/竣工 moved to 2026-01-01 read 逾期 366天 on the board of 2 January 2027: it is refused."""
    project = make_project()
    listing = _adopt(project, olga, 2027, {K.STARTED: date(2027, 3, 31), K.COMPLETED: date(2027, 12, 31)})
    completed = listing.milestones.get(kind=K.COMPLETED)
    with time_machine.travel(date(2027, 1, 2), tick=False):
        response = client_for(olga).post(
            f"/projects/{project.code}/rebaseline/",
            {"milestone": completed.pk, "planned_on": "2026-01-01", "reason": "提前", "seen": "2027-12-31"},
        )
    assert response.status_code == 400
    assert (
        "投产/竣工的计划日期（2026年1月1日）不在2027年度倒排工期的范围内（2027年1月1日至2028年3月31日）。"
        in response.content.decode()
    )
    completed.refresh_from_db()
    assert (completed.planned_on, completed.baseline_changes) == (date(2027, 12, 31), 0)


@pytest.mark.parametrize(
    "milestones,refused",
    [
        (
            {K.STRUCTURE: date(2027, 6, 30), K.COMPLETED: date(2027, 3, 1)},
            "“主体完工”的计划日期（2027年6月30日）不能晚于“投产/竣工”的计划日期（2027年3月1日）。",
        ),
        (
            {K.STARTED: date(2027, 3, 15), K.SITE: date(2027, 3, 28)},
            "“七通一平”的计划日期（2027年3月28日）不能晚于“开工”的计划日期（2027年3月15日）。",
        ),
        (  # no 开工 planned: 环评 still comes before 投产/竣工, a stage after it
            {K.EIA: date(2027, 9, 1), K.COMPLETED: date(2027, 8, 1)},
            "“环评批复”的计划日期（2027年9月1日）不能晚于“投产/竣工”的计划日期（2027年8月1日）。",
        ),
        (
            {K.STARTED: date(2027, 7, 1), K.STRUCTURE: date(2027, 6, 1)},
            "“开工”的计划日期（2027年7月1日）不能晚于“主体完工”的计划日期（2027年6月1日）。",
        ),
        ({K.SITE: date(2027, 3, 15), K.STARTED: date(2027, 3, 15), K.STRUCTURE: date(2027, 9, 1)}, None),
    ],
    ids=[
        "structure-after-completed",
        "site-after-started",
        "eia-after-completed",
        "started-after-structure",
        "in-order",
    ],
)
def test_it_refuses_an_adopted_baseline_out_of_the_actual_dates_order(olga, make_project, milestones, refused):
    project = make_project()
    if refused is None:
        assert _adopt(project, olga, 2027, milestones).milestones.count() == len(milestones)
        return
    with pytest.raises(services.ProjectError) as error:
        _adopt(project, olga, 2027, milestones)
    assert error.value.errors["milestones"] == [refused]
    assert not Listing.objects.filter(project=project).exists()


def test_it_refuses_a_baseline_change_out_of_the_actual_dates_order(client_for, olga, make_project):
    project = make_project()
    listing = _adopt(project, olga, 2027, {K.STRUCTURE: date(2027, 6, 30), K.COMPLETED: date(2027, 10, 31)})
    structure = listing.milestones.get(kind=K.STRUCTURE)
    response = client_for(olga).post(
        f"/projects/{project.code}/rebaseline/",
        {"milestone": structure.pk, "planned_on": "2027-11-30", "reason": "延后", "seen": "2027-06-30"},
    )
    assert response.status_code == 400
    assert (
        "“主体完工”的计划日期（2027年11月30日）不能晚于“投产/竣工”的计划日期（2027年10月31日）。"
        in response.content.decode()
    )
    structure.refresh_from_db()
    assert structure.planned_on == date(2027, 6, 30)


def test_it_refuses_a_years_plan_that_takes_the_years_past_the_total(olga, make_project):
    """Four years at 5000万元 each on a 10000万元 project: two fill the total, the third is refused, naming the sum
    and the total."""
    project = make_project(total=Decimal("10000"))
    for year in (2026, 2027):
        _adopt(project, olga, year, {K.STRUCTURE: date(year, 9, 30)}, planned=Decimal("5000"))
    with pytest.raises(services.ProjectError) as error:
        _adopt(project, olga, 2028, {K.STRUCTURE: date(2028, 9, 30)}, planned=Decimal("5000"))
    assert error.value.errors["planned_investment"] == [
        "各年度计划投资合计15000.00万元（其中2028年5000万元），超过项目总投资（10000.00万元）。"
    ]
    assert sorted(project.listings.values_list("year", flat=True)) == [2026, 2027]
