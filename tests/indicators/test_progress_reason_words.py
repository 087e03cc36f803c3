"""Every outcome of the progress engine has a reason code, and its words come from the code in the reader's language.

In Chinese the words chosen from the code and parameters are the engine's own sentence, character for
character; in English they hold no Chinese (units like 人 aside, which these cases do not use).
"""

import itertools
import re
from datetime import date, timedelta

from django.utils import translation

from indicators.progress import engine
from indicators.progress.engine import Observation, TargetSpec, evaluate
from indicators.progress.reasons import reason_text, stored_params

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
PLAN = {"goal_year": 2025, "baseline_year": 2022, "plan_start": date(2023, 1, 1), "plan_end": date(2025, 12, 31)}
AS_OF = (date(2023, 6, 30), date(2024, 6, 30), date(2024, 12, 31), date(2025, 11, 15), date(2026, 3, 31))


def year_ends(values, *, start=2023, month=12):
    return [
        Observation(period_end=date(start + i, month, 31 if month == 12 else 30), value=v) for i, v in enumerate(values)
    ]


def cases():
    goals = ({"committed": 1.0}, {"stretch": 1.0}, {})
    for goal in ({"committed": 1000.0}, {"stretch": 1000.0}, {}):
        for baseline in (500.0, None):
            for values in ([], [520.0], [560.0, 700.0, 1100.0], [400.0, 300.0], [560.0, 700.0, 950.0]):
                for ytd in (False, True):
                    yield (
                        TargetSpec(kind="level", baseline=baseline, year_to_date=ytd, **goal, **PLAN),
                        year_ends(values),
                    )
    yield TargetSpec(kind="level", committed=10.0, baseline=5.0, **{**PLAN, "goal_year": 2022}), year_ends([6.0])
    for kind in ("growth", "share", "count"):
        for direction in ("higher", "lower"):
            for goal in ({"committed": 10.0}, {"stretch": 10.0}, {"committed": 0.0}, {}):
                for values in ([], [12.0], [9.5], [3.0], [-4.0], [0.0]):
                    for unit in ("%", "人"):
                        yield TargetSpec(kind=kind, direction=direction, unit=unit, **goal, **PLAN), year_ends(values)
    for goal in ({"committed": 8.0}, {"stretch": 8.0}, {}):
        for values in ([], [9.0], [9.0, 7.0], [9.0, 7.0, 6.5], [-150.0, 10.0]):
            yield TargetSpec(kind="average_growth", **goal, **PLAN), year_ends(values)
        yield TargetSpec(kind="average_growth", **goal, **PLAN), [year_ends([9.0])[0], year_ends([0, 0, 6.0])[2]]
    for goal in ({"committed": 30.0}, {"stretch": 30.0}, {}):
        for values in ([], [5.0], [12.0, 20.0], [31.0], [5.0, 12.0, 28.0]):
            yield TargetSpec(kind="cumulative", **goal, **PLAN), year_ends(values)
    for goal, due in itertools.product(goals, (date(2025, 12, 31), date(2024, 6, 30), None)):
        for history in (
            [],
            [Observation(period_end=date(2024, 3, 31), value=0.0)],
            [Observation(period_end=date(2024, 9, 30), value=1.0, done_on=date(2024, 9, 1))],
            [Observation(period_end=date(2023, 3, 31), value=1.0)],
        ):
            yield TargetSpec(kind="milestone", due_date=due, **goal, **PLAN), history
    for required, half, month in ((2, False, None), (1, True, None), (1, False, 3), (None, False, None)):
        for values in ([], [1.0], [1.0, 1.0]):
            history = [Observation(period_end=date(2025, 2 + 4 * i, 28), value=v) for i, v in enumerate(values)]
            yield (
                TargetSpec(kind="recurring", required_count=required, per_half_year=half, due_month=month, **PLAN),
                history,
            )
    for direction in ("higher", "lower"):
        for values in ([], [3.0], [3.0, 4.0], [4.0, 3.0], [3.0, 3.0]):
            yield TargetSpec(kind="qualitative", direction=direction, **PLAN), year_ends(values)
    missing = [Observation(period_end=date(2024, 12, 31), value=10.0, missing=("wuding", "mouding"))]
    yield TargetSpec(kind="level", committed=1000.0, baseline=500.0, **PLAN), missing


def outcomes():
    for spec, history in cases():
        for as_of in AS_OF:
            yield spec, evaluate(spec, history, as_of=as_of)
            if spec.kind == "milestone":  # judged after the day is over (a deadline's day: missed, not due today)
                yield spec, evaluate(spec, history, as_of=as_of, today=as_of + timedelta(days=1))


def test_it_gives_every_outcome_a_code_whose_chinese_words_are_the_engines_own():
    seen = set()
    with translation.override("zh-hans"):
        for spec, outcome in outcomes():
            assert outcome.code, outcome.reason
            seen.add(outcome.code)
            assert reason_text(outcome.code, stored_params(outcome, unit=spec.unit)) == outcome.reason, outcome
    # Every code of the engine turns up in these cases.
    codes = {
        value
        for name, value in vars(engine.spec).items()
        if name.isupper()
        and isinstance(value, str)
        and not name.endswith(("_REASON",))
        and name
        not in {
            "LEVEL",
            "GROWTH",
            "AVERAGE_GROWTH",
            "SHARE",
            "CUMULATIVE",
            "MILESTONE",
            "RECURRING",
            "QUALITATIVE",
            "COUNT",
            "HIGHER",
            "LOWER",
            "GREEN",
            "AMBER",
            "RED",
            "GREY",
        }
    }
    assert codes - seen == set()


def test_it_speaks_english_without_chinese():
    with translation.override("en"):
        for spec, outcome in outcomes():
            words = reason_text(outcome.code, stored_params(outcome, unit=spec.unit))
            cleaned = words.replace("人", "").replace("wuding", "").replace("mouding", "")
            assert not CJK.search(cleaned), (outcome.code, words)
