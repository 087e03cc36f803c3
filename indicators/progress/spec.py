"""Kinds, directions, statuses and the data types of the progress engine, and the status rule."""

import math
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


@dataclass(frozen=True, kw_only=True)
class TargetSpec:
    kind: str  # one of KINDS
    # The years come from the plan the target belongs to (tasks.Plan); there are no defaults.
    goal_year: int  # the year the goal value applies to
    baseline_year: int  # the plan's baseline year
    plan_start: date  # the first day of the plan's first year
    plan_end: date  # the last day of the year the target is judged to
    direction: str = HIGHER  # "lower" when a smaller value is better
    committed: float | None = None  # 以上/不少于 value
    stretch: float | None = None  # 力争 value
    baseline: float | None = None  # baseline-year value (level kind)
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
