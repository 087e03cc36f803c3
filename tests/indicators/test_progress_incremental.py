"""The incremental recompute (after one report, import or figure) gives what a recompute from scratch gives,
writes only the results that differ, and runs a fixed number of queries however much data there is."""

import copy
import random
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from indicators.models import DispatchReport, Indicator, IndicatorValue, ProgressResult, ReportingPeriod, Target
from indicators.progress.services import progress_recompute, targets_for_report, targets_for_values
from parks.models import IndustryCluster, Zone

AS_OF = date(2025, 12, 31)
FIELDS = (
    "period_end",
    "status",
    "reason",
    "actual",
    "expected",
    "attainment",
    "projection",
    "required_rate",
    "inputs",
    "shown_until",
    "latest_until",
)


def snapshot() -> dict:
    """(target, period) → every field of the result that a page, the API or an audit reads, and computed_at."""
    return {
        (row[0], row[1]): row[2:]
        for row in ProgressResult.objects.values_list("target_id", "period_id", *FIELDS, "computed_at")
    }


def from_scratch() -> dict:
    """The results a full recompute with no stored results gives (rolled back: the database is left as it was)."""
    with transaction.atomic():
        ProgressResult.objects.all().delete()
        progress_recompute(as_of=AS_OF)
        fresh = snapshot()
        transaction.set_rollback(True)
    return fresh


def assert_same_results(incremental: dict, fresh: dict) -> None:
    assert incremental.keys() == fresh.keys()
    differing = [key for key in fresh if incremental[key][:-1] != fresh[key][:-1]]
    assert not differing, [(key, incremental[key], fresh[key]) for key in differing[:3]]


def _number(rng: random.Random) -> Decimal:
    return Decimal(rng.randint(0, 20000)) / 100


def generate(rng: random.Random, *, zones, years, share: float = 0.6, beyond_zones: bool = True) -> None:
    """A random history of every indicator with a target and of every part of a rate: values in most periods of
    the indicator's cadence, in `zones` (and every cluster and the prefecture unless not `beyond_zones`);
    milestones done on a day of their period or not at all."""
    scopes = [("zone", zone, None) for zone in zones]
    if beyond_zones:
        scopes += [("cluster", None, cluster) for cluster in IndustryCluster.objects.all()]
        scopes.append(("prefecture", None, None))
    indicators = set(Target.objects.values_list("indicator_id", flat=True))
    indicators |= {
        pk
        for row in Indicator.objects.filter(pk__in=indicators).values_list(
            "numerator_id", "denominator_id", "growth_of_id"
        )
        for pk in row
        if pk
    }
    periods = {}
    for period in ReportingPeriod.objects.filter(year__in=years):
        periods.setdefault(period.cadence, []).append(period)
    rows = []
    for indicator in Indicator.objects.filter(pk__in=indicators).order_by("pk"):
        for scope, zone, cluster in scopes:
            for period in periods.get(indicator.cadence, []):
                if rng.random() > share:
                    continue
                done_on = None
                if indicator.kind == Indicator.Kind.MILESTONE and rng.random() < 0.5:
                    done_on = period.start + timedelta(days=rng.randint(0, (period.end - period.start).days))
                rows.append(
                    IndicatorValue(
                        indicator=indicator,
                        period=period,
                        scope=scope,
                        zone=zone,
                        cluster=cluster,
                        value=_number(rng),
                        done_on=done_on,
                    )
                )
    IndicatorValue.objects.bulk_create(rows, batch_size=500)


def _key(value: IndicatorValue) -> tuple:
    return (value.indicator_id, value.scope, value.zone_id, value.cluster_id)


def _pick(rng: random.Random, **filters) -> IndicatorValue:
    values = list(IndicatorValue.objects.filter(**filters).order_by("pk"))
    return rng.choice(values)


# Each change: what it does to the data, and the (indicator, scope, zone, cluster) keys it touched.


def change_value(rng, **filters):
    value = _pick(rng, **filters)
    value.value = _number(rng)
    value.save()
    return [_key(value)]


def remove_value(rng, **filters):
    value = _pick(rng, **filters)
    value.delete()
    return [_key(value)]


def blank_value(rng, **filters):
    value = _pick(rng, **filters)
    value.value = None
    value.save()
    return [_key(value)]


def add_value(rng, **filters):
    """A value in a period where its series had none (or the province's figure beside a unit's entry)."""
    value = _pick(rng, **filters)
    taken = set(
        IndicatorValue.objects.filter(
            indicator=value.indicator, scope=value.scope, zone=value.zone, cluster=value.cluster
        ).values_list("period_id", flat=True)
    )
    free = list(
        ReportingPeriod.objects.filter(cadence=value.indicator.cadence, year__gte=2022, end__lte=AS_OF)
        .exclude(pk__in=taken)
        .order_by("pk")
    )
    period, source = (rng.choice(free), "portal") if free else (value.period, "province")
    IndicatorValue.objects.create(
        indicator=value.indicator,
        period=period,
        scope=value.scope,
        zone=value.zone,
        cluster=value.cluster,
        value=_number(rng),
        source=source,
    )
    return [_key(value)]


def return_report(rng, **filters):
    """A submitted report's values stop counting when it is returned (as `report_return` recomputes)."""
    value = _pick(rng, **filters)
    report = DispatchReport.objects.create(zone=value.zone, period=value.period, state=DispatchReport.State.SUBMITTED)
    IndicatorValue.objects.filter(pk=value.pk).update(report=report)
    report.state = DispatchReport.State.RETURNED
    report.save()
    return None, report


CHANGES = [
    # 禄丰's output: its own targets, and the prefecture's growth rolled up from the zones' summed output.
    (change_value, {"indicator__code": "industrial-output", "scope": "zone"}),
    # a part of 禄丰's leading-industry share: its share, and the prefecture's share of the zones' summed parts.
    (add_value, {"indicator__code": "leading-industry-revenue", "scope": "zone"}),
    (remove_value, {"indicator__code": "operating-revenue", "scope": "zone"}),
    (return_report, {"indicator__code": "industrial-output", "scope": "zone"}),
    (change_value, {"scope": "prefecture"}),
    (change_value, {"scope": "cluster"}),
    (blank_value, {"scope": "zone"}),
    (add_value, {"indicator__kind": "milestone", "scope": "zone"}),
    (remove_value, {"period__year": 2022}),  # the baseline year
    (change_value, {}),
    (add_value, {}),
    (remove_value, {}),
]


@pytest.fixture
def history(plan):
    generate(random.Random(20231231), zones=list(Zone.objects.order_by("order")), years=range(2022, 2026))
    progress_recompute(as_of=AS_OF)


def test_the_incremental_recompute_after_each_change_gives_the_results_of_a_recompute_from_scratch(history):
    rng = random.Random(1)
    assert_same_results(snapshot(), from_scratch())
    for change, filters in CHANGES:
        before = snapshot()
        keys = change(rng, **filters)
        target_ids = targets_for_report(keys[1]) if isinstance(keys, tuple) else targets_for_values(keys)
        progress_recompute(target_ids=target_ids, as_of=AS_OF)
        after = snapshot()
        assert_same_results(after, from_scratch())
        # Only what changed was written: an unchanged result keeps its computed_at, a changed one has a new one.
        changed = {key for key in after if key not in before or after[key][:-1] != before[key][:-1]}
        rewritten = {key for key in after if key not in before or after[key][-1] != before[key][-1]}
        assert rewritten == changed, change.__name__
        assert changed <= {key for key in after if key[0] in target_ids}


def test_the_roll_ups_of_a_zone_value_are_among_the_targets_it_changes(plan):
    output = Indicator.objects.get(code="industrial-output")
    share = Indicator.objects.get(code="leading-industry-share")
    lufeng = plan["lufeng"]
    found = set(
        targets_for_values([(output.pk, "zone", lufeng.pk, None), (share.numerator_id, "zone", lufeng.pk, None)])
    )
    expected = set(Target.objects.filter(indicator=output, scope="zone", zone=lufeng).values_list("pk", flat=True))
    expected |= set(Target.objects.filter(indicator__growth_of=output, scope="prefecture").values_list("pk", flat=True))
    expected |= set(Target.objects.filter(indicator=share, scope__in=["prefecture"]).values_list("pk", flat=True))
    expected |= set(Target.objects.filter(indicator=share, zone=lufeng).values_list("pk", flat=True))
    assert found == expected
    # Not another zone's targets of the same indicators: their values did not change.
    assert not found & set(Target.objects.exclude(zone=lufeng).filter(scope="zone").values_list("pk", flat=True))


def _incremental_queries(rng) -> tuple[list[str], list[str]]:
    """Reads and writes of the recompute after one of 禄丰's output values changed."""
    value = (
        IndicatorValue.objects.filter(indicator__code="industrial-output", zone__code="lufeng", period__year=2024)
        .order_by("pk")
        .first()
    )
    value.value += 1
    value.save()
    target_ids = targets_for_values([_key(value)])
    with CaptureQueriesContext(connection) as queries:
        progress_recompute(target_ids=target_ids, as_of=AS_OF)
    # An executemany is logged as "<n> times: <statement>" ("?" for an iterator of rows).
    statements = [re.sub(r"^(\d+|\?) times: ", "", query["sql"]) for query in queries.captured_queries]
    writes = [sql for sql in statements if sql.startswith(("INSERT", "UPDATE", "DELETE"))]
    return [sql for sql in statements if sql not in writes], writes


def test_the_incremental_recompute_runs_the_same_few_queries_at_any_data_size(plan):
    rng = random.Random(7)
    lufeng = plan["lufeng"]
    generate(rng, zones=[lufeng], years=[2024], share=1.0, beyond_zones=False)
    progress_recompute(as_of=AS_OF)
    small, small_values = _incremental_queries(rng), IndicatorValue.objects.count()
    generate(rng, zones=list(Zone.objects.exclude(pk=lufeng.pk).order_by("order")), years=range(2022, 2026))
    generate(rng, zones=[lufeng], years=[2022, 2023, 2025], share=1.0, beyond_zones=False)
    progress_recompute(as_of=AS_OF)
    assert IndicatorValue.objects.count() > 10 * small_values
    large = _incremental_queries(rng)
    (small_reads, small_writes), (large_reads, large_writes) = small, large
    # 14 reads, and on PostgreSQL the advisory lock that queues recomputes one after the other.
    assert len(small_reads) == len(large_reads) <= (15 if connection.vendor == "postgresql" else 14)
    # The changed results in one upsert, rewritten in place, whatever the number of periods or zones.
    assert len(small_writes) <= 1 and len(large_writes) == 1
    assert large_writes[0].startswith("INSERT") and "ON CONFLICT" in large_writes[0]


def test_a_result_saved_by_hand_is_rewritten_by_the_next_recompute_and_an_untouched_one_is_not(history):
    touched = ProgressResult.objects.order_by("pk").first()
    # Of another target: a hand edit refreshes its own target's spans, and rows whose spans it changed are rewritten.
    untouched = ProgressResult.objects.exclude(target_id=touched.target_id).order_by("pk").first()
    computed = snapshot()
    touched.status = ProgressResult.Status.RED if touched.status != ProgressResult.Status.RED else "green"
    touched.reason = "edited by hand"
    touched.save()
    assert ProgressResult.objects.get(pk=touched.pk).fingerprint is None

    progress_recompute(as_of=AS_OF)

    after = snapshot()
    again = ProgressResult.objects.get(target_id=touched.target_id, period_id=touched.period_id)
    assert after[(touched.target_id, touched.period_id)][:-1] == computed[(touched.target_id, touched.period_id)][:-1]
    # Rewritten in place: the same row, its digest and computed_at new.
    assert again.pk == touched.pk and again.fingerprint is not None and again.computed_at > touched.computed_at
    assert ProgressResult.objects.get(pk=untouched.pk).computed_at == untouched.computed_at


def test_the_fingerprint_tells_every_compared_field_apart():
    from indicators.progress.services import result_fingerprint

    result = (
        1,
        2,
        date(2025, 6, 30),
        "amber",
        "低于序时进度",
        Decimal("10.5"),
        Decimal("12"),
        Decimal("0.875"),
        None,
        Decimal("8.1"),
        '{"history": [{"period_end": "2025-06-30", "value": 10.5}], "stale": false}',
        date(2025, 7, 31),
        None,
    )
    assert result_fingerprint(copy.deepcopy(result)) == result_fingerprint(result)  # the content, not the objects
    # The target and period are the row's key, not its content.
    assert result_fingerprint((9, 9, *result[2:])) == result_fingerprint(result)
    changed = [
        date(2025, 7, 31),
        "red",
        "低于序时进度。",
        Decimal("10.6"),
        None,
        Decimal("0.8751"),
        Decimal("1"),
        Decimal("8.2"),
        '{"history": [{"period_end": "2025-06-30", "value": 10.4}], "stale": false}',
        date(9999, 12, 31),
        date(2025, 7, 31),
    ]
    for at, value in enumerate(changed, start=2):
        other = (*result[:at], value, *result[at + 1 :])
        assert result_fingerprint(other) != result_fingerprint(result), at


def test_a_late_report_of_a_period_before_the_plan_rewrites_no_milestone_result_it_leaves_as_it_was(plan):
    """A milestone counts the reports of the plan's time: one of the baseline year, sent late and claiming nothing,
    changes none of its results, and the recompute (and so the sync API's change feed) leaves them all alone."""
    target = Target.objects.filter(indicator__kind="milestone", zone__isnull=False).select_related("indicator").first()
    indicator, zone = target.indicator, target.zone
    periods = ReportingPeriod.objects.filter(cadence=indicator.cadence).order_by("start")
    first_of_plan, baseline = periods.filter(year=2023).first(), periods.filter(year=2022).first()
    IndicatorValue.objects.create(indicator=indicator, period=first_of_plan, scope="zone", zone=zone, value=0)
    progress_recompute(as_of=AS_OF)
    before = {key: row for key, row in snapshot().items() if key[0] == target.pk}
    assert len(before) > 1 and any(row[FIELDS.index("inputs")].get("observations") == 1 for row in before.values())

    IndicatorValue.objects.create(indicator=indicator, period=baseline, scope="zone", zone=zone, value=0)
    progress_recompute(as_of=AS_OF)

    after = {key: row for key, row in snapshot().items() if key[0] == target.pk}
    assert after == before  # computed_at included: not one rewritten
