"""Checks between values (indicators/reporting/quality.py) run over the entered figures, kept as warnings.

`quality_recheck` is idempotent: a finding that persists keeps its warning (and its acknowledgement, unless
the figures behind it changed); a finding that no longer holds drops its warning. A fixed number of queries
whatever the amount of data.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuxiong_portal import access
from chuxiong_portal.db import serialised
from chuxiong_portal.stale import shown_token, stale
from indicators.models import DataQualityWarning, Indicator, IndicatorValue
from parks.models import IndustryCluster

from .. import permissions, quality

# A cluster's output is held to the sum of the outputs of the zones it rests on.
CLUSTER_SUMS = {"cluster-output": "industrial-output"}


class QualityError(Exception):
    pass


@dataclass
class QualitySummary:
    found: int = 0
    created: int = 0
    cleared: int = 0


def _rows(indicator_ids: set[int]) -> list[tuple]:
    return list(
        IndicatorValue.objects.counted()
        .filter(indicator_id__in=indicator_ids, source=IndicatorValue.Source.PORTAL, value__isnull=False)
        .values_list(
            "pk",
            "indicator_id",
            "scope",
            "zone_id",
            "cluster_id",
            "period__cadence",
            "period__year",
            "period__index",
            "period__end",
            "value",
        )
    )


def _findings() -> dict[tuple[int, str], dict]:
    indicators = list(Indicator.objects.all())
    by_code = {i.code: i for i in indicators}
    by_id = {i.pk: i for i in indicators}
    ytd = {i.pk for i in indicators if i.year_to_date}
    shares = [i for i in indicators if i.numerator_id and i.denominator_id]
    growths = [i for i in indicators if i.growth_of_id]
    clusters = {c: by_code[z] for c, z in CLUSTER_SUMS.items() if c in by_code and z in by_code}
    wanted = set(ytd) | {i.pk for i in growths} | {i.growth_of_id for i in growths}
    wanted |= {pid for i in shares for pid in (i.numerator_id, i.denominator_id)}
    wanted |= {by_code[c].pk for c in clusters} | {z.pk for z in clusters.values()}
    rows = _rows(wanted)
    # (indicator, scope, zone, cluster, cadence, year, index) → (value id, value, period end)
    at = {(r[1], r[2], r[3], r[4], r[5], r[6], r[7]): (r[0], float(r[9]), r[8]) for r in rows}
    found: dict[tuple[int, str], dict] = {}

    def note(value_id: int, finding: quality.Finding, **context) -> None:
        if finding is not None:
            rule, params = finding
            found[(value_id, rule)] = {**params, **context}

    # Year-to-date figures never fall within a year.
    series: dict[tuple, list] = defaultdict(list)
    for (ind, scope, zone, cluster, cadence, year, _index), (pk, value, end) in at.items():
        if ind in ytd:
            series[(ind, scope, zone, cluster, cadence, year)].append((end, pk, value))
    for points in series.values():
        points.sort()
        for (end_before, _pk, before), (_end, pk, value) in zip(points, points[1:], strict=False):
            note(pk, quality.ytd_falls(before, value), previous_period_end=end_before.isoformat())
    # Shares: the numerator is not above the denominator, in the same scope and period.
    for share in shares:
        for (ind, *rest), (pk, value, _end) in at.items():
            if ind == share.numerator_id:
                denominator = at.get((share.denominator_id, *rest))
                if denominator is not None:
                    note(pk, quality.numerator_above_denominator(value, denominator[1]), share=share.code)
    # Growth rates agree with the two levels they link.
    for growth in growths:
        for (ind, scope, zone, cluster, cadence, year, index), (pk, value, _end) in at.items():
            if ind != growth.pk:
                continue
            level = at.get((growth.growth_of_id, scope, zone, cluster, cadence, year, index))
            before = at.get((growth.growth_of_id, scope, zone, cluster, cadence, year - 1, index))
            if level is not None and before is not None:
                note(
                    pk,
                    quality.growth_inconsistent(value, level[1], before[1]),
                    level_of=by_id[growth.growth_of_id].code,
                )
    # A cluster's output is not above the sum of its zones' at the same date.
    zone_output = {}
    members = {c.pk: [(z.pk, z.code) for z in c.zones.all()] for c in IndustryCluster.objects.prefetch_related("zones")}
    for cluster_code, zone_indicator in clusters.items():
        for (ind, scope, zone, _c, _cad, _y, _i), (_pk, value, end) in at.items():
            if ind == zone_indicator.pk and scope == "zone":
                zone_output[(zone, end)] = value
        cluster_indicator = by_code[cluster_code]
        for (ind, scope, _z, cluster, _cad, _y, _i), (pk, value, end) in at.items():
            if ind == cluster_indicator.pk and scope == "cluster":
                zones = {code: zone_output.get((zone_pk, end)) for zone_pk, code in members.get(cluster, [])}
                note(pk, quality.cluster_above_zones(value, zones))
    return found


@transaction.atomic
def quality_recheck() -> QualitySummary:
    """Run every check over the counted figures and bring the warnings in line with what they find. Two at once (two
    reports submitted together, a submission and the nightly job) run one after the other: both would find the same
    new finding and insert its warning, and the second would fail on the unique (value, rule) index."""
    serialised("indicators.quality_recheck")
    found = _findings()
    summary = QualitySummary(found=len(found))
    existing = {(w.value_id, w.rule): w for w in DataQualityWarning.objects.select_for_update().order_by("pk")}
    new, changed = [], []
    for key, params in found.items():
        warning = existing.get(key)
        if warning is None:
            new.append(DataQualityWarning(value_id=key[0], rule=key[1], params=params))
        elif warning.params != params:
            # The figures behind an acknowledged warning changed: it needs a new look.
            warning.params, warning.acknowledged_at, warning.acknowledged_by = params, None, None
            warning.acknowledgement = ""
            changed.append(warning)
    DataQualityWarning.objects.bulk_create(new)
    DataQualityWarning.objects.bulk_update(changed, ["params", "acknowledged_at", "acknowledged_by", "acknowledgement"])
    gone = [w.pk for key, w in existing.items() if key not in found]
    DataQualityWarning.objects.filter(pk__in=gone).delete()
    summary.created, summary.cleared = len(new), len(gone)
    return summary


def can_acknowledge(user, warning: DataQualityWarning) -> bool:
    """The office, or whoever reviews the value: the unit's reviewer, the zone's leader."""
    if access.is_office(user):
        return True
    return permissions.reviews_value(user, warning.value)


def quality_warning_token(warning: DataQualityWarning) -> str:
    """A warning as the data-quality page shows it (its finding, and its acknowledgement if any), as a short token
    kept in the acknowledgement form."""
    shown = (sorted(warning.params.items()), warning.acknowledged_at, warning.acknowledged_by_id)
    return shown_token(*shown)


@transaction.atomic
def quality_warning_acknowledge(*, warning: DataQualityWarning, user, note: str, seen: str = "") -> DataQualityWarning:
    """Acknowledge a warning with a note. `seen`: the `quality_warning_token` of the warning the user's page showed
    (by default, `warning` as the caller read it): a warning acknowledged by someone else since, or whose finding
    changed since (its figures corrected and checked again), is not acknowledged over unseen."""
    seen = seen or quality_warning_token(warning)
    # Lock the warning only: PostgreSQL cannot lock the nullable side of the join to the value's report.
    warning = (
        DataQualityWarning.objects.select_for_update(of=("self",))
        .select_related("value__report", "acknowledged_by")
        .get(pk=warning.pk)
    )
    if not can_acknowledge(user, warning):
        raise QualityError(_("您没有确认该数据质量提示的权限。"))
    if quality_warning_token(warning) != seen:  # the row is locked: a page left open meets a later change here
        if warning.is_acknowledged:
            raise stale(
                QualityError(
                    _("该数据质量提示已由%(user)s确认（%(note)s）。")
                    % {"user": warning.acknowledged_by, "note": warning.acknowledgement}
                ),
                quality_warning_token(warning),
            )
        raise stale(
            QualityError(_("该数据质量提示所依据的数据已有变化。")),
            quality_warning_token(warning),
        )
    if not note.strip():
        raise QualityError(_("请写明确认说明（例如：已核实，数据无误；或：已要求填报单位更正）。"))
    warning.acknowledged_at, warning.acknowledged_by, warning.acknowledgement = timezone.now(), user, note.strip()
    warning.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement"])
    return warning
