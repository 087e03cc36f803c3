"""The progress engine's entry point: build the evaluation context and hand it to the kind's handler."""

from collections.abc import Callable, Sequence
from datetime import date

from .common import _Context, _goal, _observed
from .counts import _evaluate_cumulative, _evaluate_milestone, _evaluate_qualitative, _evaluate_recurring
from .level import _evaluate_level
from .rates import _evaluate_growth, _evaluate_share
from .spec import (
    CUMULATIVE,
    GROWTH,
    LEVEL,
    MILESTONE,
    QUALITATIVE,
    RECURRING,
    SHARE,
    Observation,
    ProgressOutcome,
    TargetSpec,
)


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


_HANDLERS: dict[str, Callable[[_Context], ProgressOutcome]] = {
    LEVEL: _evaluate_level,
    GROWTH: _evaluate_growth,
    SHARE: _evaluate_share,
    CUMULATIVE: _evaluate_cumulative,
    MILESTONE: _evaluate_milestone,
    RECURRING: _evaluate_recurring,
    QUALITATIVE: _evaluate_qualitative,
}
