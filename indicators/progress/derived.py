"""Figures the portal computes rather than takes as typed: rates from their parts, and the prefecture's
figures rolled up from its zones (indicators/progress/rollup.py does the arithmetic).

- A share with a numerator and a denominator is computed from them in every scope and period where both
  were entered; where they were not, a typed-in rate is used and marked as typed.
- The prefecture's figure of a growth rate with a level behind it (`growth_of`) is the growth of the
  zones' summed levels; of a share with parts, the zones' summed numerators over their summed
  denominators. A zone without a figure makes the roll-up incomplete: the observation has no value
  and names the zone, so that the engine says "incomplete" instead of reading a zero.
- A zone with areas (片区) and no figure of its own for a period has its areas' levels summed into it
  (`area_sums`), complete or not at all: one area without a figure leaves the zone without one.
"""

from collections import defaultdict
from datetime import date

from django.db.models import Q

from parks.models import Area, Zone

from ..models import AreaFigure, Indicator, IndicatorValue, ReportingPeriod, keep_official
from . import engine, rollup

PREFECTURE_KEY = ("prefecture", None, None)


def area_sums(indicator_ids: set[int], hierarchy: rollup.Hierarchy) -> dict[tuple[int, int, str], tuple]:
    """(indicator, period, zone code) → (period end, the zone's areas' levels summed through the hierarchy),
    for every zone some of whose areas have a figure of a level indicator. One query."""
    rows = AreaFigure.objects.filter(indicator_id__in=indicator_ids, indicator__kind=Indicator.Kind.LEVEL).values_list(
        "indicator_id", "period_id", "period__end", "area__code", "value"
    )
    figures: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    ends: dict[int, date] = {}
    for indicator_id, period_id, end, area_code, value in rows:
        figures[(indicator_id, period_id)][area_code] = float(value)
        ends[period_id] = end
    sums = {}
    for (indicator_id, period_id), by_area in figures.items():
        for zone in {hierarchy.parent(area) for area in by_area} - {None}:
            sums[(indicator_id, period_id, zone)] = (
                ends[period_id],
                rollup.sum_levels(by_area, hierarchy.members(zone)),
            )
    return sums


def in_scopes(scope_keys) -> Q:
    """The rows (values, targets) of the given scope keys (scope, zone id, cluster id)."""
    zones = {zone for scope, zone, _cluster in scope_keys if scope == "zone"}
    clusters = {cluster for scope, _zone, cluster in scope_keys if scope == "cluster"}
    condition = Q(scope="zone", zone_id__in=zones) | Q(scope="cluster", cluster_id__in=clusters)
    if PREFECTURE_KEY in scope_keys:
        condition |= Q(scope="prefecture")
    return condition


def _values_by_period(
    indicator_ids: set[int],
    hierarchy: rollup.Hierarchy | None = None,
    zone_ids: dict[str, int] | None = None,
    scopes: set[tuple] | None = None,
) -> dict[tuple[int, int], dict[tuple, float]]:
    """(indicator, period) → {scope key: value} (of `scopes` only, when given); the province's figure wins over
    a unit's entry; a zone without a figure of its own takes its areas' complete sum."""
    rows = IndicatorValue.objects.counted().filter(indicator_id__in=indicator_ids, value__isnull=False)
    if scopes is not None:
        rows = rows.filter(in_scopes(scopes))
    rows = rows.values_list("indicator_id", "period_id", "scope", "zone_id", "cluster_id", "source", "value")
    chosen: dict[tuple, float] = {}
    for indicator_id, period_id, scope, zone_id, cluster_id, source, value in rows:
        keep_official(chosen, (indicator_id, period_id, (scope, zone_id, cluster_id)), source, float(value))
    found: dict[tuple[int, int], dict[tuple, float]] = defaultdict(dict)
    for (indicator_id, period_id, scope_key), value in chosen.items():
        found[(indicator_id, period_id)][scope_key] = value
    if hierarchy is not None and zone_ids:
        for (indicator_id, period_id, zone), (_end, summed) in area_sums(indicator_ids, hierarchy).items():
            scope_key = ("zone", zone_ids.get(zone), None)
            if summed.complete and scope_key not in found[(indicator_id, period_id)]:
                found[(indicator_id, period_id)][scope_key] = summed.value
    return found


def zone_hierarchy() -> rollup.Hierarchy:
    """The organisational hierarchy: the prefecture's zones in order, each with its areas under it and its host
    county beside it."""
    zones = list(Zone.objects.select_related("county").order_by("order"))
    areas: dict[str, list[str]] = defaultdict(list)
    for zone_code, area_code in Area.objects.order_by("zone__order", "order", "code").values_list("zone__code", "code"):
        areas[zone_code].append(area_code)
    return rollup.Hierarchy(
        zones=tuple(z.code for z in zones),
        counties={z.code: z.county.code for z in zones},
        areas={zone: tuple(codes) for zone, codes in areas.items()},
    )


def derived_histories(
    indicators: list[Indicator],
    hierarchy: rollup.Hierarchy,
    keys: set[tuple] | None = None,
    *,
    zone_ids: dict[str, int] | None = None,
) -> tuple[dict, set]:
    """Computed observations per (indicator, scope key), and which (indicator, scope key, period end) were
    computed from parts rather than typed. Only indicators with parts or a level behind them are derived.

    `keys`: the (indicator, scope key) pairs wanted (all when None); the parts are then read in those scopes
    only, unless the prefecture's roll-up (of every zone) is wanted. `zone_ids`: zone code → id, when the
    caller has it already."""
    wanted = [i for i in indicators if (i.numerator_id and i.denominator_id) or i.growth_of_id]
    if keys is not None:
        wanted = [i for i in wanted if any(indicator_id == i.pk for indicator_id, _scope in keys)]
    if not wanted:
        return {}, {}
    scopes = None if keys is None else {scope for indicator_id, scope in keys}
    if scopes is not None and PREFECTURE_KEY in scopes:
        scopes = None  # the roll-up reads every zone
    members = hierarchy.members(rollup.PREFECTURE)
    if zone_ids is None:
        zone_ids = dict(Zone.objects.filter(code__in=members).values_list("code", "pk"))
    ids = {code: zone_ids[code] for code in members if code in zone_ids}
    zone_codes = {ids[code]: code for code in members if code in ids}  # in the hierarchy's order
    part_ids = {pid for i in wanted for pid in (i.numerator_id, i.denominator_id, i.growth_of_id) if pid}
    values = _values_by_period(part_ids, hierarchy, ids, scopes)
    periods = {p.pk: p for p in ReportingPeriod.objects.filter(pk__in={pid for _, pid in values})}
    same_point = {(p.cadence, p.year, p.index): p for p in periods.values()}
    histories: dict[tuple, list[engine.Observation]] = defaultdict(list)
    computed_keys: set[tuple] = set()
    for indicator in wanted:
        for period in periods.values():
            if indicator.numerator_id and indicator.denominator_id:
                _share(indicator, period, values, zone_codes, histories, computed_keys)
            if indicator.growth_of_id:
                earlier = same_point.get((period.cadence, period.year - 1, period.index))
                _growth(indicator, period, earlier, values, zone_codes, histories)
    for history in histories.values():
        history.sort(key=lambda obs: obs.period_end)
    return histories, computed_keys


def _share(indicator, period, values, zone_codes, histories, computed_keys) -> None:
    members = tuple(zone_codes.values())
    tops = values.get((indicator.numerator_id, period.pk), {})
    bottoms = values.get((indicator.denominator_id, period.pk), {})
    for scope_key in set(tops) & set(bottoms):
        if (rate := rollup.rate_from_parts(tops[scope_key], bottoms[scope_key])) is not None:
            histories[(indicator.pk, scope_key)].append(engine.Observation(period_end=period.end, value=rate))
            computed_keys.add((indicator.pk, scope_key, period.end))
    zone_tops = {zone_codes.get(zone_id): v for (scope, zone_id, _c), v in tops.items() if scope == "zone"}
    zone_bottoms = {zone_codes.get(zone_id): v for (scope, zone_id, _c), v in bottoms.items() if scope == "zone"}
    if (zone_tops or zone_bottoms) and PREFECTURE_KEY not in tops:
        rolled = rollup.share_from_parts(zone_tops, zone_bottoms, members)
        histories[(indicator.pk, PREFECTURE_KEY)].append(
            engine.Observation(period_end=period.end, value=rolled.value, missing=rolled.missing)
        )
        computed_keys.add((indicator.pk, PREFECTURE_KEY, period.end))


def _growth(indicator, period, earlier, values, zone_codes, histories) -> None:
    if earlier is None:
        return
    now = {
        zone_codes.get(zone_id): v
        for (scope, zone_id, _c), v in values.get((indicator.growth_of_id, period.pk), {}).items()
        if scope == "zone"
    }
    before = {
        zone_codes.get(zone_id): v
        for (scope, zone_id, _c), v in values.get((indicator.growth_of_id, earlier.pk), {}).items()
        if scope == "zone"
    }
    if not now and not before:
        return
    members = tuple(zone_codes.values())
    growth = rollup.growth_from_levels(rollup.sum_levels(now, members), rollup.sum_levels(before, members))
    histories[(indicator.pk, PREFECTURE_KEY)].append(
        engine.Observation(period_end=period.end, value=growth.value, missing=growth.missing)
    )


def merge(typed: list[engine.Observation], computed: list[engine.Observation]) -> list[engine.Observation]:
    """Computed observations replace typed ones of the same period end; typed ones stay where none was computed."""
    by_end: dict[date, engine.Observation] = {obs.period_end: obs for obs in typed}
    by_end.update({obs.period_end: obs for obs in computed})
    return [by_end[end] for end in sorted(by_end)]
