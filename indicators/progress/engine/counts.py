"""The count and date kinds: a running total, a milestone, a recurring duty and a qualitative
target (trend only).
"""

import calendar
import math
from bisect import bisect_left
from datetime import date

from .common import (
    _Context,
    _grey,
    _month_position,
    _month_position_before,
    _months_into_year,
    _obs_record,
    _outcome,
    _period_end,
    _progress_reason,
    _ratio,
    _stale,
    _stale_note,
    fmt_day,
    fmt_value,
)
from .spec import (
    _TOLERANCE,
    AGAINST_PATH,
    AMBER,
    CUMULATIVE_REACHED,
    GREEN,
    HIGHER,
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
    NO_DATA,
    NO_DATA_IN_YEAR,
    NO_DATA_REASON,
    NO_GOAL,
    NO_GOAL_REASON,
    QUALITATIVE_NO_DATA,
    QUALITATIVE_SINGLE,
    QUALITATIVE_TREND,
    RECURRING_EARLY,
    RECURRING_HALVES,
    RECURRING_NO_REQUIREMENT,
    RECURRING_PRO_RATA,
    RED,
    Observation,
    ProgressOutcome,
    status_for,
)

# --- cumulative ------------------------------------------------------------------------


def _evaluate_cumulative(ctx: _Context) -> ProgressOutcome:
    """A running total since plan start against the goal spread evenly over the plan's months."""
    spec, goal = ctx.spec, ctx.goal
    if goal is None:
        return _grey(ctx, NO_GOAL_REASON, code=NO_GOAL)
    if not ctx.observed:
        return _grey(ctx, NO_DATA_REASON, code=NO_DATA)
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
        reason = f"累计完成{fmt_value(latest.value)}，已达到计划期目标{fmt_value(goal)}，目标已实现"
        status, code, params = GREEN, CUMULATIVE_REACHED, {"total": latest.value, "goal": goal}
    else:
        status = status_for(attainment)
        at_goal = elapsed >= plan_months  # the plan's whole period: its goal is what is expected
        reason = _progress_reason(
            label="累计完成",
            actual=latest.value,
            expected=expected,
            attainment=attainment,
            status=status,
            goal_of="计划期目标" if at_goal else None,
        )
        code, params = (
            AGAINST_PATH,
            {
                "measure": "cumulative",
                "actual": latest.value,
                "expected": expected,
                "attainment": attainment,
                "status": status,
                "unit": "",
                **({"plan_goal": True} if at_goal else {}),
            },
        )
    return _outcome(
        status=status,
        code=code,
        params={**params, **_stale(point, ctx.as_of)},
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
    reported, earliest, before_plan = _milestone_scan(ctx)
    known = ctx.known  # the observations up to as_of: a prefix of the whole history
    if not reported[known]:
        return _grey(ctx, NO_DATA_REASON, code=NO_DATA)
    done_on = _milestone_done_on(earliest[known], as_of)
    due = spec.due_date
    # The reports of the plan's time read so far. Those before the plan began still date a completion (above), but
    # are not counted: a report of an old period, arriving late, leaves the count of every later result as it was
    # (and so the result, which the recompute then need not rewrite, nor the sync API list again as changed).
    observations = reported[known] - reported[min(before_plan, known)]
    ctx.inputs.update(due_date=due, done_on=done_on, observations=observations)
    actual = 1.0 if done_on is not None else 0.0
    if due is None:
        if done_on is not None:
            return _outcome(
                status=GREEN,
                reason=f"已于{fmt_day(done_on)}完成",
                inputs=ctx.inputs,
                actual=1.0,
                code=MILESTONE_DONE,
                params={"done_on": done_on},
            )
        return _grey(ctx, "未设定完成时限，无法判定进度", actual=0.0, code=MILESTONE_NO_DEADLINE)

    status, reason, code, params = _milestone_status(
        done_on=done_on, due=due, as_of=as_of, day_over=ctx.day_over, inputs=ctx.inputs
    )
    # Nothing is expected of the milestone before its deadline.
    expected = 1.0 if as_of >= due else 0.0
    return _outcome(
        status=status, reason=reason, inputs=ctx.inputs, actual=actual, expected=expected, code=code, params=params
    )


def _milestone_scan(ctx: _Context) -> tuple[list[int], list[date | None], int]:
    """For each prefix of the whole (sorted) history, once per series: how many observations report something
    (a value or a completion date), and the earliest completion they claim — a completion date, or the period
    end of a value of 1 without a date; and how many observations end before the plan's first day."""
    scan = ctx.memo.get("milestone")
    if scan is None:
        history = ctx.whole_history
        plan_start = ctx.spec.plan_start
        before_plan = next((i for i, obs in enumerate(history) if obs.period_end >= plan_start), len(history))
        reported, earliest = [0], [None]
        for obs in history:
            claim = obs.done_on
            if claim is None and obs.value is not None and obs.value >= 1:
                claim = obs.period_end
            best = earliest[-1]
            if claim is not None and (best is None or claim < best):
                best = claim
            reported.append(reported[-1] + (obs.value is not None or obs.done_on is not None))
            earliest.append(best)
        scan = ctx.memo["milestone"] = (reported, earliest, before_plan)
    return scan


def _milestone_done_on(earliest: date | None, as_of: date) -> date | None:
    """Earliest completion known at as_of, from the earliest claimed by the observations up to as_of: a claim of
    a period end is never after as_of, so the earliest claim is the completion unless even it is dated later."""
    return earliest if earliest is not None and earliest <= as_of else None


def _milestone_status(
    *, done_on: date | None, due: date, as_of: date, day_over: bool, inputs: dict
) -> tuple[str, str, str, dict]:
    if done_on is not None:
        if done_on <= due:
            return (
                GREEN,
                f"已于{fmt_day(done_on)}完成，未超过完成时限{fmt_day(due)}",
                MILESTONE_ON_TIME,
                {"done_on": done_on, "due": due},
            )
        late = (done_on - due).days
        inputs["days_late"] = late
        return (
            AMBER,
            f"逾期完成：{fmt_day(done_on)}完成，超过完成时限{fmt_day(due)}{late}天",
            MILESTONE_LATE,
            {"done_on": done_on, "due": due, "days": late},
        )
    days_left = (due - as_of).days
    inputs["days_left"] = days_left
    if days_left > MILESTONE_WARNING_DAYS:
        return (
            GREEN,
            f"未到完成时限（{fmt_day(due)}），尚有{days_left}天",
            MILESTONE_NOT_DUE,
            {"due": due, "days": days_left},
        )
    if days_left > 0:
        return (
            AMBER,
            f"尚未完成，距完成时限{fmt_day(due)}仅剩{days_left}天",
            MILESTONE_DUE_SOON,
            {"due": due, "days": days_left},
        )
    # On the deadline's own day: amber while the day lasts; judged once the day is over (a period ending on the
    # deadline, recomputed any day after), not done by its end is missed.
    if days_left == 0:
        if day_over:
            return RED, f"截至完成时限{fmt_day(due)}未完成", MILESTONE_MISSED, {"due": due}
        return AMBER, f"截至完成时限{fmt_day(due)}当日尚未完成", MILESTONE_DUE_TODAY, {"due": due}
    return (
        RED,
        f"尚未完成，已超过完成时限{fmt_day(due)}{-days_left}天",
        MILESTONE_OVERDUE,
        {"due": due, "days": -days_left},
    )


# --- recurring -------------------------------------------------------------------------


def _evaluate_recurring(ctx: _Context) -> ProgressOutcome:
    """Counts done this year against the yearly requirement, pro rata through the year."""
    as_of = ctx.as_of
    required = ctx.spec.required_count
    if required is None and ctx.goal is not None:
        required = math.ceil(ctx.goal)
    if required is None:
        return _grey(ctx, "未设定年度次数要求，无法判定进度", code=RECURRING_NO_REQUIREMENT)
    # The observations up to as_of, sorted by period end: this year's are the tail from its first day on.
    this_year = ctx.observed[bisect_left(ctx.observed, date(as_of.year, 1, 1), key=_period_end) :]
    if not this_year:
        return _grey(ctx, f"{as_of.year}年{NO_DATA_REASON}", code=NO_DATA_IN_YEAR, params={"year": as_of.year})

    if ctx.spec.per_half_year:
        return _recurring_by_half(ctx, required, this_year)
    if ctx.spec.due_month is not None:
        return _recurring_early_in_year(ctx, required, this_year)
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
    reason = f"{as_of.year}年已完成{fmt_value(count)}次，序时应完成{expected}次（全年要求{required}次），{phrase}"
    return _outcome(
        status=status,
        code=RECURRING_PRO_RATA,
        params={"year": as_of.year, "count": count, "expected": expected, "required": required, "status": status},
        reason=reason,
        inputs=ctx.inputs,
        actual=count,
        expected=float(expected),
        attainment=attainment,
    )


def _recurring_by_half(ctx: _Context, required: int, this_year: list[Observation]) -> ProgressOutcome:
    """每半年…1次: the count is owed in each half of the year; a half that ended short is red."""
    as_of = ctx.as_of
    halves = [
        sum(obs.value for obs in this_year if obs.period_end.month <= 6),
        sum(obs.value for obs in this_year if obs.period_end.month > 6),
    ]
    ended = [as_of >= date(as_of.year, 6, 30), as_of >= date(as_of.year, 12, 31)]
    current = 0 if as_of.month <= 6 else 1
    short_ended = [i + 1 for i in range(2) if ended[i] and halves[i] < required]
    ctx.inputs.update(required_per_half=required, year=as_of.year, halves=halves, halves_ended=ended)
    if short_ended:
        status = RED
    elif halves[current] < required and not ended[current]:
        status = AMBER
    else:
        status = GREEN
    phrase = {GREEN: "达到要求", AMBER: "本半年尚未完成", RED: "有半年未完成要求"}[status]
    reason = (
        f"{as_of.year}年上半年完成{fmt_value(halves[0])}次、下半年完成{fmt_value(halves[1])}次"
        f"（每半年要求{required}次），{phrase}"
    )
    owed = required * (current + 1)
    return _outcome(
        status=status,
        reason=reason,
        inputs=ctx.inputs,
        actual=sum(halves),
        expected=float(owed),
        attainment=sum(halves) / owed if owed else 1.0,
        code=RECURRING_HALVES,
        params={
            "year": as_of.year,
            "halves": halves,
            "required": required,
            "short_halves": short_ended,
            "status": status,
        },
    )


def _recurring_early_in_year(ctx: _Context, required: int, this_year: list[Observation]) -> ProgressOutcome:
    """每年初: the duty is due by the end of `due_month`, not any time before December."""
    as_of, due_month = ctx.as_of, ctx.spec.due_month
    due = date(as_of.year, due_month, calendar.monthrange(as_of.year, due_month)[1])
    in_time = sum(obs.value for obs in this_year if obs.period_end <= due)
    total = sum(obs.value for obs in this_year)
    ctx.inputs.update(required_count=required, year=as_of.year, due_date=due, count_in_time=in_time, count=total)
    if in_time >= required:
        status, phrase, state = GREEN, "已按时完成", "on_time"
    elif as_of <= due:
        status, phrase, state = AMBER, "尚未完成", "open"
    elif total >= required:
        status, phrase, state = AMBER, "逾期完成", "late_done"
    else:
        status, phrase, state = RED, "逾期未完成", "late_missing"
    reason = f"{as_of.year}年应于{fmt_day(due)}前完成{required}次，{phrase}（已完成{fmt_value(total)}次）"
    return _outcome(
        status=status,
        reason=reason,
        inputs=ctx.inputs,
        actual=total,
        expected=float(required),
        attainment=in_time / required if required else 1.0,
        code=RECURRING_EARLY,
        params={
            "year": as_of.year,
            "due_date": due,
            "required": required,
            "count_in_time": in_time,
            "count": total,
            "state": state,
        },
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
        return _grey(ctx, f"定性目标，{NO_DATA_REASON}", code=QUALITATIVE_NO_DATA)
    latest = ctx.observed[-1]
    ctx.inputs["observation"] = _obs_record(latest)
    if len(ctx.observed) < 2:
        ctx.inputs["trend"] = "unknown"
        return _grey(
            ctx, "定性目标，不评定达标状态；仅有一期数据，暂无法判断趋势", actual=latest.value, code=QUALITATIVE_SINGLE
        )
    previous = ctx.observed[-2]
    trend = _trend(previous.value, latest.value)
    ctx.inputs.update(trend=trend, previous_observation=_obs_record(previous))
    words = {"rising": "上升", "falling": "下降", "flat": "持平"}
    reason = f"定性目标，不评定达标状态；最新值{fmt_value(latest.value)}较上期{fmt_value(previous.value)}{words[trend]}"
    outlook = ""
    if trend != "flat":
        improving = (trend == "rising") == (ctx.spec.direction == HIGHER)
        reason += "，趋势向好" if improving else "，趋势走弱"
        outlook = "better" if improving else "worse"
    return _grey(
        ctx,
        reason,
        actual=latest.value,
        code=QUALITATIVE_TREND,
        params={"latest": latest.value, "previous": previous.value, "trend": trend, "outlook": outlook},
    )


def _trend(previous: float, latest: float) -> str:
    if math.isclose(previous, latest, rel_tol=_TOLERANCE, abs_tol=_TOLERANCE):
        return "flat"
    return "rising" if latest > previous else "falling"
