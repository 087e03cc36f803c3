"""The dashboards' shown results read without their inputs for a reader in the portal's language: a card says the
same as with the whole result, and reading it runs no query for the inputs left unread."""

import pytest
from django.utils import translation

from indicators.models import ProgressResult
from pages.dashboards.common import progress_card, result_as_of, results_shown
from tests.dashboards.data import grow


@pytest.fixture
def stale_and_current(plan):
    grow()
    with_values = list(ProgressResult.objects.exclude(actual=None).order_by("pk"))
    current = next(result for result in with_values if not result.inputs.get("stale"))
    stale = next(result for result in reversed(with_values) if result.pk != current.pk)
    stale.inputs = {**stale.inputs, "stale": True, "latest_value_at": "2024-03-31"}
    stale.save()
    return stale, current


def _card(result: ProgressResult) -> dict:
    return progress_card(result.target.indicator, result.target, result)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_card_of_a_result_read_for_the_page_says_what_the_whole_result_says(stale_and_current, language):
    with translation.override(language):
        for whole in stale_and_current:
            whole = ProgressResult.objects.select_related("period", "target__indicator").get(pk=whole.pk)
            (shown,) = results_shown([whole.pk])
            shown.period, shown.target = whole.period, whole.target
            assert _card(shown) == _card(whole)
            assert result_as_of(shown) == result_as_of(whole)
    stale, current = stale_and_current
    with translation.override("zh-hans"):
        (shown,) = results_shown([stale.pk])
        assert shown.stale_value_at == "2024-03-31"
        assert "2024" in result_as_of(shown) and "本期未报" in result_as_of(shown)
        (shown,) = results_shown([current.pk])
        assert shown.stale_value_at is None


def test_a_reader_in_the_portals_language_gets_the_card_without_reading_the_inputs(
    stale_and_current, django_assert_num_queries
):
    stale, _current = stale_and_current
    whole = ProgressResult.objects.select_related("period", "target__indicator").get(pk=stale.pk)
    with translation.override("zh-hans"):
        (shown,) = results_shown([stale.pk])
        assert "inputs" in shown.get_deferred_fields()
        shown.period, shown.target = whole.period, whole.target
        with django_assert_num_queries(0):
            card = _card(shown)
        assert card["reason"] == stale.reason
    with translation.override("en"):
        (shown,) = results_shown([stale.pk])
        assert "inputs" not in shown.get_deferred_fields()  # an English reader's reason is worded from them
