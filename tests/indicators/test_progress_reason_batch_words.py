"""A recompute words its reasons with one `translator()`, the language looked up once for the whole batch: the
words are the same, in each language, as gettext asked afresh for every message of every reason."""

import json
import random
import re
from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import gettext

from indicators.models import ProgressResult
from indicators.progress import reasons
from indicators.progress.reasons import reason_text, stored_params, translator
from indicators.progress.services import progress_recompute
from parks.models import Zone
from tests.indicators.test_progress_incremental import generate
from tests.indicators.test_progress_reason_words import outcomes


def literal_reason_text(code: str, params: dict) -> str | None:
    """The definition: every message looked up in the catalogue of the active language, nothing remembered."""
    try:
        text = reasons._sentence(code, params, gettext)
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if text is not None and params.get("data_as_of"):
        text += gettext("（最新数据截至%(date)s）") % {"date": reasons._day(params["data_as_of"], gettext)}
    return text


def all_params():
    found = [(outcome.code, stored_params(outcome, unit=spec.unit)) for spec, outcome in outcomes()]
    found += [(reasons.NO_CURRENT_DATA, {}), (reasons.NO_CURRENT_DATA, {"data_as_of": "2024-06-30"})]
    found += [("no_such_code", {}), ("against_path", {"measure": "actual"})]  # unknown code, missing parameters
    return found


@pytest.fixture
def fresh_catalogues(monkeypatch):
    monkeypatch.setattr(reasons, "_TRANSLATED", {})


def test_a_batch_of_reasons_has_the_words_of_gettext_asked_for_each_message(fresh_catalogues):
    params = all_params()
    assert len({code for code, _ in params}) > 25
    rng = random.Random(20261202)
    with translation.override("en"):
        english = translator()
    with translation.override("zh-hans"):
        chinese = translator()
    for _round in range(3):
        rng.shuffle(params)
        for code, p in params:
            for language, words in (("en", english), ("zh-hans", chinese)):
                # The batch's language is the one active when it took its words, whichever is active now.
                other = "zh-hans" if language == "en" else "en"
                with translation.override(other):
                    batch = reason_text(code, p, words=words)
                with translation.override(language):
                    assert batch == literal_reason_text(code, p) == reason_text(code, p), (language, code, p)
    with translation.override("en"):
        assert "达到" not in " ".join(filter(None, (reason_text(code, p, words=english) for code, p in params)))


def test_a_batch_looks_the_language_up_once(monkeypatch, fresh_catalogues):
    calls = []
    real = reasons.get_language
    monkeypatch.setattr(reasons, "get_language", lambda: calls.append(1) or real())
    params = all_params()
    with translation.override("en"):
        words = translator()
        texts = [reason_text(code, p, words=words) for code, p in params]
        assert len(calls) == 1
        assert texts == [reason_text(code, p) for code, p in params]  # without a batch: once per reason
        assert len(calls) == 1 + len(params)


@pytest.fixture
def two_zones_two_years(plan):
    generate(random.Random(7), zones=list(Zone.objects.all()[:2]), years=[2023, 2024])


def spied(monkeypatch, name: str) -> list:
    """The calls of `reasons.<name>` (their arguments), noted as they are made; the function still answers."""
    calls, real = [], getattr(reasons, name)
    monkeypatch.setattr(reasons, name, lambda *args, **kwargs: calls.append(args) or real(*args, **kwargs))
    return calls


@pytest.mark.django_db
def test_a_full_recompute_looks_the_language_up_once_and_keeps_the_reasons_in_chinese(monkeypatch, two_zones_two_years):
    calls = spied(monkeypatch, "get_language")
    with translation.override("en"):  # whoever triggers it
        count = progress_recompute(as_of=date(2024, 12, 31))
    assert count > 100 and len(calls) == 1
    stored = list(ProgressResult.objects.values_list("reason", flat=True))
    assert sum("序时" in reason for reason in stored) > 20
    assert not [reason for reason in stored if re.search("[A-Za-z]{3,}", reason)]  # no English words


@pytest.mark.django_db
def test_a_full_recompute_words_each_reason_once_and_stores_the_words_of_each_result(monkeypatch, two_zones_two_years):
    real = reasons.reason_text
    worded = spied(monkeypatch, "reason_text")
    count = progress_recompute(as_of=date(2024, 12, 31))
    rows = list(ProgressResult.objects.values_list("reason_code", "inputs", "reason"))
    assert count == len(rows) > 100
    said = {(code, json.dumps(inputs["reason_params"], sort_keys=True)) for code, inputs, _reason in rows}
    # Worded once per different thing said (the missing zones' names of a roll-up go in with its parameters).
    assert len(worded) <= len(said) + sum(bool(inputs.get("missing_names")) for _code, inputs, _reason in rows)
    assert len(worded) < len(rows) / 2
    monkeypatch.setattr(reasons, "reason_text", real)
    for code, inputs, reason in rows:
        params = {
            **inputs["reason_params"],
            **({"missing_names": inputs["missing_names"]} if "missing_names" in inputs else {}),
        }
        assert reason == (reason_text(code, params) or reason), (code, params)
