"""Shared plumbing of the progress engine: the evaluation context, outcomes, reason formatting,
calendar arithmetic and the comparison of a value with what is expected.
"""

import calendar
import json
import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date
from functools import cached_property

import orjson

from .spec import (
    AMBER,
    GREEN,
    GREY,
    HIGHER,
    NO_DATA,
    NO_DATA_REASON,
    NO_GOAL,
    NO_GOAL_REASON,
    RED,
    Observation,
    ProgressOutcome,
    TargetSpec,
)

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


# --- shared plumbing -------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """What a handler judges at `as_of`. `evaluate_series` judges one history at many dates: the observations known
    at `as_of` are the first `known` of `whole_history` (`history`), the numeric ones the first `observed_count` of
    `whole_observed` (`observed`), each sliced when a handler first reads it: a milestone's handler reads neither, and
    the two copies of a ten-year history at each of its dates were 3–5 % of its judging. `memo`
    (shared by the dates) keeps what a handler derives once from the whole history, so that a series costs one pass
    over it rather than one per date."""

    spec: TargetSpec
    whole_history: Sequence[Observation]
    known: int
    whole_observed: list[Observation]  # numeric observations, oldest first, one per period end
    observed_count: int
    as_of: date
    goal: float | None
    inputs: dict
    memo: dict = field(default_factory=dict)
    # Whether `as_of`'s own day is over when the judgement is made: a period judged after its last day knows that
    # nothing more was done on it (a live judgement on the day itself does not).
    day_over: bool = False

    @cached_property
    def history(self) -> Sequence[Observation]:
        """The observations known at `as_of`, oldest first."""
        return self.whole_history[: self.known]

    @cached_property
    def observed(self) -> list[Observation]:
        """The numeric observations known at `as_of`, oldest first, one per period end."""
        return self.whole_observed[: self.observed_count]


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
    code: str,
    params: dict | None = None,
) -> ProgressOutcome:
    return ProgressOutcome(
        status=status,
        actual=_finite(actual),
        expected=_finite(expected),
        attainment=_finite(attainment),
        projection=_finite(projection),
        required_rate=_finite(required_rate),
        reason=reason,
        inputs=dict(inputs),  # as built: `evaluate_series` makes them JSON-safe, or `inputs_text` encodes them
        code=code,
        params=_jsonable(params or {}),
    )


def _grey(
    ctx: _Context, reason: str, *, code: str, params: dict | None = None, **values: float | None
) -> ProgressOutcome:
    return _outcome(status=GREY, reason=reason, inputs=ctx.inputs, code=code, params=params, **values)


def _finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(value)


_PLAIN = frozenset({str, int, bool, type(None)})


def _jsonable(value: object) -> object:
    """Dates become ISO strings and non-finite floats None, so json.dumps always succeeds.

    This runs over every outcome's inputs: plain items and finite floats are kept without a call of their own."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is dict:
        return {
            str(key): item if type(item) in _PLAIN or (type(item) is float and math.isfinite(item)) else _jsonable(item)
            for key, item in value.items()
        }
    if kind is list or kind is tuple:
        return [
            item if type(item) in _PLAIN or (type(item) is float and math.isfinite(item)) else _jsonable(item)
            for item in value
        ]
    if kind is date:
        return value.isoformat()
    # Subclasses (a datetime, an OrderedDict …) take the general path.
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# What orjson is told: keys that are not strings (a date, a number) become their text, as `_jsonable` makes them.
_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS


def inputs_text(inputs: dict) -> str:
    """The JSON text of an outcome's inputs as built (`evaluate_series(..., raw_inputs=True)`): the record
    ``_jsonable(inputs)`` is, without walking every record first. orjson writes dates as ISO strings and non-finite
    figures as null, as `_jsonable` makes them, compactly and in UTF-8; it took a fifth of the time the standard
    library's encoder did, which was a fifth of a province's judging. An input orjson refuses (an integer beyond 64
    bits) takes the walk and the standard library."""
    try:
        return orjson.dumps(inputs, option=_ORJSON_OPTIONS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(_jsonable(inputs), ensure_ascii=False, separators=(",", ":"))


def _obs_record(obs: Observation) -> dict:
    return {"period_end": obs.period_end.isoformat(), "value": obs.value}  # as JSON keeps it


def fmt_value(value: float) -> str:
    """A number as users read it: at most two decimals, no trailing zeros."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def fmt_day(day: date) -> str:
    """A day in the stored Chinese sentence, 2025年12月31日, as the pages write it (`chuxiong_portal.dates`)."""
    return f"{day.year}年{day.month}月{day.day}日"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio * 100:.1f}%"


def _stale_note(point: date, as_of: date) -> str:
    # The comparison uses the latest data; say so when it is older than as_of.
    return f"（最新数据截至{fmt_day(point)}）" if point < as_of else ""


def _stale(point: date, as_of: date) -> dict:
    """The reason parameter of `_stale_note`."""
    return {"data_as_of": point} if point < as_of else {}


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


def _period_end(obs: Observation) -> date:
    return obs.period_end


def _find_point(observed: list[Observation], *, year: int, key: tuple[int, int]) -> Observation | None:
    """The last observation at the point `key` of `year`: the latest period end within that half month.

    `observed` is sorted by period end (`_observed`), so the point is found by a binary search, not a scan."""
    month, half = key
    if not MINYEAR <= year <= MAXYEAR:
        return None
    first = date(year, month, 1 if half == 1 else 16)
    last = date(year, month, 15 if half == 1 else calendar.monthrange(year, month)[1])
    at = bisect_right(observed, last, key=_period_end)
    if at and observed[at - 1].period_end >= first:
        return observed[at - 1]
    return None


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
    *,
    label: str,
    actual: float,
    expected: float,
    attainment: float,
    status: str,
    unit: str = "",
    goal_of: str | None = None,
) -> str:
    """A value against what the path expects of it; once the path has reached its end (`goal_of`: the goal's
    words, "2025年目标值" or "计划期目标"), against the goal itself, which is then what is expected: a final
    figure is not behind a pace, it met its goal or fell short of it."""
    if goal_of is not None:
        return (
            f"{label}{fmt_value(actual)}{unit}，{goal_of}{fmt_value(expected)}{unit}，"
            f"完成目标的{fmt_ratio(attainment)}，{_TARGET_PHRASES[status]}"
        )
    return (
        f"{label}{fmt_value(actual)}{unit}，序时进度应为{fmt_value(expected)}{unit}，"
        f"完成序时进度的{fmt_ratio(attainment)}，{_STATUS_PHRASES[status]}"
    )


# --- latest against goal (growth and share) --------------------------------------------


def _latest_against_goal(ctx: _Context) -> tuple[Observation, float, str] | ProgressOutcome:
    """Rates and shares are held to the target itself: the latest value's attainment, or a grey outcome."""
    if ctx.goal is None:
        return _grey(ctx, NO_GOAL_REASON, code=NO_GOAL)
    if not ctx.observed:
        return _grey(ctx, NO_DATA_REASON, code=NO_DATA)
    latest = ctx.observed[-1]
    attainment, method = _ratio(latest.value, ctx.goal, ctx.spec.direction)
    return latest, attainment, method
