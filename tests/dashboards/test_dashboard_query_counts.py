"""Each dashboard runs the same number of SQL queries whatever the amount of data.

Measured with the page cache off: every view renders its body from the database, as the first view after a
change does (a cached body would read nothing and hide the page's own queries).

Measured on the compact dataset, then again after the full demo history replaced it (about fifty
times more reports, values and progress results, and more flags): the counts must not move.
"""

import random

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Flag
from chuxiong_portal.demo import PROVINCIAL_RANKINGS
from chuxiong_portal.demo_evaluations import evaluations_demo_load
from chuxiong_portal.demo_projects import demo_projects_load
from chuxiong_portal.roles import Role
from chuxiong_portal.services import user_create
from indicators.models import DispatchReport, IndicatorValue, ProgressResult
from tasks.selectors import plan_get
from tests.dashboards.data import grow

# Per page, with the page cache off (the body rendered from the database): the first view after a change.
# The bulletin and its workbook also read the issue's 第N期 and the units' 存在问题 and 下步打算 (a fixed number).
BUDGETS = {"overview": 27, "zone": 36, "zone (national rank)": 36, "task (biweekly lead)": 17, "task": 17,
           "unit": 17, "bulletin": 37, "bulletin workbook": 28, "matrix": 8}


def pages(period_id: int) -> dict[str, str]:
    return {
        "overview": reverse("overview"),
        "zone": reverse("zone-detail", args=["lufeng"]),
        "zone (national rank)": reverse("zone-detail", args=["chuxiong-hitech"]),
        "task (biweekly lead)": reverse("task-detail", args=[9]),
        "task": reverse("task-detail", args=[14]),
        "unit": reverse("department-detail", args=["ndrc"]),
        "bulletin": reverse("bulletin") + f"?period={period_id}",
        "bulletin workbook": reverse("bulletin-xlsx", args=[period_id]),
        "matrix": reverse("responsibility-matrix"),
    }


def count_queries(client, urls: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, url in urls.items():
        client.get(url)  # warm up: session, content types
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries)
    return counts


def sizes() -> tuple[int, int, int, int]:
    return (DispatchReport.objects.count(), IndicatorValue.objects.count(),
            ProgressResult.objects.exclude(actual=None).count(), Flag.objects.count())


def with_fixed_size_parts() -> None:
    """The parts of the demo whose size does not grow with the history (the province's evaluation results, the
    project list): a page reads them with a few more queries once they exist, at any size of the history."""
    plan = plan_get()
    user_create(username="demo-office", password=None, role=Role.PREFECTURE_OFFICE, full_name="演示州开发区办")
    rankings = {plan.baseline_year + offset: ranks for offset, ranks in PROVINCIAL_RANKINGS.items()}
    evaluations_demo_load(rng=random.Random(1), years=list(range(plan.first_year, plan.last_year + 1)),
                          rankings=rankings, today=timezone.localdate())
    demo_projects_load()


def test_it_keeps_every_dashboards_query_count_flat_as_data_grows(client_for, olga, data, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    with_fixed_size_parts()
    client = client_for(olga)
    urls = pages(data["period"].pk)
    small_size, small = sizes(), count_queries(client, urls)

    grow()
    client.force_login(olga)
    large_size, large = sizes(), count_queries(client, urls)

    # reports ×500, values ×25; results exist for every target and period either way, but with data now.
    assert large_size[0] > 100 * small_size[0] and large_size[1] > 20 * small_size[1], (small_size, large_size)
    assert large_size[3] > small_size[3]
    assert large == small
    over = {name: (count, BUDGETS[name]) for name, count in large.items() if count > BUDGETS[name]}
    assert not over, over
