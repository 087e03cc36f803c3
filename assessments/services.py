"""Evaluations, rankings and the accountability flags they raise."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from chuxiong_portal.bulk_import import (
    CODE,
    MAX_YEAR,
    MIN_YEAR,
    ImportConflict,
    ImportSummary,
    batch_error,
    code_of,
    decimal_of,
    decimal_refusable,
    int_of,
    labelled,
)
from chuxiong_portal.db import serialised
from chuxiong_portal.queue import enqueue_on_commit
from chuxiong_portal.stale import shown_token, stale
from parks.models import Zone
from tasks.models import Plan

from . import reasons, rules
from .models import FLAG_REMOVED_REASON, Evaluation, Flag, Ranking, Scheme

_FLAG_FIELDS = [
    "outcome",
    "evidence",
    "consequence",
    "responsible_party",
    "reason",
    "reason_code",
    "reason_params",
    "state",
]


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
            year=year,
            rank=rank,
            total_zones=total,
            score=None if score is None else float(score),
            funding_awarded=funding,
        )
    return by_zone


@transaction.atomic
def flags_recompute(*, zone_ids: list[int] | None = None) -> FlagSummary:
    """Apply the task-8 rules to every evaluated year. Idempotent; handling states survive.

    A flag that stops applying (a corrected ranking) is withdrawn, not deleted, so its
    history stays; if it applies again it is reopened. Two at once (two ranking imports, an import and the nightly
    run) run one after the other: each reads every flag and creates the ones missing.
    """
    serialised("assessments.flags_recompute")
    summary = FlagSummary()
    zones = {z.pk: z for z in Zone.objects.select_related("county")}
    # Locked as read: a flag handled meanwhile (`flag_transition` locks it too) would otherwise get back the state
    # read here, with the note and handler of the handling it undid.
    flags = Flag.objects.filter(**({"zone_id__in": zone_ids} if zone_ids else {})).order_by("pk").select_for_update()
    existing = {(f.zone_id, f.scheme, f.year, f.rule): f for f in flags}
    seen = set()
    to_create, to_update = [], []
    # The rules apply to the years of a plan, first to last; a plan's baseline year's evaluation is only what its
    # first year is compared with. A final year's ranking published the year after still counts (its year is a
    # plan year); an evaluation of a year after every plan has ended is kept, but no plan's rules judge it.
    plan_years = _plan_years()
    for scheme in Scheme.values:
        evaluated = Evaluation.objects.filter(scheme=scheme).values_list("year", flat=True)
        years = sorted(year for year in evaluated if year in plan_years)
        for zone_id, history in _rankings_by_zone(scheme).items():
            if zone_ids and zone_id not in zone_ids:
                continue
            zone = zones[zone_id]
            for year in years:
                results = rules.evaluate_zone(
                    year=year, rankings=history, zone_name=zone.name, county_name=zone.county.name, scheme=scheme
                )
                if scheme == Scheme.PROVINCIAL:  # the positive side joins the same list
                    results.append(rules.evaluate_good_result(year=year, rankings=history, scheme=scheme))
                for result in results:
                    key = (zone_id, scheme, year, result.rule)
                    seen.add(key)
                    _apply_result(existing.get(key), key, result, to_create, to_update, summary)
    # Flags whose evaluation year or ranking has disappeared altogether are withdrawn too.
    for key, flag in existing.items():
        if key not in seen and flag.state != Flag.State.WITHDRAWN:
            flag.state = Flag.State.WITHDRAWN
            flag.updated_at = timezone.now()
            flag._change_reason = FLAG_REMOVED_REASON
            to_update.append(flag)
            summary.withdrawn += 1
    if to_create:
        bulk_create_with_history(to_create, Flag, batch_size=500)
    if to_update:
        bulk_update_with_history(to_update, Flag, fields=_FLAG_FIELDS + ["updated_at"], batch_size=500)
    return summary


def _plan_years() -> set[int]:
    """The years some plan runs or ran (first to last year of each plan in force, closing or closed): a draft
    successor's years are not judged before it is put in force."""
    spans = Plan.objects.exclude(status=Plan.Status.DRAFT).values_list("first_year", "last_year")
    return {year for first, last in spans for year in range(first, last + 1)}


def _apply_result(flag, key, result: rules.RuleResult, to_create, to_update, summary: FlagSummary) -> None:
    zone_id, scheme, year, rule = key
    if result.outcome == rules.PASSED:
        if flag is None or flag.state == Flag.State.WITHDRAWN:
            summary.unchanged += flag is not None
            return
        flag.state = Flag.State.WITHDRAWN
        flag.reason = _reason_text(result)
        flag.reason_code, flag.reason_params = result.reason_code, result.reason_params
        flag.evidence = result.evidence
        flag.updated_at = timezone.now()
        to_update.append(flag)
        summary.withdrawn += 1
        return
    values = {
        "outcome": result.outcome,
        "evidence": result.evidence,
        "consequence": result.consequence,
        "responsible_party": result.responsible_party,
        "reason": _reason_text(result),
        "reason_code": result.reason_code,
        "reason_params": result.reason_params,
    }
    if flag is None:
        to_create.append(Flag(zone_id=zone_id, scheme=scheme, year=year, rule=rule, **values))
        summary.raised += 1
        return
    changed = any(getattr(flag, name) != value for name, value in values.items())
    # A withdrawn flag that applies again, or a rule that could not be judged and now fires (the missing ranking
    # came in), is a new finding: handled afresh, not left acknowledged or resolved as the notice it was.
    newly_fired = result.outcome == rules.FIRED and flag.outcome != rules.FIRED
    if flag.state == Flag.State.WITHDRAWN or (newly_fired and flag.state != Flag.State.OPEN):
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


def _reason_text(result: rules.RuleResult) -> str:
    """The stored explanation, in Chinese whoever triggered the recompute: the rule's own sentence, or the
    Chinese words for its reason code (the positive rule). Pages word the code in the reader's language."""
    if result.reason:
        return result.reason
    with translation.override(settings.LANGUAGE_CODE):
        return reasons.reason_text(result.reason_code, result.reason_params) or ""


_TRANSITIONS = {
    Flag.State.OPEN: {Flag.State.ACKNOWLEDGED, Flag.State.RESOLVED},
    Flag.State.ACKNOWLEDGED: {Flag.State.RESOLVED, Flag.State.OPEN},
    Flag.State.RESOLVED: {Flag.State.OPEN},
    Flag.State.WITHDRAWN: set(),
}


def flag_token(flag: Flag) -> str:
    """A flag's handling as its page shows it (state, note, by whom and when), as a short token kept in the form."""
    shown = (flag.state, flag.note, flag.handled_by_id, flag.handled_at)
    return shown_token(*shown)


@transaction.atomic
def flag_transition(*, flag: Flag, user, state: str, note: str = "", seen: str = "") -> Flag:
    """Move a flag through open → acknowledged → resolved; resolving needs a note. `seen`: the `flag_token` of the
    handling the user's page showed (by default, `flag` as the caller read it): a flag handled by someone else since
    then is not moved on (or back) unseen."""
    seen = seen or flag_token(flag)
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    note = note.strip()
    if flag_token(flag) != seen and _already_done(flag, user=user, state=state, note=note):
        return flag  # the same request sent twice (a double click, a resend): done once, the second is no news
    if flag_token(flag) != seen:  # the row is locked: a page left open meets a later handling here
        raise stale(
            FlagTransitionError(
                _("该问责提示已被他人处理，当前状态为“%(current)s”。") % {"current": flag.get_state_display()}
            ),
            flag_token(flag),
        )
    if state not in _TRANSITIONS.get(flag.state, set()):
        raise FlagTransitionError(
            _("当前状态为“%(current)s”，不能变更为“%(target)s”。")
            % {"current": flag.get_state_display(), "target": Flag.State(state).label}
        )
    if state == Flag.State.RESOLVED and not note:
        raise FlagTransitionError(_("办结问责提示时必须填写处理说明。"))
    flag.state = state
    if note:
        flag.note = note
    flag.handled_by = user
    flag.handled_at = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):  # kept in the portal's language, worded where shown
        flag._change_reason = note or str(Flag.State(state).label)
    flag.save(update_fields=["state", "note", "handled_by", "handled_at", "updated_at"])
    return flag


def _already_done(flag: Flag, *, user, state: str, note: str) -> bool:
    """Whether `flag` already is what `user` asks it to become: their own handling, to this state, with this note."""
    return flag.handled_by_id == user.pk and flag.state == state and (not note or note == flag.note)


# --------------------------------------------------------------------------- ranking import (API)

_RANKING_FIELDS = frozenset({"scheme", "year", "zone", "rank", "total_zones", "score", "funding_awarded"})
# The highest score of each evaluation scheme (both are marked out of 100).
MAX_SCORE = {Scheme.PROVINCIAL: Decimal(100), Scheme.NATIONAL: Decimal(100)}
RANKING_CHANGE_REASON = "省统计系统接口同步"
# Queued by name: the job module imports this one.
RECOMPUTE_FLAGS = "assessments.jobs.recompute_flags"


def _ranking_row(index: int, row, summary, zones: dict, today: date) -> tuple | None:
    """Shape and value checks of one ranking row; (scheme, year, zone, rank, total, score, funding) or None."""
    if not isinstance(row, dict):
        summary.error(index, None, _("每一行必须是 JSON 对象。"))
        return None
    before = summary.error_count
    unknown = sorted(str(name) for name in row if name not in _RANKING_FIELDS)
    if unknown:
        summary.error(index, None, _("未知字段：%(fields)s。") % {"fields": "、".join(unknown)[:200]})
    scheme = row.get("scheme") or Scheme.PROVINCIAL
    if not isinstance(scheme, str) or scheme not in Scheme.values:
        summary.error(index, "scheme", _("评价体系只能是 provincial 或 national。"))
        scheme = None
    year = int_of(row.get("year"), MIN_YEAR, MAX_YEAR)
    if year is None:
        summary.error(
            index, "year", _("评价年度应为 %(min)d—%(max)d 之间的整数。") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    elif year > today.year:
        # A year that has not begun has no evaluation: its rows would only raise flags for a year to come.
        summary.refuse(index, "year", _("不能写入未来年度（%(year)d年）的评价排名。") % {"year": year})
    total = int_of(row.get("total_zones"), 1, 10_000)
    if total is None:
        summary.error(index, "total_zones", _("参评开发区数应为 1—10000 之间的整数。"))
    rank = int_of(row.get("rank"), 1, 10_000)
    if rank is None:
        summary.error(index, "rank", _("排名应为 1—10000 之间的整数（1为最好）。"))
    elif total is not None and rank > total:
        summary.refuse(
            index, "rank", _("排名（%(rank)d）不能大于参评开发区数（%(total)d）。") % {"rank": rank, "total": total}
        )
    score = None
    if row.get("score") is not None:
        raw = row["score"]
        score, message = decimal_of(raw, 2, Decimal("1e6"))
        if message:
            # A number within the schema's 0–100 or a decimal string, but with more than 2 decimals (or "1,2,3"), is
            # refused; the rest is invalid.
            refuse = decimal_refusable(raw, 0, 100)
            (summary.refuse if refuse else summary.error)(index, "score", labelled(_("得分"), message))
        elif not 0 <= score <= MAX_SCORE.get(scheme or Scheme.PROVINCIAL):
            # The schema bounds a number, not a string: "100.5" keeps to it and is refused, 100.5 breaks it.
            (summary.refuse if isinstance(raw, str) else summary.error)(
                index, "score", _("得分应在 0—%(max)s 之间。") % {"max": MAX_SCORE.get(scheme or Scheme.PROVINCIAL)}
            )
    funding = row.get("funding_awarded", False)
    if not isinstance(funding, bool):  # null, 0, "true" and the like are not a yes or a no
        summary.error(index, "funding_awarded", _("是否获省级资金补助应为 true 或 false。"))
    zone = None
    code = code_of(row, "zone", index, summary, gettext_lazy("开发区"))
    if code is not None:
        zone = zones.get(code)
        if zone is None:
            summary.refuse(index, "zone", _("未知的开发区代码“%(code)s”。") % {"code": code})
        elif scheme == Scheme.NATIONAL and zone.level != Zone.Level.NATIONAL:
            summary.refuse(
                index, "scheme", _("只有国家级开发区（%(zone)s不是）参加国家高新区综合评价。") % {"zone": zone.name}
            )
    if summary.error_count > before:
        return None
    return scheme, year, zone, rank, total, score, funding


def ranking_import(*, rows, user, dry_run: bool = False, today: date | None = None):
    """Validate and upsert evaluation rankings keyed by (scheme, year, zone); recompute the flags afterwards.

    One row: {"year": 2024, "zone": "lufeng", "rank": 12, "total_zones": 66, "score": "85.5",
    "funding_awarded": true, "scheme": "provincial"} (score, funding_awarded and scheme optional;
    scheme defaults to provincial). Rows of one evaluation (scheme, year) must agree on total_zones;
    a row replaces what is stored for its key; a year after `today`'s (default: the local date) is refused.
    All-or-nothing like `values_import`.
    """
    today = today or timezone.localdate()
    summary = ImportSummary(dry_run=dry_run)
    if batch_error(summary, rows):
        return summary
    codes = {row["zone"].strip() for row in rows if isinstance(row, dict) and isinstance(row.get("zone"), str)}
    zones = {z.code: z for z in Zone.objects.filter(code__in={c for c in codes if CODE.fullmatch(c)})}
    parsed = [(i, r) for i, r in ((i, _ranking_row(i, row, summary, zones, today)) for i, row in enumerate(rows)) if r]
    totals: dict[tuple, tuple[int, int]] = {}
    keys: dict[tuple, int] = {}
    for index, (scheme, year, zone, _rank, total, _score, _funding) in parsed:
        first = totals.setdefault((scheme, year), (index, total))
        if first[1] != total:
            summary.refuse(
                index,
                "total_zones",
                _("同一年度评价的参评开发区数应一致（第 %(first)d 行为 %(total)d）。")
                % {"first": first[0], "total": first[1]},
            )
        key = (scheme, year, zone.pk)
        if key in keys:
            summary.refuse(
                index, None, _("与第 %(first)d 行（从0起计）的评价体系、年度和开发区重复。") % {"first": keys[key]}
            )
        keys.setdefault(key, index)
        # Two zones may share a place: the province publishes tied places (并列), the results import ranks ties
        # alike, and the rules read each zone's own rank against N. Only a rank beyond N is refused (`_ranking_row`).
    if summary.errors:
        return summary
    try:
        with transaction.atomic():
            return _rankings_write(parsed, totals, user, summary, dry_run)
    except IntegrityError as error:
        raise ImportConflict(str(error)) from error


# --------------------------------------------------------------------------- ranking entry by hand (admin)


def evaluation_problems(
    *, year: int | None, total_zones: int | None = None, today: date | None = None
) -> dict[str, str]:
    """What is wrong with an evaluation entered by hand, by field (empty: nothing): the same year and number rules
    as the import (`_ranking_row`), in the reader's language."""
    today = today or timezone.localdate()
    problems = {}
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        problems["year"] = _("评价年度应为 %(min)d—%(max)d 之间的整数。") % {"min": MIN_YEAR, "max": MAX_YEAR}
    elif year is not None and year > today.year:
        problems["year"] = _("不能写入未来年度（%(year)d年）的评价排名。") % {"year": year}
    if total_zones is not None and not 1 <= total_zones <= 10_000:
        problems["total_zones"] = _("参评开发区数应为 1—10000 之间的整数。")
    return problems


def ranking_problems(*, evaluation: Evaluation | None, zone: Zone | None, rank: int | None, score=None) -> dict:
    """What is wrong with one ranking entered by hand, by field (empty: nothing): the import's rules
    (`_ranking_row`) against the evaluation it belongs to, in the reader's language."""
    problems = {}
    if evaluation is None:
        return problems
    total = evaluation.total_zones
    if rank is not None and total is not None and rank > total:
        problems["rank"] = _("排名（%(rank)d）不能大于参评开发区数（%(total)d）。") % {"rank": rank, "total": total}
    if zone is not None and evaluation.scheme == Scheme.NATIONAL and zone.level != Zone.Level.NATIONAL:
        problems["zone"] = _("只有国家级开发区（%(zone)s不是）参加国家高新区综合评价。") % {"zone": zone.name}
    highest = MAX_SCORE.get(evaluation.scheme, MAX_SCORE[Scheme.PROVINCIAL])
    if score is not None and not 0 <= score <= highest:
        problems["score"] = _("得分应在 0—%(max)s 之间。") % {"max": highest}
    return problems


def rankings_changed() -> None:
    """Rankings or evaluations were written or deleted by hand: recompute the flags once the change commits, as
    after an import."""
    enqueue_on_commit(RECOMPUTE_FLAGS)


def rankings_writer() -> None:
    """Queue this transaction behind any other that writes rankings, before it locks any evaluation. The ranking
    import locks a batch's evaluations in the order of their ids, a results import (`evaluations.services`) derives
    its schemes' rankings one evaluation after the other: each could hold one evaluation and wait for the other's."""
    serialised("assessments.rankings")


def _rankings_write(parsed, totals, user, summary, dry_run: bool):
    wanted = Q(pk__in=[])
    for scheme, year in totals:
        wanted |= Q(scheme=scheme, year=year)
    evaluations = Evaluation.objects.filter(wanted)
    if not dry_run:
        rankings_writer()
        evaluations = evaluations.order_by("pk").select_for_update()  # one global lock order: no deadlock
    evaluations = {(e.scheme, e.year): e for e in evaluations}
    existing = {(r.evaluation_id, r.zone_id): r for r in Ranking.objects.filter(evaluation__in=evaluations.values())}
    now = timezone.now()
    new_evaluations, changed_evaluations = [], []
    for (scheme, year), (first, total) in totals.items():
        evaluation = evaluations.get((scheme, year))
        if evaluation is None:
            evaluation = Evaluation(scheme=scheme, year=year, total_zones=total)
            evaluations[(scheme, year)] = evaluation
            new_evaluations.append(evaluation)
        elif evaluation.total_zones != total or evaluation.is_demo:
            too_low = [r for r in existing.values() if r.evaluation_id == evaluation.pk and r.rank > total]
            batch_keys = {(s, y, z.pk) for _i, (s, y, z, *_rest) in parsed}
            if any((scheme, year, r.zone_id) not in batch_keys for r in too_low):
                summary.refuse(
                    first,
                    "total_zones",
                    _("已有开发区在%(year)d年的排名大于 %(total)d，请一并更正其排名。")
                    % {"year": year, "total": total},
                )
            evaluation.total_zones, evaluation.is_demo = total, False
            changed_evaluations.append(evaluation)
    if summary.errors:
        return summary
    if not dry_run:
        Evaluation.objects.bulk_create(new_evaluations)
        for evaluation in changed_evaluations:
            evaluation.save(update_fields=["total_zones", "is_demo", "updated_at"])
    changed_ids = {e.pk for e in changed_evaluations}
    to_create, to_update = [], []
    for _index, (scheme, year, zone, rank, _total, score, funding) in parsed:
        evaluation = evaluations[(scheme, year)]
        current = existing.pop((evaluation.pk, zone.pk), None) if evaluation.pk else None
        if current is None:
            to_create.append(Ranking(evaluation=evaluation, zone=zone, rank=rank, score=score, funding_awarded=funding))
            continue
        if (
            current.rank == rank
            and current.score == score
            and current.funding_awarded == funding
            and evaluation.pk not in changed_ids
        ):
            summary.unchanged += 1
            continue
        current.rank, current.score, current.funding_awarded, current.updated_at = rank, score, funding, now
        to_update.append(current)
    # A changed total_zones changes how the evaluation's other rankings read: bump them for incremental sync.
    untouched = [r for r in existing.values() if r.evaluation_id in changed_ids]
    for ranking in untouched:
        ranking.updated_at = now
    summary.created, summary.updated = len(to_create), len(to_update)
    if dry_run:
        return summary
    if to_create:
        bulk_create_with_history(
            to_create, Ranking, batch_size=500, default_user=user, default_change_reason=RANKING_CHANGE_REASON
        )
    if to_update or untouched:
        bulk_update_with_history(
            to_update + untouched,
            Ranking,
            ["rank", "score", "funding_awarded", "updated_at"],
            batch_size=500,
            default_user=user,
            default_change_reason=RANKING_CHANGE_REASON,
        )
    if to_create or to_update or changed_evaluations or new_evaluations:
        enqueue_on_commit(RECOMPUTE_FLAGS)
    return summary
