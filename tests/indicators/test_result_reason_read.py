"""A result's reason as a page reads it (`result_reason_words`): in the portal's own language the stored sentence,
which the recompute wrote from the same code and parameters, so pages of hundreds of reasons decode no inputs; in
another language the words chosen from the code, with the inputs given as stored or as their JSON text."""

import json

import pytest
from django.utils import translation

from indicators.models import ProgressResult, result_reason_words
from indicators.progress.reasons import reason_text
from tests.dashboards.data import grow


@pytest.mark.django_db
def test_in_the_portals_language_the_stored_reason_is_the_words_the_code_gives(plan):
    grow()
    results = list(ProgressResult.objects.all())
    assert len({r.inputs.get("reason_code") for r in results}) > 5
    with translation.override("zh-hans"):
        for result in results:
            params = dict(result.inputs.get("reason_params") or {})
            if "missing_names" in result.inputs:
                params["missing_names"] = result.inputs["missing_names"]
            # What the fast path skips computing is what it returns.
            assert (reason_text(result.inputs.get("reason_code", ""), params) or result.reason) == result.reason
            assert result_reason_words(result.reason, json.dumps(result.inputs)) == result.reason


@pytest.mark.django_db
def test_in_english_the_words_come_from_the_code_whether_the_inputs_are_a_dict_or_their_text(plan):
    grow()
    red = ProgressResult.objects.filter(status="red").first()
    with translation.override("en"):
        words = result_reason_words(red.reason, red.inputs)
        assert words != red.reason
        assert result_reason_words(red.reason, json.dumps(red.inputs)) == words
        # A result from before reasons had codes keeps its sentence.
        assert result_reason_words("旧的说明", None) == "旧的说明"
