"""The level kind: the latest value against its path from the baseline to the goal (序时进度),
with a projection to the goal year and the growth rate still required.
"""

import math
from dataclasses import dataclass
from datetime import date

from .common import (
    _FULL_YEAR_KEY,
    _Context,
    _find_point,
    _grey,
    _meets,
    _months_into_year,
    _obs_record,
    _outcome,
    _point_key,
    _progress_reason,
    _ratio,
    _stale,
    _stale_note,
    _year_position,
    fmt_value,
)
from .spec import (
    AGAINST_PATH,
    GOAL_NOT_AFTER_BASELINE,
    GOAL_REACHED,
    GREEN,
    NO_BASELINE,
    NO_DATA,
    NO_DATA_REASON,
    NO_GOAL,
    NO_GOAL_REASON,
    Observation,
    ProgressOutcome,
    TargetSpec,
    status_for,
)

# --- level -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Path:
    """The path from the baseline to the goal, by years after the end of the baseline year."""

    baseline: float
    goal: float
    years: int
    rate: float | None  # None for a linear path

    @classmethod
    def for_spec(cls, *, baseline: float, goal: float, years: int) -> "_Path":
        if baseline > 0 and goal > 0:
            return cls(baseline, goal, years, (goal / baseline) ** (1 / years) - 1)
        # Geometric growth from (or to) zero or a negative value is undefined.
        return cls(baseline, goal, years, None)

    def at(self, years_elapsed: float) -> float:
        # Before the baseline the baseline is expected; after the goal year, the goal.
        t = min(max(years_elapsed, 0.0), float(self.years))
        if self.rate is None:
            return self.baseline + (self.goal - self.baseline) * t / self.years
        return self.baseline * (1 + self.rate) ** t


def _evaluate_level(ctx: _Context) -> ProgressOutcome:
    spec, goal = ctx.spec, ctx.goal
    if goal is None:
        return _grey(ctx, NO_GOAL_REASON, code=NO_GOAL)
    if spec.baseline is None:
        return _grey(
            ctx,
            f"缺少{spec.baseline_year}年基数，无法计算序时进度",
            code=NO_BASELINE,
            params={"baseline_year": spec.baseline_year},
        )
    years = spec.goal_year - spec.baseline_year
    if years <= 0:
        return _grey(ctx, "目标年度须晚于基数年度，无法计算序时进度", code=GOAL_NOT_AFTER_BASELINE)
    if not ctx.observed:
        return _grey(ctx, NO_DATA_REASON, code=NO_DATA)

    path = _Path.for_spec(baseline=float(spec.baseline), goal=goal, years=years)
    ctx.inputs.update(_path_inputs(path, spec))
    latest = ctx.observed[-1]
    point = latest.period_end
    ctx.inputs["observation"] = _obs_record(latest)
    ctx.inputs["evaluated_at"] = point

    if spec.year_to_date:
        expected, annualised, years_to_goal = _ytd_comparison(ctx, path, latest)
    else:
        expected = path.at(_year_position(point) - spec.baseline_year)
        annualised = latest.value
        years_to_goal = spec.goal_year - _year_position(point)
        ctx.inputs["comparison"] = "level against the path at the observation date"
    ctx.inputs["annualised_value"] = annualised
    ctx.inputs["years_to_goal"] = years_to_goal

    attainment, method = _ratio(latest.value, expected, spec.direction)
    ctx.inputs["attainment_method"] = method
    projection = _level_projection(ctx, latest, annualised, years_to_goal)
    required_rate = _required_rate(ctx, annualised, years_to_goal)

    status, reason, code, params = _level_verdict(
        ctx, actual=latest.value, expected=expected, attainment=attainment, annualised=annualised
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
        required_rate=required_rate,
    )


def _level_verdict(
    ctx: _Context, *, actual: float, expected: float, attainment: float, annualised: float
) -> tuple[str, str, str, dict]:
    spec, goal = ctx.spec, ctx.goal
    # A zone already at its goal is on track whatever the path says for today.
    reached = _meets(annualised, goal, spec.direction)
    ctx.inputs["goal_reached"] = reached
    if reached:
        value_label = "年化值" if spec.year_to_date else "当前值"
        return (
            GREEN,
            f"{value_label}{fmt_value(annualised)}已达到{spec.goal_year}年目标值{fmt_value(goal)}，目标已实现",
            GOAL_REACHED,
            {
                "measure": "annualised" if spec.year_to_date else "current",
                "value": annualised,
                "goal_year": spec.goal_year,
                "goal": goal,
            },
        )
    status = status_for(attainment)
    label = "本年累计值" if spec.year_to_date else "实际值"
    params = {
        "measure": "year_to_date" if spec.year_to_date else "actual",
        "actual": actual,
        "expected": expected,
        "attainment": attainment,
        "status": status,
        "unit": "",
    }
    # The goal year's full-year figure (or a later one) is held to the goal itself, which the path ends at.
    at_goal = ctx.observed[-1].period_end >= date(spec.goal_year, 12, 31) and math.isclose(expected, goal)
    if at_goal:
        params["goal_year"] = spec.goal_year
    return (
        status,
        _progress_reason(
            label=label,
            actual=actual,
            expected=expected,
            attainment=attainment,
            status=status,
            goal_of=f"{spec.goal_year}年目标值" if at_goal else None,
        ),
        AGAINST_PATH,
        params,
    )


def _path_inputs(path: _Path, spec: TargetSpec) -> dict:
    inputs: dict = {
        "baseline": path.baseline,
        "baseline_year": spec.baseline_year,
        "path": "geometric" if path.rate is not None else "linear",
        "path_rate": path.rate,
    }
    if path.rate is None:
        inputs["path_note"] = (
            "baseline or goal is not positive: geometric growth is undefined, "
            "a linear path from the baseline to the goal is used"
        )
    return inputs


def _ytd_comparison(ctx: _Context, path: _Path, latest: Observation) -> tuple[float, float, int]:
    """Expected YTD value at the latest observation, the annualised value, and years left.

    The year's expected full-year value is spread over the year like last year's
    actual values were (seasonality), else evenly by elapsed months.
    """
    point = latest.period_end
    year = point.year
    year_expected = path.at(year - ctx.spec.baseline_year)
    share = _ytd_share(ctx, point)
    ctx.inputs["comparison"] = "year-to-date value against the year's expected value, pro rata"
    ctx.inputs["year_expected"] = year_expected
    return year_expected * share, latest.value / share, ctx.spec.goal_year - year


def _ytd_share(ctx: _Context, point: date) -> float:
    same_point = _find_point(ctx.observed, year=point.year - 1, key=_point_key(point))
    full_year = _find_point(ctx.observed, year=point.year - 1, key=_FULL_YEAR_KEY)
    if same_point is not None and full_year is not None and full_year.value > 0:
        share = same_point.value / full_year.value
        # A share outside (0, 1] means revised or inconsistent data: not usable.
        if 0 < share <= 1:
            ctx.inputs.update(
                share_basis="last_year",
                share=share,
                last_year_same_point=_obs_record(same_point),
                last_year_full_year=_obs_record(full_year),
            )
            return share
    months = _months_into_year(point)
    ctx.inputs.update(share_basis="elapsed_months", share=months / 12, months_elapsed=months)
    return months / 12


def _full_year_values(ctx: _Context) -> dict[int, float]:
    """Full-year (December, second half) values by year, with the baseline for its year."""
    values = {obs.period_end.year: obs.value for obs in ctx.observed if _point_key(obs.period_end) == _FULL_YEAR_KEY}
    if ctx.spec.baseline is not None:
        values.setdefault(ctx.spec.baseline_year, float(ctx.spec.baseline))
    return values


def _latest_growth(ctx: _Context, latest: Observation) -> tuple[float | None, dict]:
    """The latest yearly growth rate from two comparable values of consecutive years."""
    point = latest.period_end
    previous = _find_point(ctx.observed, year=point.year - 1, key=_point_key(point))
    if previous is not None and previous.value > 0 and latest.value > 0:
        return latest.value / previous.value - 1, {
            "growth_basis": "same point of consecutive years",
            "growth_from": _obs_record(previous),
            "growth_to": _obs_record(latest),
        }
    full_years = _full_year_values(ctx)
    pairs = [year for year in full_years if year - 1 in full_years and year <= point.year]
    if not pairs:
        return None, {"projection_note": "no two comparable values of consecutive years"}
    year = max(pairs)
    earlier, later = full_years[year - 1], full_years[year]
    if earlier <= 0 or later <= 0:
        return None, {"projection_note": "growth rate undefined for non-positive values"}
    return later / earlier - 1, {
        "growth_basis": "full-year values of consecutive years",
        "growth_years": [year - 1, year],
        "growth_values": [earlier, later],
    }


def _level_projection(ctx: _Context, latest: Observation, annualised: float, years_to_goal: float) -> float | None:
    growth, details = _latest_growth(ctx, latest)
    ctx.inputs.update(details)
    ctx.inputs["latest_growth_rate"] = growth
    if growth is None:
        return None
    if years_to_goal < 0:
        ctx.inputs["projection_note"] = "latest observation is after the goal year"
        return None
    if annualised <= 0:
        ctx.inputs["projection_note"] = "cannot project a non-positive value by a growth rate"
        return None
    ctx.inputs["projection_method"] = "latest (annualised) value × (1 + latest growth rate) ^ years to goal"
    return annualised * (1 + growth) ** years_to_goal


def _required_rate(ctx: _Context, value: float, years_to_goal: float) -> float | None:
    goal = ctx.goal
    if _meets(value, goal, ctx.spec.direction):
        ctx.inputs["required_rate_note"] = "goal already reached"
        return 0.0
    if years_to_goal <= 0:
        ctx.inputs["required_rate_note"] = "no full year left before the goal year ends"
        return None
    if value <= 0 or goal <= 0:
        ctx.inputs["required_rate_note"] = "growth rate undefined for non-positive values"
        return None
    return (goal / value) ** (1 / years_to_goal) - 1
