"""The dispatch bulletin's 重点项目 section: progress, slippage with the numbers, problems."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from indicators.models import ReportingPeriod
from indicators.reporting.services import periods_generate
from projects.models import ProjectInvestment
from tasks.models import Plan

pytestmark = pytest.mark.django_db


def _periods_of_2026():
    """The months of 2026 are a successor plan's (the 2023–2025 plan's bulletin offers its own years only)."""
    successor = Plan.objects.create(
        code="successor", title="后续方案（测试）", baseline_year=2025, first_year=2026, last_year=2028, goal_year=2028
    )
    periods_generate(plan=successor, years=[2026])


def test_the_bulletin_shows_slipping_projects_as_of_its_period(listed, client_for, olga, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    _periods_of_2026()
    march = ReportingPeriod.objects.get(cadence="monthly", year=2026, index=3)
    april = ReportingPeriod.objects.get(cadence="monthly", year=2026, index=4)
    client = client_for(olga)
    with time_machine.travel(date(2026, 12, 1)):
        in_march = client.get(reverse("bulletin") + f"?period={march.pk}").content.decode()
        in_april = client.get(reverse("bulletin") + f"?period={april.pk}").content.decode()
    section = in_march.split('id="bulletin-projects"')[1]
    assert "2026年度重点项目建设清单共1个项目" in section
    assert "签约计划" not in section  # not yet due at the end of March
    section = in_april.split('id="bulletin-projects"')[1]
    assert "禄丰光伏组件项目" in section and "签约计划2026年3月31日，已逾期30天" in section


@pytest.mark.parametrize("read_on", [date(2027, 1, 10), date(2027, 6, 1)])
def test_decembers_bulletin_holds_the_years_figures_to_the_years_plan_as_the_board_does(
    listed, client_for, olga, settings, read_on
):
    """The bulletin of the year's last period counted December's figures (the whole year's 1,200万元) against eleven
    months of the plan (1,100万元, 109%), where the board of that year, read after it, says 1,200 of 1,200 (100%)."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    ProjectInvestment.objects.bulk_create(
        [ProjectInvestment(project=listed, year=2026, month=month, amount=Decimal("100")) for month in range(1, 13)]
    )
    _periods_of_2026()
    december = ReportingPeriod.objects.get(cadence="monthly", year=2026, index=12)
    with time_machine.travel(read_on):
        client = client_for(olga)  # logged in on the day (a session of December would have expired)
        bulletin = client.get(reverse("bulletin") + f"?period={december.pk}").content.decode()
        board = client.get(reverse("project-board") + "?year=2026").content.decode()
    assert "完成1,200万元 / 序时进度1,200万元（100%）" in bulletin
    assert "序时进度1,100" not in bulletin
    assert "1,200万元 / 序时进度1,200万元（100%）" in board


def test_a_bulletin_lists_the_problems_of_its_own_year_up_to_its_date(listed, olga):
    """A project on the 2025 and the 2026 lists: the 2025年12月 bulletin does not show a problem reported in 2026, and
    the 2026年3月 bulletin not one of the second half of March reported after its date."""
    from projects import selectors, services
    from projects.models import Milestone, ProjectReport

    milestones = {Milestone.Kind.SIGNED: date(2025, 6, 30)}
    services.listing_adopt(
        project=listed, user=olga, year=2025, planned_investment=Decimal("800"), milestones=milestones
    )

    def approved(day, words):
        period = services.biweekly_period(day)
        return ProjectReport.objects.create(
            project=listed,
            period=period,
            department=listed.lead_unit,
            state=ProjectReport.State.APPROVED,
            problems=words,
        )

    approved(date(2025, 11, 20), "环评批复待办")
    approved(date(2026, 3, 5), "用地指标未落实")
    approved(date(2026, 3, 20), "电力接入滞后")
    with time_machine.travel(date(2026, 12, 5)):
        december = selectors.bulletin_projects(period_end=date(2025, 12, 31), today=date(2026, 12, 5))
        march = selectors.bulletin_projects(period_end=date(2026, 3, 10), today=date(2026, 12, 5))
    assert [r.problems for r in december["problems"]] == ["环评批复待办"]
    assert [r.problems for r in march["problems"]] == ["用地指标未落实"]
