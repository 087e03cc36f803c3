"""Checks between values, as statistics systems have them. Pure: numbers in, (rule code, parameters) out.

A value that breaks a check is still saved; the check's finding becomes a warning the reviewer must
acknowledge (indicators/reporting/services/quality.py) and is listed on the data-quality page.
"""

from collections.abc import Mapping

CLUSTER_ABOVE_ZONES = "cluster_above_zones"
YTD_FALLS = "ytd_falls"
NUMERATOR_ABOVE_DENOMINATOR = "numerator_above_denominator"
GROWTH_INCONSISTENT = "growth_inconsistent"

# A growth rate is rounded when reported; a gap up to this many percentage points is not an error.
GROWTH_TOLERANCE_POINTS = 0.5
Finding = tuple[str, dict] | None


def cluster_above_zones(cluster_output: float, zone_outputs: Mapping[str, float | None]) -> Finding:
    """A cluster's output cannot exceed the output of the zones it rests on (when all of them reported)."""
    if not zone_outputs or any(v is None for v in zone_outputs.values()):
        return None
    total = sum(zone_outputs.values())
    if cluster_output > total:
        return CLUSTER_ABOVE_ZONES, {"cluster": cluster_output, "zones_total": total, "zones": dict(zone_outputs)}
    return None


def ytd_falls(previous: float, current: float) -> Finding:
    """A year-to-date figure never falls within a year."""
    if current < previous:
        return YTD_FALLS, {"previous": previous, "current": current}
    return None


def numerator_above_denominator(numerator: float, denominator: float) -> Finding:
    if numerator > denominator:
        return NUMERATOR_ABOVE_DENOMINATOR, {"numerator": numerator, "denominator": denominator}
    return None


def growth_inconsistent(growth_pct: float, level: float, level_year_before: float) -> Finding:
    """A reported growth rate must match the two levels it links (same point of consecutive years)."""
    if level_year_before <= 0:
        return None
    implied = (level / level_year_before - 1) * 100
    if abs(growth_pct - implied) > GROWTH_TOLERANCE_POINTS:
        return GROWTH_INCONSISTENT, {
            "reported": growth_pct,
            "implied": round(implied, 2),
            "level": level,
            "level_year_before": level_year_before,
        }
    return None
