"""Reads of the indicators app."""

import json
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, JSONField, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.translation import gettext as _

from chuxiong_portal import access, pagecache
from chuxiong_portal.db import IdList
from chuxiong_portal.models import User
from chuxiong_portal.roles import FILLING_ROLES, REVIEWING_ROLES, Role
from parks.models import IndustryCluster, Zone
from tasks.models import Department, Safeguard, Task

from .models import (
    DataQualityWarning,
    DispatchReport,
    Indicator,
    IndicatorValue,
    ProgressResult,
    ReportingPeriod,
    Target,
    reads_stored_reason,
    reason_inputs,
    result_reason_words,
    scope_name,
)
from .progress import spans
from .progress.rollup import programme_status, task_status
from .reporting import flow_words, permissions
from .reporting.numbers import number_display


@dataclass
class ValueSlot:
    """One value a report asks for: an indicator, in one scope, for the period ending with the report's."""

    indicator: Indicator
    period: ReportingPeriod
    scope: str
    zone: Zone | None
    cluster: IndustryCluster | None
    current: IndicatorValue | None = None
    previous: IndicatorValue | None = None

    @property
    def key(self) -> str:
        where = self.zone.code if self.zone else self.cluster.code if self.cluster else "all"
        return f"{self.indicator.code}__{self.scope}__{where}"

    @property
    def scope_label(self) -> str:
        return scope_name(self.scope, self.zone, self.cluster)

    @property
    def is_milestone(self) -> bool:
        return self.indicator.kind == Indicator.Kind.MILESTONE


def report_get_for_user(*, user, pk: int) -> DispatchReport:
    report = (
        DispatchReport.objects.select_related(
            "department", "zone", "task__programme", "period__plan", "reviewed_by", "updated_by"
        )
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404("no such report")
    if not permissions.can_view(user, report):
        raise PermissionDenied("not this user's report")
    return report


def report_slots(report: DispatchReport) -> list[ValueSlot]:
    """The values a report collects, with their current and previous values (a fixed number of queries)."""
    period = report.period
    # The parts of a rate (numerator, denominator) are entered wherever the rate has a target.
    shares_of: dict[int, set[int]] = {}
    if report.department_id:
        rows = Indicator.objects.filter(numerator__isnull=False, denominator__isnull=False).values_list(
            "pk", "numerator_id", "denominator_id"
        )
    else:
        rows = Target.objects.filter(
            zone_id=report.zone_id, indicator__numerator__isnull=False, indicator__denominator__isnull=False
        ).values_list("indicator_id", "indicator__numerator_id", "indicator__denominator_id")
    for share_id, *parts in rows:
        for part_id in parts:
            shares_of.setdefault(part_id, set()).add(share_id)
    if report.department_id:
        indicators = Indicator.objects.filter(owner_id=report.department_id, task_id=report.task_id)
    else:
        indicators = Indicator.objects.filter(
            Q(owner__isnull=True) & (Q(targets__zone_id=report.zone_id) | Q(pk__in=list(shares_of)))
        ).distinct()
    indicators = list(indicators.order_by("order"))
    if not indicators:
        return []
    periods = {
        p.cadence: p
        for p in ReportingPeriod.objects.filter(
            plan_id=period.plan_id, end=period.end, cadence__in={i.cadence for i in indicators}
        )
    }
    sources = {i.pk: {i.pk} | shares_of.get(i.pk, set()) for i in indicators}
    targets = Target.objects.filter(indicator_id__in=set().union(*sources.values())).select_related("zone", "cluster")
    if report.zone_id:
        targets = targets.filter(zone_id=report.zone_id)
    by_source: dict[int, dict[tuple, Target]] = {}
    for t in targets.order_by("scope", "zone__order", "cluster__order"):
        by_source.setdefault(t.indicator_id, {})[(t.scope, t.zone_id, t.cluster_id)] = t
    scopes: dict[int, dict[tuple, Target]] = {}
    for indicator in indicators:
        for source in sorted(sources[indicator.pk], key=lambda pk: pk != indicator.pk):
            for key, target in by_source.get(source, {}).items():
                scopes.setdefault(indicator.pk, {}).setdefault(key, target)
    slots = []
    for indicator in indicators:
        value_period = periods.get(indicator.cadence)
        if value_period is None:
            continue  # this indicator is not due in a period ending on this date
        for (scope, _z, _c), target in scopes.get(indicator.pk, {}).items():
            slots.append(ValueSlot(indicator, value_period, scope, target.zone, target.cluster))
    _attach_values(slots)
    return slots


def _attach_values(slots: list[ValueSlot]) -> None:
    if not slots:
        return
    indicator_ids = {s.indicator.pk for s in slots}
    period_ends = {s.period.end for s in slots}
    earliest = min(period_ends).replace(year=min(period_ends).year - 1, day=1)
    values = (
        IndicatorValue.objects.filter(
            indicator_id__in=indicator_ids,
            source=IndicatorValue.Source.PORTAL,
            period__end__gte=earliest,
            period__end__lte=max(period_ends),
        )
        .select_related("period", "updated_by")
        .order_by("period__end")
    )
    by_key: dict[tuple, list[IndicatorValue]] = {}
    for v in values:
        by_key.setdefault((v.indicator_id, v.scope, v.zone_id, v.cluster_id), []).append(v)
    for slot in slots:
        history = by_key.get(
            (slot.indicator.pk, slot.scope, getattr(slot.zone, "pk", None), getattr(slot.cluster, "pk", None)), []
        )
        slot.current = next((v for v in history if v.period_id == slot.period.pk), None)
        earlier = [v for v in history if v.period.end < slot.period.end and v.period.cadence == slot.period.cadence]
        slot.previous = earlier[-1] if earlier else None


def reports_for_user(user) -> QuerySet[DispatchReport]:
    """The reports a user fills or reviews: their unit's or their zone's; all for the office."""
    qs = DispatchReport.objects.select_related("department", "zone", "task", "period")
    if access.is_office(user):
        return qs
    if user.department_id:
        return qs.filter(department_id=user.department_id)
    if user.zone_id:
        return qs.filter(zone_id=user.zone_id)
    return qs.none()


def todo_scope(user) -> tuple:
    """What decides a user's to-do page: two users with the same scope see the same page."""
    return (access.is_office(user), user.role, user.department_id, user.zone_id)


def todo_draft_areas(user) -> tuple[str, ...]:
    """The page cache's draft areas of the reports ``reports_for_user`` gives (the same branches): a draft of
    another unit's or zone's report leaves the user's to-do page as it was."""
    if access.is_office(user):
        return (pagecache.DRAFTS,)
    if user.department_id:
        return (pagecache.draft_area("unit", user.department_id),)
    if user.zone_id:
        return (pagecache.draft_area("zone", user.zone_id),)
    return ()


def todo_for_user(user, *, today: date) -> dict:
    """The to-do page: what is owed (by deadline), what waits for review, what was submitted recently."""
    mine = reports_for_user(user)
    # What the reader can still deliver (`DispatchReportQuerySet.deliverable`): not a report of a period the office
    # has closed, nor of a closed plan (a successor in force), which no save would take.
    owed = mine.deliverable().filter(period__start__lte=today)
    # Only those who review see what waits for review; staff find their own under 最近提交.
    reviews = access.is_office(user) or user.role in REVIEWING_ROLES
    # The headline counts what the user can act on: a reviewer or leader does not fill reports.
    fills = access.is_office(user) or user.role in FILLING_ROLES
    waiting = mine.filter(state=DispatchReport.State.SUBMITTED) if reviews else mine.none()
    recent = mine.filter(submitted_at__isnull=False).order_by("-submitted_at")
    return {
        "fills": fills,
        "reviews": reviews,
        "owed": owed.order_by("period__deadline", "task__number")[:200],
        "owed_count": owed.count(),
        # 逾期 as `reporting.rules.is_overdue`: never submitted by the deadline (a returned report was delivered).
        "overdue_count": owed.filter(first_submitted_at__isnull=True, period__deadline__lt=today).count(),
        "waiting": waiting.order_by("submitted_at")[:200],
        "waiting_count": waiting.count(),
        "recent": recent[:20],
    }


def value_changes(slots: list[ValueSlot]) -> list[dict]:
    """Every change of the slots' values (who, when, old → new, why), newest first."""
    ids = [s.current.pk for s in slots if s.current]
    if not ids:
        return []
    records = (
        IndicatorValue.history.filter(id__in=ids)
        .select_related("history_user", "indicator", "zone", "cluster")
        .order_by("id", "history_date", "history_id")
    )
    changes, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        old = (before.value, before.done_on) if before else (None, None)
        new = (record.value, record.done_on)
        if before is None or old != new:
            changes.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "indicator": record.indicator,
                    "scope": scope_name(record.scope, record.zone, record.cluster),
                    "old": old[0],
                    "new": new[0],
                    "old_done_on": old[1],
                    "new_done_on": new[1],
                    "why": flow_words.shown(record.history_change_reason),
                    "created": before is None,
                    "milestone": record.indicator.kind == Indicator.Kind.MILESTONE,
                    # A value that was there and is gone: shown as removed, with what it was.
                    "removed": before is not None and new[0] is None and new[1] is None and old != (None, None),
                    "old_text": number_display(old[0], record.indicator.unit),
                    "new_text": number_display(new[0], record.indicator.unit),
                }
            )
        previous[record.id] = record
    return sorted(changes, key=lambda c: c["when"], reverse=True)


@dataclass(frozen=True)
class FlowEntry:
    """One line of a report's flow record: a save, a submission, a return, an approval — or a run of them."""

    first: object  # datetime of the run's first save
    last: object  # datetime of its last
    who: str
    state: str  # the state's code (DispatchReport.State)
    reason: str
    count: int

    @property
    def state_label(self) -> str:
        return DispatchReport.State(self.state).label if self.state in DispatchReport.State.values else self.state


@dataclass(frozen=True)
class FlowRecord:
    entries: list[FlowEntry]
    truncated: bool  # older saves exist that the record does not show


# A report saved as a draft every few minutes for weeks has thousands of history rows: the record reads the latest
# ones only, and shows at most this many lines.
FLOW_ROWS_READ = 1000
FLOW_ENTRIES = 50


def report_history(report: DispatchReport) -> FlowRecord:
    """The report's flow record, newest first. Saves one after another by the same person, in the same state and
    for the same reason — a draft saved again and again — are one line with their count and time span: the record
    says who did what and when, not every click. Read as plain rows (no model per history row)."""
    rows = list(
        report.history.order_by("-history_date", "-history_id").values_list(
            "history_date",
            "history_user__first_name",
            "history_user__last_name",
            "history_user__username",
            "state",
            "history_change_reason",
        )[: FLOW_ROWS_READ + 1]
    )
    truncated = len(rows) > FLOW_ROWS_READ
    entries: list[FlowEntry] = []
    for when, first_name, last_name, username, state, reason in rows[:FLOW_ROWS_READ]:
        who = User.display_name(first_name, last_name, username)
        reason = reason or ""
        previous = entries[-1] if entries else None
        if previous and (previous.who, previous.state, previous.reason) == (who, state, reason):
            entries[-1] = FlowEntry(when, previous.last, who, state, reason, previous.count + 1)
            continue
        if len(entries) == FLOW_ENTRIES:
            truncated = True
            break
        entries.append(FlowEntry(when, when, who, state, reason, 1))
    # In the reader's language (the record keeps the workflow's words in the portal's).
    entries = [replace(entry, reason=flow_words.shown(entry.reason)) for entry in entries]
    return FlowRecord(entries=entries, truncated=truncated)


# --- progress and timeliness, for dashboards and the API ------------------------------


def current_period(*, today: date, cadence: str = "monthly", plan=None) -> ReportingPeriod | None:
    """The latest period of `cadence` (of `plan`, when given) whose deadline has passed: what dashboards report on.

    After the plan's end this is its final period, which pages name as such (never as the current one).
    """
    periods = ReportingPeriod.objects.filter(cadence=cadence, deadline__lt=today)
    if plan is not None:
        # A dispatch period of the plan's years (`of_plan_years`: not the baseline year's, not a later year's
        # half-months of the key projects' reports).
        periods = periods.of_plan_years().filter(plan_id=getattr(plan, "pk", plan))
    return periods.order_by("-end").first()


def results_on(day: date, *, kind: str = spans.SHOWN, targets: QuerySet | None = None) -> QuerySet[ProgressResult]:
    """Each target's result on `day` as `kind` picks it (`indicators.progress.spans`: the dashboards' latest judged
    result, else with data, else any; or the task statuses' latest with data, else any): at most one per target.

    Read by the spans the recompute keeps with the results, ``period_end <= day < until``: of every target, one range
    read of a covering index (a province's thousands of targets); of `targets` when given, their own index seeks
    (a page of a few)."""
    until = "shown_until" if kind == spans.SHOWN else "latest_until"
    rows = ProgressResult.objects.filter(period_end__lte=day, **{f"{until}__gt": day}).order_by()
    return rows if targets is None else rows.filter(target__in=targets)


def statuses_on(
    days: list[date], *, kind: str, target_ids: set[int] | dict[int, object]
) -> list[dict[int, tuple[int, str]]]:
    """`results_on` each of `days` for many targets, as target → (result, status) per day: every target's results
    read in one range scan of the covering index per day, kept for `target_ids` (which the page has read already)
    rather than joined to the targets, which the planner may turn into index seeks per target. One query per day:
    a scan of two days' ranges at once (OR) took longer than two scans."""
    picked = []
    for day in days:
        rows = results_on(day, kind=kind).values_list("target_id", "pk", "status")
        picked.append({target_id: (pk, status) for target_id, pk, status in rows if target_id in target_ids})
    return picked


def latest_results(*, as_of: date, targets: QuerySet | None = None) -> dict[int, ProgressResult]:
    """Per target, the latest result up to `as_of` that had data (else the latest one at all)."""
    results = results_on(as_of, kind=spans.LATEST, targets=targets).select_related(
        "period", "target__indicator", "target__zone", "target__cluster"
    )
    return {r.target_id: r for r in results}


def progress_reports(*, as_of: date, reports: QuerySet[DispatchReport] | None = None) -> QuerySet[DispatchReport]:
    """The reports whose progress counts towards a task's status on `as_of`, oldest period first: submitted or
    approved, of a task, saying a progress, for a period that ended in the 200 days up to `as_of`. The last of a
    unit's is its word on the task (`rollup.task_status`). Of `reports` when given."""
    return (
        (DispatchReport.objects.all() if reports is None else reports)
        .filter(
            task__isnull=False,
            state__in=[DispatchReport.State.SUBMITTED, DispatchReport.State.APPROVED],
            period__end__lte=as_of,
            period__end__gt=as_of - timedelta(days=200),
        )
        .exclude(progress="")
        # The pk too: the same order whichever tasks are read (PostgreSQL breaks ties freely).
        .order_by("period__end", "pk")
    )


def target_tasks(*, plan=None, tasks: QuerySet | None = None) -> dict[int, int]:
    """The tasks' targets, target → task: of `plan`'s tasks (every plan's when None), of `tasks` only when given."""
    targets = Target.objects.filter(indicator__task__isnull=False)
    if plan is not None:
        targets = targets.filter(indicator__plan=plan)
    if tasks is not None:
        targets = targets.filter(indicator__task__in=tasks.values("pk"))
    return dict(targets.order_by().values_list("pk", "indicator__task_id"))


def task_statuses(
    *,
    as_of: date,
    plan=None,
    tasks: QuerySet | None = None,
    task_of: dict[int, int] | None = None,
    red_listed: int | None = None,
) -> dict[int, dict]:
    """Each task's status from its targets' latest results and its units' latest reports: the tasks of `plan`
    (every plan's when None); of `tasks` (a queryset of tasks) only when given, as a page showing a few tasks reads
    their targets only, not the whole province's. `task_of`: `target_tasks` of the same `plan` and `tasks`, when the
    caller has read it already (the overview, for its statuses of every target). `red_listed`: how many of a task's
    red targets are listed with their reasons (`red_targets`, the first by result; all when None, as the bulletin
    lists them); `red_count` counts them all."""
    # `latest_results` as statuses (the result spans' range read); models only for the red ones, whose reasons the
    # pages show.
    if task_of is None:
        task_of = target_tasks(plan=plan, tasks=tasks)
    statuses_by_task: dict[int, list[str]] = {}
    red_of_task: dict[int, list[int]] = {}
    for target_id, (pk, status) in statuses_on([as_of], kind=spans.LATEST, target_ids=task_of)[0].items():
        statuses_by_task.setdefault(task_of[target_id], []).append(status)
        if status == "red":
            red_of_task.setdefault(task_of[target_id], []).append(pk)
    # A province has a thousand red targets: the overview's tiles name the first few of each task's, not all.
    red = [pk for pks in red_of_task.values() for pk in sorted(pks)[:red_listed]]
    red_by_task: dict[int, list] = {}
    stored = reads_stored_reason()  # asked once for the rows below
    # `[0]` matches nothing: the query runs (and the page's query count stays the same) when nothing is red.
    # What the pages say of a red target (its indicator, scope and reason), read as plain values: a province has
    # hundreds of them.
    for task_id, name, scope, zone, cluster, year, reason, inputs in (
        ProgressResult.objects.filter(pk__in=IdList(red))
        .order_by("pk")
        .values_list(
            "target__indicator__task_id",
            "target__indicator__name",
            "target__scope",
            "target__zone__name",
            "target__cluster__name",
            "target__year",
            "reason",
            reason_inputs(),
        )
    ):
        red_by_task.setdefault(task_id, []).append(
            {
                "indicator": name,
                "reason": result_reason_words(reason, inputs, stored=stored),
                "scope": scope_name(scope, zone, cluster),
                "year": year,  # an indicator's yearly targets are told apart by it (`red_target_lines`)
            }
        )
    recent = progress_reports(
        as_of=as_of, reports=DispatchReport.objects.filter(task__in=tasks.values("pk")) if tasks is not None else None
    )
    # Hundreds of reports are read to keep one per unit and task, as plain rows; a model is made only of a kept
    # report that is delayed, with what the pages show of it (its unit, link, delay reason and visibility).
    latest_report: dict[tuple, tuple] = {}
    for row in recent.values_list(*_REPORT_SHOWN, *_DEPARTMENT_READ):
        latest_report[(row[3], row[1])] = row  # (task, unit)
    reports_by_task: dict[int, list] = {}
    for (task_id, _department), row in latest_report.items():
        reports_by_task.setdefault(task_id, []).append(row)
    progress_at = _REPORT_SHOWN.index("progress")
    statuses = {}
    shown = Task.objects.select_related("programme")
    if plan is not None:
        shown = shown.filter(plan=plan)
    if tasks is not None:
        shown = shown.filter(pk__in=tasks.values("pk"))
    for task in shown:
        task_reports = reports_by_task.get(task.pk, [])
        statuses[task.number] = {
            "task": task,
            "status": task_status(
                target_statuses=statuses_by_task.get(task.pk, []),
                report_progress=[row[progress_at] for row in task_reports],
            ),
            "red_targets": red_by_task.get(task.pk, []),  # {"indicator", "scope", "reason", "year"} of each listed
            "red_count": len(red_of_task.get(task.pk, [])),
            "delayed_reports": [
                _report_of(row, db=recent.db)
                for row in task_reports
                if row[progress_at] == DispatchReport.Progress.DELAYED
            ],
        }
    return statuses


# What `task_statuses` reads of a unit's latest report (in the model's field order) and of its unit.
_REPORT_SHOWN = ("id", "department_id", "zone_id", "task_id", "state", "progress", "problems", "delay_reason")
_DEPARTMENT_SHOWN = tuple(f.attname for f in Department._meta.concrete_fields)
# A unit's JSON fields are read as their text and decoded only for the reports kept as models: hundreds of rows are
# read, a few kept.
_DEPARTMENT_JSON = {f.attname for f in Department._meta.concrete_fields if isinstance(f, JSONField)}
_DEPARTMENT_READ = tuple(
    Cast(f"department__{name}", TextField()) if name in _DEPARTMENT_JSON else f"department__{name}"
    for name in _DEPARTMENT_SHOWN
)


def _report_of(row: tuple, *, db: str) -> DispatchReport:
    """A report read as a row of `_REPORT_SHOWN` and its unit's `_DEPARTMENT_READ`, as the model (with its unit)."""
    report = DispatchReport.from_db(db, _REPORT_SHOWN, row[: len(_REPORT_SHOWN)])
    department = row[len(_REPORT_SHOWN) :]
    if department[0]:
        values = [
            json.loads(value) if name in _DEPARTMENT_JSON and value is not None else value
            for name, value in zip(_DEPARTMENT_SHOWN, department, strict=True)
        ]
        report.department = Department.from_db(db, _DEPARTMENT_SHOWN, values)
    else:
        report.department = None
    return report


def programme_statuses(task_status_map: dict[int, dict]) -> dict[int, str]:
    by_programme: dict[int, list[str]] = {}
    for entry in task_status_map.values():
        by_programme.setdefault(entry["task"].programme.number, []).append(entry["status"])
    return {number: programme_status(statuses) for number, statuses in by_programme.items()}


def period_shown(*, today: date, plan=None) -> ReportingPeriod | None:
    """The monthly period the pages and the API show by default: the current one of `plan` (`current_period`), or,
    before the plan's first deadline, its first dispatch month (never a baseline-year month)."""
    monthly = ReportingPeriod.objects.of_plan_years().filter(cadence="monthly")
    if plan is not None:
        monthly = monthly.filter(plan=plan)
    return current_period(today=today, plan=plan) or monthly.order_by("start").first()


def timeliness_summary(*, periods_ending_from: date, periods_ending_to: date, today: date, plan=None) -> list[dict]:
    """Per unit (or zone): reports due in the window submitted on time, late, overdue or not yet due (by their first
    submission), and how many of the submitted were returned and not submitted again; only the reports of `plan`'s
    periods when given."""
    # A report the office waived is owed by no one: neither on time nor overdue.
    qs = DispatchReport.objects.counted().filter(
        period__end__gte=periods_ending_from, period__end__lte=periods_ending_to
    )
    if plan is not None:
        qs = qs.filter(period__plan=plan)
    submitted = Q(first_submitted_at__isnull=False)
    rows = (
        qs.values("department__name", "department__slug", "zone__name", "zone__code")
        .annotate(
            total=Count("id"),
            on_time=Count("id", filter=submitted & Q(first_submitted_at__date__lte=F("period__deadline"))),
            late=Count("id", filter=submitted & Q(first_submitted_at__date__gt=F("period__deadline"))),
            overdue=Count("id", filter=~submitted & Q(period__deadline__lt=today)),
            not_due=Count("id", filter=~submitted & Q(period__deadline__gte=today)),
            # Of those submitted: sent back and not yet submitted again — their figures do not count meanwhile.
            returned=Count("id", filter=submitted & Q(state=DispatchReport.State.RETURNED)),
        )
        .order_by("department__name", "zone__name")
    )
    return [
        {
            "unit": row["department__name"] or row["zone__name"],
            "slug": row["department__slug"] or row["zone__code"],
            "kind": "department" if row["department__slug"] else "zone",
            **{k: row[k] for k in ("total", "on_time", "late", "overdue", "not_due", "returned")},
            "on_time_rate": row["on_time"] / row["total"] if row["total"] else None,
        }
        for row in rows
    ]


def quality_warnings_for_user(user, *, state: str = "open", rule: str = "") -> QuerySet:
    """The data-quality warnings a user may see: all for the office; a reviewer's unit's; a leader's zone's."""
    warnings = DataQualityWarning.objects.select_related(
        "value__indicator",
        "value__period",
        "value__zone",
        "value__cluster",
        "value__report__department",
        "value__report__zone",
        "acknowledged_by",
    ).order_by("-value__period__end", "value__indicator__order", "pk")
    if not access.is_office(user):
        if user.role == Role.DEPARTMENT_REVIEWER:
            warnings = warnings.filter(value__report__department_id=user.department_id)
        elif user.role == Role.ZONE_LEADER:
            warnings = warnings.filter(value__zone_id=user.zone_id)
        else:
            warnings = warnings.none()
    if state == "open":
        warnings = warnings.filter(acknowledged_at__isnull=True)
    elif state == "acknowledged":
        warnings = warnings.filter(acknowledged_at__isnull=False)
    if rule:
        warnings = warnings.filter(rule=rule)
    return warnings


def quality_warning_counts(user) -> dict[str, int]:
    visible = quality_warnings_for_user(user, state="all")
    return {
        "open": visible.filter(acknowledged_at__isnull=True).count(),
        "acknowledged": visible.filter(acknowledged_at__isnull=False).count(),
    }


def safeguard_items(*, as_of: date) -> list[dict]:
    """The plan's 保障措施 sections, each with its checkable items, their targets' latest results and the latest
    recorded value of each (indicator, zone). A fixed number of queries."""
    indicators = list(Indicator.objects.filter(safeguard__isnull=False).order_by("safeguard__number", "order", "code"))
    targets = list(
        Target.objects.filter(indicator__in=indicators).select_related("zone").order_by("zone__order", "year")
    )
    results = latest_results(as_of=as_of, targets=Target.objects.filter(pk__in=[t.pk for t in targets]))
    latest: dict[tuple, IndicatorValue] = {}
    for value in (
        IndicatorValue.objects.filter(
            indicator__in=indicators, source=IndicatorValue.Source.PORTAL, period__start__lte=as_of
        )
        .select_related("period", "updated_by")
        .order_by("-period__end", "-updated_at")
    ):
        latest.setdefault((value.indicator_id, value.zone_id), value)
    by_indicator: dict[int, list[dict]] = {}
    for target in targets:
        rows = by_indicator.setdefault(target.indicator_id, [])
        if any(row["zone"] == target.zone for row in rows):
            rows[-1]["result"] = results.get(target.pk) or rows[-1]["result"]  # a later year's target
            continue
        rows.append(
            {
                "zone": target.zone,
                "result": results.get(target.pk),
                "value": latest.get((target.indicator_id, target.zone_id)),
            }
        )
    sections = []
    for safeguard in Safeguard.objects.order_by("number"):
        items = [
            {"indicator": i, "rows": by_indicator.get(i.pk, [])} for i in indicators if i.safeguard_id == safeguard.pk
        ]
        sections.append({"safeguard": safeguard, "items": items})
    return sections


def reports_visible(reports: QuerySet, *, zone: int | None) -> QuerySet:
    """The reports a reader of `permissions.unpublished_zone` `zone` may read (`permissions.can_view`): all for None,
    else the approved ones and that zone's own."""
    if zone is None:
        return reports
    return reports.filter(Q(state=DispatchReport.State.APPROVED) | Q(zone_id=zone))


def report_visible(report: DispatchReport, *, zone: int | None) -> bool:
    """`reports_visible` for one report already read."""
    return zone is None or report.state == DispatchReport.State.APPROVED or (bool(zone) and report.zone_id == zone)


def targets_visible(targets: QuerySet, *, zone: int | None) -> QuerySet:
    """Targets whose results a reader of `zone` may read (`results_visible_to`): shared ones and that zone's own."""
    if zone is None:
        return targets
    return targets.filter(Q(zone__isnull=True) | Q(zone_id=zone))


def target_visible(target: Target, *, zone: int | None) -> bool:
    """`targets_visible` for one target already read."""
    return zone is None or target.zone_id is None or target.zone_id == zone


def target_get_for_user(*, user, pk: int) -> Target:
    """A target's own page for `user`: whoever reads its results on its task's page (`target_visible`) — the office
    and the units every target's, a zone's users the shared ones and their own zone's. Http404 for no such target,
    PermissionDenied (in words) for another zone's."""
    target = (
        Target.objects.select_related("indicator__task__programme", "indicator__plan", "zone", "cluster")
        .filter(pk=pk)
        .first()
    )
    if target is None:
        raise Http404("no such target")
    if not target_visible(target, zone=permissions.unpublished_zone(user)):
        raise PermissionDenied(
            _("您只能查看本园区的目标和各园区共用的目标，无权查看%(zone)s的目标。") % {"zone": target.zone}
        )
    return target


def values_visible_to(user, values: QuerySet) -> QuerySet:
    """Indicator values `user` may read, as the reports holding them (`reports_visible`): a zone user reads a figure
    once its report is approved (or the province's own, which belong to no report), and their own zone's reports'
    at every stage — not a unit's draft or submitted figure for their zone, which is the unit's until approved."""
    if not access.is_zone_user(user):
        return values
    zone = user.zone_id or 0  # never `zone_id=None`, which would match every value of no zone
    return values.filter(
        Q(report__isnull=True) | Q(report__state=DispatchReport.State.APPROVED) | Q(report__zone_id=zone)
    )


def results_visible_to(user, results: QuerySet) -> QuerySet:
    """Progress results `user` may read: they count submitted, not yet approved values, so zone users read their
    own zone's and the shared (prefecture and cluster) ones, like the pages they may open."""
    if not access.is_zone_user(user):
        return results
    return results.filter(Q(target__zone__isnull=True) | Q(target__zone_id=user.zone_id or 0))
