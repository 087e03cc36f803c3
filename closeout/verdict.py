"""The final evaluation's verdicts: a goal against its final value, a milestone against its deadline.

Pure: plain values in, codes and numbers out (no Django, no words). The selector feeds it the readings of
one target's indicator and scope, each already resolved to the figure that counts: the province's official
figure wins over a unit's entry for the same period, as in the progress engine and the reconciliation.

A goal's final value is the one for the period that ends on the last day of the goal's year (the year-end
annual figure, or the December / Q4 / H2 figure of a year-to-date series). A goal whose year-end figure
has not come in has no final value yet ("no data"), whatever earlier periods said.
"""

import math
from dataclasses import dataclass
from datetime import date

# Goal verdicts.
MET = "met"  # reached the goal (the stretch 力争 value where there is one)
COMMITTED_ONLY = "committed_only"  # reached the committed value, not the stretch value
# A goal with a 力争 value only, not reached: not a failed commitment (DESIGN §2: red is for commitments).
STRETCH_NOT_MET = "stretch_not_met"
NOT_MET = "not_met"
NO_DATA = "no_data"  # no final figure
NOT_JUDGED = "not_judged"  # a qualitative goal (大幅提升…) or one without a value: trend only
GOAL_VERDICTS = (MET, COMMITTED_ONLY, STRETCH_NOT_MET, NOT_MET, NO_DATA, NOT_JUDGED)
JUDGED = (MET, COMMITTED_ONLY, STRETCH_NOT_MET, NOT_MET)  # against a final figure

# Milestone verdicts.
ON_TIME = "on_time"
LATE = "late"
NOT_DONE = "not_done"
MILESTONE_VERDICTS = (ON_TIME, LATE, NOT_DONE)

PROVINCE = "province"
PORTAL = "portal"
COMPUTED = "computed"  # the portal's own figure: the prefecture's rolled up from its zones, a rate from its parts

_PERIODIC = {"level", "growth", "share", "cumulative", "count"}  # judged on the year-end figure
AVERAGE_GROWTH = "average_growth"
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Reading:
    """One period's figure for one indicator and scope: the one that counts, and both sources'."""

    period_end: date
    source: str  # PROVINCE, PORTAL or COMPUTED: whose figure counts
    value: float | None
    done_on: date | None = None
    unit_value: float | None = None
    province_value: float | None = None
    missing: tuple[str, ...] = ()  # a roll-up without these zones' figures: no value (not their sum read as 0)


@dataclass(frozen=True)
class GoalVerdict:
    code: str
    reading: Reading | None  # the final reading (None: no final figure)
    value: float | None  # the final value: the reading's, or the year's count for a recurring duty
    required: float | None = None  # a recurring duty's yearly count
    latest: Reading | None = None  # without a final figure: the latest earlier reading of the year, if any
    yearly: tuple[Reading, ...] = ()  # an average growth goal's year-end rates, one per year averaged
    missing: tuple[str, ...] = ()  # without a final figure: the zones a year-end roll-up lacks
    missing_years: tuple[
        int, ...
    ] = ()  # an average growth goal without an average so far: the years without a year-end rate


@dataclass(frozen=True)
class MilestoneVerdict:
    code: str
    done_on: date | None
    days_late: int | None
    reading: Reading | None
    reported: bool = True  # not done: whether anything was reported of it (progress shows none as 暂无数据)


def resolve(unit: tuple | None, province: tuple | None, period_end: date) -> Reading:
    """One period's reading from the unit's (value, done_on) and the province's; the province wins."""
    chosen, source = (province, PROVINCE) if province is not None else (unit, PORTAL)
    return Reading(
        period_end=period_end,
        source=source,
        value=chosen[0],
        done_on=chosen[1],
        unit_value=unit[0] if unit else None,
        province_value=province[0] if province else None,
    )


def reaches(value: float, goal: float, direction: str) -> bool:
    if direction == "lower":
        return value <= goal + _TOLERANCE
    return value >= goal - _TOLERANCE


def goal_verdict(
    *,
    kind: str,
    direction: str,
    year: int,
    committed: float | None,
    stretch: float | None,
    required_count: int | None,
    readings: list[Reading],
    first_year: int | None = None,
    per_half_year: bool = False,
    due_month: int | None = None,
) -> GoalVerdict:
    """A non-milestone goal of `year` against its final value.

    An average-growth goal (年均) is judged on the compound average of the year-end rates from `first_year`
    (the year after the plan's baseline) to `year`; a year without its year-end rate leaves it without data.
    A recurring duty owed each half-year (每半年) is met when each half has its count; one owed early in the
    year (by the end of `due_month`) when the count was done by then, as the progress engine judges them.
    """
    in_year = sorted(
        (r for r in readings if r.period_end.year == year and r.value is not None and math.isfinite(r.value)),
        key=lambda r: r.period_end,
    )
    if kind == "recurring":
        return _recurring(committed, stretch, required_count, in_year, per_half_year=per_half_year, due=due_month)
    if kind == AVERAGE_GROWTH:
        return _average_growth(committed, stretch, direction, first_year or year, year, readings)
    final = next((r for r in in_year if r.period_end == date(year, 12, 31)), None)
    latest = in_year[-1] if in_year and final is None else None
    if kind == "qualitative" or kind not in _PERIODIC:
        reading = final or latest
        return GoalVerdict(NOT_JUDGED, reading, reading.value if reading else None)
    if final is None:
        return GoalVerdict(NO_DATA, None, None, latest=latest, missing=_missing_at(readings, date(year, 12, 31)))
    return GoalVerdict(_against(final.value, committed, stretch, direction), final, final.value)


def _missing_at(readings: list[Reading], day: date) -> tuple[str, ...]:
    """The zones a roll-up for the period ending on `day` lacks (none: no roll-up there, or a complete one)."""
    return next((r.missing for r in readings if r.period_end == day and r.missing), ())


def _recurring(
    committed, stretch, required_count, in_year: list[Reading], *, per_half_year: bool, due: int | None
) -> GoalVerdict:
    required = required_count
    if required is None:
        goal = committed if committed is not None else stretch
        required = math.ceil(goal) if goal is not None else None
    if required is not None and per_half_year:
        required *= 2  # shown as the year's count; judged half by half below
    if not in_year:
        return GoalVerdict(NO_DATA, None, None, required=required)
    if required is None:
        return _recurring_verdict(NOT_JUDGED, in_year, required)
    count = sum(r.value for r in in_year)
    if per_half_year:
        # 每半年…1次: each half owes its count; a half short of it is not made up by the other.
        first = sum(r.value for r in in_year if r.period_end.month <= 6)
        met = min(first, count - first) >= required / 2 - _TOLERANCE
        return _recurring_verdict(MET if met else NOT_MET, in_year, required)
    if due is not None:
        # 每年初: what was done by the end of the month `due` counts; done later, the duty was not done in time.
        in_time = [r for r in in_year if r.period_end.month <= due]
        met = sum(r.value for r in in_time) >= required - _TOLERANCE
        if not in_time:
            return GoalVerdict(NOT_MET, None, 0.0, required=required)
        return _recurring_verdict(MET if met else NOT_MET, in_time, required)
    return _recurring_verdict(MET if count >= required - _TOLERANCE else NOT_MET, in_year, required)


def _recurring_verdict(code: str, counted: list[Reading], required: float | None) -> GoalVerdict:
    """The count of `counted` as one reading: each source's own count beside the one that counts."""
    count = sum(r.value for r in counted)
    unit = [r.unit_value for r in counted if r.unit_value is not None]
    province = [r.province_value for r in counted if r.province_value is not None]
    total = Reading(
        period_end=counted[-1].period_end,
        source=_source_of(counted),
        value=count,
        unit_value=sum(unit) if unit else None,
        province_value=sum(province) if province else None,
    )
    return GoalVerdict(code, total, count, required=required)


def compound_average(rates_pct: list[float]) -> float | None:
    """The compound average of yearly growth rates (percent), in percent; None for a fall to zero or below."""
    product = 1.0
    for rate in rates_pct:
        product *= 1 + rate / 100
    if not rates_pct or product <= 0:
        return None
    return (product ** (1 / len(rates_pct)) - 1) * 100


def _average_growth(committed, stretch, direction, first_year: int, year: int, readings: list[Reading]) -> GoalVerdict:
    year_end = {
        r.period_end.year: r
        for r in readings
        if r.period_end == date(r.period_end.year, 12, 31) and r.value is not None and math.isfinite(r.value)
    }
    finals = [year_end.get(y) for y in range(first_year, year + 1)]
    if any(r is None for r in finals):
        missing = next((m for y in range(first_year, year + 1) if (m := _missing_at(readings, date(y, 12, 31)))), ())
        latest = _running_average(finals, readings, year)
        lacking = () if latest else tuple(y for y, r in zip(range(first_year, year + 1), finals, strict=True) if not r)
        return GoalVerdict(NO_DATA, None, None, latest=latest, missing=missing, missing_years=lacking)
    average = compound_average([r.value for r in finals])
    if average is None:
        return GoalVerdict(NOT_JUDGED, None, None)

    def each(attr):
        rates = [getattr(r, attr) for r in finals]
        return None if any(rate is None for rate in rates) else compound_average(rates)

    # The plan's years as one reading: each source's own average beside the one that counts.
    total = Reading(
        period_end=finals[-1].period_end,
        source=_source_of(finals),
        value=average,
        unit_value=each("unit_value"),
        province_value=each("province_value"),
    )
    return GoalVerdict(_against(average, committed, stretch, direction), total, average, yearly=tuple(finals))


def _running_average(finals: list[Reading | None], readings: list[Reading], year: int) -> Reading | None:
    """Without the last year's year-end rate, the average so far, as progress shows it (年均…截至…): the earlier years'
    year-end rates and the last year's latest rate to date. None when an earlier year lacks its year-end rate: a single
    year's rate is not the average the goal is about."""
    if any(r is None for r in finals[:-1]):
        return None
    in_year = [r for r in readings if r.period_end.year == year and r.value is not None and math.isfinite(r.value)]
    if not in_year:
        return None
    latest = max(in_year, key=lambda r: r.period_end)
    average = compound_average([r.value for r in finals[:-1]] + [latest.value])
    if average is None:
        return None
    return Reading(period_end=latest.period_end, source=_source_of([*finals[:-1], latest]), value=average)


def _source_of(readings: list[Reading]) -> str:
    """Whose figures a reading made of several counts: the province's where any counted, else computed where any
    was, else the units'."""
    sources = {r.source for r in readings}
    return next(source for source in (PROVINCE, COMPUTED, PORTAL) if source in sources or source == PORTAL)


def _against(value: float, committed: float | None, stretch: float | None, direction: str) -> str:
    if committed is None and stretch is None:
        return NOT_JUDGED
    if stretch is not None and reaches(value, stretch, direction):
        return MET
    if committed is not None and reaches(value, committed, direction):
        return COMMITTED_ONLY if stretch is not None else MET
    return NOT_MET if committed is not None else STRETCH_NOT_MET


def milestone_verdict(*, due_date: date | None, readings: list[Reading]) -> MilestoneVerdict:
    """Done on time, late, or not done: the earliest completion reported (a value ≥ 1 without a date
    counts as done at its period's end, as in the progress engine)."""
    done: list[tuple[date, Reading]] = []
    for r in readings:
        if r.done_on is not None:
            done.append((r.done_on, r))
        elif r.value is not None and r.value >= 1:
            done.append((r.period_end, r))
    if not done:
        reported = any(r.value is not None for r in readings)
        return MilestoneVerdict(NOT_DONE, None, None, None, reported=reported)
    done_on, reading = min(done, key=lambda d: d[0])
    if due_date is None or done_on <= due_date:
        return MilestoneVerdict(ON_TIME, done_on, None, reading)
    return MilestoneVerdict(LATE, done_on, (done_on - due_date).days, reading)


def tally(codes, keys=GOAL_VERDICTS) -> dict[str, int]:
    """How many of each code, every key present (0 where none), plus "total"."""
    counts = dict.fromkeys(keys, 0)
    for code in codes:
        counts[code] += 1
    counts["total"] = sum(counts[k] for k in keys)
    return counts
