"""Evaluations, rankings and the accountability flags they raise."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from parks.models import Zone

from . import rules
from .models import Evaluation, Flag, Ranking, Scheme

# The plan runs 2023–2025; the 2022 evaluation is the base the first year is compared with.
FIRST_EVALUATED_YEAR = 2023
_FLAG_FIELDS = ["outcome", "evidence", "consequence", "responsible_party", "reason", "state"]


@dataclass
class FlagSummary:
    raised: int = 0
    updated: int = 0
    withdrawn: int = 0
    unchanged: int = 0


class FlagTransitionError(Exception):
    pass


def _rankings_by_zone(scheme: str) -> dict[int, dict[int, rules.RankingInput]]:
    rows = Ranking.objects.filter(evaluation__scheme=scheme).values_list(
        "zone_id", "evaluation__year", "rank", "evaluation__total_zones", "score", "funding_awarded"
    )
    by_zone: dict[int, dict[int, rules.RankingInput]] = defaultdict(dict)
    for zone_id, year, rank, total, score, funding in rows:
        by_zone[zone_id][year] = rules.RankingInput(
            year=year, rank=rank, total_zones=total, score=None if score is None else float(score),
            funding_awarded=funding,
        )
    return by_zone


@transaction.atomic
def flags_recompute(*, zone_ids: list[int] | None = None) -> FlagSummary:
    """Apply the task-8 rules to every evaluated year. Idempotent; handling states survive.

    A flag that stops applying (a corrected ranking) is withdrawn, not deleted, so its
    history stays; if it applies again it is reopened.
    """
    summary = FlagSummary()
    zones = {z.pk: z for z in Zone.objects.select_related("county")}
    existing = {
        (f.zone_id, f.scheme, f.year, f.rule): f
        for f in Flag.objects.filter(**({"zone_id__in": zone_ids} if zone_ids else {}))
    }
    seen = set()
    to_create, to_update = [], []
    for scheme in Scheme.values:
        years = sorted(Evaluation.objects.filter(scheme=scheme, year__gte=FIRST_EVALUATED_YEAR)
                       .values_list("year", flat=True))
        for zone_id, history in _rankings_by_zone(scheme).items():
            if zone_ids and zone_id not in zone_ids:
                continue
            zone = zones[zone_id]
            for year in years:
                results = rules.evaluate_zone(
                    year=year, rankings=history, zone_name=zone.name, county_name=zone.county.name, scheme=scheme
                )
                for result in results:
                    key = (zone_id, scheme, year, result.rule)
                    seen.add(key)
                    _apply_result(existing.get(key), key, result, to_create, to_update, summary)
    # Flags whose evaluation year or ranking has disappeared altogether are withdrawn too.
    for key, flag in existing.items():
        if key not in seen and flag.state != Flag.State.WITHDRAWN:
            flag.state = Flag.State.WITHDRAWN
            flag._change_reason = "evaluation removed"
            to_update.append(flag)
            summary.withdrawn += 1
    if to_create:
        bulk_create_with_history(to_create, Flag, batch_size=500)
    if to_update:
        bulk_update_with_history(to_update, Flag, fields=_FLAG_FIELDS + ["updated_at"], batch_size=500)
    return summary


def _apply_result(flag, key, result: rules.RuleResult, to_create, to_update, summary: FlagSummary) -> None:
    zone_id, scheme, year, rule = key
    if result.outcome == rules.PASSED:
        if flag is None or flag.state == Flag.State.WITHDRAWN:
            summary.unchanged += flag is not None
            return
        flag.state = Flag.State.WITHDRAWN
        flag.reason = result.reason
        flag.evidence = result.evidence
        flag.updated_at = timezone.now()
        to_update.append(flag)
        summary.withdrawn += 1
        return
    values = {
        "outcome": result.outcome, "evidence": result.evidence, "consequence": result.consequence,
        "responsible_party": result.responsible_party, "reason": result.reason,
    }
    if flag is None:
        to_create.append(Flag(zone_id=zone_id, scheme=scheme, year=year, rule=rule, **values))
        summary.raised += 1
        return
    changed = any(getattr(flag, name) != value for name, value in values.items())
    if flag.state == Flag.State.WITHDRAWN:
        flag.state = Flag.State.OPEN
        changed = True
    if not changed:
        summary.unchanged += 1
        return
    for name, value in values.items():
        setattr(flag, name, value)
    flag.updated_at = timezone.now()
    to_update.append(flag)
    summary.updated += 1


_TRANSITIONS = {
    Flag.State.OPEN: {Flag.State.ACKNOWLEDGED, Flag.State.RESOLVED},
    Flag.State.ACKNOWLEDGED: {Flag.State.RESOLVED, Flag.State.OPEN},
    Flag.State.RESOLVED: {Flag.State.OPEN},
    Flag.State.WITHDRAWN: set(),
}


@transaction.atomic
def flag_transition(*, flag: Flag, user, state: str, note: str = "") -> Flag:
    """Move a flag through open → acknowledged → resolved; resolving needs a note."""
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if state not in _TRANSITIONS.get(flag.state, set()):
        raise FlagTransitionError(
            _("当前状态为“%(current)s”，不能变更为“%(target)s”。")
            % {"current": flag.get_state_display(), "target": Flag.State(state).label}
        )
    note = note.strip()
    if state == Flag.State.RESOLVED and not note:
        raise FlagTransitionError(_("办结问责提示时必须填写处理说明。"))
    flag.state = state
    if note:
        flag.note = note
    flag.handled_by = user
    flag.handled_at = timezone.now()
    flag._change_reason = note or str(Flag.State(state).label)
    flag.save(update_fields=["state", "note", "handled_by", "handled_at", "updated_at"])
    return flag
