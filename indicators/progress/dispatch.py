"""The progress engine's entry point: build the evaluation context and hand it to the kind's handler."""

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from .average import _evaluate_average_growth
from .common import _Context, _goal, _grey, _jsonable, _observed
from .counts import _evaluate_cumulative, _evaluate_milestone, _evaluate_qualitative, _evaluate_recurring
from .level import _evaluate_level
from .rates import _evaluate_count, _evaluate_growth, _evaluate_share
from .spec import (
    AMBER,
    AVERAGE_GROWTH,
    COUNT,
    CUMULATIVE,
    GROWTH,
    LEVEL,
    MILESTONE,
    QUALITATIVE,
    RECURRING,
    RED,
    ROLLUP_INCOMPLETE,
    SHARE,
    STRETCH_NOT_MET,
    STRETCH_NOT_MET_REASON,
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
    incomplete = _incomplete_rollup(history, as_of)
    if incomplete:
        # Summing the members that reported would read a missing zone as zero.
        inputs["missing_members"] = list(incomplete)
        return _grey(ctx, "汇总数据不完整，缺少：" + "、".join(incomplete),
                     code=ROLLUP_INCOMPLETE, params={"missing": list(incomplete)})
    outcome = _HANDLERS[spec.kind](ctx)
    if goal_basis == "stretch" and outcome.status == RED:
        return _capped_at_amber(outcome)
    return outcome


def _incomplete_rollup(history: Sequence[Observation], as_of: date) -> tuple[str, ...]:
    """The members missing from the latest rolled-up observation known at `as_of`, if any."""
    known = [obs for obs in history if obs.period_end <= as_of]
    if not known:
        return ()
    return max(known, key=lambda obs: obs.period_end).missing


def _capped_at_amber(outcome: ProgressOutcome) -> ProgressOutcome:
    """Red is for commitments: against a 力争 value the worst status is amber, "力争目标未达到"."""
    params = {"detail_code": outcome.code, "detail_params": outcome.params}
    return replace(
        outcome,
        status=AMBER,
        reason=f"{STRETCH_NOT_MET_REASON}（{outcome.reason}）",
        inputs={**outcome.inputs, "stretch_cap": "red for a commitment, amber for a 力争 goal"},
        code=STRETCH_NOT_MET,
        params=_jsonable(params),
    )


_HANDLERS: dict[str, Callable[[_Context], ProgressOutcome]] = {
    LEVEL: _evaluate_level,
    GROWTH: _evaluate_growth,
    AVERAGE_GROWTH: _evaluate_average_growth,
    COUNT: _evaluate_count,
    SHARE: _evaluate_share,
    CUMULATIVE: _evaluate_cumulative,
    MILESTONE: _evaluate_milestone,
    RECURRING: _evaluate_recurring,
    QUALITATIVE: _evaluate_qualitative,
}
