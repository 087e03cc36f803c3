"""The engine finds last year's same point and this year's observations by a binary search over the sorted
history: the same answers, date by date, as the definitions read literally (a scan of every observation known at
the date)."""

import calendar
import random
from datetime import date, timedelta

import pytest

from indicators.progress.engine import GREY, Observation, TargetSpec, evaluate, evaluate_series, level
from indicators.progress.engine.common import _find_point, _observed

PLAN = {"baseline_year": 2022, "goal_year": 2025, "plan_start": date(2023, 1, 1), "plan_end": date(2025, 12, 31)}


def literal_point_key(day: date) -> tuple[int, int]:
    return day.month, 1 if day.day <= 15 else 2


def literal_find_point(observed: list[Observation], *, year: int, key: tuple[int, int]) -> Observation | None:
    """The definition: the last of the observations of `year` at the point `key` (month, half)."""
    matches = [obs for obs in observed if obs.period_end.year == year and literal_point_key(obs.period_end) == key]
    return matches[-1] if matches else None


def random_day(rng: random.Random) -> date:
    year, month = rng.randint(2018, 2027), rng.randint(1, 12)
    last = calendar.monthrange(year, month)[1]
    # The edges of the halves (1st, 15th, 16th, month end) most of the time, any day now and then.
    day = rng.choice([1, 15, 15, 16, last, last, last, rng.randint(1, last)])
    return date(year, month, day)


def random_history(rng: random.Random, length: int) -> list[Observation]:
    history = []
    for _ in range(length):
        value = None if rng.random() < 0.1 else rng.choice([0.0, 1.0, 2.0, rng.uniform(-50, 500)])
        if rng.random() < 0.02:
            value = float("nan")
        history.append(Observation(period_end=random_day(rng), value=value))
    return history


def test_the_same_point_of_a_year_is_the_one_a_scan_finds():
    rng = random.Random(20250615)
    found = missing = 0
    for _ in range(300):
        history = random_history(rng, rng.randint(0, 120))
        observed = _observed(history, random_day(rng))
        for _ in range(40):
            if observed and rng.random() < 0.5:  # a point that was reported, or one close to it
                day = rng.choice(observed).period_end + timedelta(days=rng.choice([0, 0, -1, 1]))
                year, key = day.year, literal_point_key(day)
            else:
                year, key = rng.randint(2017, 2028), (rng.randint(1, 12), rng.choice([1, 2]))
            expected = literal_find_point(observed, year=year, key=key)
            assert _find_point(observed, year=year, key=key) is expected, (year, key)
            found += expected is not None
            missing += expected is None
    assert found > 1000 and missing > 1000  # both answers were exercised
    assert _find_point(_observed(history, date.max), year=0, key=(12, 2)) is None  # the year before year 1


@pytest.mark.parametrize("year_to_date", [False, True])
def test_a_level_series_judged_at_every_date_is_the_one_the_literal_lookup_gives(monkeypatch, year_to_date):
    """A level target uses last year's same point (seasonal share, growth rate) at every date."""
    rng = random.Random(20241231 + year_to_date)
    cases = []
    for _ in range(40):
        history = random_history(rng, rng.randint(0, 150))
        spec = TargetSpec(
            kind="level",
            baseline=rng.choice([None, 80.0, 100.0]),
            committed=rng.choice([None, 150.0]),
            stretch=rng.choice([None, 160.0]),
            year_to_date=year_to_date,
            **PLAN,
        )
        dates = sorted({random_day(rng) for _ in range(60)})
        cases.append((spec, history, dates, evaluate_series(spec, history, dates)))
    monkeypatch.setattr(level, "_find_point", literal_find_point)
    share_from_last_year = 0
    for spec, history, dates, outcomes in cases:
        assert evaluate_series(spec, history, dates) == outcomes
        share_from_last_year += sum(outcome.inputs.get("share_basis") == "last_year" for outcome in outcomes)
    if year_to_date:
        assert share_from_last_year > 20  # last year's same point was found, not only missed


def literal_this_year(history: list[Observation], as_of: date) -> list[Observation]:
    """The definition: the numeric observations known at as_of whose period ends in as_of's year."""
    return [obs for obs in _observed(history, as_of) if obs.period_end.year == as_of.year]


def record(obs: Observation) -> dict:
    return {"period_end": obs.period_end.isoformat(), "value": obs.value}


@pytest.mark.parametrize("variant", ["pro_rata", "per_half_year", "due_month"])
def test_a_recurring_series_counts_the_observations_of_the_year_a_scan_counts(variant):
    rng = random.Random(f"recurring-{variant}")
    counted = empty = 0
    for round_ in range(60):
        history = random_history(rng, rng.randint(0, 100))
        spec = TargetSpec(
            kind="recurring",
            required_count=rng.choice([1, 2, 4]),
            per_half_year=variant == "per_half_year",
            due_month=3 if variant == "due_month" else None,
            **PLAN,
        )
        dates = [date(2017, 12, 31) + timedelta(days=11 * step) for step in range(0, 400, rng.randint(1, 4))]
        if round_ % 2:
            dates.reverse()
        outcomes = evaluate_series(spec, history, dates)
        for as_of, outcome in zip(dates, outcomes, strict=True):
            this_year = literal_this_year(history, as_of)
            if not this_year:
                assert outcome.status == GREY and outcome.code == "no_data_in_year", as_of
                empty += 1
                continue
            if variant == "pro_rata":
                assert outcome.inputs["counted"] == [record(obs) for obs in this_year], as_of
            elif variant == "per_half_year":
                halves = [
                    sum(obs.value for obs in this_year if obs.period_end.month <= 6),
                    sum(obs.value for obs in this_year if obs.period_end.month > 6),
                ]
                assert outcome.params["halves"] == halves, as_of
            else:
                due = date(as_of.year, 3, 31)
                assert outcome.params["count_in_time"] == sum(o.value for o in this_year if o.period_end <= due)
                assert outcome.inputs["count"] == sum(obs.value for obs in this_year), as_of
            assert evaluate(spec, history, as_of=as_of) == outcome
            counted += 1
    assert counted > 500 and empty > 100  # both branches were exercised
