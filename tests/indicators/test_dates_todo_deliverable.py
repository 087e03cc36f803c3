"""The to-do page and the unit page's 当前待报 list only what can still be delivered, on any date: not a report of
a period the office has closed (已关闭: the form refuses every save), not a report of a plan the office has closed once
its successor is in force; a plan past its last year and closing still owes what it owed."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from chuxiong_portal import pagecache
from indicators.models import DispatchReport, ReportingPeriod
from tasks.models import Plan, Task

pytestmark = pytest.mark.django_db

DAYS = [date(2024, 6, 15), date(2025, 12, 31), date(2026, 1, 5), date(2026, 12, 7), date(2028, 1, 2)]


@pytest.fixture
def owed(plan):
    """March 2024's report of 州发展改革委 on task 14, never delivered (deadline 5 April 2024)."""
    period = ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)
    return DispatchReport.objects.create(department=plan["ndrc"], task=Task.objects.get(number=14), period=period)


def _todo(client_for, user, day):
    with time_machine.travel(day, tick=False):
        pagecache.data_changed()
        response = client_for(user).get(reverse("todo"))  # logged in on the day: a session lasts weeks, not years
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("day", DAYS)
def test_it_lists_a_report_still_owed_while_the_plan_runs_or_closes(owed, alice, olga, client_for, day):
    if day.year > 2025:
        Plan.objects.filter(pk=owed.period.plan_id).update(status=Plan.Status.CLOSING)
    for user in (alice, olga):
        html = _todo(client_for, user, day)
        assert f'href="/reports/{owed.pk}/"' in html
        assert "待填报 1 项，其中逾期 1 项" in html


@pytest.mark.parametrize("day", DAYS)
def test_it_leaves_out_a_report_of_a_closed_period(owed, alice, olga, client_for, day):
    ReportingPeriod.objects.filter(pk=owed.period_id).update(is_locked=True)
    for user in (alice, olga):
        html = _todo(client_for, user, day)
        assert f'href="/reports/{owed.pk}/"' not in html
        assert "待填报 0 项" in html


@pytest.mark.parametrize("day", [date(2026, 12, 7), date(2027, 3, 1), date(2028, 1, 2)])
def test_it_leaves_out_a_report_of_a_closed_plan(owed, alice, olga, client_for, day):
    Plan.objects.filter(pk=owed.period.plan_id).update(status=Plan.Status.CLOSED)
    for user in (alice, olga):
        html = _todo(client_for, user, day)
        assert f'href="/reports/{owed.pk}/"' not in html
        assert "待填报 0 项" in html


def _unit_page(client_for, user, day):
    with time_machine.travel(day, tick=False):
        pagecache.data_changed()
        response = client_for(user).get(reverse("department-detail", args=["ndrc"]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("day", [date(2024, 6, 15), date(2026, 12, 7), date(2028, 1, 2)])
@pytest.mark.parametrize("closed", ["period", "plan", None])
def test_the_unit_page_owes_only_what_can_still_be_delivered_and_keeps_the_record(owed, olga, client_for, day, closed):
    if closed == "period":
        ReportingPeriod.objects.filter(pk=owed.period_id).update(is_locked=True)
    Plan.objects.filter(pk=owed.period.plan_id).update(
        status=Plan.Status.CLOSED if closed == "plan" else Plan.Status.IN_FORCE
    )
    html = _unit_page(client_for, olga, day)
    owed_section = html[html.index('id="owed-title"') :].split("</section>", 1)[0]
    if closed:
        assert f'href="/reports/{owed.pk}/"' not in owed_section
        assert '<span class="count">0</span>' in owed_section and "逾期1份" not in owed_section
    else:
        assert f'href="/reports/{owed.pk}/"' in owed_section
        assert '<span class="count">1</span>' in owed_section and "逾期1份" in owed_section
    assert "逾期未报" in html  # the on-time record keeps the report it never had
