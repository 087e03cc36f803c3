"""The project page and the project-report page read in a number of queries that does not grow with the
project's reports, baseline changes and history (measured with the page cache off, at two sizes)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import services
from projects.models import Milestone

pytestmark = pytest.mark.django_db

BOUND = 40  # a ceiling; the point is the equality of the two sizes


def _grow(project, size, *, alice, olga, plan):
    """`size` half-month reports (with a problem and a request to 州商务局; the last one saved `size` times)
    and `size` baseline changes of the 开工 date."""
    milestone = project.listings.get(year=2026).milestones.get(kind=Milestone.Kind.STARTED)
    day = date(2025, 1, 5)
    report = None
    for number in range(size):
        with time_machine.travel(day):
            report = services.project_report_open(project=project, user=alice)
            for step in range(size if number == size - 1 else 1):
                report = services.project_report_save(
                    report=report,
                    user=alice,
                    version=report.version,
                    submit=False,
                    data=services.ProjectReportInput(
                        investment_period=Decimal("10"),
                        investment_to_date=Decimal(10 * (number + 1)),
                        image_progress=f"第{number}期形象进度{step}",
                        problems=f"问题{number}",
                        coordination=f"请协调{number}",
                        coordination_unit_id=plan["commerce"].pk,
                    ),
                )
        day += timedelta(days=16)
        milestone = services.milestone_rebaseline(
            milestone=milestone,
            user=olga,
            reason=f"调整{number}",
            planned_on=date(2026, 9, 30) + timedelta(days=number + 1),
        )
    return report


def _count(client, url):
    with time_machine.travel(date(2026, 12, 1)), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("page", ["project", "report"])
def test_the_count_does_not_grow_with_reports_and_history(
    page, listed, make_project, alice, olga, plan, client_for, settings
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    other = make_project(name="禄丰对照项目", zone=plan["lufeng"], lead_unit=plan["ndrc"])
    services.listing_adopt(
        project=other,
        user=olga,
        year=2026,
        planned_investment=Decimal("100"),
        milestones={Milestone.Kind.STARTED: date(2026, 9, 30)},
    )
    small = _grow(listed, 2, alice=alice, olga=olga, plan=plan)
    large = _grow(other, 20, alice=alice, olga=olga, plan=plan)
    client = client_for(alice)
    if page == "project":
        urls = [reverse("project-detail", args=[p.code]) for p in (listed, other)]
    else:
        urls = [reverse("project-report-detail", args=[r.pk]) for r in (small, large)]
    _count(client, urls[0])  # warm the session and the per-process caches
    (few, few_html), (many, many_html) = _count(client, urls[0]), _count(client, urls[1])
    assert few == many <= BOUND
    # the sizes really differ on the page: the project's reports, the report's history
    if page == "project":
        assert few_html.count("/project-reports/") + 18 <= many_html.count("/project-reports/")
    else:
        assert few_html.count("<td>alice") + 18 <= many_html.count("<td>alice")
