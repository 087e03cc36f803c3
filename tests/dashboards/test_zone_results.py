"""The zone page picks each target's latest judged result in Python from the zone's results as plain rows
(`zone._zone_results`): it must be the result `common.latest_judged` picks in SQL, for every zone and date, with
every result's status and its words by (target, period) for the charts beside it."""

from datetime import date

import pytest

from indicators.models import ProgressResult, Scope, Target
from pages.dashboards.common import latest_judged_ids, result_status_label
from pages.dashboards.zone import _zone_results
from parks.models import Zone


@pytest.mark.parametrize("as_of", [date(2023, 1, 31), date(2024, 6, 30), date(2025, 11, 30), date(2026, 12, 31)])
def test_it_picks_the_results_latest_judged_picks(data, as_of):
    # A judged result with a later grey one after it, and a later result with data that is not judged: the grey one
    # must not hide the judgement, nor a result without data the one with it.
    latest = ProgressResult.objects.filter(target__zone__code="lufeng", period_end__lte=as_of).order_by("-period_end")
    for result in latest[:3]:
        ProgressResult.objects.filter(pk=result.pk).update(status="grey")
    seen = 0
    for zone in Zone.objects.all():
        queryset = Target.objects.filter(scope=Scope.ZONE, zone=zone)
        targets = list(queryset.select_related("indicator"))
        results, statuses = _zone_results(as_of=as_of, targets=targets, queryset=queryset)
        assert {t: r.pk for t, r in results.items()} == latest_judged_ids(as_of=as_of, targets=queryset), zone.code
        assert all(r.target is next(t for t in targets if t.pk == r.target_id) for r in results.values())
        assert statuses == {
            (r.target_id, r.period_id): (r.status, result_status_label(r))
            for r in ProgressResult.objects.filter(target__zone=zone)
        }
        seen += len(results)
    assert seen or as_of < date(2024, 1, 1)
