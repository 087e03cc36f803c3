"""The progress engine's entry point: build the evaluation context and hand it to the kind's handler."""

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date

from .average import _evaluate_average_growth
from .common import _Context, _goal, _grey, _jsonable, _observed
from .counts import (
    _evaluate_cumulative,
    _evaluate_milestone,
    _evaluate_qualitative,
    _evaluate_recurring,
    _milestone_status,
)
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
    MILESTONE_DUE_SOON,
    MILESTONE_DUE_TODAY,
    MILESTONE_NOT_DUE,
    MILESTONE_OVERDUE,
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


def evaluate(
    spec: TargetSpec, history: Sequence[Observation], *, as_of: date, today: date | None = None
) -> ProgressOutcome:
    """Evaluate one indicator's history against its target at `as_of`.

    Observations after `as_of` are ignored: they were not known at that date. `today`: the day the judgement is
    made, when it is later than `as_of` — `as_of`'s day is then over (a milestone due that day and not done by its
    end was missed); None judges `as_of` on the day itself.
    """
    return evaluate_series(spec, history, [as_of], today=today)[0]


def evaluate_series(
    spec: TargetSpec,
    history: Sequence[Observation],
    dates: Iterable[date],
    *,
    today: date | None = None,
    raw_inputs: bool = False,
) -> list[ProgressOutcome]:
    """`evaluate` at each of `dates`: the history is sorted and sifted once, and each date sees the prefix of it
    known then (a binary search), so a target's periods cost one pass over its history, not one per period.
    `today`: as in `evaluate`, for every date. `raw_inputs`: each outcome's inputs as built (dates as dates), for a
    caller that stores them as JSON text (`inputs_text`) — a province's recompute, where making every record JSON-safe
    first took a fifth of the judging; by default they are JSON-safe."""
    ordered = sorted(history, key=lambda obs: obs.period_end)
    ends = [obs.period_end for obs in ordered]
    observed_all = _observed(ordered, date.max)
    observed_ends = [obs.period_end for obs in observed_all]
    goal, goal_basis = _goal(spec)
    memo: dict = {}
    outcomes = []
    for as_of in dates:
        known = bisect_right(ends, as_of)
        inputs: dict = {
            "kind": spec.kind,
            "direction": spec.direction,
            "as_of": as_of.isoformat(),  # as JSON keeps it
            "goal": goal,
            "goal_basis": goal_basis,
            "committed": spec.committed,
            "stretch": spec.stretch,
            "goal_year": spec.goal_year,
            "ignored_after_as_of": len(ordered) - known,
        }
        ctx = _Context(
            spec=spec,
            whole_history=ordered,
            known=known,
            whole_observed=observed_all,
            observed_count=bisect_right(observed_ends, as_of),
            as_of=as_of,
            goal=goal,
            inputs=inputs,
            memo=memo,
            day_over=today is not None and as_of < today,
        )
        # The latest rolled-up observation known at `as_of` (the first of its period end, as `max` would pick).
        latest = ordered[bisect_left(ends, ends[known - 1])] if known else None
        incomplete = latest.missing if latest is not None else ()
        if incomplete:
            # Summing the members that reported would read a missing zone as zero.
            inputs["missing_members"] = list(incomplete)
            outcomes.append(
                _grey(
                    ctx,
                    "汇总数据不完整，缺少：" + "、".join(incomplete),
                    code=ROLLUP_INCOMPLETE,
                    params={"missing": list(incomplete)},
                )
            )
            continue
        outcome = _HANDLERS[spec.kind](ctx)
        if goal_basis == "stretch" and outcome.status == RED:
            outcome = _capped_at_amber(outcome)
        outcomes.append(outcome)
    if raw_inputs:
        return outcomes
    return [replace(outcome, inputs=_jsonable(outcome.inputs)) for outcome in outcomes]


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


# An open milestone's stored judgement is a countdown to its deadline, true on its period's last day only.
_OPEN_MILESTONE = frozenset({MILESTONE_NOT_DUE, MILESTONE_DUE_SOON, MILESTONE_DUE_TODAY, MILESTONE_OVERDUE})


def milestone_on_day(code: str, params: dict, day: date, *, stretch: bool) -> tuple[str, str, dict] | None:
    """An open milestone's judgement made again on `day`, from the code and parameters stored with a result of an
    earlier period end: (status, code, params), the params as stored (dates as ISO text). A page that shows the
    result on a later day (the dashboards show the last period whose reports are in) then counts the days to the
    deadline, or past it, from that day, not from the period's end. The day is not over (a live judgement): on the
    deadline itself the milestone is due today; after it, overdue. `stretch`: the goal is 力争 only (the result's
    `goal_basis`), whose red is capped at amber. None for
    any other result (done, missed, not a milestone): its judgement stands."""
    detail = params.get("detail_params") if code == STRETCH_NOT_MET else params
    detail_code = params.get("detail_code") if code == STRETCH_NOT_MET else code
    if detail_code not in _OPEN_MILESTONE or not isinstance(detail, dict) or "due" not in detail:
        return None
    due = detail["due"]
    status, _reason, now_code, now_params = _milestone_status(
        done_on=None, due=date.fromisoformat(due) if isinstance(due, str) else due, as_of=day, day_over=False, inputs={}
    )
    now_params = _jsonable(now_params)
    if stretch and status == RED:
        return AMBER, STRETCH_NOT_MET, {"detail_code": now_code, "detail_params": now_params}
    return status, now_code, now_params
