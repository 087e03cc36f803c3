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

The command uses `Options`, `SECTION_KEYS`, `run`, `format_report` and `write_json`, exported here; everything
else is imported from its module.
"""

from .core import Options
from .report import format_report, write_json
from .runner import SECTION_KEYS, run

__all__ = ["SECTION_KEYS", "Options", "format_report", "run", "write_json"]
