"""Evaluation arithmetic: weighted totals, their check, ranks, computed scores and the gap analysis. Pure.

A sub-indicator carries a weight in points out of 100 and each zone a score on a 0–100 scale for it, so
the points it earns are weight × score / 100 and the total is the sum of those points. Everything here
works on plain values and returns codes and numbers.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
# A published total may be rounded sub-score by sub-score; more than this is a real disagreement.
TOTAL_TOLERANCE = Decimal("0.05")
LEADERS = 3  # "the leading zones of the province": the best three results of the year

TOTAL_MISMATCH = "total_mismatch"


def points(weight: Decimal, score: Decimal | None) -> Decimal | None:
    """The points a score earns under a weight (out of 100), to the cent."""
    if score is None:
        return None
    return (weight * score / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def weighted_sum(items: Iterable[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """The sum of the points of (weight, score) pairs; None when any score is missing."""
    earned = [points(weight, score) for weight, score in items]
    if not earned or any(value is None for value in earned):
        return None
    return sum(earned, Decimal("0"))


def total_review(*, total: Decimal | None, computed: Decimal | None, must_match: bool) -> str:
    """ "" when the stated total stands, TOTAL_MISMATCH when it disagrees with the weighted sum it should equal."""
    if not must_match or total is None or computed is None:
        return ""
    return TOTAL_MISMATCH if abs(total - computed) > TOTAL_TOLERANCE else ""


def competition_ranks(totals: Mapping[str, Decimal | None]) -> dict[str, int]:
    """Ranks by total, best first; zones without a total are not ranked. Equal totals share a place and the next
    place is skipped (90, 80, 80, 70 → 1, 2, 2, 4), as the province publishes tied places (并列) and the ranking
    import takes them."""
    ordered = sorted(
        ((total, key) for key, total in totals.items() if total is not None), key=lambda pair: (-pair[0], pair[1])
    )
    ranks: dict[str, int] = {}
    for position, (total, key) in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        ranks[key] = ranks[previous[1]] if previous is not None and previous[0] == total else position
    return ranks


def share_score(done: int, due: int) -> Decimal | None:
    """A computed score: the share of what was due that was done, on the 0–100 scale; None with nothing due."""
    if due <= 0:
        return None
    return (Decimal(100) * done / due).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class GapRow:
    code: str
    weight: Decimal
    score: Decimal | None
    points: Decimal | None  # what the zone earned
    reference_points: Decimal | None  # what the leading (or benchmark) zones earned, on average
    gap: Decimal | None  # reference_points − points: the points lost against them
    previous_points: Decimal | None  # the zone's points a year earlier, under that year's own weight
    movement: Decimal | None  # points − previous_points
    status: str  # "compared" | "no_score" | "no_reference"
    had_previous: bool = False  # the previous year's scheme has the sub-indicator (its score may still be missing)


def gap_analysis(
    *,
    weights: Mapping[str, Decimal],
    zone_scores: Mapping[str, Decimal | None],
    reference_scores: list[Mapping[str, Decimal | None]],
    previous_weights: Mapping[str, Decimal] | None = None,
    previous_scores: Mapping[str, Decimal | None] | None = None,
) -> list[GapRow]:
    """Which sub-indicators lost the zone the most points against the reference zones, biggest loss first.

    Each year is read with its own weights: the previous year's points come from the previous year's
    weight of the sub-indicator with the same code (none if that year's scheme did not have it).
    """
    rows = []
    for code, weight in weights.items():
        score = zone_scores.get(code)
        earned = points(weight, score)
        reference = [points(weight, scores.get(code)) for scores in reference_scores]
        reference = [value for value in reference if value is not None]
        reference_points = (
            (sum(reference, Decimal("0")) / len(reference)).quantize(CENT, rounding=ROUND_HALF_UP)
            if reference
            else None
        )
        previous = None
        if previous_weights and previous_scores and code in previous_weights:
            previous = points(previous_weights[code], previous_scores.get(code))
        status = "no_score" if earned is None else "no_reference" if reference_points is None else "compared"
        rows.append(
            GapRow(
                code=code,
                weight=weight,
                score=score,
                points=earned,
                reference_points=reference_points,
                gap=None if status != "compared" else reference_points - earned,
                previous_points=previous,
                movement=None if earned is None or previous is None else earned - previous,
                status=status,
                had_previous=bool(previous_weights) and code in previous_weights,
            )
        )
    return sorted(rows, key=lambda row: (row.gap is None, -(row.gap or 0), row.code))
