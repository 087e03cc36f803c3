"""Progress engine for action-plan indicators: pure functions, no Django.

Compares the observed values of one indicator in one scope with the value the
三年行动 plan expects at a given date (序时进度) and turns the comparison into a
traffic-light status with a Chinese explanation users can read. Outcomes of the newer
rules (力争 caps, roll-ups, 年均, timing words, counts) also carry a reason code and its
parameters (`code`, `params`), from which the pages choose their words.

Every outcome carries `inputs`: a record of everything the result was computed
from, so that a status shown on screen can be audited. `evaluate` makes it
JSON-safe; `evaluate_series(..., raw_inputs=True)` leaves it as built (dates as
dates) for a caller that stores its text (`inputs_text`).

The package is split by concern; import its names from here:

- `spec`: kinds, directions, statuses, thresholds, the data types
  (TargetSpec, Observation, ProgressOutcome) and the status rule (`status_for`);
- `common`: the evaluation context, outcomes, number and reason formatting,
  calendar arithmetic, the comparison of a value with what is expected and the
  latest-against-goal step;
- `level`: the level kind (path from the baseline to the goal, year-to-date values,
  projection and required growth rate);
- `rates`: the growth, share and count kinds, held to the target itself;
- `average`: the average-growth kind (年均), a compound average over the plan's years;
- `counts`: the cumulative, milestone, recurring and qualitative kinds;
- `dispatch`: `evaluate`, the entry point (`evaluate_series` for many dates at once), and the handler of each kind.
"""

from .average import compound_average, still_required
from .common import fmt_day, fmt_ratio, fmt_value, inputs_text
from .dispatch import evaluate, evaluate_series, milestone_on_day
from .spec import (
    AGAINST_PATH,
    AMBER,
    AMBER_THRESHOLD,
    AVERAGE_GROWTH,
    AVERAGE_GROWTH_GAP,
    AVERAGE_GROWTH_INVALID,
    AVERAGE_GROWTH_MET,
    COUNT,
    COUNT_AGAINST_FLOOR,
    CUMULATIVE,
    CUMULATIVE_REACHED,
    DIRECTIONS,
    GOAL_NOT_AFTER_BASELINE,
    GOAL_REACHED,
    GREEN,
    GREEN_THRESHOLD,
    GREY,
    GROWTH,
    GROWTH_AGAINST_GOAL,
    HIGHER,
    KINDS,
    LEVEL,
    LOWER,
    MILESTONE,
    MILESTONE_DONE,
    MILESTONE_DUE_SOON,
    MILESTONE_DUE_TODAY,
    MILESTONE_LATE,
    MILESTONE_MISSED,
    MILESTONE_NO_DEADLINE,
    MILESTONE_NOT_DUE,
    MILESTONE_ON_TIME,
    MILESTONE_OVERDUE,
    MILESTONE_WARNING_DAYS,
    NO_BASELINE,
    NO_DATA,
    NO_DATA_IN_YEAR,
    NO_DATA_REASON,
    NO_GOAL,
    NO_GOAL_REASON,
    QUALITATIVE,
    QUALITATIVE_NO_DATA,
    QUALITATIVE_SINGLE,
    QUALITATIVE_TREND,
    RECURRING,
    RECURRING_EARLY,
    RECURRING_HALVES,
    RECURRING_NO_REQUIREMENT,
    RECURRING_PRO_RATA,
    RED,
    ROLLUP_INCOMPLETE,
    SHARE,
    SHARE_AGAINST_GOAL,
    STRETCH_NOT_MET,
    STRETCH_NOT_MET_REASON,
    Observation,
    ProgressOutcome,
    TargetSpec,
    held_to_goal,
    status_for,
)

__all__ = [
    "AGAINST_PATH",
    "AMBER",
    "AMBER_THRESHOLD",
    "AVERAGE_GROWTH",
    "AVERAGE_GROWTH_GAP",
    "AVERAGE_GROWTH_INVALID",
    "AVERAGE_GROWTH_MET",
    "COUNT",
    "COUNT_AGAINST_FLOOR",
    "CUMULATIVE",
    "CUMULATIVE_REACHED",
    "DIRECTIONS",
    "GOAL_NOT_AFTER_BASELINE",
    "GOAL_REACHED",
    "GREEN",
    "GREEN_THRESHOLD",
    "GREY",
    "GROWTH",
    "GROWTH_AGAINST_GOAL",
    "HIGHER",
    "KINDS",
    "LEVEL",
    "LOWER",
    "MILESTONE",
    "MILESTONE_DONE",
    "MILESTONE_DUE_SOON",
    "MILESTONE_DUE_TODAY",
    "MILESTONE_MISSED",
    "MILESTONE_LATE",
    "MILESTONE_NOT_DUE",
    "MILESTONE_NO_DEADLINE",
    "MILESTONE_ON_TIME",
    "MILESTONE_OVERDUE",
    "MILESTONE_WARNING_DAYS",
    "NO_BASELINE",
    "NO_DATA",
    "NO_DATA_IN_YEAR",
    "NO_DATA_REASON",
    "NO_GOAL",
    "NO_GOAL_REASON",
    "Observation",
    "ProgressOutcome",
    "QUALITATIVE",
    "QUALITATIVE_NO_DATA",
    "QUALITATIVE_SINGLE",
    "QUALITATIVE_TREND",
    "RECURRING",
    "RECURRING_EARLY",
    "RECURRING_HALVES",
    "RECURRING_NO_REQUIREMENT",
    "RECURRING_PRO_RATA",
    "RED",
    "ROLLUP_INCOMPLETE",
    "SHARE",
    "SHARE_AGAINST_GOAL",
    "STRETCH_NOT_MET",
    "STRETCH_NOT_MET_REASON",
    "TargetSpec",
    "compound_average",
    "evaluate",
    "evaluate_series",
    "milestone_on_day",
    "fmt_day",
    "fmt_ratio",
    "fmt_value",
    "held_to_goal",
    "inputs_text",
    "status_for",
    "still_required",
]
