"""Which of a target's results a page shows on a given day, kept with each result as the span of days it is shown.

A dashboard shows, of each target, its latest result up to a day: the latest judged one (green, amber or red), else
the latest with data, else the latest at all — a period whose value has not come in yet does not hide the last
judgement (`SHOWN`). A task's status counts its targets' latest result with data, else the latest at all
(`LATEST`). Either way each result is the one picked from its period's end up to, not including, the end of the
result that takes its place: the span kept in `ProgressResult.shown_until` and `latest_until` (`OPEN` while
nothing has). A result never picked (an older kind's after a better one came in) has no span (None).

So "each target's result on a day" is one range read over an index, ``period_end <= day < shown_until``, rather
than index seeks for every target and day. The recompute writes the spans with the results; a result changed any
other way has its target's spans refreshed (`indicators.models.progress.result_spans_refresh`).
"""

from collections.abc import Sequence
from datetime import date

OPEN = date(9999, 12, 31)  # "until further notice": no later result has taken its place

SHOWN = "shown"  # the latest judged result, else the latest with data, else the latest at all
LATEST = "latest"  # the latest result with data, else the latest at all


def _rank(kind: str, judged: bool, has_data: bool) -> int:
    """How strongly a result claims its place: a better rank is never displaced by a worse one after it."""
    if kind == SHOWN and judged:
        return 2
    return 1 if has_data else 0


def spans(rows: Sequence[tuple[date, bool, bool]], kind: str) -> list[date | None]:
    """The day each of a target's results stops being the one `kind` picks (`OPEN` for the one picked today), or
    None for one never picked. `rows`: (period end, judged, has data) of the target's results in the order
    of their period ends; at the same end the later row wins, as the last one read."""
    until: list[date | None] = [None] * len(rows)
    current, best = None, -1
    for place, (end, judged, has_data) in enumerate(rows):
        rank = _rank(kind, judged, has_data)
        if rank >= best:
            if current is not None:
                until[current] = end
            current, best = place, rank
    if current is not None:
        until[current] = OPEN
    return until


def picked(rows: Sequence[tuple[date, bool, bool]], kind: str, day: date) -> int | None:
    """The place in `rows` of the result `kind` picks on `day`, by the rule itself (no spans): what the spans
    must agree with."""
    best_place, best_key = None, None
    for place, (end, judged, has_data) in enumerate(rows):
        if end > day:
            continue
        key = (_rank(kind, judged, has_data), end, place)
        if best_key is None or key > best_key:
            best_place, best_key = place, key
    return best_place


__all__ = ["LATEST", "OPEN", "SHOWN", "picked", "spans"]
