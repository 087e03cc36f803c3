"""Kinds, directions, statuses and the data types of the progress engine, and the status rule."""

import math
from dataclasses import dataclass, field
from datetime import date

LEVEL = "level"
GROWTH = "growth"
AVERAGE_GROWTH = "average_growth"
SHARE = "share"
CUMULATIVE = "cumulative"
MILESTONE = "milestone"
RECURRING = "recurring"
QUALITATIVE = "qualitative"
COUNT = "count"
KINDS = (LEVEL, GROWTH, AVERAGE_GROWTH, SHARE, CUMULATIVE, MILESTONE, RECURRING, QUALITATIVE, COUNT)

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
# The plan's own words for a 力争 goal that was not reached (DESIGN §2).
STRETCH_NOT_MET_REASON = "力争目标未达到"

# Reason codes of outcomes that carry one (`ProgressOutcome.code`); the words are chosen where shown.
STRETCH_NOT_MET = "stretch_not_met"
ROLLUP_INCOMPLETE = "rollup_incomplete"
AVERAGE_GROWTH_MET = "average_growth"
AVERAGE_GROWTH_GAP = "average_growth_gap"
COUNT_AGAINST_FLOOR = "count_against_floor"
RECURRING_HALVES = "recurring_halves"
RECURRING_EARLY = "recurring_early_in_year"
# Every other outcome's code (params in brackets; any outcome judged on data older than `as_of` also carries
# `data_as_of`, the ISO date of its latest figure).
NO_DATA = "no_data"
NO_DATA_IN_YEAR = "no_data_in_year"  # (year)
NO_GOAL = "no_goal"
NO_BASELINE = "no_baseline"  # (baseline_year)
GOAL_NOT_AFTER_BASELINE = "goal_not_after_baseline"
AGAINST_PATH = "against_path"  # (measure: actual|year_to_date|cumulative, actual, expected, attainment, status, unit)
GOAL_REACHED = "goal_reached"  # (measure: current|annualised, value, goal_year, goal)
CUMULATIVE_REACHED = "cumulative_reached"  # (total, goal)
GROWTH_AGAINST_GOAL = "growth"  # (actual, goal, attainment, status, form: ratio|negative|met_or_not)
SHARE_AGAINST_GOAL = "share"  # (measure: share|value, actual, goal, unit, direction, attainment, status)
AVERAGE_GROWTH_INVALID = "average_growth_invalid"
MILESTONE_DONE = "milestone_done"  # (done_on)
MILESTONE_NO_DEADLINE = "milestone_no_deadline"
MILESTONE_ON_TIME = "milestone_on_time"  # (done_on, due)
MILESTONE_LATE = "milestone_late"  # (done_on, due, days)
MILESTONE_NOT_DUE = "milestone_not_due"  # (due, days)
MILESTONE_DUE_SOON = "milestone_due_soon"  # (due, days)
MILESTONE_DUE_TODAY = "milestone_due_today"  # (due)
MILESTONE_MISSED = "milestone_missed"  # (due): the deadline's day is over and it was not done by then
MILESTONE_OVERDUE = "milestone_overdue"  # (due, days)
RECURRING_NO_REQUIREMENT = "recurring_no_requirement"
RECURRING_PRO_RATA = "recurring"  # (year, count, expected, required, status)
QUALITATIVE_NO_DATA = "qualitative_no_data"
QUALITATIVE_SINGLE = "qualitative_single"
QUALITATIVE_TREND = "qualitative_trend"  # (latest, previous, trend, outlook: ""|better|worse)


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
    # recurring: the count is required in each half of the year (每半年…1次), not anywhere in it
    per_half_year: bool = False
    # recurring: the duty falls due by the end of this month of each year (每年初 → 3)
    due_month: int | None = None

    def __post_init__(self) -> None:
        # A misspelt kind would otherwise silently evaluate as something else.
        if self.kind not in KINDS:
            raise ValueError(f"unknown target kind {self.kind!r}; expected one of {KINDS}")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {self.direction!r}; expected one of {DIRECTIONS}")


@dataclass(slots=True)
class Observation:
    """One figure of a history; nothing changes it once made. Not frozen: a province's recompute makes a million of
    them, and a frozen dataclass takes three times as long to make (a named tuple, slower to read, slowed the judging
    more than it saved)."""

    period_end: date
    value: float | None = None
    done_on: date | None = None  # milestone completion date, when done
    # A figure rolled up from the members of an organisational level (the prefecture from its
    # zones) names the members whose figure was missing: the roll-up is then incomplete, not low.
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProgressOutcome:
    status: str  # "green" | "amber" | "red" | "grey"
    actual: float | None
    expected: float | None  # 序时进度: the value expected at the evaluated date
    attainment: float | None
    projection: float | None  # projected goal-year value at the latest observed growth rate
    required_rate: float | None  # yearly growth rate (fraction) still required to reach the goal
    reason: str  # Chinese explanation of the status
    inputs: dict  # record of what the result was computed from: JSON-safe, or as built with `raw_inputs` (inputs_text)
    code: str = ""  # reason code, where the outcome has one (the words are chosen where shown)
    params: dict = field(default_factory=dict)  # the reason code's parameters


# The reason codes of outcomes that compare their figure with the goal itself (a rate, a share, a count, a yearly
# average), never with a point on the path to it.
_HELD_TO_GOAL = frozenset({GROWTH_AGAINST_GOAL, SHARE_AGAINST_GOAL, COUNT_AGAINST_FLOOR, AVERAGE_GROWTH_MET})


def held_to_goal(code: str, params: dict) -> bool:
    """Whether an outcome with reason `code` and `params` held its figure to the goal itself rather than to a point
    on the path to it (序时进度): a rate, a share, a count or a yearly average always; a level or a running total once
    its path has ended (`goal_year`: the goal year's full-year figure; `plan_goal`: the plan's whole period). A 力争
    goal not reached (`STRETCH_NOT_MET`) as the outcome it was capped from."""
    if code == STRETCH_NOT_MET:
        return held_to_goal(params.get("detail_code", ""), params.get("detail_params") or {})
    if code == AGAINST_PATH:
        return "goal_year" in params or bool(params.get("plan_goal"))
    return code in _HELD_TO_GOAL


def status_for(attainment: float | None) -> str:
    """Traffic light for an attainment ratio: green ≥ 1.0, amber ≥ 0.9, red below, grey without data."""
    if attainment is None or math.isnan(attainment):
        return GREY
    if attainment >= GREEN_THRESHOLD - _TOLERANCE:
        return GREEN
    if attainment >= AMBER_THRESHOLD - _TOLERANCE:
        return AMBER
    return RED
