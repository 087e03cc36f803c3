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
        "title": f"2. Synthetic province at scale — {options.zones} zones × {options.years} years, biweekly",
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
    title = "3. Query count does not grow with the number of periods"
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


MEASUREMENTS: list[Callable[[Context], dict]] = [measure_real_plan, measure_scale, measure_query_scaling]
SECTION_KEYS = {"real": measure_real_plan, "scale": measure_scale, "queries": measure_query_scaling}


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
    selected = [SECTION_KEYS[key] for key in options.sections] if options.sections else MEASUREMENTS
    before = db_fingerprint()
    load_before = _load_average()
    started, started_at = time.perf_counter(), timezone.now()
    with transaction.atomic():
        ctx = Context(options, log)
        ctx.plan_loaded_here = ensure_plan()
        sections = [measure(ctx) for measure in selected]
        transaction.set_rollback(True)
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
                        "runs": options.runs, "seed": options.seed},
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
}


def _fmt(key: str, value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if key.endswith("_s") and not key.endswith("per_s"):
            return f"{value:,.3f} s"
        if key.endswith("factor"):
            return f"{value:.2f}×"
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
