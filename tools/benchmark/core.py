"""The benchmark's core: options, the measurements' shared context, query counting and the full recompute."""

import math
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.services import flags_recompute
from indicators.progress.services import collector_paused, progress_recompute
from indicators.reporting.services import periods_generate
from parks.models import Zone
from tasks.models import Task
from tasks.selectors import plan_get
from tasks.services import plan_load

if TYPE_CHECKING:
    from .province import SyntheticProvince

REFERENCE_ZONE = "lufeng"  # bench zones get 禄丰's targets
BENCH_COUNTY = "bench"
BENCH_ZONE_PREFIX = "bench-"


def end_year() -> int:
    """The synthetic history ends with the plan in force's last year."""
    return plan_get().last_year


# --- the machine's own speed -------------------------------------------------------------------

# A fixed piece of pure-Python work of a page's kind (dicts built, strings formatted and joined, rows sorted), no I/O.
_SPEED_ROWS = 4_000


def machine_speed_ms() -> float:
    """How long `_SPEED_ROWS` rows of fixed work take now, best of three (ms). The work is the same whatever the
    database holds, so the spread of this figure over a run is how much the machine's own speed moved under the
    measurements: a shared virtual machine's CPU may give half its speed for minutes, and a page's 20 % then says
    nothing about the code. The garbage collector is off meanwhile: a collection of the run's large heap would be timed
    with the work."""
    best = math.inf
    with collector_paused():
        for _ in range(3):
            started = time.perf_counter()
            rows = [
                {"zone": f"zone-{i % 97:03d}", "value": i * 1.5, "status": ("green", "red")[i % 2]}
                for i in range(_SPEED_ROWS)
            ]
            rows.sort(key=lambda row: (row["status"], row["zone"], -row["value"]))
            "".join(f"<tr><td>{r['zone']}</td><td>{r['value']:,.2f}</td><td>{r['status']}</td></tr>" for r in rows)
            best = min(best, time.perf_counter() - started)
    return best * 1000


def speed_spread(samples: list[float]) -> float | None:
    """How much slower the slowest of `samples` (`machine_speed_ms`) is than the fastest: 0.25 for 25 %."""
    return max(samples) / min(samples) - 1 if len(samples) > 1 else None


# --- options, context, query counting ----------------------------------------------------------


@dataclass
class Options:
    zones: int = 100
    years: int = 10
    check_years: int | None = None  # the smaller period count of the query-count check; None: years // 2
    runs: int = 5  # runs of the real-data recompute (median reported)
    seed: int = 20230426
    sections: list[str] | None = None  # keys of MEASUREMENTS to run; None: all
    profile: bool = False  # profile one extra scale recompute with cProfile
    profile_path: str | None = None  # also dump the pstats there
    profile_top: int = 25
    renders: int = 10  # timed renders of each page (after one warm-up): median and p90 reported
    api_rows: int = 10_000  # rows of the bulk import
    mix_steps: int = 600  # steps of the load test's write mix replayed against the page cache
    quick: bool = False  # CI's run: tiny sizes, and no timing judged as a CHECK

    @property
    def first_year(self) -> int:
        return end_year() - self.years + 1

    @property
    def effective_check_years(self) -> int | None:
        years = self.check_years if self.check_years is not None else self.years // 2
        return years if 1 <= years < self.years else None


# The statements of a recompute's write: the results' batches, and what a large batch needs around it.
WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "CREATE", "TRUNCATE", "DROP")


@dataclass
class QueryCounts:
    """Statements executed, by their first keyword (SELECT, INSERT, DELETE, UPDATE, SAVEPOINT …)."""

    by_kind: Counter = field(default_factory=Counter)

    def add(self, sql: str) -> None:
        word = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "?"
        self.by_kind[word] += 1

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    @property
    def inserts(self) -> int:
        return self.by_kind["INSERT"]

    @property
    def non_insert(self) -> int:
        """Reads (and savepoints): every statement but the write batches (INSERT, UPDATE, DELETE of the results
        that differ; on PostgreSQL also the CREATE and TRUNCATE of the temporary table a large batch is copied into;
        on SQLite the DROP and CREATE of the indexes a large write sets aside and builds again), what must not grow
        with the data. Whether a write is large is the data's doing: a longer history that changes fewer results
        drops no index."""
        return self.total - sum(self.by_kind[k] for k in WRITE_STATEMENTS)

    def figures(self, prefix: str = "queries") -> dict:
        other = self.total - sum(self.by_kind[k] for k in ("SELECT", "INSERT", "UPDATE", "DELETE"))
        return {
            f"{prefix}_total": self.total,
            f"{prefix}_select": self.by_kind["SELECT"],
            f"{prefix}_insert_batches": self.inserts,
            f"{prefix}_update": self.by_kind["UPDATE"],
            f"{prefix}_delete": self.by_kind["DELETE"],
            f"{prefix}_other": other,  # SAVEPOINT / RELEASE SAVEPOINT of the nested atomic blocks
            f"{prefix}_non_insert": self.non_insert,
        }


def counts_from_captured(captured: CaptureQueriesContext) -> QueryCounts:
    counts = QueryCounts()
    for query in captured.captured_queries:
        counts.add(query["sql"])
    return counts


@contextmanager
def count_queries() -> Iterator[QueryCounts]:
    """Count statements without keeping them.

    Used at scale instead of CaptureQueriesContext: that one keeps the SQL text through the debug
    cursor (slower, and `queries_log` only holds the last 9000 statements, fewer than the insert
    batches of a large recompute on SQLite).
    """
    counts = QueryCounts()

    def wrapper(execute, sql, params, many, context):
        counts.add(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counts


class Context:
    """What measurements share: options, a progress log and the synthetic province."""

    def __init__(self, options: Options, log: Callable[[str], None] | None = None):
        self.options = options
        self._log = log or (lambda line: None)
        self.plan_loaded_here = False
        self.cache: dict = {}

    def log(self, line: str) -> None:
        self._log(line)

    def province(self) -> "SyntheticProvince":
        if "province" not in self.cache:
            from .province import SyntheticProvince  # imported here: province.py imports this module

            self.cache["province"] = SyntheticProvince(self)
        return self.cache["province"]


def ensure_plan() -> bool:
    """Load the plan (and its periods) when it is missing; True when it had to be loaded."""
    if Task.objects.exists() and Zone.objects.filter(code=REFERENCE_ZONE).exists():
        return False
    summary = plan_load()
    periods_generate(plan=summary.plan)
    return True


def full_recompute() -> dict:
    """The nightly recompute: progress results of every target, then the accountability flags."""
    written_after = timezone.now()
    started, cpu_started, children_started = time.perf_counter(), time.process_time(), _children_cpu()
    written = progress_recompute()
    progress_done = time.perf_counter()
    flags = flags_recompute()
    finished, cpu_finished = time.perf_counter(), time.process_time()
    return {
        "results": written,
        "written_after": written_after,  # the results it wrote have a later computed_at
        "progress_s": progress_done - started,
        "flags_s": finished - progress_done,
        "wall_s": finished - started,
        "cpu_s": cpu_finished - cpu_started,  # this process only: not the database server's
        "workers_cpu_s": _children_cpu() - children_started,  # the forked workers', once they ended
        "flags": {
            "raised": flags.raised,
            "updated": flags.updated,
            "withdrawn": flags.withdrawn,
            "unchanged": flags.unchanged,
        },
    }


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system
