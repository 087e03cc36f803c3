"""Progress engine for action-plan indicators: pure functions, no Django.

Compares the observed values of one indicator in one scope with the value the
三年行动 plan expects at a given date (序时进度) and turns the comparison into a
traffic-light status with a Chinese explanation users can read.

Every outcome carries `inputs`: a JSON-serialisable record of everything the
result was computed from, so that a status shown on screen can be audited.

The package is split by concern; import its names from here:

- `spec`: kinds, directions, statuses, thresholds, the data types
  (TargetSpec, Observation, ProgressOutcome) and the status rule (`status_for`);
- `common`: the evaluation context, outcomes, number and reason formatting,
  calendar arithmetic, the comparison of a value with what is expected and the
  latest-against-goal step;
- `level`: the level kind (path from the baseline to the goal, year-to-date values,
  projection and required growth rate);
- `rates`: the growth and share kinds, held to the target itself;
- `counts`: the cumulative, milestone, recurring and qualitative kinds;
- `dispatch`: `evaluate`, the entry point, and the handler of each kind.
"""

from .dispatch import evaluate
from .spec import (
    AMBER,
    AMBER_THRESHOLD,
    CUMULATIVE,
    DIRECTIONS,
    GREEN,
    GREEN_THRESHOLD,
    GREY,
    GROWTH,
    HIGHER,
    KINDS,
    LEVEL,
    LOWER,
    MILESTONE,
    MILESTONE_WARNING_DAYS,
    NO_DATA_REASON,
    NO_GOAL_REASON,
    QUALITATIVE,
    RECURRING,
    RED,
    SHARE,
    Observation,
    ProgressOutcome,
    TargetSpec,
    status_for,
)

__all__ = [
    "AMBER",
    "AMBER_THRESHOLD",
    "CUMULATIVE",
    "DIRECTIONS",
    "GREEN",
    "GREEN_THRESHOLD",
    "GREY",
    "GROWTH",
    "HIGHER",
    "KINDS",
    "LEVEL",
    "LOWER",
    "MILESTONE",
    "MILESTONE_WARNING_DAYS",
    "NO_DATA_REASON",
    "NO_GOAL_REASON",
    "QUALITATIVE",
    "RECURRING",
    "RED",
    "SHARE",
    "Observation",
    "ProgressOutcome",
    "TargetSpec",
    "evaluate",
    "status_for",
]
