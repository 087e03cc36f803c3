"""Rolling up, pure: statuses (targets and dispatch reports into a task, tasks into a programme) and
figures through the organisational hierarchy (areas into their zone, zones into the prefecture).

Figures roll up the way statistics offices add them: levels are summed; a growth rate is computed
from the summed levels of the two years, never averaged; a share from the summed numerators and
denominators, never averaged. A member without a figure makes the roll-up incomplete: the value is
then None and the missing members are named, so that a missing zone never reads as a zero.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

GREEN, AMBER, RED, GREY = "green", "amber", "red", "grey"
DELAYED = "delayed"
_ORDER = {GREY: 0, GREEN: 1, AMBER: 2, RED: 3}


def worst(statuses) -> str:
    return max(statuses, key=_ORDER.__getitem__, default=GREY)


def task_status(*, target_statuses: list[str], report_progress: list[str]) -> str:
    """A task is red when any of its targets is red or any unit's latest report says 滞后.

    Otherwise amber when a target is amber, green when something positive is known,
    grey when nothing is.
    """
    if RED in target_statuses or DELAYED in report_progress:
        return RED
    if AMBER in target_statuses:
        return AMBER
    if GREEN in target_statuses or any(p for p in report_progress):
        return GREEN
    return GREY


def programme_status(task_statuses: list[str]) -> str:
    """A programme is red when a third or more of its known tasks are red, amber when any is off course."""
    known = [s for s in task_statuses if s != GREY]
    if not known:
        return GREY
    reds = known.count(RED)
    if reds * 3 >= len(known):
        return RED
    if reds or AMBER in known:
        return AMBER
    return GREEN


# --- the organisational hierarchy ------------------------------------------------------

PREFECTURE = "prefecture"


@dataclass(frozen=True)
class Hierarchy:
    """prefecture ← zones ← areas; each zone's host county stands beside it (not above it)."""

    zones: tuple[str, ...]
    areas: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # zone → its areas
    counties: Mapping[str, str] = field(default_factory=dict)  # zone → host county

    def members(self, node: str) -> tuple[str, ...]:
        """The members whose figures make up `node`'s: the zones of the prefecture, a zone's areas."""
        if node == PREFECTURE:
            return self.zones
        return tuple(self.areas.get(node, ()))

    def parent(self, node: str) -> str | None:
        if node in self.zones:
            return PREFECTURE
        return next((zone for zone, areas in self.areas.items() if node in areas), None)


@dataclass(frozen=True)
class RolledUp:
    value: float | None  # None when incomplete
    missing: tuple[str, ...] = ()  # members without a figure
    partial: float | None = None  # what the members that reported add up to, for display only

    @property
    def complete(self) -> bool:
        return not self.missing


def _present(figures: Mapping[str, float | None], members: Sequence[str]) -> tuple[dict[str, float], tuple]:
    present = {m: float(figures[m]) for m in members if figures.get(m) is not None}
    return present, tuple(m for m in members if m not in present)


def sum_levels(figures: Mapping[str, float | None], members: Sequence[str]) -> RolledUp:
    """Levels (output, revenue, counts) add up; a member without a figure leaves the sum incomplete."""
    present, missing = _present(figures, members)
    total = sum(present.values())
    if missing:
        return RolledUp(None, missing, total if present else None)
    return RolledUp(total)


def growth_from_levels(current: RolledUp, previous: RolledUp) -> RolledUp:
    """Growth in percent from two summed levels (not the average of the members' rates)."""
    missing = tuple(dict.fromkeys(current.missing + previous.missing))
    if missing:
        return RolledUp(None, missing)
    if current.value is None or previous.value is None or previous.value <= 0:
        return RolledUp(None)
    return RolledUp((current.value / previous.value - 1) * 100)


def rate_from_parts(top: float | None, bottom: float | None) -> float | None:
    """One scope's rate in percent from its two parts; None unless both are known and the denominator is positive."""
    if top is None or bottom is None or bottom <= 0:
        return None
    return top / bottom * 100


def share_from_parts(
    numerators: Mapping[str, float | None], denominators: Mapping[str, float | None], members: Sequence[str]
) -> RolledUp:
    """A share in percent from the summed numerators over the summed denominators."""
    top, bottom = sum_levels(numerators, members), sum_levels(denominators, members)
    missing = tuple(dict.fromkeys(top.missing + bottom.missing))
    if missing:
        return RolledUp(None, missing)
    return RolledUp(rate_from_parts(top.value, bottom.value))
