"""The milestone kind judges a long history at many dates in one pass: the same answer, date by date, as the
definition read literally (every observation known at the date, scanned afresh)."""

import random
from datetime import date, timedelta

from indicators.progress.engine import (
    GREY,
    Observation,
    TargetSpec,
    common,
    evaluate,
    evaluate_series,
    milestone_on_day,
)

PLAN = {"baseline_year": 2022, "goal_year": 2025, "plan_start": date(2023, 1, 1), "plan_end": date(2025, 12, 31)}


def literal_done_on(history: list[Observation], as_of: date) -> tuple[int, int, date | None]:
    """The definition: the observations up to as_of with a value or a completion date, and how many of them are of
    the plan's time; the earliest completion among them dated by as_of, a value of 1 without a date counting as
    done at its period end."""
    known = [o for o in history if o.period_end <= as_of and (o.value is not None or o.done_on is not None)]
    of_the_plan = sum(o.period_end >= PLAN["plan_start"] for o in known)
    dates = []
    for o in known:
        if o.done_on is not None:
            if o.done_on <= as_of:
                dates.append(o.done_on)
        elif o.value is not None and o.value >= 1:
            dates.append(o.period_end)
    return len(known), of_the_plan, min(dates) if dates else None


def random_history(rng: random.Random, length: int) -> list[Observation]:
    start = date(2016, 1, 15)
    history = []
    for i in range(length):
        end = start + timedelta(days=15 * i)
        value = rng.choice([None, 0.0, 0.0, 0.5]) if rng.random() < 0.98 else rng.choice([1.0, 2.0])
        done_on = None
        if rng.random() < 0.02:  # a completion date, sometimes reported before or long after its period
            done_on = end + timedelta(days=rng.randint(-200, 400))
        history.append(Observation(period_end=end, value=value, done_on=done_on))
    rng.shuffle(history)  # the engine sorts; the order given must not matter
    return history


def test_a_long_milestone_history_judged_at_every_date_matches_the_literal_definition():
    rng = random.Random(20231231)
    checked_done = checked_open = 0
    for round_ in range(60):
        history = random_history(rng, rng.randint(0, 240))
        due = rng.choice([None, date(2023, 6, 30), date(2024, 12, 31), date(2025, 12, 31)])
        spec = TargetSpec(kind="milestone", due_date=due, **PLAN)
        dates = [date(2015, 12, 31) + timedelta(days=7 * week) for week in range(0, 560, rng.randint(1, 5))]
        if round_ % 2:
            dates.reverse()  # dates in any order, as evaluate_series accepts them
        outcomes = evaluate_series(spec, history, dates)
        for as_of, outcome in zip(dates, outcomes, strict=True):
            reported, of_the_plan, done_on = literal_done_on(history, as_of)
            if not reported:
                assert outcome.status == GREY and outcome.code == "no_data", as_of
                continue
            assert outcome.inputs["observations"] == of_the_plan, as_of
            assert outcome.inputs["done_on"] == (done_on.isoformat() if done_on else None), as_of
            # One date alone (a series of its own) gives the same outcome as within the series.
            assert evaluate(spec, history, as_of=as_of) == outcome
            checked_done += done_on is not None
            checked_open += done_on is None
    assert checked_done > 500 and checked_open > 500  # both branches were exercised


def test_a_milestone_judged_at_many_dates_copies_no_prefix_of_its_history(monkeypatch):
    """At each date a handler may read the observations known then (`ctx.history`, `ctx.observed`), each a prefix
    copied on first reading; the milestone's handler counts them from its one scan instead, so a series of hundreds of
    dates copies none — and still reads as the literal definition (above)."""
    read = []
    for name in ("history", "observed"):
        prefix = getattr(common._Context, name)
        monkeypatch.setattr(
            common._Context, name, property(lambda ctx, name=name, prefix=prefix: read.append(name) or prefix.func(ctx))
        )
    history = random_history(random.Random(5), 240)
    dates = [date(2016, 1, 31) + timedelta(days=14 * step) for step in range(260)]
    milestone = TargetSpec(kind="milestone", due_date=date(2024, 12, 31), **PLAN)
    outcomes = evaluate_series(milestone, history, dates)
    assert len(outcomes) == len(dates) and not read
    level = TargetSpec(kind="level", committed=2.0, baseline=1.0, **PLAN)
    evaluate_series(level, [Observation(date(2023, 12, 31), 1.0)], dates[-3:])
    assert "observed" in read  # a handler that reads them is seen reading them


def test_an_open_milestone_judged_again_on_a_later_day_reads_as_the_engine_judges_that_day():
    """`milestone_on_day`: a result stored at its period's end, judged again on a later day on which nothing new was
    reported, says what the engine says on that day (a live judgement: the day not over), 力争 caps included; a
    milestone done, missed or without data keeps its judgement."""
    rng = random.Random(20260101)
    changed = kept = 0
    for _round in range(400):
        due = rng.choice([date(2025, 6, 30), date(2025, 12, 31)])
        committed = rng.random() < 0.5
        spec = TargetSpec(
            kind="milestone",
            due_date=due,
            committed=1.0 if committed else None,
            stretch=None if committed else 1.0,
            **PLAN,
        )
        end = date(2025, 3, 31) + timedelta(days=rng.randint(0, 300))  # the result's period end
        history = [Observation(period_end=end, value=rng.choice([0.0, 0.0, 0.0, 1.0, None]))]
        stored = evaluate(spec, history, as_of=end, today=end + timedelta(days=1))
        day = end + timedelta(days=rng.randint(1, 200))
        judged = milestone_on_day(stored.code, stored.params, day, stretch=not committed)
        live = evaluate(spec, history, as_of=day)
        if stored.code in ("milestone_not_due", "milestone_due_soon", "milestone_due_today", "milestone_overdue") or (
            stored.code == "stretch_not_met" and stored.params["detail_code"] == "milestone_overdue"
        ):
            assert judged == (live.status, live.code, live.params), (end, day, due)
            changed += 1
        else:
            assert judged is None, stored.code
            kept += 1
    assert changed > 100 and kept > 50
