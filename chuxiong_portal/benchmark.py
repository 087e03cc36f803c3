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
write such a function and append it to `MEASUREMENTS`; `Context` offers the options, a log
for progress lines, query counting and the synthetic province (built once, on first use).
"""

import cProfile
import io
import json
import math
import os
import platform
import pstats
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import django
from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, Max
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.services import flags_recompute
from indicators import periods as cal
from indicators.models import Cadence, Indicator, IndicatorValue, ProgressResult, ReportingPeriod, Scope, Target
from indicators.services import periods_generate, progress_recompute
from indicators.services.calendar import deadline_of
from parks.models import County, Zone
from tasks.models import Task
from tasks.services import plan_load

from . import pagecache
from .demo import MONTH_SHARES

PLAN_YEARS = range(2022, 2026)  # what load_plan generates periods for: the 2022 baseline and the plan
END_YEAR = 2025  # the synthetic history ends with the plan
REFERENCE_ZONE = "lufeng"  # bench zones get 禄丰's targets
BENCH_COUNTY = "bench"
BENCH_ZONE_PREFIX = "bench-"


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

    @property
    def first_year(self) -> int:
        return END_YEAR - self.years + 1

    @property
    def effective_check_years(self) -> int | None:
        years = self.check_years if self.check_years is not None else self.years // 2
        return years if 1 <= years < self.years else None


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
        """Reads plus the fixed writes (DELETE, savepoints): what must not grow with the data."""
        return self.total - self.inserts

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
            self.cache["province"] = SyntheticProvince(self)
        return self.cache["province"]


def ensure_plan() -> bool:
    """Load the plan (and its periods) when it is missing; True when it had to be loaded."""
    if Task.objects.exists() and Zone.objects.filter(code=REFERENCE_ZONE).exists():
        return False
    plan_load()
    periods_generate(years=PLAN_YEARS)
    return True


def full_recompute() -> dict:
    """The nightly recompute: progress results of every target, then the accountability flags."""
    started, cpu_started = time.perf_counter(), time.process_time()
    written = progress_recompute()
    progress_done = time.perf_counter()
    flags = flags_recompute()
    finished, cpu_finished = time.perf_counter(), time.process_time()
    return {
        "results": written,
        "progress_s": progress_done - started,
        "flags_s": finished - progress_done,
        "wall_s": finished - started,
        "cpu_s": cpu_finished - cpu_started,  # this process only: not the database server's
        "flags": {"raised": flags.raised, "updated": flags.updated, "withdrawn": flags.withdrawn,
                  "unchanged": flags.unchanged},
    }


# --- 1. real plan data ---------------------------------------------------------------------------


def measure_real_plan(ctx: Context) -> dict:
    """Full recompute with whatever data the database holds (e.g. the demo after `bootstrap`)."""
    runs = max(1, ctx.options.runs)
    ctx.log(f"[real] full recompute × {runs} on the data in the database …")
    timings, query_counts = [], []
    for _run in range(runs):
        with CaptureQueriesContext(connection) as captured:
            timing = full_recompute()
        timings.append(timing)
        query_counts.append(counts_from_captured(captured))
    # Figures of the last run: the steady state (a first run may still raise or withdraw flags).
    last = query_counts[-1]
    figures = {
        "targets": Target.objects.count(),
        "indicator_values": IndicatorValue.objects.count(),
        "runs": runs,
        "wall_time_median_s": statistics.median(t["wall_s"] for t in timings),
        "progress_recompute_median_s": statistics.median(t["progress_s"] for t in timings),
        "flags_recompute_median_s": statistics.median(t["flags_s"] for t in timings),
        "cpu_time_median_s": statistics.median(t["cpu_s"] for t in timings),
        "wall_times_s": [round(t["wall_s"], 4) for t in timings],
        "results_written": timings[-1]["results"],
        **last.figures(),
        "flags_first_run": timings[0]["flags"],
    }
    figures["evaluations_per_s"] = figures["results_written"] / figures["progress_recompute_median_s"]
    return {
        "key": "real",
        "title": "1. Real plan data — full recompute (progress_recompute + flags_recompute)",
        "figures": figures,
        "checks": {"same SELECT count in every run": len({c.by_kind["SELECT"] for c in query_counts}) == 1},
        "notes": ["plan loaded by the benchmark (it was missing)"] if ctx.plan_loaded_here else [],
    }


# --- 2. synthetic province at scale ----------------------------------------------------------------


@dataclass
class _Series:
    """What a bench zone's values of one indicator are generated from (its copied targets)."""

    indicator: Indicator
    goals: dict[int, float]  # year -> committed (else stretch) value
    due_date: date | None
    required_count: int | None

    def goal(self, year: int, default: float) -> float:
        if not self.goals:
            return default
        nearest = min(self.goals, key=lambda y: (abs(y - year), -y))
        return self.goals[nearest]


class SyntheticProvince:
    """`--zones` bench zones with 禄丰's targets and biweekly values over `--years` years.

    Built in steps so that the query-count check can recompute with fewer periods first:
    `setup()` (county, zones, targets, periods, cadence switch), then `add_values(years)` as
    often as needed, each call adding the years not added yet.
    """

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.options = ctx.options
        self.ready = False
        self.years_added: set[int] = set()
        self.figures: dict = {
            "setup_s": 0.0, "values_s": 0.0, "zones_created": 0, "targets_created": 0, "periods_created": 0,
            "values_created": 0,
        }

    # setup

    def setup(self) -> None:
        if self.ready:
            return
        started = time.perf_counter()
        options = self.options
        if Zone.objects.filter(code__startswith=BENCH_ZONE_PREFIX).exists():
            raise RuntimeError(f"zones named {BENCH_ZONE_PREFIX}* already exist; the benchmark needs that prefix")
        county = County.objects.create(code=BENCH_COUNTY, name="基准测试县（benchmark）", order=999)
        Zone.objects.bulk_create([
            Zone(code=f"{BENCH_ZONE_PREFIX}{i:03d}", name=f"基准测试开发区{i:03d}", short_name=f"基准{i:03d}",
                 level=Zone.Level.PROVINCIAL, county=county, order=1000 + i)
            for i in range(1, options.zones + 1)
        ])
        self.zones = list(Zone.objects.filter(county=county).order_by("order"))

        # Every zone-scoped indicator of the plan; targets from 禄丰, else from the first zone that has one.
        zone_targets = list(Target.objects.filter(scope=Scope.ZONE).select_related("indicator", "zone")
                            .order_by("zone__order", "year"))
        by_indicator: dict[int, dict[int, list[Target]]] = {}
        for target in zone_targets:
            by_indicator.setdefault(target.indicator_id, {}).setdefault(target.zone_id, []).append(target)
        reference = Zone.objects.get(code=REFERENCE_ZONE)
        self.series: list[_Series] = []
        templates: list[Target] = []
        fallbacks = []
        for zones in by_indicator.values():
            source = zones.get(reference.pk)
            if source is None:
                source = next(iter(zones.values()))  # zones are in their order
                fallbacks.append(f"{source[0].indicator.code} (from {source[0].zone.code})")
            templates.extend(source)
            self.series.append(_Series(
                indicator=source[0].indicator,
                goals={t.year: float(v) for t in source
                       if (v := t.committed_value if t.committed_value is not None else t.stretch_value) is not None},
                due_date=max((t.due_date for t in source if t.due_date), default=None),
                required_count=max((t.required_count for t in source if t.required_count), default=None),
            ))
        self.series.sort(key=lambda s: (s.indicator.order, s.indicator.code))
        Target.objects.bulk_create([
            Target(indicator_id=t.indicator_id, scope=Scope.ZONE, zone=zone, year=t.year,
                   committed_value=t.committed_value, stretch_value=t.stretch_value,
                   baseline_value=t.baseline_value, due_date=t.due_date, required_count=t.required_count,
                   wording=t.wording)
            for zone in self.zones for t in templates
        ], batch_size=2000)
        indicator_ids = [s.indicator.pk for s in self.series]
        self.cadences_switched = Indicator.objects.filter(pk__in=indicator_ids).exclude(
            cadence=Cadence.BIWEEKLY).update(cadence=Cadence.BIWEEKLY)

        # Biweekly periods for the whole history.
        years = range(options.first_year, END_YEAR + 1)
        existing = set(ReportingPeriod.objects.filter(cadence=Cadence.BIWEEKLY, year__in=years)
                       .values_list("year", "index"))
        new = [
            ReportingPeriod(cadence=Cadence.BIWEEKLY, year=span.year, index=span.index, start=span.start,
                            end=span.end, deadline=deadline_of(Cadence.BIWEEKLY, span.end))
            for year in years for span in cal.periods_of_year(cal.BIWEEKLY, year)
            if (span.year, span.index) not in existing
        ]
        ReportingPeriod.objects.bulk_create(new, batch_size=2000)
        self.periods = {
            (year, index): (pk, end)
            for pk, year, index, end in ReportingPeriod.objects.filter(cadence=Cadence.BIWEEKLY, year__in=years)
            .values_list("pk", "year", "index", "end")
        }
        self.figures.update({
            "zones_created": len(self.zones),
            "zone_indicators": len(self.series),
            "zone_indicators_by_kind": dict(sorted(Counter(s.indicator.kind for s in self.series).items())),
            "indicators_switched_to_biweekly": self.cadences_switched,
            "targets_per_zone": len(templates),
            "targets_created": len(templates) * len(self.zones),
            "periods_created": len(new),
            "targets_copied_from_other_zone": sorted(fallbacks),
        })
        self.figures["setup_s"] += time.perf_counter() - started
        self.ready = True

    # values

    def add_values(self, years: range) -> int:
        """Add the values of `years` not added yet, zone by zone, with bulk_create."""
        self.setup()
        wanted = set(years) - self.years_added
        if not wanted:
            return 0
        started = time.perf_counter()
        batch = 2000
        created = 0
        for number, zone in enumerate(self.zones, start=1):
            rows = [
                IndicatorValue(indicator_id=series.indicator.pk, period_id=period_id, scope=Scope.ZONE, zone_id=zone.pk,
                               value=value, done_on=done_on, locked=True, is_demo=True)
                for series in self.series
                for year, period_id, value, done_on in self._series_values(zone, series)
                if year in wanted
            ]
            IndicatorValue.objects.bulk_create(rows, batch_size=batch)
            created += len(rows)
            if number % 20 == 0 or number == len(self.zones):
                self.ctx.log(f"  values {min(wanted)}–{max(wanted)}: zone {number}/{len(self.zones)}, {created:,} rows")
        self.years_added |= wanted
        self.figures["values_created"] += created
        self.figures["values_s"] += time.perf_counter() - started
        return created

    def _spans(self) -> Iterator[tuple[int, int, int, date]]:
        for year in range(self.options.first_year, END_YEAR + 1):
            for index in range(1, 25):
                period_id, end = self.periods[(year, index)]
                yield year, index, period_id, end

    def _series_values(self, zone: Zone, series: _Series) -> list[tuple[int, int, Decimal | None, date | None]]:
        """The whole history of one indicator in one zone: deterministic per (seed, zone, indicator)."""
        rng = random.Random(f"{self.options.seed}:{zone.code}:{series.indicator.code}")
        kind = series.indicator.kind
        generate = {
            Indicator.Kind.LEVEL: self._level, Indicator.Kind.GROWTH: self._growth, Indicator.Kind.SHARE: self._share,
            Indicator.Kind.CUMULATIVE: self._cumulative, Indicator.Kind.MILESTONE: self._milestone,
            Indicator.Kind.RECURRING: self._recurring, Indicator.Kind.QUALITATIVE: self._qualitative,
        }[kind]
        return [
            (year, period_id, None if value is None else Decimal(f"{value:.2f}"), done_on)
            for year, period_id, value, done_on in generate(series, rng)
        ]

    def _annual_levels(self, series: _Series, rng: random.Random) -> dict[int, float]:
        """Yearly totals ending near the goal, growing 15–25 % a year before that."""
        annual = {END_YEAR: series.goal(END_YEAR, 100.0) * rng.uniform(0.8, 1.15)}
        for year in range(END_YEAR, self.options.first_year, -1):
            annual[year - 1] = annual[year] / (1 + rng.uniform(0.15, 0.25))
        return annual

    def _level(self, series, rng):
        annual = self._annual_levels(series, rng)
        ytd = 0.0
        for year, index, period_id, _end in self._spans():
            if series.indicator.year_to_date:
                # Year-to-date: each half-month adds its seasonal share (February dip, December push).
                if index == 1:
                    ytd = 0.0
                month_share = MONTH_SHARES[(index + 1) // 2 - 1] * (0.48 if index % 2 else 0.52)
                ytd += annual[year] * month_share * (1 + rng.uniform(-0.04, 0.04))
                yield year, period_id, ytd, None
            else:
                before = annual.get(year - 1, annual[year] / 1.2)
                level = before * (annual[year] / before) ** (index / 24)
                yield year, period_id, level * (1 + rng.uniform(-0.02, 0.02)), None

    def _growth(self, series, rng):
        factor = {}
        for year, _index, period_id, _end in self._spans():
            if year not in factor:
                factor[year] = rng.uniform(0.75, 1.25)  # some years above the target, some below
            goal = series.goal(year, 10.0)
            yield year, period_id, goal * factor[year] + rng.uniform(-1.5, 1.5), None

    def _share(self, series, rng):
        goal = series.goal(END_YEAR, 50.0)
        if goal >= 10:
            start, slope = rng.uniform(30, 50), rng.uniform(0.5, 3.0)  # percentage points a year
            for year, index, period_id, _end in self._spans():
                t = year - self.options.first_year + index / 24
                yield year, period_id, min(70.0, max(30.0, start + slope * t + rng.uniform(-1.5, 1.5))), None
        else:  # small ratios and counts held to a small target (R&D intensity 3 %, 1 statistician)
            level = {}
            for year, _index, period_id, _end in self._spans():
                level.setdefault(year, goal * rng.uniform(0.7, 1.4))
                yield year, period_id, level[year] * (1 + rng.uniform(-0.03, 0.03)), None

    def _cumulative(self, series, rng):
        pace = series.goal(END_YEAR, 60.0) / 72 * rng.uniform(0.7, 1.3)  # per half-month over the plan
        total = 0.0
        for year, _index, period_id, _end in self._spans():
            total += pace * rng.uniform(0.5, 1.5)
            yield year, period_id, total, None

    def _milestone(self, series, rng):
        # Reported each period: 0 until the period it is done in (1, with the date), then no more rows.
        due = series.due_date or date(END_YEAR, 12, 31)
        done_on = None if rng.random() < 0.2 else due + timedelta(days=rng.randint(-900, 120))
        for year, _index, period_id, end in self._spans():
            if done_on is not None and done_on <= end:
                yield year, period_id, 1.0, done_on
                return
            yield year, period_id, 0.0, None

    def _recurring(self, series, rng):
        required = series.required_count or math.ceil(series.goal(END_YEAR, 1.0))
        slots = {max(1, round(24 * k / required)) for k in range(1, required + 1)}
        for year, index, period_id, _end in self._spans():
            yield year, period_id, 1.0 if index in slots and rng.random() > 0.1 else 0.0, None

    def _qualitative(self, series, rng):
        base, growth = rng.uniform(80, 300), rng.uniform(-0.04, 0.12)
        for year, index, period_id, _end in self._spans():
            t = year - self.options.first_year + index / 24
            yield year, period_id, base * (1 + growth) ** t * (1 + rng.uniform(-0.03, 0.03)), None


def _measured_recompute(ctx: Context, label: str) -> dict:
    ctx.log(f"  full recompute ({label}) …")
    with count_queries() as counts:
        timing = full_recompute()
    run = {
        "results_written": timing["results"],
        "wall_time_s": timing["wall_s"],
        "progress_recompute_s": timing["progress_s"],
        "flags_recompute_s": timing["flags_s"],
        "cpu_time_s": timing["cpu_s"],
        "evaluations_per_s": timing["results"] / timing["progress_s"] if timing["progress_s"] else None,
        **counts.figures(),
    }
    ctx.log(f"  … {run['results_written']:,} results in {run['wall_time_s']:.1f}s, {counts.total:,} queries")
    return run


def scale_runs(ctx: Context) -> dict:
    """Build the synthetic province and recompute it: first with `check_years` of history, then all of it."""
    if "scale_runs" in ctx.cache:
        return ctx.cache["scale_runs"]
    options = ctx.options
    province = ctx.province()
    ctx.log(f"[scale] building {options.zones} bench zones × {options.years} years of biweekly values …")
    province.setup()
    runs: dict[int, dict] = {}
    check_years = options.effective_check_years
    if check_years:
        province.add_values(range(END_YEAR - check_years + 1, END_YEAR + 1))
        runs[check_years] = _measured_recompute(ctx, f"{check_years} years of history")
        runs[check_years]["indicator_values"] = IndicatorValue.objects.count()
    province.add_values(range(options.first_year, END_YEAR + 1))
    runs[options.years] = _measured_recompute(ctx, f"{options.years} years of history")
    runs[options.years]["indicator_values"] = IndicatorValue.objects.count()
    statuses = dict(
        ProgressResult.objects.filter(target__zone__code__startswith=BENCH_ZONE_PREFIX)
        .values_list("status").annotate(n=Count("pk")).order_by("status")
    )
    profile = _profile_recompute(ctx) if options.profile else None
    ctx.cache["scale_runs"] = {"runs": runs, "statuses": statuses, "profile": profile}
    return ctx.cache["scale_runs"]


def _profile_recompute(ctx: Context) -> list[dict]:
    ctx.log("  profiling one more progress_recompute() with cProfile …")
    profiler = cProfile.Profile()
    profiler.enable()
    progress_recompute()
    profiler.disable()
    if ctx.options.profile_path:
        profiler.dump_stats(ctx.options.profile_path)
    stats = pstats.Stats(profiler, stream=io.StringIO())
    rows = []
    for (filename, line, function), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():
        rows.append({"function": f"{_short_path(filename)}:{line}({function})", "ncalls": ncalls,
                     "tottime_s": round(tottime, 3), "cumtime_s": round(cumtime, 3)})
    rows.sort(key=lambda r: r["tottime_s"], reverse=True)
    return rows[: ctx.options.profile_top]


def _short_path(filename: str) -> str:
    for marker in ("site-packages/", "/work/main/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def measure_scale(ctx: Context) -> dict:
    options = ctx.options
    data = scale_runs(ctx)
    province = ctx.province()
    full = data["runs"][options.years]
    build = province.figures
    figures = {
        "zones": options.zones,
        "years": f"{options.first_year}–{END_YEAR} ({options.years})",
        "biweekly_periods": options.years * 24,
        **{k: v for k, v in build.items() if k not in ("setup_s", "values_s")},
        "build_time_s": build["setup_s"] + build["values_s"],
        "build_setup_s": build["setup_s"],
        "build_values_s": build["values_s"],
        "values_per_s": build["values_created"] / build["values_s"] if build["values_s"] else None,
        "targets_total": Target.objects.count(),
        **full,
        "bench_result_statuses": data["statuses"],
    }
    section = {
        "key": "scale",
        "title": f"3. Synthetic province at scale — {options.zones} zones × {options.years} years, biweekly",
        "figures": figures,
        "checks": {},
        "notes": [
            "history starts before the plan: only periods from 2023 on are evaluated, "
            "but every evaluation sees its target's whole history",
        ],
    }
    if data["profile"]:
        section["profile"] = data["profile"]
    return section


# --- 3. query count vs number of periods -------------------------------------------------------------


def measure_query_scaling(ctx: Context) -> dict:
    options = ctx.options
    check_years = options.effective_check_years
    title = "6. Query count does not grow with the number of periods"
    if not check_years:
        return {"key": "queries", "title": title, "figures": {}, "checks": {},
                "notes": [f"skipped: needs --years ≥ 2 (got {options.years})"]}
    runs = scale_runs(ctx)["runs"]
    short, long = runs[check_years], runs[options.years]
    figures = {}
    for years, run in ((check_years, short), (options.years, long)):
        figures[f"{years}y_periods"] = years * 24
        figures[f"{years}y_indicator_values"] = run["indicator_values"]
        figures[f"{years}y_results_written"] = run["results_written"]
        figures[f"{years}y_read_queries"] = run["queries_non_insert"]
        figures[f"{years}y_select_queries"] = run["queries_select"]
        figures[f"{years}y_insert_batches"] = run["queries_insert_batches"]
        figures[f"{years}y_wall_time_s"] = run["wall_time_s"]
        figures[f"{years}y_cpu_time_s"] = run["cpu_time_s"]
    figures["history_growth_factor"] = long["indicator_values"] / short["indicator_values"]
    figures["time_growth_factor"] = long["wall_time_s"] / short["wall_time_s"]
    figures["cpu_growth_factor"] = long["cpu_time_s"] / short["cpu_time_s"]
    return {
        "key": "queries",
        "title": title + f" ({check_years} vs {options.years} years of biweekly periods, same zones)",
        "figures": figures,
        "checks": {
            "read queries equal (all but INSERT batches)": short["queries_non_insert"] == long["queries_non_insert"],
            "SELECT queries equal": short["queries_select"] == long["queries_select"],
        },
        "notes": ["read queries = every statement but the INSERT batches (SELECT, DELETE, savepoints)"],
    }


# --- 4. dashboard pages: render time and query count ------------------------------------------------

BENCH_URLCONF = "chuxiong_portal.benchmark_views"
PAGE_RATIO_TARGET = 3.0  # the target: a dashboard renders in under 3× a trivial view's time
BENCH_OFFICE = "bench-office"
BENCH_NDRC_STAFF = "bench-ndrc-staff"
BENCH_SYNC = "bench-sync"


def bench_users(ctx: Context) -> dict:
    """The office and an ndrc department staff member, created once inside the transaction."""
    if "users" not in ctx.cache:
        from chuxiong_portal.roles import Role
        from chuxiong_portal.services import user_create
        from tasks.models import Department

        office = user_create(username=BENCH_OFFICE, password=None, role=Role.PREFECTURE_OFFICE,
                             full_name="基准测试州开发区办")
        ndrc = Department.objects.filter(slug="ndrc").first()
        staff = None
        if ndrc is not None:
            staff = user_create(username=BENCH_NDRC_STAFF, password=None, role=Role.DEPARTMENT_STAFF,
                                department=ndrc, full_name="基准测试发改委填报员")
        ctx.cache["users"] = {"office": office, "ndrc_staff": staff}
    return ctx.cache["users"]


def _page_list(ctx: Context) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(path, persona, kind) of every page measured, and notes on the ones left out or substituted.

    The kind is "dashboard" (the pages the 3× target is for, the to-do list included) or "form" (the report
    page: a form with the user's rights, rendered live on every request, shown for reference).
    """
    from indicators.dashboards import period_pick
    from indicators.models import DispatchReport

    notes = []
    task_path = "/tasks/9/"
    if not Task.objects.filter(pk=9).exists():
        first = Task.objects.order_by("pk").first()
        task_path = f"/tasks/{first.pk}/" if first else ""
        notes.append(f"task 9 does not exist: measured {task_path or 'no task page'} instead")
    pages = [("/", "office"), (f"/zones/{REFERENCE_ZONE}/", "office")]
    if task_path:
        pages.append((task_path, "office"))
    pages += [("/departments/ndrc/", "office"), ("/bulletin/", "office")]
    period = period_pick(today=timezone.localdate())
    if period is not None:
        pages.append((f"/bulletin/{period.pk}.xlsx", "office"))
    else:
        notes.append("no reporting period: bulletin workbook not measured")
    pages += [("/matrix/", "office"), ("/todo/", "ndrc_staff")]
    report = (DispatchReport.objects.filter(department__slug="ndrc").order_by("pk").first()
              or DispatchReport.objects.order_by("pk").first())
    pages = [(path, persona, "dashboard") for path, persona in pages]
    if report is not None:
        pages.append((f"/reports/{report.pk}/", "office", "form"))
    else:
        notes.append("no dispatch report in the database: report page not measured")
    return pages, notes


def _percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p90 of 10 renders is the 9th fastest)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def _time_get(client, path: str, renders: int, *, after_change: bool = False) -> dict:
    """Warm up once, then `renders` timed GETs (server-side: the test client calls the WSGI handler in-process).

    ``after_change`` starts a new data version before each timed GET (outside the timing), as a write does:
    the time of the first view after the data changed, when the page's body is rendered afresh.
    """
    response = client.get(path, secure=True)
    status = response.status_code
    timings, queries = [], []
    for _ in range(renders):
        if after_change:
            pagecache.data_changed()
        with count_queries() as counts:
            started = time.perf_counter()
            response = client.get(path, secure=True)
            elapsed = time.perf_counter() - started
        timings.append(elapsed)
        queries.append(counts.total)
        status = response.status_code if response.status_code != 200 else status
    return {
        "status": status,
        "bytes": len(response.content),
        "median_ms": statistics.median(timings) * 1000,
        "p90_ms": _percentile(timings, 0.9) * 1000,
        "queries": queries[-1],
        "queries_stable": len(set(queries)) == 1,
    }


def measure_pages(ctx: Context, *, dataset: str, key: str, title: str) -> dict:
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from .benchmark_views import TRIVIAL_PATH

    renders = max(1, ctx.options.renders)
    users = bench_users(ctx)
    pages, notes = _page_list(ctx)
    clients = {}
    for persona, user in users.items():
        if user is not None:
            clients[persona] = Client()
            clients[persona].force_login(user)
    ctx.log(f"[{key}] {len(pages)} pages + a trivial view × {renders} renders ({dataset}) …")
    rows, checks = [], {}
    hosts = list(settings.ALLOWED_HOSTS) + ["testserver"]
    with override_settings(ROOT_URLCONF=BENCH_URLCONF, ALLOWED_HOSTS=hosts):
        trivial = _time_get(clients["office"], TRIVIAL_PATH, renders)
        rows.append([TRIVIAL_PATH + " (trivial view)", "office", trivial["status"], trivial["median_ms"],
                     trivial["p90_ms"], trivial["queries"], 1.0, "", None, None, None])
        for path, persona, kind in pages:
            if persona not in clients:
                notes.append(f"{path}: no {persona} user (department ndrc missing), not measured")
                continue
            ctx.log(f"  {path} as {persona} …")
            page = _time_get(clients[persona], path, renders)
            fresh = _time_get(clients[persona], path, renders, after_change=True)
            ratio = page["median_ms"] / trivial["median_ms"] if trivial["median_ms"] else float("inf")
            fresh_ratio = fresh["median_ms"] / trivial["median_ms"] if trivial["median_ms"] else float("inf")
            if kind == "dashboard":
                ok = page["status"] == 200 and ratio < PAGE_RATIO_TARGET
                verdict = "PASS" if ok else "FAIL"
                checks[f"{path} under {PAGE_RATIO_TARGET:g}× the trivial view"] = ok
            else:
                verdict = "(form)"
            rows.append([path, persona, page["status"], page["median_ms"], page["p90_ms"], page["queries"],
                         ratio, verdict, fresh["median_ms"], fresh["queries"], fresh_ratio])
            if page["status"] != 200:
                notes.append(f"{path}: HTTP {page['status']} (counted as FAIL)")
            if not (page["queries_stable"] and fresh["queries_stable"]):
                notes.append(f"{path}: query count varied between renders (last one shown)")
    figures = {
        "dataset": dataset,
        "renders_per_page": renders,
        "trivial_view_median_ms": trivial["median_ms"],
        "trivial_view_queries": trivial["queries"],
        "dashboards_under_target": f"{sum(checks.values())} of {len(checks)}",
    }
    notes.append("server-side time through django.test.Client (WSGI handler, all middleware, session auth, "
                 "template render), warmed up once; no network, no static files")
    notes.append("median/p90/queries/÷ trivial: a repeat view, the page's body served from the page cache "
                 "(chuxiong_portal.pagecache); 'after a change': the first view after a write, the body "
                 "rendered afresh from the database")
    notes.append("(form): the report page, a form rendered live for the user's rights on every view; the "
                 "3× target is for the dashboards")
    return {
        "key": key,
        "title": title,
        "figures": figures,
        "tables": [{
            "columns": ["page", "as", "HTTP", "median ms", "p90 ms", "queries", "÷ trivial",
                        f"< {PAGE_RATIO_TARGET:g}×", "after a change ms", "queries", "÷ trivial"],
            "rows": rows,
        }],
        "checks": checks,
        "notes": notes,
    }


def measure_pages_real(ctx: Context) -> dict:
    return measure_pages(ctx, dataset="the data in the database (demo/real)", key="pages",
                         title="2. Dashboard pages — real/demo data: server-side render time and SQL queries")


def measure_pages_scale(ctx: Context) -> dict:
    title = "4. Dashboard pages — with the synthetic province at scale"
    if "scale_runs" not in ctx.cache:
        return {"key": "pages_scale", "title": title, "figures": {}, "checks": {},
                "notes": ["skipped: needs the scale section (e.g. --sections scale,pages)"]}
    options = ctx.options
    return measure_pages(ctx, dataset=f"+ {options.zones} bench zones × {options.years} years, recomputed",
                         key="pages_scale", title=title)


# --- 5. the API: bulk import throughput and list query counts -------------------------------------------

API_LIST_ENDPOINTS = ("/api/v1/indicator-values/", "/api/v1/progress/", "/api/v1/flags/", "/api/v1/tasks/")
API_PAGE_SIZES = (10, 200)


def _api_rows(ctx: Context, count: int) -> tuple[list[tuple[str, str, dict]], str]:
    """`count` distinct (zone, indicator, period) keys: the bench zones when built, else the real zones."""
    province = ctx.cache.get("province")
    if province is not None and province.ready:
        zones = [z.code for z in province.zones]
        source = f"{len(zones)} bench zones"
    else:
        zones = list(Zone.objects.exclude(code__startswith=BENCH_ZONE_PREFIX).order_by("order", "code")
                     .values_list("code", flat=True))
        source = f"{len(zones)} real zones"
    zone_indicators = set(Target.objects.filter(scope=Scope.ZONE).values_list("indicator_id", flat=True))
    indicators = [
        i for i in Indicator.objects.filter(pk__in=zone_indicators, kind=Indicator.Kind.LEVEL)
        if i.max_value is None or i.max_value >= 1000
    ]
    indicators.sort(key=lambda i: (i.code != "industrial-output", i.order, i.code))
    if province is not None and province.ready:
        indicators = indicators[:1]  # industrial-output: 100 zones × its biweekly history is plenty
    else:
        indicators = [i for i in indicators if i.cadence == Cadence.MONTHLY] or indicators[:1]

    def periods_by_cadence():
        periods = {}
        for cadence, year, index in (ReportingPeriod.objects.filter(cadence__in={i.cadence for i in indicators})
                                     .order_by("-start").values_list("cadence", "year", "index")):
            periods.setdefault(cadence, []).append({"cadence": cadence, "year": year, "index": index})
        return periods

    periods = periods_by_cadence()
    capacity = sum(len(zones) * len(periods.get(i.cadence, [])) for i in indicators)
    if capacity < count and zones and indicators:
        years = 1
        while capacity < count and years < 200:  # more history: periods of earlier years
            years *= 2
            periods_generate(years=range(2021 - years, 2021))
            periods = periods_by_cadence()
            capacity = sum(len(zones) * len(periods.get(i.cadence, [])) for i in indicators)
    keys = [(zone, i.code, period) for i in indicators for period in periods.get(i.cadence, []) for zone in zones]
    source += f" × {len(indicators)} level indicator(s) ({', '.join(i.code for i in indicators[:4])}" \
              f"{' …' if len(indicators) > 4 else ''}) × periods"
    return keys[:count], source


def measure_api(ctx: Context) -> dict:
    from django.conf import settings
    from django.test.utils import override_settings
    from rest_framework.test import APIClient

    from chuxiong_portal.services import sync_client_create

    count = max(1, ctx.options.api_rows)
    keys, source = _api_rows(ctx, count)
    ctx.log(f"[api] bulk upsert of {len(keys):,} indicator values ({source}) …")
    _user, key = sync_client_create(name=BENCH_SYNC)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    figures: dict = {"rows": len(keys), "keys_from": source}
    checks, notes = {}, []
    bulk_rows = []
    hosts = list(settings.ALLOWED_HOSTS) + ["testserver"]
    with override_settings(ALLOWED_HOSTS=hosts):
        for phase, value, expect in (("create", "123.4", "created"), ("update", "234.5", "updated"),
                                     ("unchanged", "234.5", "unchanged")):
            rows = [{"zone": zone, "indicator": code, "period": period, "value": value} for zone, code, period in keys]
            with count_queries() as counts:
                started = time.perf_counter()
                response = client.post("/api/v1/indicator-values/bulk/", rows, format="json", secure=True)
                elapsed = time.perf_counter() - started
            body = response.json() if response.get("Content-Type", "").startswith("application/json") else {}
            done = body.get(expect) if isinstance(body, dict) else None
            bulk_rows.append([phase, response.status_code, elapsed, counts.total, len(rows) / elapsed, done])
            ok = response.status_code == 200 and done == len(rows)
            checks[f"bulk {phase}: HTTP 200, {len(rows):,} rows {expect}"] = ok
            if response.status_code != 200:
                errors = body.get("errors", body) if isinstance(body, dict) else body
                notes.append(f"bulk {phase}: HTTP {response.status_code}: {str(errors)[:300]}")
            ctx.log(f"  {phase}: HTTP {response.status_code} in {elapsed:.2f}s, {counts.total} queries")
        list_rows = []
        for endpoint in API_LIST_ENDPOINTS:
            row = [endpoint]
            for size in API_PAGE_SIZES:
                client.get(f"{endpoint}?page_size={size}", secure=True)  # warm-up
                with count_queries() as counts:
                    started = time.perf_counter()
                    response = client.get(f"{endpoint}?page_size={size}", secure=True)
                    elapsed = time.perf_counter() - started
                body = response.json() if response.status_code == 200 else {}
                returned = len(body.get("results", [])) if isinstance(body, dict) else len(body)
                row += [response.status_code, returned, counts.total, elapsed * 1000]
                if response.status_code != 200:
                    notes.append(f"GET {endpoint}?page_size={size}: HTTP {response.status_code}")
            checks[f"{endpoint}: same query count at page_size {API_PAGE_SIZES[0]} and {API_PAGE_SIZES[1]}"] = \
                row[3] == row[7]
            list_rows.append(row)
    for phase, _status, elapsed, queries, rate, _done in bulk_rows:
        figures[f"bulk_{phase}_s"] = elapsed
        figures[f"bulk_{phase}_queries"] = queries
        figures[f"bulk_{phase}_rows_per_s"] = rate
    notes.append("bulk: one POST per phase as the provincial-sync client (token auth), rows stored with "
                 "source=province; list: the second of two GETs, as the same client")
    return {
        "key": "api",
        "title": f"5. API — bulk import of {len(keys):,} indicator values, and list query counts",
        "figures": figures,
        "tables": [
            {"columns": ["bulk POST", "HTTP", "time s", "queries", "rows/s", "rows reported"], "rows": bulk_rows},
            {"columns": ["list endpoint",
                         *(f"{h} @{size}" for size in API_PAGE_SIZES for h in ("HTTP", "rows", "queries", "ms"))],
             "rows": list_rows},
        ],
        "checks": checks,
        "notes": notes,
    }


# In this order: the pages are measured on the real data, then again after the scale section built
# the synthetic province (same transaction); the API import uses the bench zones when they exist.
MEASUREMENTS: list[Callable[[Context], dict]] = [
    measure_real_plan, measure_pages_real, measure_scale, measure_pages_scale, measure_api, measure_query_scaling,
]
# --sections names -> the measurements they select (run in MEASUREMENTS order).
SECTION_KEYS: dict[str, list[Callable[[Context], dict]]] = {
    "real": [measure_real_plan],
    "pages": [measure_pages_real, measure_pages_scale],  # the scale pass only when the scale section runs too
    "scale": [measure_scale],
    "api": [measure_api],
    "queries": [measure_query_scaling],
}


# --- running and reporting ---------------------------------------------------------------------------


def db_fingerprint() -> dict:
    """Row count and highest pk of every table, plus the indicators' cadences (the one UPDATE we do)."""
    fingerprint = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        row = model._default_manager.aggregate(n=Count("pk"), top=Max("pk"))
        fingerprint[model._meta.db_table] = (row["n"], row["top"])
    fingerprint["indicator cadences"] = sorted(Indicator.objects.values_list("pk", "cadence"))
    return fingerprint


def run(options: Options, log: Callable[[str], None] | None = None) -> dict:
    """Run the measurements inside one transaction and roll it back; the report as a dict."""
    if options.sections:
        wanted = {measure for key in options.sections for measure in SECTION_KEYS[key]}
        selected = [measure for measure in MEASUREMENTS if measure in wanted]
    else:
        selected = MEASUREMENTS
    before = db_fingerprint()
    load_before = _load_average()
    started, started_at = time.perf_counter(), timezone.now()
    with transaction.atomic():
        ctx = Context(options, log)
        ctx.plan_loaded_here = ensure_plan()
        sections = [measure(ctx) for measure in selected]
        transaction.set_rollback(True)
    # Pages rendered from the rolled-back rows are in the cache under the last data version: drop them.
    pagecache.data_changed()
    after = db_fingerprint()
    changed = sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))
    settings_db = connection.settings_dict
    return {
        "meta": {
            "started_at": started_at.isoformat(timespec="seconds"),
            "database": f"{connection.vendor} {settings_db['NAME']}",
            "database_version": _db_version(),
            "django": django.get_version(),
            "python": platform.python_version(),
            "machine": f"{platform.machine()}, {_cpus()} CPUs",
            "options": {"zones": options.zones, "years": options.years, "check_years": options.effective_check_years,
                        "runs": options.runs, "seed": options.seed, "renders": options.renders,
                        "api_rows": options.api_rows},
            "total_time_s": time.perf_counter() - started,
            # Wall times are only comparable on an otherwise idle machine: CPU time is reported too.
            "load_average_1min": {"start": load_before, "end": _load_average()},
            "database_unchanged": not changed,
            "tables_changed": changed,
        },
        "sections": sections,
    }


def _load_average() -> float | None:
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None


def _cpus() -> int | None:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _db_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("select version()")
        return str(cursor.fetchone()[0]).split(" on ")[0]


LABELS = {
    "targets": "targets",
    "indicator_values": "indicator values in the database",
    "wall_time_median_s": "full recompute wall time, median",
    "progress_recompute_median_s": "  progress_recompute(), median",
    "flags_recompute_median_s": "  flags_recompute(), median",
    "cpu_time_median_s": "  CPU time of this process, median",
    "cpu_time_s": "  CPU time of this process",
    "wall_times_s": "  wall time of each run",
    "results_written": "progress results written",
    "evaluations_per_s": "evaluations per second (progress_recompute)",
    "queries_total": "SQL queries, total",
    "queries_select": "  SELECT",
    "queries_insert_batches": "  INSERT batches",
    "queries_update": "  UPDATE",
    "queries_delete": "  DELETE",
    "queries_other": "  SAVEPOINT/RELEASE",
    "queries_non_insert": "  all but INSERT batches",
    "flags_first_run": "flags (first run)",
    "zones_created": "bench zones created",
    "zone_indicators": "zone-scoped indicators",
    "zone_indicators_by_kind": "  by kind",
    "indicators_switched_to_biweekly": "indicators switched to biweekly",
    "targets_per_zone": "targets per bench zone (禄丰's)",
    "targets_created": "targets created",
    "targets_copied_from_other_zone": "  no 禄丰 target, copied from",
    "periods_created": "biweekly periods created",
    "values_created": "indicator values created",
    "build_time_s": "build time",
    "build_setup_s": "  zones, targets, periods",
    "build_values_s": "  values (bulk_create)",
    "values_per_s": "  values inserted per second",
    "targets_total": "targets in the recompute",
    "wall_time_s": "full recompute wall time",
    "progress_recompute_s": "  progress_recompute()",
    "flags_recompute_s": "  flags_recompute()",
    "bench_result_statuses": "bench results by status",
    "history_growth_factor": "indicator values, long ÷ short",
    "time_growth_factor": "recompute wall time, long ÷ short",
    "cpu_growth_factor": "recompute CPU time, long ÷ short",
    "renders_per_page": "timed renders per page (after 1 warm-up)",
    "trivial_view_median_ms": "trivial view (HttpResponse('ok'), login_required), median",
    "trivial_view_queries": "trivial view SQL queries (session, user)",
    "pages_under_target": "pages under 3× the trivial view",
    "rows": "rows per bulk POST",
    "bulk_create_s": "bulk POST, new rows (create)",
    "bulk_create_queries": "  SQL queries",
    "bulk_create_rows_per_s": "  rows per second",
    "bulk_update_s": "bulk POST, same keys, new values (update)",
    "bulk_update_queries": "  SQL queries",
    "bulk_update_rows_per_s": "  rows per second",
    "bulk_unchanged_s": "bulk POST, same keys, same values (unchanged)",
    "bulk_unchanged_queries": "  SQL queries",
    "bulk_unchanged_rows_per_s": "  rows per second",
}


def _fmt(key: str, value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if key.endswith("_s") and not key.endswith("per_s"):
            return f"{value:,.3f} s"
        if key.endswith("factor"):
            return f"{value:.2f}×"
        if key.endswith("_ms"):
            return f"{value:,.1f} ms"
        return f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_fmt(k, v)}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        return ", ".join(_fmt(key, v) if not isinstance(v, float) else f"{v:.3f}" for v in value) or "—"
    return str(value)


def _label(key: str) -> str:
    if key in LABELS:
        return LABELS[key]
    head, _sep, rest = key.partition("y_")
    if head.isdigit() and rest:  # "5y_read_queries" -> "5-year history: read queries"
        rest = rest.removesuffix("_s")
        return f"{head}-year history: {rest.replace('_', ' ')}"
    return key.replace("_", " ")


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if math.isinf(value):
            return "∞"
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _table_lines(table: dict) -> list[str]:
    """A section's table: text columns left-aligned, numbers right-aligned."""
    header = [str(c) for c in table["columns"]]
    body = [[_cell(v) for v in row] for row in table["rows"]]
    numeric = [all(isinstance(row[i], (int, float)) and not isinstance(row[i], bool) for row in table["rows"]
                   if i < len(row)) for i in range(len(header))]
    widths = [max([len(header[i])] + [len(row[i]) for row in body if i < len(row)]) for i in range(len(header))]

    def line(cells):
        padded = (c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric, strict=False))
        return "  ".join(padded).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(row) for row in body)]


def format_report(report: dict) -> str:
    lines = []
    meta = report["meta"]
    load = meta["load_average_1min"]
    lines.append(f"Benchmark — {meta['database']} ({meta['database_version']}), Django {meta['django']}, "
                 f"Python {meta['python']}, {meta['machine']}, load average {load['start']} → {load['end']}")
    for section in report["sections"]:
        lines.append("")
        lines.append(section["title"])
        rows = [(_label(key), _fmt(key, value)) for key, value in section["figures"].items()]
        rows += [(f"CHECK {name}", "PASS" if ok else "FAIL") for name, ok in section["checks"].items()]
        width = max((len(label) for label, _ in rows), default=0)
        lines.append("  " + "-" * (width + 20))
        for label, value in rows:
            lines.append(f"  {label:<{width}}  {value}")
        for table in section.get("tables", []):
            lines.append("")
            lines.extend("  " + line for line in _table_lines(table))
        for note in section.get("notes", []):
            lines.append(f"  note: {note}")
        if section.get("profile"):
            lines.append("  cProfile of one extra progress_recompute(), top functions by own time:")
            lines.append(f"  {'tottime':>9} {'cumtime':>9} {'ncalls':>11}  function")
            for row in section["profile"]:
                lines.append(f"  {row['tottime_s']:>9.3f} {row['cumtime_s']:>9.3f} {row['ncalls']:>11,}  "
                             f"{row['function']}")
    lines.append("")
    unchanged = meta["database_unchanged"]
    verdict = "yes" if unchanged else "NO — " + ", ".join(meta["tables_changed"])
    lines.append(f"Database unchanged after rollback: {verdict}  (total {meta['total_time_s']:.1f} s)")
    return "\n".join(lines)


def write_json(report: dict, path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(report, handle, ensure_ascii=False, indent=2, default=str)
