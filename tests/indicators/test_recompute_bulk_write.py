"""The full recompute's bulk path: the garbage collector paused only while it runs, the results written in the order
of their keys, the inputs stored as the JSON the engine gave."""

import gc
import json
from datetime import date

import pytest

from indicators.models import ProgressResult
from indicators.models.progress import basis_of
from indicators.progress import engine, services
from indicators.progress.engine.common import _jsonable
from indicators.progress.services import progress_recompute
from tests.dashboards.data import build_small

AS_OF = date(2025, 12, 31)


@pytest.fixture
def collector_on():
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if not was_enabled:
        gc.disable()


def test_the_collector_is_off_while_the_results_are_computed_and_on_again_after(plan, collector_on, monkeypatch):
    seen = []
    compute = services._target_results

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return compute(*args, **kwargs)

    monkeypatch.setattr(services, "_target_results", watched)
    assert progress_recompute(as_of=AS_OF) > 0
    assert seen and not any(seen)
    assert gc.isenabled()


def test_a_failing_recompute_turns_the_collector_back_on(plan, collector_on, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("engine failure")

    monkeypatch.setattr(services, "_target_results", broken)
    with pytest.raises(RuntimeError):
        progress_recompute(as_of=AS_OF)
    assert gc.isenabled()


def test_a_recompute_started_with_the_collector_off_leaves_it_off(plan, collector_on):
    gc.disable()
    progress_recompute(as_of=AS_OF)
    assert not gc.isenabled()


def test_results_are_inserted_in_the_order_of_their_target_and_period(plan):
    progress_recompute(as_of=AS_OF)
    keys = list(ProgressResult.objects.order_by("pk").values_list("target_id", "period_id"))
    assert len(keys) > 100
    assert keys == sorted(keys)


def test_the_inputs_are_stored_as_a_json_object_not_as_a_quoted_text(plan):
    progress_recompute(as_of=AS_OF)
    stored = ProgressResult.objects.order_by("pk").values_list("inputs", flat=True)[:50]
    assert all(isinstance(inputs, dict) and inputs["reason_code"] for inputs in stored)
    # Filterable as JSON in the database, as a hand-saved result's inputs are.
    assert ProgressResult.objects.filter(inputs__reason_code=stored[0]["reason_code"]).exists()


def test_each_result_keeps_its_reason_code_and_what_it_was_held_to_beside_its_inputs(plan):
    build_small()  # the plan with a few zones' figures, recomputed
    rows = list(ProgressResult.objects.values_list("reason_code", "against_goal", "inputs"))
    assert all(code == inputs["reason_code"] for code, _against, inputs in rows)
    assert all(against == basis_of(inputs)[1] for _code, against, inputs in rows)
    # Both kinds occur: a rate held to its goal at every point, a level held to a point on its path in the plan's
    # middle years.
    assert {against for _code, against, _inputs in rows} == {True, False}


def test_a_result_saved_by_hand_reads_its_code_from_its_inputs(plan):
    build_small()  # the plan with a few zones' figures, recomputed
    result = ProgressResult.objects.filter(reason_code="against_path", against_goal=False).first()
    result.inputs = {**result.inputs, "reason_params": {**result.inputs["reason_params"], "goal_year": 2025}}
    result.save()
    result.refresh_from_db()
    assert (result.reason_code, result.against_goal) == ("against_path", True)


def test_the_stored_inputs_read_back_as_the_engines_json_safe_inputs(plan, monkeypatch):
    """The recompute takes the engine's inputs as built (dates as dates) and encodes them itself (`inputs_text`): the
    text reads back as the JSON-safe inputs that `evaluate` gives, for every result of the plan."""
    build_small()
    series = engine.evaluate_series
    compared = []

    def both(spec, history, dates, *, today=None, raw_inputs=False):
        dates = list(dates)
        built = series(spec, history, dates, today=today, raw_inputs=True)
        safe = series(spec, history, dates, today=today)
        compared.extend((engine.inputs_text(b.inputs), s.inputs) for b, s in zip(built, safe, strict=True))
        return built

    monkeypatch.setattr(engine, "evaluate_series", both)
    ProgressResult.objects.all().delete()
    progress_recompute(as_of=AS_OF)
    assert len(compared) == ProgressResult.objects.count() > 100
    assert all(json.loads(text) == expected for text, expected in compared)


def _json_safe(inputs: dict) -> object:
    return json.loads(json.dumps(_jsonable(inputs)))


def test_inputs_as_built_are_encoded_as_their_json_safe_record():
    inputs = {
        "as_of": date(2025, 6, 30),
        "observation": {"period_end": date(2025, 6, 30), "value": 1.5},
        "points": (date(2024, 12, 31), 2),
        "by_day": {date(2024, 12, 31): 2.5, 7: "七"},
        "names": ["楚雄国家高新区"],
        "ratio": float("inf"),
        "gap": float("nan"),
    }
    text = engine.inputs_text(inputs)
    assert json.loads(text) == _json_safe(inputs)
    assert json.loads(text)["ratio"] is None and json.loads(text)["points"] == ["2024-12-31", 2]
    assert json.loads(text)["by_day"] == {"2024-12-31": 2.5, "7": "七"}
    assert "楚雄国家高新区" in text  # UTF-8, not escaped


def test_inputs_the_fast_encoder_refuses_take_the_json_safe_walk():
    inputs = {"as_of": date(2025, 6, 30), "huge": 2**70, "gap": float("nan")}
    assert json.loads(engine.inputs_text(inputs)) == _json_safe(inputs)
