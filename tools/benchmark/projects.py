"""Section 7: the 挂图作战 board of the key projects at two sizes, with the page cache off.

Builds bench projects (each listed for this year with three 倒排工期 dates and a month of investment) inside
the benchmark's rolled-back transaction, then renders /projects/board/ for 10 and for 100 of them: render
time, SQL queries (which must not grow with the number of projects) and the board's colour counts.
"""

import statistics
import time
from datetime import date
from decimal import Decimal

from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from parks.models import Zone
from projects.models import Listing, Milestone, Project, ProjectInvestment
from projects.selectors import board_counts, board_rows

from .core import Context, count_queries
from .pages import BENCH_URLCONF, bench_users

BOARD_SIZES = (10, 100)
BENCH_PROJECT_PREFIX = "bench-project-"


def _build(count: int, year: int) -> None:
    """Bench projects up to `count` in total (the 10 of the first size are kept for the second)."""
    zones = list(Zone.objects.order_by("order")[:4])
    have = Project.objects.filter(code__startswith=BENCH_PROJECT_PREFIX).count()
    for number in range(have, count):
        project = Project.objects.create(
            code=f"{BENCH_PROJECT_PREFIX}{number:04d}",
            name=f"基准测试项目{number}",
            zone=zones[number % len(zones)],
            total_investment=Decimal("10000"),
        )
        listing = Listing.objects.create(project=project, year=year, planned_investment=Decimal("1200"))
        Milestone.objects.bulk_create(
            [
                Milestone(listing=listing, kind=kind, planned_on=date(year, month, 15))
                for kind, month in (("signed", 3), ("land", 6), ("started", 9))
            ]
        )
        ProjectInvestment.objects.create(project=project, year=year, month=1, amount=Decimal(100 * (number % 12)))


def measure_projects(ctx: Context) -> dict:
    renders = max(1, ctx.options.renders)
    today = timezone.localdate()
    client = Client()
    client.force_login(bench_users(ctx)["office"])
    rows, queries = [], {}
    ctx.log(f"[projects] the board at {', '.join(map(str, BOARD_SIZES))} projects × {renders} renders …")
    with override_settings(
        ROOT_URLCONF=BENCH_URLCONF, PORTAL_PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["testserver", "localhost"]
    ):
        for size in BOARD_SIZES:
            _build(size, today.year)
            path = f"/projects/board/?year={today.year}"
            client.get(path)  # warm up
            timings, counts = [], []
            for _ in range(renders):
                with count_queries() as measured:
                    started = time.perf_counter()
                    response = client.get(path)
                    timings.append(time.perf_counter() - started)
                counts.append(measured.total)
            colours = board_counts(board_rows(year=today.year, today=today))
            queries[size] = counts[-1]
            rows.append(
                [
                    size,
                    response.status_code,
                    statistics.median(timings) * 1000,
                    counts[-1],
                    len(response.content) // 1024,
                    colours["green"],
                    colours["amber"],
                    colours["red"],
                ]
            )
    small, large = BOARD_SIZES
    return {
        "key": "projects",
        "title": "7. Key projects — the 挂图作战 board, page cache off",
        "figures": {f"board_queries_{size}": queries[size] for size in BOARD_SIZES},
        "tables": [
            {"columns": ["projects", "HTTP", "median ms", "queries", "KiB", "green", "amber", "red"], "rows": rows}
        ],
        "checks": {f"board queries equal at {small} and {large} projects": queries[small] == queries[large]},
        "notes": [
            "bench projects (with the demo's, if loaded) on this year's list; rendered through "
            "django.test.Client with the page cache off (PORTAL_PAGE_CACHE_SECONDS=0)"
        ],
    }
