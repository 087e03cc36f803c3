"""The result spans (`indicators.progress.spans`): the read model that says which of a target's results the pages
show on a day. The spans the recompute writes, and those refreshed after a change by hand, must pick on every day
the result the rule picks over the stored rows."""

import random
from datetime import date, timedelta

import pytest

from indicators.models import ProgressResult, Target
from indicators.models.progress import result_spans_refresh
from indicators.progress import spans
from indicators.selectors import latest_results, results_on, statuses_on
from pages.dashboards.common import latest_judged_ids
from tests.dashboards.data import grow

D = date


def test_each_result_is_shown_until_the_next_one_of_its_rank_or_better_takes_its_place():
    rows = [
        (D(2023, 1, 31), False, False),  # nothing yet: shown until a figure comes in
        (D(2023, 2, 28), False, True),  # a figure, not judged
        (D(2023, 3, 31), True, True),  # judged
        (D(2023, 4, 30), False, True),  # a figure not judged (grey): never shown, the judgement stays
        (D(2023, 5, 31), False, False),  # nothing: never shown
        (D(2023, 6, 30), True, True),  # the next judgement
    ]
    assert spans.spans(rows, spans.SHOWN) == [
        D(2023, 2, 28),
        D(2023, 3, 31),
        D(2023, 6, 30),
        None,
        None,
        spans.OPEN,
    ]
    # The task statuses count the latest figure, judged or not.
    assert spans.spans(rows, spans.LATEST) == [
        D(2023, 2, 28),
        D(2023, 3, 31),
        D(2023, 4, 30),
        D(2023, 6, 30),
        None,
        spans.OPEN,
    ]
    assert spans.spans([], spans.SHOWN) == []


def test_at_the_same_period_end_the_later_row_wins_and_the_earlier_has_an_empty_span():
    rows = [(D(2024, 6, 30), True, True), (D(2024, 6, 30), True, True)]
    assert spans.spans(rows, spans.SHOWN) == [D(2024, 6, 30), spans.OPEN]
    assert spans.picked(rows, spans.SHOWN, D(2024, 6, 30)) == 1


@pytest.mark.parametrize("kind", [spans.SHOWN, spans.LATEST])
def test_on_every_day_the_span_that_holds_it_is_the_result_the_rule_picks(kind):
    rng = random.Random(20230426)
    for _ in range(300):
        day = D(2023, 1, 1)
        rows = []
        for _row in range(rng.randint(0, 12)):
            day += timedelta(days=rng.choice([0, 1, 14, 31]))
            judged = rng.random() < 0.4
            rows.append((day, judged, judged or rng.random() < 0.5))
        until = spans.spans(rows, kind)
        for probe in [D(2022, 12, 31), *(end for end, *_ in rows), *(end + timedelta(days=1) for end, *_ in rows)]:
            holding = [i for i, (end, *_) in enumerate(rows) if until[i] is not None and end <= probe < until[i]]
            expected = spans.picked(rows, kind, probe)
            assert holding == ([] if expected is None else [expected]), (rows, probe)


def _rule(kind: str, day: date, targets=None) -> dict[int, int]:
    """Target → the result the rule picks on `day`, over every stored result (no spans read)."""
    rows: dict[int, list] = {}
    stored = ProgressResult.objects.order_by("target_id", "period_end", "pk")
    if targets is not None:
        stored = stored.filter(target__in=targets)
    for pk, target_id, end, status, actual in stored.values_list("pk", "target_id", "period_end", "status", "actual"):
        rows.setdefault(target_id, []).append((pk, (end, status != "grey", actual is not None)))
    picked = {}
    for target_id, results in rows.items():
        place = spans.picked([facts for _pk, facts in results], kind, day)
        if place is not None:
            picked[target_id] = results[place][0]
    return picked


DAYS = [
    D(2022, 12, 31),
    D(2023, 1, 31),
    D(2023, 6, 30),
    D(2024, 3, 15),
    D(2024, 12, 31),
    D(2025, 8, 31),
    D(2026, 12, 1),
]


@pytest.mark.django_db
def test_the_recomputed_spans_read_back_what_the_rule_picks_on_any_day(plan):
    grow()  # the demo history, recomputed
    assert {"green", "amber", "red", "grey"} <= set(ProgressResult.objects.values_list("status", flat=True))
    assert ProgressResult.objects.filter(shown_until=spans.OPEN).exists()
    some = Target.objects.filter(indicator__task__number=9)
    for day in DAYS:
        for kind in (spans.SHOWN, spans.LATEST):
            expected = _rule(kind, day)
            assert dict(results_on(day, kind=kind).values_list("target_id", "pk")) == expected, (kind, day)
            assert {t: pk for t, (pk, _s) in statuses_on([day], kind=kind, target_ids=expected)[0].items()} == expected
            assert dict(results_on(day, kind=kind, targets=some).values_list("target_id", "pk")) == _rule(
                kind, day, some
            )
        assert latest_judged_ids(as_of=day) == _rule(spans.SHOWN, day)
        assert {t: r.pk for t, r in latest_results(as_of=day).items()} == _rule(spans.LATEST, day)


@pytest.mark.django_db
def test_a_result_saved_or_deleted_by_hand_refreshes_its_targets_spans(plan):
    grow()
    judged = ProgressResult.objects.exclude(status="grey").filter(shown_until=spans.OPEN).order_by("pk").first()
    target = judged.target_id
    day = judged.period_end
    assert _rule(spans.SHOWN, day)[target] == judged.pk

    judged.status = ProgressResult.Status.GREY
    judged.actual = None
    judged.save()  # no longer judged nor with data: the result before it is shown again
    assert judged.shown_until != spans.OPEN
    assert dict(results_on(day).values_list("target_id", "pk"))[target] == _rule(spans.SHOWN, day)[target] != judged.pk

    latest = ProgressResult.objects.filter(target_id=target).order_by("-period_end", "-pk").first()
    latest.delete()
    assert dict(results_on(spans.OPEN - timedelta(days=1)).values_list("target_id", "pk")).get(target) == _rule(
        spans.SHOWN, spans.OPEN - timedelta(days=1)
    ).get(target)
    # Rows whose spans changed lose their digest: the next recompute rewrites them whole.
    assert ProgressResult.objects.filter(target_id=target, fingerprint__isnull=True).exists()
    assert result_spans_refresh([target]) == 0  # nothing left to change


def _span_indexes() -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, ProgressResult._meta.db_table)
    return {name for name, about in found.items() if about["index"] and about["columns"][0].endswith("_until")}


@pytest.mark.django_db
def test_a_large_write_builds_the_span_indexes_again_and_they_read_what_the_rule_picks(plan, monkeypatch):
    from indicators.progress import services

    # Every write counts as large: on SQLite the span indexes are set aside and built again after it.
    monkeypatch.setattr(services, "_REBUILD_FROM_ROWS", 1)
    grow()
    assert _span_indexes() == {"result_shown_on_day", "result_latest_on_day"}
    day = D(2025, 8, 31)
    for kind in (spans.SHOWN, spans.LATEST):
        assert dict(results_on(day, kind=kind).values_list("target_id", "pk")) == _rule(kind, day)
