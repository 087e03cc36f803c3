"""A key project in a real browser: from the reserve pool into the year's list, two biweekly reports (the first
returned, then approved), the board turning red when a planned date passes, and the project in the bulletin.

The office (olga) enters the project and adopts it with its 倒排工期 baseline; the lead unit's staff (alice,
州发展改革委) files the reports and its reviewer (rita) returns and approves them. The clock is moved with
time-machine (the live server runs in this process); the browser's own clock does not matter.
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Locator, Page, expect

from indicators.models import ReportingPeriod
from indicators.reporting.services import periods_generate
from projects.models import Project, ProjectInvestment, ProjectReport
from tasks.models import Plan

pytestmark = pytest.mark.browser
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(month: int, day: int):
    return time_machine.travel(datetime(2026, month, day, 10, 0, tzinfo=SHANGHAI))


def _go(page: Page, target: Locator) -> None:
    with page.expect_navigation():
        target.click()


def _logout(page: Page) -> None:
    _go(page, page.get_by_role("button", name="退出", exact=True))


def _file_report(page: Page, *, to_date: str, stage: str = "", on: str = "", problems: str = "") -> None:
    page.goto("/projects/bx-1/")
    _go(page, page.locator("#open-report"))
    page.locator("#id_investment_period").fill("50")
    page.locator("#id_investment_to_date").fill(to_date)
    page.locator("#id_image_progress").fill("厂房基础施工完成40%")
    if stage:
        page.locator("#id_stage_reached").select_option(stage)
        page.locator("#id_stage_reached_on").fill(on)
    page.locator("#id_problems").fill(problems)
    _go(page, page.locator("button[name=action][value=submit]"))
    expect(page.locator("ul.messages li")).to_have_text("已提交，等待审核。")
    expect(page.locator("#report-state")).to_have_text("已提交")


def _review(page: Page, report: ProjectReport, action: str, reason: str = "") -> None:
    page.goto(f"/project-reports/{report.pk}/")
    if reason:
        page.locator("#review-form textarea[name=reason]").fill(reason)
    _go(page, page.locator(f"#review-form button[value={action}]"))


def test_a_project_is_listed_reported_slips_and_reaches_the_bulletin(page, login, alice, rita, olga, plan):
    with _at(12, 1):
        login(page, olga)
        page.goto("/projects/new/")
        page.locator("#id_code").fill("bx-1")
        page.locator("#id_name").fill("禄丰绿色硅光伏组件项目")
        page.locator("#id_zone").select_option(label="禄丰产业园区")
        page.locator("#id_kind").select_option("investment")
        page.locator("#id_total_investment").fill("5000")
        page.locator("#id_lead_unit").select_option(label=plan["ndrc"].name)
        _go(page, page.locator("#project-form button[type=submit]"))
        expect(page.locator("#project-stage")).to_have_text("储备")

        page.goto("/projects/?stage=reserve")
        expect(page.locator("#project-pool")).to_contain_text("禄丰绿色硅光伏组件项目")

        page.goto("/projects/bx-1/")
        form = page.locator("#adopt-form")
        form.locator("#id_year").fill("2026")
        form.locator("#id_planned_investment").fill("1200")
        form.locator("#id_m_signed").fill("2026-12-05")
        form.locator("#id_m_land").fill("2026-12-10")
        _go(page, form.locator("button[type=submit]"))
        expect(page.locator("ul.messages li")).to_have_text("已列入2026年度重点项目建设清单。")
        project = Project.objects.get(code="bx-1")
        # January–November as the province's statistics pushed them: the year's 序时进度 (11/12 of 1200) is met.
        ProjectInvestment.objects.create(project=project, year=2026, month=11, amount=Decimal("1100"))

        page.goto("/projects/board/?year=2026")
        row = page.locator('#board-table tr[data-project="bx-1"]')
        expect(row).to_have_attribute("data-status", "green")
        expect(page.locator('#project-gantt[data-rendered="1"]')).to_have_count(1)
        _logout(page)

        # First half of December: filed, returned with a reason, fixed and approved.
        login(page, alice)
        _file_report(page, to_date="1150", stage="signed", on="2026-11-30")
        _logout(page)
        report = ProjectReport.objects.get(project=project)
        login(page, rita)
        _review(page, report, "return", "累计投资与统计口径不一致，请核实。")
        expect(page.locator("#report-state")).to_have_text("已退回")
        _logout(page)
        login(page, alice)
        page.goto(f"/project-reports/{report.pk}/")
        expect(page.locator("#return-reason")).to_contain_text("累计投资与统计口径不一致")
        page.locator("#id_investment_to_date").fill("1150")
        _go(page, page.locator("button[name=action][value=submit]"))
        expect(page.locator("#report-state")).to_have_text("已提交")
        _logout(page)
        login(page, rita)
        _review(page, report, "approve")
        expect(page.locator("#report-state")).to_have_text("已审核")
        page.goto("/projects/bx-1/")
        expect(page.locator("#project-stage")).to_have_text("签约")
        _logout(page)

    # The planned 供地 date (12-10) passes without the stage: the row turns red.
    with _at(12, 11):
        login(page, olga)
        page.goto("/projects/board/?year=2026&zone=lufeng")
        row = page.locator('#board-table tr[data-project="bx-1"]')
        expect(row).to_have_attribute("data-status", "red")
        expect(row).to_contain_text("逾期未完成")
        _logout(page)

    # Second half of December: the second report, approved at once.
    with _at(12, 16):
        login(page, alice)
        _file_report(page, to_date="1200", problems="供地手续待省厅批复")
        _logout(page)
        second = ProjectReport.objects.filter(project=project).order_by("-period__start").first()
        assert second.pk != report.pk
        login(page, rita)
        _review(page, second, "approve")
        expect(page.locator("#report-state")).to_have_text("已审核")
        _logout(page)

        login(page, olga)
        # A month of 2026 is a successor plan's: after 2025 the first plan's dispatch, and its bulletin, stop.
        successor = Plan.objects.create(
            code="successor",
            title="后续方案（测试）",
            baseline_year=2025,
            first_year=2026,
            last_year=2028,
            goal_year=2028,
        )
        periods_generate(plan=successor, years=[2026])
        december = ReportingPeriod.objects.get(plan=successor, cadence="monthly", year=2026, index=12)
        page.goto(f"/bulletin/?period={december.pk}")
        section = page.locator("#bulletin-projects")
        expect(section).to_contain_text("禄丰绿色硅光伏组件项目")
        expect(section).to_contain_text("已逾期6天")
        expect(section).to_contain_text("供地手续待省厅批复")
