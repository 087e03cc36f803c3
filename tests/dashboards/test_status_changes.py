"""The overview's "what changed since the previous period": every target whose latest judged status differs."""

from django.utils import timezone

from indicators.dashboards import latest_judged, period_overview, period_pick, previous_period
from indicators.models import Target
from tests.dashboards.data import grow


def test_it_lists_exactly_the_targets_whose_status_changed(plan):
    grow()
    period = period_pick(today=timezone.localdate())
    previous = previous_period(period)
    targets = Target.objects.filter(indicator__plan=period.plan)
    # Every target's result loaded in full, the way the page did before it read keys and statuses only.
    now, before = latest_judged(as_of=period.end, targets=targets), latest_judged(as_of=previous.end, targets=targets)
    expected = {(t, before[t].status, now[t].status) for t in now if t in before and before[t].status != now[t].status}

    changes = period_overview(period=period, today=timezone.localdate())["changes"]

    assert expected, "the demo history should change some statuses between two periods"
    assert {(c["target_id"], c["old"], c["new"]) for c in changes} == expected
    shown = {c["target_id"]: c for c in changes}
    for target_id in shown:
        assert shown[target_id]["old_period"] == before[target_id].period.label
        assert shown[target_id]["new_period"] == now[target_id].period.label
        # Read as plain values, the rows say what the full results say.
        assert shown[target_id]["reason"] == now[target_id].reason_words
        assert shown[target_id]["scope"] == now[target_id].target.scope_label
        assert shown[target_id]["indicator"].name == now[target_id].target.indicator.name
        assert shown[target_id]["old_label"] == before[target_id].get_status_display()
