"""Reads for reconciling the province's official figures with what the prefecture's units entered.

A row is a province value (source=province) whose key (indicator, scope, zone/cluster, period) also
has a unit-entered value (source=portal), where the two differ. One query, computed in the database.
"""

from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from indicators.models import IndicatorValue
from indicators.selectors import values_visible_to


def reconciliation_rows(user=None) -> QuerySet[IndicatorValue]:
    """Province values annotated with `portal_value` (and its id), only where both exist and differ.

    With `user`, only the unit values that user may read count (`selectors.values_visible_to`): a zone user does not
    see another zone's unpublished entry, nor learn from a row's presence that it differs.
    """
    visible = values_visible_to(user, IndicatorValue.objects.all()) if user is not None else IndicatorValue.objects
    portal = (
        visible.filter(
            source=IndicatorValue.Source.PORTAL,
            indicator_id=OuterRef("indicator_id"),
            period_id=OuterRef("period_id"),
            scope=OuterRef("scope"),
        )
        .annotate(_zone=Coalesce("zone_id", Value(0)), _cluster=Coalesce("cluster_id", Value(0)))
        .filter(_zone=Coalesce(OuterRef("zone_id"), Value(0)), _cluster=Coalesce(OuterRef("cluster_id"), Value(0)))
    )
    return (
        IndicatorValue.objects.filter(source=IndicatorValue.Source.PROVINCE, value__isnull=False)
        .annotate(
            portal_value=Subquery(
                portal.values("value")[:1], output_field=DecimalField(max_digits=18, decimal_places=4)
            ),
            portal_value_id=Subquery(portal.values("pk")[:1]),
        )
        .filter(portal_value__isnull=False)
        .exclude(portal_value=F("value"))
        .select_related("indicator", "zone", "cluster", "period")
        .order_by("period__end", "indicator__order", "indicator__code", "zone__order", "cluster__order", "id")
    )


def difference(row: IndicatorValue) -> tuple[Decimal | None, Decimal | None]:
    """(province − unit, that difference as % of the unit's value); the % is None when the unit value is 0."""
    if row.value is None or row.portal_value is None:
        return None, None
    diff = row.value - row.portal_value
    pct = None if row.portal_value == 0 else (diff / abs(row.portal_value) * 100).quantize(Decimal("0.01"))
    return diff, pct


def filter_rows(rows: QuerySet, *, zone: str = "", indicator: str = "", year: int | None = None) -> QuerySet:
    if zone:
        rows = rows.filter(zone__code=zone)
    if indicator:
        rows = rows.filter(indicator__code=indicator)
    if year:
        rows = rows.filter(period__year=year)
    return rows


__all__ = ["difference", "filter_rows", "reconciliation_rows"]
