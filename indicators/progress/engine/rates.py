"""The growth and share kinds: a growth rate or a share is held to the target itself, not to a path."""

from .common import (
    _TARGET_PHRASES,
    _Context,
    _latest_against_goal,
    _obs_record,
    _outcome,
    _stale,
    _stale_note,
    fmt_ratio,
    fmt_value,
)
from .spec import (
    COUNT_AGAINST_FLOOR,
    GREEN,
    GROWTH_AGAINST_GOAL,
    LOWER,
    SHARE_AGAINST_GOAL,
    ProgressOutcome,
    status_for,
)

# --- growth and share ------------------------------------------------------------------


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
    reason = _growth_reason(actual=latest.value, goal=ctx.goal, attainment=attainment, method=method, status=status)
    form = "met_or_not" if method == "met_or_not" else "negative" if latest.value < 0 < ctx.goal else "ratio"
    return _outcome(
        status=status,
        code=GROWTH_AGAINST_GOAL,
        params={
            "actual": latest.value,
            "goal": ctx.goal,
            "attainment": attainment,
            "status": status,
            "form": form,
            **_stale(latest.period_end, ctx.as_of),
        },
        reason=reason + _stale_note(latest.period_end, ctx.as_of),
        inputs=ctx.inputs,
        actual=latest.value,
        expected=ctx.goal,
        attainment=attainment,
        required_rate=ctx.goal / 100,
    )


def _growth_reason(*, actual: float, goal: float, attainment: float, method: str, status: str) -> str:
    head = f"增速{fmt_value(actual)}%，目标增速{fmt_value(goal)}%，"
    if method == "met_or_not":
        return head + ("已达到目标" if status == GREEN else "未达到目标")
    if actual < 0 < goal:
        # A percentage of the target would read "-25%": say plainly that the value fell.
        return head + f"出现负增长，{_TARGET_PHRASES[status]}"
    return head + f"完成目标的{fmt_ratio(attainment)}，{_TARGET_PHRASES[status]}"


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
        f"{measure}{fmt_value(latest.value)}{unit}，目标{bound}{fmt_value(ctx.goal)}{unit}，"
        f"完成目标的{fmt_ratio(attainment)}，{_TARGET_PHRASES[status]}"
    )
    return _outcome(
        status=status,
        code=SHARE_AGAINST_GOAL,
        params={
            "measure": "share" if unit == "%" else "value",
            "actual": latest.value,
            "goal": ctx.goal,
            "unit": unit,
            "direction": ctx.spec.direction,
            "attainment": attainment,
            "status": status,
            **_stale(latest.period_end, ctx.as_of),
        },
        reason=reason + _stale_note(latest.period_end, ctx.as_of),
        inputs=ctx.inputs,
        actual=latest.value,
        expected=ctx.goal,
        attainment=attainment,
    )


def _evaluate_count(ctx: _Context) -> ProgressOutcome:
    """A headcount or number held to a floor (至少配备1名): a count, not a share."""
    against = _latest_against_goal(ctx)
    if isinstance(against, ProgressOutcome):
        return against
    latest, attainment, method = against
    ctx.inputs.update(observation=_obs_record(latest), evaluated_at=latest.period_end, attainment_method=method)
    status = status_for(attainment)
    bound = "至多" if ctx.spec.direction == LOWER else "至少"
    unit = "" if ctx.spec.unit == "%" else ctx.spec.unit
    reason = f"实有{fmt_value(latest.value)}{unit}，要求{bound}{fmt_value(ctx.goal)}{unit}，{_TARGET_PHRASES[status]}"
    return _outcome(
        status=status,
        reason=reason + _stale_note(latest.period_end, ctx.as_of),
        inputs=ctx.inputs,
        actual=latest.value,
        expected=ctx.goal,
        attainment=attainment,
        code=COUNT_AGAINST_FLOOR,
        params={
            "count": latest.value,
            "floor": ctx.goal,
            "direction": ctx.spec.direction,
            **_stale(latest.period_end, ctx.as_of),
        },
    )
