"""Each dashboard runs the same number of SQL queries whatever the amount of data.

Measured with the page cache off: every view renders its body from the database, as the first view after a
change does (a cached body would read nothing and hide the page's own queries).

Measured on the compact dataset, then again after the full demo history replaced it (about fifty
times more reports, values and progress results, and more flags): the counts must not move.
Every section of every page is filled first (a section without rows runs fewer queries), and each page is held
to its own budget.
"""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Flag
from indicators.models import DispatchReport, IndicatorValue, ProgressResult, Target
from supervision.models import SupervisionItem
from tests.dashboards.data import fill_every_section, grow

# Per page, with the page cache off (the body rendered from the database) and every section filled: the first
# view after a change.
# The bulletin and its workbook also read the issue's 第N期 and the units' 存在问题 and 下步打算 (a fixed number).
# The overview and the bulletin read every target's status from the result spans' index by day (a query per day,
# beside the targets' keys, rather than one query of index seeks per target and day) and the shown targets' few
# indicators apart from the targets: more queries, each a range read, and a province's first view 40 % faster.
# The overview lists the first dozen status changes: one query orders the changed targets by their keys, and only the
# dozen rows are read (`changed_targets`); the bulletin lists them all without it.
# The target page is not cached (it lists the 督办单 the reader may open): its results and its items, one query each.
# The zone page's 重点项目 panel reads which year's list is in force (in January, last year's), as the to-do does.
BUDGETS = {
    "overview": 28,
    "zone": 27,
    "zone (national rank)": 27,
    "task (biweekly lead)": 16,
    "task": 16,
    "unit": 14,
    "bulletin": 32,
    "bulletin workbook": 25,
    "matrix": 7,
    "status changes": 14,
    "target": 7,
}


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
        "status changes": reverse("status-changes") + f"?period={period_id}",
        "target": _target().get_absolute_url(),
    }


def _target() -> Target:
    """A 禄丰 target of a rate, whose results grow with the history (the target page lists them all)."""
    return Target.objects.filter(zone__code="lufeng", indicator__kind="share").order_by("pk").first()


def supervise_target(count: int) -> None:
    """`count` more 督办单 issued for `_target()` (its page lists them)."""
    target = _target()
    for _n in range(count):
        SupervisionItem.objects.create(
            number=f"楚开督〔2099〕{SupervisionItem.objects.count() + 1:03d}号",
            source=SupervisionItem.Source.RED_TARGET,
            source_type=ContentType.objects.get_for_model(Target),
            source_id=target.pk,
            zone=target.zone,
            requirement="追赶进度",
            issued_on=date(2099, 1, 1),
            deadline=date(2099, 1, 31),
        )


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
    return (
        DispatchReport.objects.count(),
        IndicatorValue.objects.count(),
        ProgressResult.objects.exclude(actual=None).count(),
        Flag.objects.count(),
    )


def test_it_keeps_every_dashboards_query_count_flat_as_data_grows(client_for, olga, data, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # measure the rendering path, not a cached body
    fill_every_section()  # a section without rows runs fewer queries
    supervise_target(1)
    client = client_for(olga)
    urls = pages(data["period"].pk)
    small_size, small = sizes(), count_queries(client, urls)

    grow()
    supervise_target(5)
    client.force_login(olga)
    large_size, large = sizes(), count_queries(client, urls)

    # reports ×500, values ×25; results exist for every target and period either way, but with data now.
    assert large_size[0] > 100 * small_size[0] and large_size[1] > 20 * small_size[1], (small_size, large_size)
    assert large_size[3] > small_size[3]
    assert large == small
    over = {name: (count, BUDGETS[name]) for name, count in large.items() if count > BUDGETS[name]}
    assert not over, over
