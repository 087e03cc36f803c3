"""The synthetic province: bench zones with 禄丰's targets and generated biweekly values."""

import math
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from indicators.models import Cadence, Indicator, IndicatorValue, ReportingPeriod, Scope, Target
from indicators.reporting import periods as cal
from indicators.reporting.services.calendar import deadline_of
from parks.models import County, Zone
from tasks.selectors import plan_get
from tools.demo import MONTH_SHARES

from .core import BENCH_COUNTY, BENCH_ZONE_PREFIX, REFERENCE_ZONE, Context, end_year

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
            "setup_s": 0.0,
            "values_s": 0.0,
            "zones_created": 0,
            "targets_created": 0,
            "periods_created": 0,
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
        Zone.objects.bulk_create(
            [
                Zone(
                    code=f"{BENCH_ZONE_PREFIX}{i:03d}",
                    name=f"基准测试开发区{i:03d}",
                    short_name=f"基准{i:03d}",
                    level=Zone.Level.PROVINCIAL,
                    county=county,
                    order=1000 + i,
                )
                for i in range(1, options.zones + 1)
            ]
        )
        self.zones = list(Zone.objects.filter(county=county).order_by("order"))

        # Every zone-scoped indicator of the plan; targets from 禄丰, else from the first zone that has one.
        zone_targets = list(
            Target.objects.filter(scope=Scope.ZONE).select_related("indicator", "zone").order_by("zone__order", "year")
        )
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
            self.series.append(
                _Series(
                    indicator=source[0].indicator,
                    goals={
                        t.year: float(v)
                        for t in source
                        if (v := t.committed_value if t.committed_value is not None else t.stretch_value) is not None
                    },
                    due_date=max((t.due_date for t in source if t.due_date), default=None),
                    required_count=max((t.required_count for t in source if t.required_count), default=None),
                )
            )
        self.series.sort(key=lambda s: (s.indicator.order, s.indicator.code))
        Target.objects.bulk_create(
            [
                Target(
                    indicator_id=t.indicator_id,
                    scope=Scope.ZONE,
                    zone=zone,
                    year=t.year,
                    committed_value=t.committed_value,
                    stretch_value=t.stretch_value,
                    baseline_value=t.baseline_value,
                    due_date=t.due_date,
                    required_count=t.required_count,
                    wording=t.wording,
                )
                for zone in self.zones
                for t in templates
            ],
            batch_size=2000,
        )
        indicator_ids = [s.indicator.pk for s in self.series]
        self.cadences_switched = (
            Indicator.objects.filter(pk__in=indicator_ids)
            .exclude(cadence=Cadence.BIWEEKLY)
            .update(cadence=Cadence.BIWEEKLY)
        )

        # Biweekly periods for the whole history.
        years = range(options.first_year, end_year() + 1)
        plan = plan_get()
        existing = set(
            ReportingPeriod.objects.filter(plan=plan, cadence=Cadence.BIWEEKLY, year__in=years).values_list(
                "year", "index"
            )
        )
        new = [
            ReportingPeriod(
                plan=plan,
                cadence=Cadence.BIWEEKLY,
                year=span.year,
                index=span.index,
                start=span.start,
                end=span.end,
                deadline=deadline_of(Cadence.BIWEEKLY, span.end),
            )
            for year in years
            for span in cal.periods_of_year(cal.BIWEEKLY, year)
            if (span.year, span.index) not in existing
        ]
        ReportingPeriod.objects.bulk_create(new, batch_size=2000)
        self.periods = {
            (year, index): (pk, end)
            for pk, year, index, end in ReportingPeriod.objects.filter(
                cadence=Cadence.BIWEEKLY, year__in=years
            ).values_list("pk", "year", "index", "end")
        }
        self.figures.update(
            {
                "zones_created": len(self.zones),
                "zone_indicators": len(self.series),
                "zone_indicators_by_kind": dict(sorted(Counter(s.indicator.kind for s in self.series).items())),
                "indicators_switched_to_biweekly": self.cadences_switched,
                "targets_per_zone": len(templates),
                "targets_created": len(templates) * len(self.zones),
                "periods_created": len(new),
                "targets_copied_from_other_zone": sorted(fallbacks),
            }
        )
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
                IndicatorValue(
                    indicator_id=series.indicator.pk,
                    period_id=period_id,
                    scope=Scope.ZONE,
                    zone_id=zone.pk,
                    value=value,
                    done_on=done_on,
                    locked=True,
                    is_demo=True,
                )
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
        for year in range(self.options.first_year, end_year() + 1):
            for index in range(1, 25):
                period_id, end = self.periods[(year, index)]
                yield year, index, period_id, end

    def _series_values(self, zone: Zone, series: _Series) -> list[tuple[int, int, Decimal | None, date | None]]:
        """The whole history of one indicator in one zone: deterministic per (seed, zone, indicator)."""
        rng = random.Random(f"{self.options.seed}:{zone.code}:{series.indicator.code}")
        kind = series.indicator.kind
        generate = {
            Indicator.Kind.LEVEL: self._level,
            Indicator.Kind.GROWTH: self._growth,
            Indicator.Kind.SHARE: self._share,
            Indicator.Kind.CUMULATIVE: self._cumulative,
            Indicator.Kind.MILESTONE: self._milestone,
            Indicator.Kind.RECURRING: self._recurring,
            Indicator.Kind.QUALITATIVE: self._qualitative,
            Indicator.Kind.AVERAGE_GROWTH: self._growth,
            Indicator.Kind.COUNT: self._count,
            Indicator.Kind.PART: self._count,
        }[kind]
        return [
            (year, period_id, None if value is None else Decimal(f"{value:.2f}"), done_on)
            for year, period_id, value, done_on in generate(series, rng)
        ]

    def _annual_levels(self, series: _Series, rng: random.Random) -> dict[int, float]:
        """Yearly totals ending near the goal, growing 15–25 % a year before that."""
        annual = {end_year(): series.goal(end_year(), 100.0) * rng.uniform(0.8, 1.15)}
        for year in range(end_year(), self.options.first_year, -1):
            annual[year - 1] = annual[year] / (1 + rng.uniform(0.15, 0.25))
        return annual

    def _count(self, series, rng):
        """A count (people, platforms…) or a part of a rate: a whole number near the goal, sometimes one off."""
        for year, _index, period_id, _end in self._spans():
            goal = series.goal(year, 10.0)
            yield year, period_id, max(0.0, float(round(goal)) + rng.choice((0, 0, 0, 1, -1))), None

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
        goal = series.goal(end_year(), 50.0)
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
        pace = series.goal(end_year(), 60.0) / 72 * rng.uniform(0.7, 1.3)  # per half-month over the plan
        total = 0.0
        for year, _index, period_id, _end in self._spans():
            total += pace * rng.uniform(0.5, 1.5)
            yield year, period_id, total, None

    def _milestone(self, series, rng):
        # Reported each period: 0 until the period it is done in (1, with the date), then no more rows.
        due = series.due_date or date(end_year(), 12, 31)
        done_on = None if rng.random() < 0.2 else due + timedelta(days=rng.randint(-900, 120))
        for year, _index, period_id, end in self._spans():
            if done_on is not None and done_on <= end:
                yield year, period_id, 1.0, done_on
                return
            yield year, period_id, 0.0, None

    def _recurring(self, series, rng):
        required = series.required_count or math.ceil(series.goal(end_year(), 1.0))
        slots = {max(1, round(24 * k / required)) for k in range(1, required + 1)}
        for year, index, period_id, _end in self._spans():
            yield year, period_id, 1.0 if index in slots and rng.random() > 0.1 else 0.0, None

    def _qualitative(self, series, rng):
        base, growth = rng.uniform(80, 300), rng.uniform(-0.04, 0.12)
        for year, index, period_id, _end in self._spans():
            t = year - self.options.first_year + index / 24
            yield year, period_id, base * (1 + growth) ** t * (1 + rng.uniform(-0.03, 0.03)), None
