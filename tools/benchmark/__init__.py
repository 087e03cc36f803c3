"""Performance benchmark of the portal's bulk work: a script that reports figures, not a test.

`manage.py benchmark` runs every measurement in `MEASUREMENTS` inside ONE transaction that is
rolled back at the end (`transaction.set_rollback(True)`), so the database is left as it was
found: the plan is loaded there if it is missing, a synthetic province is built, indicators are
switched to a biweekly cadence, results are recomputed — and all of it disappears again.
(On PostgreSQL, sequences are not transactional: ids handed out inside the transaction stay used.)

A measurement is a function `measure(ctx: Context) -> dict` returning

    {"key": "...", "title": "...", "figures": {name: value}, "checks": {name: bool}, "notes": [...]}

`format_report` prints each section's figures as a table, and the same report is what
`--json PATH` writes. To add a section (dashboard render times, API bulk import throughput …)
write such a function and append it to `MEASUREMENTS` (in `runner.py`); `Context` offers the options,
a log for progress lines, query counting and the synthetic province (built once, on first use).

The package's modules:

- `core`: options, the shared context, query counting, loading the plan and the full recompute;
- `real`: section 1, the full recompute on the data in the database;
- `province`: the synthetic province (bench zones, their targets and generated values);
- `scale`: sections 3 and 6, the synthetic province recomputed and the query count across period counts;
- `pages`: sections 2 and 4, dashboard render times against a trivial view;
- `api`: section 5, bulk import throughput and list query counts;
- `projects`: section 7, the key projects' board at two sizes with the page cache off;
- `runner`: `MEASUREMENTS`, `SECTION_KEYS` and `run` (one rolled-back transaction, the meta);
- `report`: `format_report` and `write_json`.

Every name is re-exported here, so `from tools import benchmark; benchmark.X` works as before.
"""

from .api import API_LIST_ENDPOINTS, API_PAGE_SIZES, _api_rows, measure_api
from .core import (
    BENCH_COUNTY,
    BENCH_ZONE_PREFIX,
    REFERENCE_ZONE,
    Context,
    Options,
    QueryCounts,
    count_queries,
    counts_from_captured,
    end_year,
    ensure_plan,
    full_recompute,
)
from .pages import (
    BENCH_NDRC_STAFF,
    BENCH_OFFICE,
    BENCH_SYNC,
    BENCH_URLCONF,
    PAGE_RATIO_TARGET,
    _page_list,
    _percentile,
    _time_get,
    bench_users,
    measure_pages,
    measure_pages_real,
    measure_pages_scale,
)
from .projects import BOARD_SIZES, measure_projects
from .province import SyntheticProvince, _Series
from .real import measure_real_plan
from .report import LABELS, _cell, _fmt, _label, _table_lines, format_report, write_json
from .runner import MEASUREMENTS, SECTION_KEYS, _cpus, _db_version, _load_average, db_fingerprint, run
from .scale import (
    _measured_recompute,
    _profile_recompute,
    _short_path,
    measure_query_scaling,
    measure_scale,
    scale_runs,
)

__all__ = [
    # core
    "end_year", "REFERENCE_ZONE", "BENCH_COUNTY", "BENCH_ZONE_PREFIX",
    "Options", "QueryCounts", "counts_from_captured", "count_queries", "Context", "ensure_plan", "full_recompute",
    # 1. real plan data
    "measure_real_plan",
    # the synthetic province
    "_Series", "SyntheticProvince",
    # 3. scale, 6. query count vs number of periods
    "_measured_recompute", "scale_runs", "_profile_recompute", "_short_path", "measure_scale",
    "measure_query_scaling",
    # 2. and 4. dashboard pages
    "BENCH_URLCONF", "PAGE_RATIO_TARGET", "BENCH_OFFICE", "BENCH_NDRC_STAFF", "BENCH_SYNC",
    "bench_users", "_page_list", "_percentile", "_time_get", "measure_pages", "measure_pages_real",
    "measure_pages_scale",
    # 5. the API
    "API_LIST_ENDPOINTS", "API_PAGE_SIZES", "_api_rows", "measure_api",
    # 7. key projects
    "BOARD_SIZES", "measure_projects",
    # running
    "MEASUREMENTS", "SECTION_KEYS", "db_fingerprint", "run", "_load_average", "_cpus", "_db_version",
    # reporting
    "LABELS", "_fmt", "_label", "_cell", "_table_lines", "format_report", "write_json",
]
