"""Progress engine for action-plan indicators: pure functions, no Django.

Compares the observed values of one indicator in one scope with the value the
三年行动 plan expects at a given date (序时进度) and turns the comparison into a
traffic-light status with a Chinese explanation users can read.

Every outcome carries `inputs`: a JSON-serialisable record of everything the
result was computed from, so that a status shown on screen can be audited.
"""

import calendar
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

LEVEL = "level"
GROWTH = "growth"
SHARE = "share"
CUMULATIVE = "cumulative"
MILESTONE = "milestone"
RECURRING = "recurring"
QUALITATIVE = "qualitative"
KINDS = (LEVEL, GROWTH, SHARE, CUMULATIVE, MILESTONE, RECURRING, QUALITATIVE)

HIGHER = "higher"
LOWER = "lower"
DIRECTIONS = (HIGHER, LOWER)

GREEN = "green"
AMBER = "amber"
RED = "red"
GREY = "grey"

GREEN_THRESHOLD = 1.0
AMBER_THRESHOLD = 0.9
# Geometric paths are computed in floating point: a value exactly on the path may
# come out as 0.99999999999 of it. The tolerance keeps such values green.
_TOLERANCE = 1e-9
# A milestone not yet done turns amber this many days before its deadline.
MILESTONE_WARNING_DAYS = 90

NO_DATA_REASON = "暂无数据"
NO_GOAL_REASON = "未设定目标值，无法计算序时进度"

_STATUS_PHRASES = {
    GREEN: "达到序时进度要求",
    AMBER: "略低于序时进度",
    RED: "明显滞后于序时进度",
}
# Growth rates and shares are held to the target itself, not to a path.
_TARGET_PHRASES = {
    GREEN: "达到目标要求",
    AMBER: "略低于目标",
    RED: "明显低于目标",
}


@dataclass(frozen=True)
class TargetSpec:
    kind: str  # one of KINDS
    direction: str = HIGHER  # "lower" when a smaller value is better
    goal_year: int = 2025  # the year the goal value applies to
    committed: float | None = None  # 以上/不少于 value
    stretch: float | None = None  # 力争 value
    baseline: float | None = None  # baseline-year value (level kind)
    baseline_year: int = 2022
    plan_start: date = date(2023, 1, 1)
    plan_end: date = date(2025, 12, 31)
    due_date: date | None = None  # milestone deadline
    required_count: int | None = None  # recurring: required count per year
    year_to_date: bool = False  # observations are YTD cumulative values inside a year
    unit: str = "%"  # the unit shown in reasons of the share kind

    def __post_init__(self) -> None:
        # A misspelt kind would otherwise silently evaluate as something else.
        if self.kind not in KINDS:
            raise ValueError(f"unknown target kind {self.kind!r}; expected one of {KINDS}")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {self.direction!r}; expected one of {DIRECTIONS}")


@dataclass(frozen=True)
class Observation:
    period_end: date
    value: float | None = None
    done_on: date | None = None  # milestone completion date, when done


@dataclass(frozen=True)
class ProgressOutcome:
    status: str  # "green" | "amber" | "red" | "grey"
    actual: float | None
    expected: float | None  # 序时进度: the value expected at the evaluated date
    attainment: float | None
    projection: float | None  # projected goal-year value at the latest observed growth rate
    required_rate: float | None  # yearly growth rate (fraction) still required to reach the goal
    reason: str  # Chinese explanation of the status
    inputs: dict  # JSON-serialisable record of what the result was computed from


def status_for(attainment: float | None) -> str:
    """Traffic light for an attainment ratio: green ≥ 1.0, amber ≥ 0.9, red below, grey without data."""
    if attainment is None or math.isnan(attainment):
        return GREY
    if attainment >= GREEN_THRESHOLD - _TOLERANCE:
        return GREEN
    if attainment >= AMBER_THRESHOLD - _TOLERANCE:
        return AMBER
    return RED


def evaluate(spec: TargetSpec, history: Sequence[Observation], *, as_of: date) -> ProgressOutcome:
    """Evaluate one indicator's history against its target at `as_of`.

    Observations after `as_of` are ignored: they were not known at that date.
    """
    goal, goal_basis = _goal(spec)
    observed = _observed(history, as_of)
    inputs: dict = {
        "kind": spec.kind,
        "direction": spec.direction,
        "as_of": as_of,
        "goal": goal,
        "goal_basis": goal_basis,
        "committed": spec.committed,
        "stretch": spec.stretch,
        "goal_year": spec.goal_year,
        "ignored_after_as_of": sum(1 for obs in history if obs.period_end > as_of),
    }
    ctx = _Context(spec=spec, history=history, observed=observed, as_of=as_of, goal=goal, inputs=inputs)
    return _HANDLERS[spec.kind](ctx)


# --- shared plumbing -------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    spec: TargetSpec
    history: Sequence[Observation]
    observed: list[Observation]  # numeric observations up to as_of, oldest first
    as_of: date
    goal: float | None
    inputs: dict


def _goal(spec: TargetSpec) -> tuple[float | None, str | None]:
    # The committed (以上/不少于) value is what the zone is held to; the stretch
    # (力争) value is only the fallback when nothing was committed.
    if spec.committed is not None:
        return float(spec.committed), "committed"
    if spec.stretch is not None:
        return float(spec.stretch), "stretch"
    return None, None


def _observed(history: Sequence[Observation], as_of: date) -> list[Observation]:
    """Numeric observations known at `as_of`, oldest first, one per period end (last wins)."""
    by_end: dict[date, Observation] = {}
    for obs in history:
        if obs.period_end > as_of or obs.value is None:
            continue
        if not math.isfinite(obs.value):
            continue
        by_end[obs.period_end] = obs
    return [by_end[end] for end in sorted(by_end)]


def _outcome(
    *,
    status: str,
    reason: str,
    inputs: dict,
    actual: float | None = None,
    expected: float | None = None,
    attainment: float | None = None,
    projection: float | None = None,
    required_rate: float | None = None,
) -> ProgressOutcome:
    return ProgressOutcome(
        status=status,
        actual=_finite(actual),
        expected=_finite(expected),
        attainment=_finite(attainment),
        projection=_finite(projection),
        required_rate=_finite(required_rate),
        reason=reason,
        inputs=_jsonable(inputs),
    )


def _grey(ctx: _Context, reason: str, **values: float | None) -> ProgressOutcome:
    return _outcome(status=GREY, reason=reason, inputs=ctx.inputs, **values)


def _finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _jsonable(value: object) -> object:
    """Dates become ISO strings and non-finite floats None, so json.dumps always succeeds."""
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _obs_record(obs: Observation) -> dict:
    return {"period_end": obs.period_end, "value": obs.value}


def _fmt(value: float) -> str:
    """A number as users read it: at most two decimals, no trailing zeros."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _pct(ratio: float) -> str:
    return f"{ratio * 100:.1f}%"


def _stale_note(point: date, as_of: date) -> str:
    # The comparison uses the latest data; say so when it is older than as_of.
    return f"（最新数据截至{point.isoformat()}）" if point < as_of else ""


# --- calendar arithmetic ---------------------------------------------------------------


def _is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def _months_into_year(day: date) -> float:
    """Months of its year elapsed at `day`: a month end counts whole, the 15th half a month.

    Matches the reporting calendar, where half-monthly periods end on the 15th.
    """
    if _is_month_end(day):
        return float(day.month)
    if day.day == 15:
        return day.month - 0.5
    return day.month - 1 + day.day / calendar.monthrange(day.year, day.month)[1]


def _year_position(day: date) -> float:
    """Fractional year position where the end of year Y is exactly Y (2024-06-30 → 2023.5)."""
    return day.year - 1 + _months_into_year(day) / 12


def _month_position(day: date) -> float:
    return (day.year - 1) * 12 + _months_into_year(day)


def _month_position_before(day: date) -> float:
    """Month position at the start of `day` (2023-01-01 → the end of 2022)."""
    return (day.year - 1) * 12 + day.month - 1 + (day.day - 1) / calendar.monthrange(day.year, day.month)[1]


def _point_key(day: date) -> tuple[int, int]:
    """The point of the year a period end marks: (month, half), comparable across years."""
    return day.month, 1 if day.day <= 15 else 2


_FULL_YEAR_KEY = (12, 2)


def _find_point(observed: list[Observation], *, year: int, key: tuple[int, int]) -> Observation | None:
    matches = [obs for obs in observed if obs.period_end.year == year and _point_key(obs.period_end) == key]
    return matches[-1] if matches else None


# --- comparison ------------------------------------------------------------------------


def _ratio(actual: float, expected: float, direction: str) -> tuple[float, str]:
    """Attainment of `actual` against `expected`, and how it was computed.

    A plain ratio only means something when the denominator is positive; otherwise
    (e.g. a growth target of 0%) the target is simply met or not met.
    """
    if direction == HIGHER:
        if expected > 0:
            return actual / expected, "actual/expected"
        return (1.0 if actual >= expected else 0.0), "met_or_not"
    if expected > 0 and actual > 0:
        return expected / actual, "expected/actual"
    return (1.0 if actual <= expected else 0.0), "met_or_not"


def _meets(value: float, goal: float, direction: str) -> bool:
    return value >= goal if direction == HIGHER else value <= goal


def _progress_reason(
    *, label: str, actual: float, expected: float, attainment: float, status: str, unit: str = ""
) -> str:
    return (
        f"{label}{_fmt(actual)}{unit}，序时进度应为{_fmt(expected)}{unit}，"
        f"完成序时进度的{_pct(attainment)}，{_STATUS_PHRASES[status]}"
    )


# --- level -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Path:
    """The path from the baseline to the goal, by years after the end of the baseline year."""

    baseline: float
    goal: float
    years: int
    rate: float | None  # None for a linear path

    @classmethod
    def for_spec(cls, *, baseline: float, goal: float, years: int) -> "_Path":
        if baseline > 0 and goal > 0:
            return cls(baseline, goal, years, (goal / baseline) ** (1 / years) - 1)
        # Geometric growth from (or to) zero or a negative value is undefined.
        return cls(baseline, goal, years, None)

    def at(self, years_elapsed: float) -> float:
        # Before the baseline the baseline is expected; after the goal year, the goal.
        t = min(max(years_elapsed, 0.0), float(self.years))
        if self.rate is None:
            return self.baseline + (self.goal - self.baseline) * t / self.years
        return self.baseline * (1 + self.rate) ** t


def _evaluate_level(ctx: _Context) -> ProgressOutcome:
    spec, goal = ctx.spec, ctx.goal
    if goal is None:
        return _grey(ctx, NO_GOAL_REASON)
    if spec.baseline is None:
        return _grey(ctx, f"缺少{spec.baseline_year}年基数，无法计算序时进度")
    years = spec.goal_year - spec.baseline_year
    if years <= 0:
        return _grey(ctx, "目标年度须晚于基数年度，无法计算序时进度")
    if not ctx.observed:
        return _grey(ctx, NO_DATA_REASON)

    path = _Path.for_spec(baseline=float(spec.baseline), goal=goal, years=years)
    ctx.inputs.update(_path_inputs(path, spec))
    latest = ctx.observed[-1]
    point = latest.period_end
    ctx.inputs["observation"] = _obs_record(latest)
    ctx.inputs["evaluated_at"] = point

    if spec.year_to_date:
        expected, annualised, years_to_goal = _ytd_comparison(ctx, path, latest)
    else:
        expected = path.at(_year_position(point) - spec.baseline_year)
        annualised = latest.value
        years_to_goal = spec.goal_year - _year_position(point)
        ctx.inputs["comparison"] = "level against the path at the observation date"
    ctx.inputs["annualised_value"] = annualised
    ctx.inputs["years_to_goal"] = years_to_goal

    attainment, method = _ratio(latest.value, expected, spec.direction)
    ctx.inputs["attainment_method"] = method
    projection = _level_projection(ctx, latest, annualised, years_to_goal)
    required_rate = _required_rate(ctx, annualised, years_to_goal)

    status, reason = _level_verdict(
        ctx, actual=latest.value, expected=expected, attainment=attainment, annualised=annualised
    )
    return _outcome(
        status=status,
        reason=reason + _stale_note(point, ctx.as_of),
        inputs=ctx.inputs,
        actual=latest.value,
        expected=expected,
        attainment=attainment,
        projection=projection,
        required_rate=required_rate,
    )


def _level_verdict(
    ctx: _Context, *, actual: float, expected: float, attainment: float, annualised: float
) -> tuple[str, str]:
    spec, goal = ctx.spec, ctx.goal
    # A zone already at its goal is on track whatever the path says for today.
    reached = _meets(annualised, goal, spec.direction)
    ctx.inputs["goal_reached"] = reached
    if reached:
        value_label = "年化值" if spec.year_to_date else "当前值"
        return GREEN, f"{value_label}{_fmt(annualised)}已达到{spec.goal_year}年目标值{_fmt(goal)}，目标已实现"
    status = status_for(attainment)
    label = "本年累计值" if spec.year_to_date else "实际值"
    return status, _progress_reason(
        label=label, actual=actual, expected=expected, attainment=attainment, status=status
    )


def _path_inputs(path: _Path, spec: TargetSpec) -> dict:
    inputs: dict = {
        "baseline": path.baseline,
        "baseline_year": spec.baseline_year,
        "path": "geometric" if path.rate is not None else "linear",
        "path_rate": path.rate,
    }
    if path.rate is None:
        inputs["path_note"] = (
            "baseline or goal is not positive: geometric growth is undefined, "
            "a linear path from the baseline to the goal is used"
        )
    return inputs


def _ytd_comparison(ctx: _Context, path: _Path, latest: Observation) -> tuple[float, float, int]:
    """Expected YTD value at the latest observation, the annualised value, and years left.

    The year's expected full-year value is spread over the year like last year's
    actual values were (seasonality), else evenly by elapsed months.
    """
    point = latest.period_end
    year = point.year
    year_expected = path.at(year - ctx.spec.baseline_year)
    share = _ytd_share(ctx, point)
    ctx.inputs["comparison"] = "year-to-date value against the year's expected value, pro rata"
    ctx.inputs["year_expected"] = year_expected
    return year_expected * share, latest.value / share, ctx.spec.goal_year - year


def _ytd_share(ctx: _Context, point: date) -> float:
    same_point = _find_point(ctx.observed, year=point.year - 1, key=_point_key(point))
    full_year = _find_point(ctx.observed, year=point.year - 1, key=_FULL_YEAR_KEY)
    if same_point is not None and full_year is not None and full_year.value > 0:
        share = same_point.value / full_year.value
        # A share outside (0, 1] means revised or inconsistent data: not usable.
        if 0 < share <= 1:
            ctx.inputs.update(
                share_basis="last_year",
                share=share,
                last_year_same_point=_obs_record(same_point),
                last_year_full_year=_obs_record(full_year),
            )
            return share
    months = _months_into_year(point)
    ctx.inputs.update(share_basis="elapsed_months", share=months / 12, months_elapsed=months)
    return months / 12


def _full_year_values(ctx: _Context) -> dict[int, float]:
    """Full-year (December, second half) values by year, with the baseline for its year."""
    values = {
        obs.period_end.year: obs.value for obs in ctx.observed if _point_key(obs.period_end) == _FULL_YEAR_KEY
    }
    if ctx.spec.baseline is not None:
        values.setdefault(ctx.spec.baseline_year, float(ctx.spec.baseline))
    return values


def _latest_growth(ctx: _Context, latest: Observation) -> tuple[float | None, dict]:
    """The latest yearly growth rate from two comparable values of consecutive years."""
    point = latest.period_end
    previous = _find_point(ctx.observed, year=point.year - 1, key=_point_key(point))
    if previous is not None and previous.value > 0 and latest.value > 0:
        return latest.value / previous.value - 1, {
            "growth_basis": "same point of consecutive years",
            "growth_from": _obs_record(previous),
            "growth_to": _obs_record(latest),
        }
    full_years = _full_year_values(ctx)
    pairs = [year for year in full_years if year - 1 in full_years and year <= point.year]
    if not pairs:
        return None, {"projection_note": "no two comparable values of consecutive years"}
    year = max(pairs)
    earlier, later = full_years[year - 1], full_years[year]
    if earlier <= 0 or later <= 0:
        return None, {"projection_note": "growth rate undefined for non-positive values"}
    return later / earlier - 1, {
        "growth_basis": "full-year values of consecutive years",
        "growth_years": [year - 1, year],
        "growth_values": [earlier, later],
    }


def _level_projection(
    ctx: _Context, latest: Observation, annualised: float, years_to_goal: float
) -> float | None:
    growth, details = _latest_growth(ctx, latest)
    ctx.inputs.update(details)
    ctx.inputs["latest_growth_rate"] = growth
    if growth is None:
        return None
    if years_to_goal < 0:
        ctx.inputs["projection_note"] = "latest observation is after the goal year"
        return None
    if annualised <= 0:
        ctx.inputs["projection_note"] = "cannot project a non-positive value by a growth rate"
        return None
    ctx.inputs["projection_method"] = "latest (annualised) value × (1 + latest growth rate) ^ years to goal"
    return annualised * (1 + growth) ** years_to_goal


def _required_rate(ctx: _Context, value: float, years_to_goal: float) -> float | None:
    goal = ctx.goal
    if _meets(value, goal, ctx.spec.direction):
        ctx.inputs["required_rate_note"] = "goal already reached"
        return 0.0
    if years_to_goal <= 0:
        ctx.inputs["required_rate_note"] = "no full year left before the goal year ends"
        return None
    if value <= 0 or goal <= 0:
        ctx.inputs["required_rate_note"] = "growth rate undefined for non-positive values"
        return None
    return (goal / value) ** (1 / years_to_goal) - 1


# --- growth and share ------------------------------------------------------------------


def _latest_against_goal(ctx: _Context) -> tuple[Observation, float, str] | ProgressOutcome:
    """Rates and shares are held to the target itself: the latest value's attainment, or a grey outcome."""
    if ctx.goal is None:
        return _grey(ctx, NO_GOAL_REASON)
    if not ctx.observed:
        return _grey(ctx, NO_DATA_REASON)
    latest = ctx.observed[-1]
    attainment, method = _ratio(latest.value, ctx.goal, ctx.spec.direction)
    return latest, attainment, method


def _evaluate_growth(ctx: _Context) -> ProgressOutcome:
    """The observation is the reported year-on-year growth rate (增速) in percent."""
    against = _latest_against_goal(ctx)
    if isinstance(against, ProgressOutcome):
        return against
    latest, attainment, method = against
    ctx.inputs.update(
        observation=_obs_record(latest),
        evaluated_at=latest.period_end,
        unit="percent",
        attainment_method=method,
        projection_note="not applicable: the target is a rate, not a level",
        required_rate_note="a growth target requires the target rate in every year",
    )
    status = status_for(attainment)
    reason = _growth_reason(
        actual=latest.value, goal=ctx.goal, attainment=attainment, method=method, status=status
    )
    return _outcome(
        status=status,
        reason=reason + _stale_note(latest.period_end, ctx.as_of),
        inputs=ctx.inputs,
        actual=latest.value,
        expected=ctx.goal,
        attainment=attainment,
        required_rate=ctx.goal / 100,
    )


def _growth_reason(*, actual: float, goal: float, attainment: float, method: str, status: str) -> str:
    head = f"增速{_fmt(actual)}%，目标增速{_fmt(goal)}%，"
    if method == "met_or_not":
        return head + ("已达到目标" if status == GREEN else "未达到目标")
    if actual < 0 < goal:
        # A percentage of the target would read "-25%": say plainly that the value fell.
        return head + f"出现负增长，{_TARGET_PHRASES[status]}"
    return head + f"完成目标的{_pct(attainment)}，{_TARGET_PHRASES[status]}"


def _evaluate_share(ctx: _Context) -> ProgressOutcome:
    """A share (比重) is held to the target value itself throughout the plan."""
    against = _latest_against_goal(ctx)
    if isinstance(against, ProgressOutcome):
        return against
    latest, attainment, method = against
    ctx.inputs.update(
        observation=_obs_record(latest),
        evaluated_at=latest.period_end,
        attainment_method=method,
        projection_note="not applicable to a share",
    )
    status = status_for(attainment)
    bound = "不高于" if ctx.spec.direction == LOWER else "不低于"
    # A share proper is a percentage; the same rule holds a count to a floor (e.g. ≥1 statistician, 人).
    unit = ctx.spec.unit
    measure = "实际比重" if unit == "%" else "实际值"
    reason = (
        f"{measure}{_fmt(latest.value)}{unit}，目标{bound}{_fmt(ctx.goal)}{unit}，"
        f"完成目标的{_pct(attainment)}，{_TARGET_PHRASES[status]}"
    )
    return _outcome(
        status=status,
        reason=reason + _stale_note(latest.period_end, ctx.as_of),
        inputs=ctx.inputs,
        actual=latest.value,
        expected=ctx.goal,
        attainment=attainment,
    )


# --- cumulative ------------------------------------------------------------------------


def _evaluate_cumulative(ctx: _Context) -> ProgressOutcome:
    """A running total since plan start against the goal spread evenly over the plan's months."""
    spec, goal = ctx.spec, ctx.goal
    if goal is None:
        return _grey(ctx, NO_GOAL_REASON)
    if not ctx.observed:
        return _grey(ctx, NO_DATA_REASON)
    latest = ctx.observed[-1]
    point = latest.period_end
    start = _month_position_before(spec.plan_start)
    plan_months = _month_position(spec.plan_end) - start
    elapsed = min(max(_month_position(point) - start, 0.0), plan_months)
    expected = goal * elapsed / plan_months
    attainment, method = _ratio(latest.value, expected, spec.direction)
    ctx.inputs.update(
        observation=_obs_record(latest),
        evaluated_at=point,
        plan_start=spec.plan_start,
        plan_end=spec.plan_end,
        plan_months=plan_months,
        months_elapsed=elapsed,
        attainment_method=method,
        required_rate_note="not a growth rate: see required_per_year",
    )
    projection = _cumulative_projection(ctx, latest.value, elapsed, plan_months)
    remaining_years = (plan_months - elapsed) / 12
    if remaining_years > 0:
        ctx.inputs["required_per_year"] = max(goal - latest.value, 0.0) / remaining_years

    # Under a cap ("lower") the goal is only settled at plan end, so only an
    # upward goal can be reached early.
    if spec.direction == HIGHER and latest.value >= goal:
        ctx.inputs["goal_reached"] = True
        reason = f"累计完成{_fmt(latest.value)}，已达到计划期目标{_fmt(goal)}，目标已实现"
        status = GREEN
    else:
        status = status_for(attainment)
        reason = _progress_reason(
            label="累计完成", actual=latest.value, expected=expected, attainment=attainment, status=status
        )
    return _outcome(
        status=status,
        reason=reason + _stale_note(point, ctx.as_of),
        inputs=ctx.inputs,
        actual=latest.value,
        expected=expected,
        attainment=attainment,
        projection=projection,
    )


def _cumulative_projection(ctx: _Context, total: float, elapsed: float, plan_months: float) -> float | None:
    # A running total has no growth rate of its own; the sensible projection is
    # the pace so far (per month) continued to the end of the plan.
    if elapsed <= 0:
        ctx.inputs["projection_note"] = "no time elapsed since plan start"
        return None
    ctx.inputs["projection_method"] = "pace since plan start continued to plan end"
    return total / elapsed * plan_months


# --- milestone -------------------------------------------------------------------------


def _evaluate_milestone(ctx: _Context) -> ProgressOutcome:
    spec, as_of = ctx.spec, ctx.as_of
    # An observation with neither a value nor a completion date is missing data,
    # not a report that the milestone is still open.
    known = [
        obs
        for obs in ctx.history
        if obs.period_end <= as_of and (obs.value is not None or obs.done_on is not None)
    ]
    if not known:
        return _grey(ctx, NO_DATA_REASON)
    done_on = _milestone_done_on(known, as_of)
    due = spec.due_date
    ctx.inputs.update(due_date=due, done_on=done_on, observations=len(known))
    actual = 1.0 if done_on is not None else 0.0
    if due is None:
        if done_on is not None:
            return _outcome(
                status=GREEN, reason=f"已于{done_on.isoformat()}完成", inputs=ctx.inputs, actual=1.0
            )
        return _grey(ctx, "未设定完成时限，无法判定进度", actual=0.0)

    status, reason = _milestone_status(done_on=done_on, due=due, as_of=as_of, inputs=ctx.inputs)
    # Nothing is expected of the milestone before its deadline.
    expected = 1.0 if as_of >= due else 0.0
    return _outcome(status=status, reason=reason, inputs=ctx.inputs, actual=actual, expected=expected)


def _milestone_done_on(known: list[Observation], as_of: date) -> date | None:
    """Earliest completion known at as_of; a value of 1 without a date counts as done at period end."""
    dates = []
    for obs in known:
        if obs.done_on is not None:
            if obs.done_on <= as_of:
                dates.append(obs.done_on)
        elif obs.value is not None and obs.value >= 1:
            dates.append(obs.period_end)
    return min(dates) if dates else None


def _milestone_status(*, done_on: date | None, due: date, as_of: date, inputs: dict) -> tuple[str, str]:
    if done_on is not None:
        if done_on <= due:
            return GREEN, f"已于{done_on.isoformat()}完成，未超过完成时限{due.isoformat()}"
        late = (done_on - due).days
        inputs["days_late"] = late
        return AMBER, f"逾期完成：{done_on.isoformat()}完成，超过完成时限{due.isoformat()}{late}天"
    days_left = (due - as_of).days
    inputs["days_left"] = days_left
    if days_left > MILESTONE_WARNING_DAYS:
        return GREEN, f"未到完成时限（{due.isoformat()}），尚有{days_left}天"
    if days_left >= 0:
        return AMBER, f"尚未完成，距完成时限{due.isoformat()}仅剩{days_left}天"
    return RED, f"尚未完成，已超过完成时限{due.isoformat()}{-days_left}天"


# --- recurring -------------------------------------------------------------------------


def _evaluate_recurring(ctx: _Context) -> ProgressOutcome:
    """Counts done this year against the yearly requirement, pro rata through the year."""
    as_of = ctx.as_of
    required = ctx.spec.required_count
    if required is None and ctx.goal is not None:
        required = math.ceil(ctx.goal)
    if required is None:
        return _grey(ctx, "未设定年度次数要求，无法判定进度")
    this_year = [obs for obs in ctx.observed if obs.period_end.year == as_of.year]
    if not this_year:
        return _grey(ctx, f"{as_of.year}年{NO_DATA_REASON}")

    count = sum(obs.value for obs in this_year)
    year_over = as_of >= date(as_of.year, 12, 31)
    expected = _recurring_expected(required, as_of, year_over)
    ctx.inputs.update(
        required_count=required,
        year=as_of.year,
        count=count,
        year_fraction=_months_into_year(as_of) / 12,
        year_over=year_over,
        counted=[_obs_record(obs) for obs in this_year],
    )
    attainment = count / expected if expected > 0 else 1.0
    if count >= expected:
        status = GREEN
    else:
        status = RED if year_over else AMBER
    phrase = {GREEN: "达到要求", AMBER: "低于序时要求", RED: "全年未完成要求"}[status]
    reason = f"{as_of.year}年已完成{_fmt(count)}次，序时应完成{expected}次（全年要求{required}次），{phrase}"
    return _outcome(
        status=status,
        reason=reason,
        inputs=ctx.inputs,
        actual=count,
        expected=float(expected),
        attainment=attainment,
    )


def _recurring_expected(required: int, as_of: date, year_over: bool) -> int:
    if required <= 0:
        return 0
    if year_over:
        return required
    # Round up: a yearly meeting is due "by now" as soon as any of the year has passed;
    # the tolerance stops 2 × 0.5 computed as 1.0000000001 from asking for 2.
    pro_rata = math.ceil(required * _months_into_year(as_of) / 12 - _TOLERANCE)
    return min(max(1, pro_rata), required)


# --- qualitative -----------------------------------------------------------------------


def _evaluate_qualitative(ctx: _Context) -> ProgressOutcome:
    """No numeric target (e.g. 大幅提升): report the trend only, never a verdict."""
    if not ctx.observed:
        ctx.inputs["trend"] = None
        return _grey(ctx, f"定性目标，{NO_DATA_REASON}")
    latest = ctx.observed[-1]
    ctx.inputs["observation"] = _obs_record(latest)
    if len(ctx.observed) < 2:
        ctx.inputs["trend"] = "unknown"
        return _grey(ctx, "定性目标，不评定达标状态；仅有一期数据，暂无法判断趋势", actual=latest.value)
    previous = ctx.observed[-2]
    trend = _trend(previous.value, latest.value)
    ctx.inputs.update(trend=trend, previous_observation=_obs_record(previous))
    words = {"rising": "上升", "falling": "下降", "flat": "持平"}
    reason = f"定性目标，不评定达标状态；最新值{_fmt(latest.value)}较上期{_fmt(previous.value)}{words[trend]}"
    if trend != "flat":
        improving = (trend == "rising") == (ctx.spec.direction == HIGHER)
        reason += "，趋势向好" if improving else "，趋势走弱"
    return _grey(ctx, reason, actual=latest.value)


def _trend(previous: float, latest: float) -> str:
    if math.isclose(previous, latest, rel_tol=_TOLERANCE, abs_tol=_TOLERANCE):
        return "flat"
    return "rising" if latest > previous else "falling"


_HANDLERS: dict[str, Callable[[_Context], ProgressOutcome]] = {
    LEVEL: _evaluate_level,
    GROWTH: _evaluate_growth,
    SHARE: _evaluate_share,
    CUMULATIVE: _evaluate_cumulative,
    MILESTONE: _evaluate_milestone,
    RECURRING: _evaluate_recurring,
    QUALITATIVE: _evaluate_qualitative,
}
