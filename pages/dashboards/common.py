"""Dashboards: the reads more than one page shares: which period to show, the latest judged result
per target, and the headline figures (a figure against its goal, ready to show).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Case, CharField, Q, QuerySet, When
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chuxiong_portal import dates
from chuxiong_portal.db import IdList
from indicators.models import Indicator, ProgressResult, ReportingPeriod, Scope, Target, reads_stored_reason
from indicators.progress import engine, reasons, spans
from indicators.progress.status_words import goal_status_label, status_label
from indicators.reporting.period_names import month_name
from indicators.selectors import current_period, period_shown, results_on, statuses_on
from parks.models import Zone

from .format import HEADLINE_CODES, fmt_number, fmt_ratio, recurring_requirement

# --- recurring duties -----------------------------------------------------------------------


def recurring_words() -> dict[str, str]:
    """The words of a recurring duty's requirement (`recurring_goal`), translated once per page."""
    return {
        "per_year": _("每年%(n)s次"),
        "per_half_year": _("每半年%(n)s次"),
        "by_month": _("每年%(month)s月底前%(n)s次"),
    }


def recurring_goal(target: Target, words: dict[str, str] | None = None) -> str:
    """A recurring target's requirement as the plan sets it (每半年1次, 每年3月底前1次, 每年1次); "" for another target.
    Read from the fields the progress engine judges it by, so the goal shown and the status beside it agree."""
    if not target.required_count:
        return ""
    code, numbers = recurring_requirement(
        required_count=target.required_count, per_half_year=target.per_half_year, due_month=target.due_month
    )
    return (words or recurring_words())[code] % numbers


# --- periods ----------------------------------------------------------------------------


def period_pick(*, today: date, period_id: int | None = None, plan=None) -> ReportingPeriod | None:
    """The period asked for (a period of its plan's years: a baseline-year period is not found), or the current one of
    `plan` (the latest monthly period whose deadline has passed; before the plan's first deadline, its first monthly
    period)."""
    if period_id is not None:
        return ReportingPeriod.objects.of_plan_years().filter(pk=period_id).first()
    return period_shown(today=today, plan=plan)


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    return (
        ReportingPeriod.objects.filter(plan_id=period.plan_id, cadence=period.cadence, end__lt=period.end)
        .order_by("-end")
        .first()
    )


def change_window(*, period: ReportingPeriod, previous: ReportingPeriod | None, today: date) -> tuple[date, date]:
    """From the day after the previous period's deadline to this period's deadline (to today for the current one)."""
    start = previous.deadline + timedelta(days=1) if previous else period.start
    end = max(period.deadline, today) if current_period(today=today, plan=period.plan_id) == period else period.deadline
    return start, end


def _aware(day: date, *, end: bool = False) -> datetime:
    moment = datetime.combine(day + timedelta(days=1) if end else day, time.min)
    return timezone.make_aware(moment)


# --- results ------------------------------------------------------------------------------


def latest_judged(*, as_of: date, targets: QuerySet | None = None) -> dict[int, ProgressResult]:
    """Per target, its latest result up to `as_of` that was judged (green, amber or red).

    Else the latest with data, else the latest at all. Unlike `selectors.latest_results`, a period
    whose own value has not come in yet (grey, “本期尚无已提交的数据”) does not hide the last judgement:
    a dashboard shows where a target stood when it was last known, labelled with that period.
    Two queries whatever the number of targets and results (`selectors.results_on`).
    """
    return results_by_target(latest_judged_ids(as_of=as_of, targets=targets).values())


def latest_judged_ids(*, as_of: date, targets: QuerySet | None = None) -> dict[int, int]:
    """`latest_judged` as primary keys only (target → result), without loading a model: one query."""
    return dict(results_on(as_of, targets=targets).values_list("target_id", "pk"))


def latest_judged_statuses(*, dates: list[date], target_ids: set[int] | dict[int, object]) -> list[dict[int, tuple]]:
    """`latest_judged_ids` with each result's status, at each of `dates`: per date, target → (result, status), of
    `target_ids` (which the page has read already). For a page of most targets (a province's thousands): one range
    read of the result spans' index per date (`selectors.statuses_on`)."""
    return statuses_on(dates, kind=spans.SHOWN, target_ids=target_ids)


def results_shown(pks) -> list[ProgressResult]:
    """The results of `pks` with what a dashboard's cards read of them (not their periods or targets, which the page
    attaches). For a reader in the portal's language their inputs — half a kilobyte of JSON each, hundreds of results
    on a province's overview — are left unread: a card needs only the day of the older value it shows when the
    period's own has not come in (`stale_value_at`, read from the inputs in SQL; `result_as_of`), and the reason is
    the stored sentence (`ProgressResult.reason_words`)."""
    rows = ProgressResult.objects.filter(pk__in=IdList(pks)).order_by().defer(*_NOT_SHOWN)
    if reads_stored_reason():
        rows = rows.defer("inputs").annotate(
            stale_value_at=Case(
                When(inputs__stale=True, then=KeyTextTransform("latest_value_at", "inputs")),
                output_field=CharField(),
            )
        )
    return list(rows)


# What no dashboard shows of a result: kept for the recompute.
_NOT_SHOWN = ("computed_at", "fingerprint", "shown_until", "latest_until")


def results_by_target(pks) -> dict[int, ProgressResult]:
    """The results of `pks` (one per target) with what the pages show of them, by target: one query."""
    return {r.target_id: r for r in results_by_pk(pks).values()}


def results_by_pk(pks) -> dict[int, ProgressResult]:
    """The results of `pks` with what the pages show of them, by primary key: one query."""
    results = ProgressResult.objects.filter(pk__in=IdList(pks)).select_related(
        "period", "target__indicator", "target__zone", "target__cluster"
    )
    return {r.pk: r for r in results}


# --- headline figures -----------------------------------------------------------------------


def _best_result(results: list[ProgressResult]) -> ProgressResult | None:
    """Among a scope's targets of one indicator (e.g. growth ≥20% in 2023, 2024, 2025): the latest judged result."""
    pool = [r for r in results if r.status != "grey"] or [r for r in results if r.actual is not None] or results
    return max(pool, key=lambda r: (r.period.end, r.target.year), default=None)


def result_as_of(result: ProgressResult | None) -> str:
    """The period a result's value belongs to; for a period still without its own value, the older one shown; for an
    open milestone judged again on the day it is shown (`milestones_judged_on`), that day."""
    if result is None or result.actual is None:
        return ""
    if getattr(result, "judged_on", None):
        return dates.day(result.judged_on)
    if hasattr(result, "stale_value_at"):  # read as such (`results_shown`), the inputs left unread
        stale_at = result.stale_value_at
    else:
        inputs = result.inputs or {}
        stale_at = inputs.get("latest_value_at") if inputs.get("stale") else None
    if stale_at:
        return _("%(date)s（本期未报）") % {"date": month_name(date.fromisoformat(stale_at))}
    return result.period.label


def milestones_judged_on(results: Iterable[ProgressResult | None], today: date) -> None:
    """Judge again on `today` the open milestones among `results` (as a page shows them: the latest result up to the
    period it shows, which may have ended months before): a countdown to the deadline, or the days past it, from
    today (`engine.milestone_on_day`), not from the result's period end — a milestone due 2025-12-31 must not read
    「尚有92天」 on 2026-01-01. In place, on the loaded results (their inputs read): status, reason code, reason (in
    the portal's language, as stored) and the parameters the reader's words come from; `judged_on` marks them."""
    for result in results:
        if result is None or result.period_end >= today:
            continue
        inputs = result.inputs if isinstance(result.inputs, dict) else {}
        judged = engine.milestone_on_day(
            result.reason_code, inputs.get("reason_params") or {}, today, stretch=inputs.get("goal_basis") == "stretch"
        )
        if judged is None:
            continue
        result.status, result.reason_code, params = judged
        result.inputs = {**inputs, "reason_code": result.reason_code, "reason_params": params}
        with translation.override(settings.LANGUAGE_CODE):
            result.reason = reasons.reason_text(result.reason_code, params) or result.reason
        result.judged_on = today


def goal_year_over(result: ProgressResult, goal_year: int) -> bool:
    """Whether the goal year is over for `result`'s projection: by the result's own period, or by the day it is read
    (a goal year whose December figure never came is over all the same): nothing left to project."""
    goal_end = date(goal_year, 12, 31)
    return result.period.end >= goal_end or timezone.localdate() > goal_end


def progress_card(indicator: Indicator, target: Target | None, result: ProgressResult | None) -> dict:
    """One figure against its goal, ready to show: value, goal, projection, status."""
    unit = indicator.unit
    goal_target = target if target is not None else (result.target if result else None)
    status = result.status if result else "grey"
    card = {
        "indicator": indicator,
        "name": indicator.name,
        "unit": unit,
        "status": status,
        "status_label": status_label(status),
        "has_target": goal_target is not None,
        "goal_year": goal_target.year if goal_target is not None else None,
        "value": fmt_number(result.actual if result else None, unit),
        "as_of": result_as_of(result),
        "expected": fmt_number(result.expected if result else None, unit),
        "attainment": fmt_ratio(result.attainment if result else None),
        "reason": result.reason_words if result else _("暂无结果"),
        "goal": "",
        "stretch": "",
        "projection": "",
        "required_rate": "",
    }
    if goal_target is not None:
        card["goal"] = fmt_number(goal_target.committed_value, unit) if goal_target.committed_value is not None else ""
        card["stretch"] = fmt_number(goal_target.stretch_value, unit) if goal_target.stretch_value is not None else ""
        card["goal_year"] = goal_target.year
    if indicator.kind == Indicator.Kind.MILESTONE:
        # A milestone's value is 1 (done), committed or 力争: what to show is its date and whether it is 力争.
        card["is_stretch"] = bool(
            goal_target is not None and goal_target.committed_value is None and goal_target.stretch_value is not None
        )
        card["goal"] = card["stretch"] = ""
        done = result is not None and result.actual is not None and result.actual >= 1
        card["value"] = _("已完成") if done else (_("未完成") if result and result.actual is not None else "—")
        card["expected"] = "—"
        card["attainment"] = "—"
    if result is not None and result.actual is not None and indicator.kind == Indicator.Kind.AVERAGE_GROWTH:
        # The compound average since the baseline year, not the latest month's growth beside it in the charts.
        card["value"] = _("年均%(value)s") % {"value": card["value"]}
    # Held to the goal itself (a rate, a share; a level's figure of the goal year's end), not to a pace: its status
    # reads against the goal too (略低于目标, not 略低于序时进度).
    card["at_goal"] = result is not None and result.against_goal
    card["status_label"] = result_status_label(result)
    if result is not None and indicator.kind in (Indicator.Kind.LEVEL, Indicator.Kind.AVERAGE_GROWTH):
        # For 年均: the average achieved so far is the value; the average still required to 2025 beside it. Once the
        # goal year is over there is nothing left to project.
        over = goal_target is not None and goal_year_over(result, goal_target.year)
        card["projection"] = fmt_number(result.projection, unit) if result.projection is not None and not over else ""
        card["required_rate"] = fmt_ratio(result.required_rate) if result.required_rate is not None else ""
    return card


def result_status_label(result: ProgressResult | None) -> str:
    """The words of a result's status, as the engine judged it (`ProgressResult.reason_code`, `against_goal`)."""
    if result is None:
        return status_label(ProgressResult.Status.GREY)
    return status_words(result.status, reason_code=result.reason_code, against_goal=result.against_goal)


def status_words(status: str, *, reason_code: str, against_goal: bool) -> str:
    """力争目标未达到 for a 力争-only goal's amber capped from red (not "slightly below" at 72.8% of it);
    定性目标，不评定 for a qualitative goal with figures (grey, but not for want of data); against the goal
    (略低于目标) for a figure held to the goal itself; else against the pace (略低于序时进度)."""
    if reason_code == engine.STRETCH_NOT_MET:
        return _("力争目标未达到")
    if reason_code in (engine.QUALITATIVE_TREND, engine.QUALITATIVE_SINGLE):
        return _("定性目标，不评定")  # grey with a figure: its trend is shown, not "no data"
    return goal_status_label(status) if against_goal else status_label(status)


def zone_headlines(*, zones: list[Zone], results: dict[int, ProgressResult], targets: list[Target]) -> list[dict]:
    """Per zone, its headline figures (output, revenue, growth, share) against their goals."""
    indicators = {}
    by_key: dict[tuple, list[Target]] = defaultdict(list)
    for target in targets:
        code = headline_code(target.indicator)
        indicators[code] = target.indicator
        by_key[(target.zone_id, code)].append(target)
    rows = []
    for zone in zones:
        cards = []
        for code in HEADLINE_CODES:
            zone_targets = by_key.get((zone.pk, code), [])
            indicator = indicators.get(code)
            if indicator is None:
                continue
            result = _best_result([results[t.pk] for t in zone_targets if t.pk in results])
            goal = max(zone_targets, key=lambda t: t.year, default=None)
            if result is not None and result.target.year != goal.year:
                goal = result.target  # a yearly target (growth): that year's own goal
            cards.append(progress_card(indicator, goal, result))
        worst = max((c["status"] for c in cards), key=("grey", "green", "amber", "red").index, default="grey")
        rows.append({"zone": zone, "cards": cards, "status": worst})
    return rows


def headline_code(indicator: Indicator) -> str:
    """The headline figure an indicator stands for: its own code, or the code of the first plan's indicator it
    continues (a successor plan's indicators take new codes)."""
    if indicator.code not in HEADLINE_CODES and indicator.continues_id:
        return indicator.continues.code
    return indicator.code


def headline_targets(plan=None) -> list[Target]:
    """The zones' headline targets of `plan` (every plan's when None), a successor's continued indicators too."""
    targets = Target.objects.filter(
        Q(indicator__code__in=HEADLINE_CODES) | Q(indicator__continues__code__in=HEADLINE_CODES), scope=Scope.ZONE
    )
    if plan is not None:
        targets = targets.filter(indicator__plan=plan)
    return list(targets.select_related("indicator__continues", "zone"))


def latest_judged_of(*, as_of: date, targets: list[Target], queryset: QuerySet) -> dict[int, ProgressResult]:
    """`latest_judged` of `queryset`'s targets for a page that has them loaded already (`targets`, with what it
    shows of them): the results are read with their periods only and point to the loaded targets. Two queries."""
    ids = latest_judged_ids(as_of=as_of, targets=queryset)
    loaded = {t.pk: t for t in targets}
    rows = ProgressResult.objects.filter(pk__in=set(ids.values())).select_related("period")
    if not ids.keys() <= loaded.keys():
        rows = rows.select_related("target__indicator", "target__zone", "target__cluster")
    results = {}
    for result in rows:
        if result.target_id in loaded:
            result.target = loaded[result.target_id]
        results[result.target_id] = result
    return results
