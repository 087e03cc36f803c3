"""The 挂图作战 board: colours at several dates, filters, the page and its Excel export, bounded queries."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from projects import rules, selectors, services
from projects.models import Listing, Milestone, Stage

pytestmark = pytest.mark.django_db


def _row(project, today):
    (row,) = [r for r in selectors.board_rows(year=2026, today=today) if r.project.pk == project.pk]
    return row


@pytest.mark.parametrize(
    "today,status,overdue",
    [
        (date(2026, 1, 1), rules.GREEN, []),  # nothing due yet, no investment due
        (date(2026, 3, 31), rules.RED, []),  # the plan's 序时进度 is due and nothing is done
        (date(2026, 4, 1), rules.RED, ["signed"]),  # signing date passed without the stage
    ],
)
def test_it_colours_a_row_by_dates_and_investment(listed, today, status, overdue):
    row = _row(listed, today)
    assert row.status == status
    assert [m.kind for m in row.overdue] == overdue


def test_a_stage_reached_in_time_stays_green_and_a_passed_date_turns_red(listed, olga):
    services.project_stage_set(
        project=listed, user=olga, stage=Stage.SIGNED, on=date(2026, 3, 20), today=date(2026, 3, 20)
    )
    listed.investments.create(year=2026, month=3, amount=Decimal("300"))  # plan 1200: 序时 200 by 3/31, 600 by 7/1
    assert _row(listed, date(2026, 4, 15)).status == rules.GREEN  # 300 ≥ 300 due after three months
    assert _row(listed, date(2026, 6, 30)).overdue == []
    row = _row(listed, date(2026, 7, 1))
    assert [m.kind for m in row.overdue] == [Milestone.Kind.LAND]
    assert row.status == rules.RED


@pytest.mark.parametrize(
    "day,done,status",
    [
        (date(2027, 1, 1), "1200", rules.GREEN),
        (date(2027, 1, 1), "1080", rules.AMBER),  # 90 %
        (date(2027, 1, 1), "1079.99", rules.RED),
        (date(2027, 2, 1), "1079.99", rules.RED),  # after the year: the whole plan is due
        (date(2025, 12, 31), "0", rules.GREEN),  # before the year: nothing due
    ],
)
def test_investment_against_the_years_序时进度(day, done, status):
    state = rules.investment_state(planned=Decimal("1200"), done=Decimal(done), year=2026, today=day)
    assert state.status == status


@pytest.mark.parametrize(
    "day,expected",
    [
        (date(2026, 1, 31), "0.00"),
        (date(2026, 2, 1), "100.00"),
        (date(2026, 7, 15), "600.00"),
        (date(2026, 12, 31), "1100.00"),
        (date(2027, 1, 1), "1200.00"),
    ],
)
def test_the_序时进度_counts_months_ended(day, expected):
    state = rules.investment_state(planned=Decimal("1200"), done=Decimal("0"), year=2026, today=day)
    assert state.expected == Decimal(expected)


def test_filters_pick_zone_unit_and_stage(listed, make_project, olga, plan):
    other = make_project(zone=plan["wuding"], name="武定钛材项目")
    services.listing_adopt(
        project=other,
        user=olga,
        year=2026,
        planned_investment=Decimal("50"),
        milestones={Milestone.Kind.STARTED: date(2026, 10, 1)},
    )
    today = date(2026, 12, 1)

    def names(**f):
        rows = selectors.board_rows(year=2026, today=today, filters=selectors.BoardFilters(**f))
        return [r.project.name for r in rows]

    assert names() == ["禄丰光伏组件项目", "武定钛材项目"]
    assert names(zone="wuding") == ["武定钛材项目"]
    assert names(unit="ndrc") == ["禄丰光伏组件项目"]
    assert names(stage="signed") == []


def test_the_board_page_turns_red_when_a_planned_date_passes(listed, client_for, sam, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    client = client_for(sam)
    listed.investments.create(year=2026, month=1, amount=Decimal("1200"))
    with time_machine.travel(date(2026, 3, 31)):
        page = client.get(reverse("project-board") + "?year=2026").content.decode()
    assert 'data-project="p-0001" data-status="green"' in page
    with time_machine.travel(date(2026, 4, 1)):
        page = client.get(reverse("project-board") + "?year=2026").content.decode()
    assert 'data-project="p-0001" data-status="red"' in page
    assert "逾期未完成" in page


def test_the_board_exports_to_excel(listed, client_for, olga):
    with time_machine.travel(date(2026, 12, 1)):
        response = client_for(olga).get(reverse("project-board-xlsx") + "?year=2026&zone=lufeng")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["B3"].value == "禄丰光伏组件项目"
    assert sheet["K3"].value == "滞后"


def _board_of(count, make_project, olga, plan):
    zones = [plan["lufeng"], plan["hitech"], plan["wuding"]]
    for number in range(count):
        project = make_project(zone=zones[number % 3], lead_unit=plan["ndrc"])
        project.tasks.set([10])
        listing = Listing.objects.create(project=project, year=2026, planned_investment=Decimal("100"))
        Milestone.objects.bulk_create(
            [
                Milestone(listing=listing, kind=k, planned_on=date(2026, m, 1))
                for k, m in (("signed", 2), ("land", 5), ("started", 8))
            ]
        )
        project.investments.create(year=2026, month=6, amount=Decimal("40"))


@pytest.mark.parametrize("count", [10, 100])
def test_the_board_renders_in_a_bounded_number_of_queries(
    count, make_project, olga, plan, client_for, settings, django_assert_max_num_queries
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    _board_of(count, make_project, olga, plan)
    client = client_for(olga)
    with time_machine.travel(date(2026, 12, 1)), django_assert_max_num_queries(12):
        response = client.get(reverse("project-board") + "?year=2026&task=10")
    assert response.content.decode().count('data-status="red"') == count


def test_the_board_writes_the_year_of_a_date_outside_the_boards_year(listed, client_for, olga, settings):
    """A stage reached the year before the board's reads 2025年12月20日, not 12月20日 (which looked months late)."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    services.project_stage_set(
        project=listed, user=olga, stage=Stage.SIGNED, on=date(2025, 12, 20), today=date(2026, 1, 5)
    )
    client = client_for(olga)
    with time_machine.travel(date(2026, 7, 10)):  # the land's date (7/1) passed without it: overdue
        page = client.get(reverse("project-board") + "?year=2026").content.decode()
        assert "→2025年12月20日" in page and "→12月20日" not in page
        client.cookies["django_language"] = "en"
        page = client.get(reverse("project-board") + "?year=2026").content.decode()
        assert "→20 Dec 2025" in page
    overdue = [m for m in page.split('class="milestone overdue">')[1:]]
    assert overdue and all(" days" in m.split("</span>")[0] for m in overdue)


def test_a_milestone_a_reached_stage_comes_after_counts_done_by_that_stages_date(make_listed, olga):
    """A project in production was still chased for its 七通一平 and 主体完工 (nobody records those once the
    project has moved on): a stage reached implies what must come before it, done by that stage's date."""
    project = make_listed(
        {
            Milestone.Kind.SITE: date(2026, 2, 28),
            Milestone.Kind.EIA: date(2026, 3, 31),
            Milestone.Kind.STRUCTURE: date(2026, 10, 20),
        },
        name="禄丰工业硅节能技改项目",
    )
    states = lambda day: {m.kind: (m.state.code, m.actual_on) for m in _row(project, day).milestones}  # noqa: E731
    assert states(date(2026, 11, 30))[Milestone.Kind.SITE] == ("overdue", None)
    for stage, on in ((Stage.SIGNED, date(2026, 1, 5)), (Stage.LANDED, date(2026, 1, 20))):
        services.project_stage_set(project=project, user=olga, stage=stage, on=on, today=on)
    services.project_stage_set(
        project=project, user=olga, stage=Stage.STARTED, on=date(2026, 4, 10), today=date(2026, 4, 10)
    )
    started = states(date(2026, 11, 30))
    assert started[Milestone.Kind.SITE] == ("late", date(2026, 4, 10))  # by the start at the latest
    assert started[Milestone.Kind.EIA] == ("late", date(2026, 4, 10))
    assert started[Milestone.Kind.STRUCTURE] == ("overdue", None)  # production not reached: still owed
    services.project_stage_set(
        project=project, user=olga, stage=Stage.COMPLETED, on=date(2026, 9, 1), today=date(2026, 9, 1)
    )
    row = _row(project, date(2026, 11, 30))
    assert {m.kind: m.state.code for m in row.milestones}[Milestone.Kind.STRUCTURE] == "done"
    assert row.overdue == []


@pytest.mark.parametrize(
    "today, december_reported, shown",
    [
        (date(2026, 12, 3), False, 11),  # December under way, nothing for it yet: November is the last shown
        (date(2026, 12, 3), True, 12),  # its figure came in early: shown
        (date(2026, 6, 30), False, 6),  # June's figure is in; the later months (entered ahead) are not shown yet
        (date(2027, 1, 2), False, 12),  # the year over: every month, December's none counted as none
    ],
)
def test_the_monthly_investment_runs_through_the_months_ended(listed, today, december_reported, shown):
    """The figures page repeated November's total under December on 3 December."""
    for month in range(1, 12):
        listed.investments.create(year=2026, month=month, amount=Decimal("100"))
    if december_reported:
        listed.investments.create(year=2026, month=12, amount=Decimal("100"))
    (series,) = selectors.investment_by_month(year=2026, today=today, by="zone")
    months = [value for value in series.cumulative if value is not None]
    assert len(months) == shown
    assert months[-1] == Decimal(100) * min(shown, 11 + december_reported)


@pytest.mark.parametrize(
    "done, expected, words",
    [
        ("9680", "8800.00", "完成9,680万元 / 序时进度8,800万元（110%）"),  # one way of writing both amounts
        ("67292.50", "61175.25", "完成67,292.5万元 / 序时进度61,175.25万元（110%）"),
    ],
)
def test_the_investment_note_writes_both_amounts_alike(done, expected, words):
    from projects.board import investment_note

    state = rules.InvestmentState(
        rules.GREEN, Decimal("1"), Decimal(expected), Decimal(done), Decimal(done) / Decimal(expected)
    )
    assert investment_note(state) == words
