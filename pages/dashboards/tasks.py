"""Dashboards: the task page (its targets, the units' report timelines) and the unit page (what it owes,
its on-time record, its tasks' status).
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.db.models import BooleanField, ExpressionWrapper
from django.template.defaultfilters import default_if_none, floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuxiong_portal import dates
from indicators.models import DispatchReport, Indicator, ReportingPeriod, Target
from indicators.progress import spans
from indicators.progress.rollup import task_status
from indicators.progress.status_words import task_status_label
from indicators.reporting.rules import OPEN_STATES, is_overdue
from indicators.selectors import (
    progress_reports,
    report_visible,
    reports_visible,
    results_on,
    statuses_on,
    target_visible,
    targets_visible,
)
from tasks.models import Responsibility
from tasks.selectors import MatrixCell

from .common import latest_judged_of, milestones_judged_on, period_pick, progress_card, recurring_goal, recurring_words
from .format import Chart, fmt_ratio

# --- the task page --------------------------------------------------------------------------

# Timeline cells: a report's state, or once submitted its unit's judgement of progress.
CELLS = (
    ("not_due", gettext_lazy("未到截止日"), "#e3e8ee"),
    ("overdue", gettext_lazy("逾期未报"), "#7f0000"),
    ("waived", gettext_lazy("已免报"), "#b0bec5"),
    ("draft", gettext_lazy("草稿"), "#f6d38b"),
    ("returned", gettext_lazy("已退回"), "#f08c3a"),
    ("submitted", gettext_lazy("已提交待审"), "#64b5f6"),
    ("not_started", gettext_lazy("未启动"), "#7b8794"),
    ("in_progress", gettext_lazy("推进中"), "#66bb6a"),
    ("done", gettext_lazy("已完成"), "#1b5e20"),
    ("delayed", gettext_lazy("滞后"), "#c62828"),
)
_CELL_INDEX = {code: i for i, (code, _label, _colour) in enumerate(CELLS)}
CELL_LABELS = {code: label for code, label, _colour in CELLS}


def report_cell(report: DispatchReport, *, today: date) -> str:
    if report.state == DispatchReport.State.WAIVED:  # owed by no one: neither on time nor overdue
        return "waived"
    if report.first_submitted_at is None and report.state != DispatchReport.State.APPROVED:
        return (
            "overdue"
            if report.period.deadline < today
            else ("draft" if report.state == DispatchReport.State.DRAFT else "not_due")
        )
    if report.state == DispatchReport.State.RETURNED:
        return "returned"
    if report.state == DispatchReport.State.SUBMITTED:
        return "submitted"
    if report.state == DispatchReport.State.APPROVED:
        return report.progress or "in_progress"
    return "draft"


def _late_days(report: DispatchReport) -> int:
    if report.first_submitted_at is None or report.state == DispatchReport.State.WAIVED:
        return 0
    return max(0, (timezone.localtime(report.first_submitted_at).date() - report.period.deadline).days)


class _TimelineReport(NamedTuple):
    """What a timeline shows of a report, read as a plain row (a task has hundreds of reports)."""

    pk: int
    department_id: int
    period_id: int
    state: str
    first_submitted_at: datetime | None
    progress: str
    progress_pct: int | None
    period: ReportingPeriod


def _timeline_reports(reports) -> tuple[list[_TimelineReport], dict[int, tuple[str, int]]]:
    """The reports as plain rows, oldest period first, each period made once; and each unit's (name, order)."""
    period_fields = [f.attname for f in ReportingPeriod._meta.concrete_fields]
    rows = reports.order_by("period__end").values_list(
        "pk",
        "department_id",
        "state",
        "first_submitted_at",
        "progress",
        "progress_pct",
        "department__name",
        "department__order",
        *(f"period__{name}" for name in period_fields),
    )
    periods: dict[int, ReportingPeriod] = {}
    units: dict[int, tuple[str, int]] = {}
    out = []
    for pk, department_id, state, submitted_at, progress, pct, name, order, *period_row in rows:
        period = periods.get(period_row[0])
        if period is None:
            period = periods[period_row[0]] = ReportingPeriod(**dict(zip(period_fields, period_row, strict=True)))
        units[department_id] = (name, order)
        out.append(_TimelineReport(pk, department_id, period.pk, state, submitted_at, progress, pct, period))
    return out, units


def report_timelines(*, task, today: date, reader_zone: int | None = None) -> list[Chart]:
    """Every unit's reports on the task over time: one grid (units × periods) per cadence; of those a reader of
    `reader_zone` (`permissions.unpublished_zone`) may read.

    The reports are read as plain rows and every word is chosen once (a period's name, a cell's label), not per
    report: a task of many units has hundreds of cells.
    """
    positions = {r.department_id: r.position for r in task.responsibilities.all()}
    reports = reports_visible(DispatchReport.objects.filter(task=task, department__isnull=False), zone=reader_zone)
    reports, units_by_pk = _timeline_reports(reports)
    by_cadence: dict[str, list[_TimelineReport]] = defaultdict(list)
    for report in reports:
        by_cadence[report.period.cadence].append(report)
    labels = dict(ReportingPeriod._meta.get_field("cadence").choices)
    cell_labels = {code: str(label) for code, label in CELL_LABELS.items()}
    pct_words, late_words = _("，完成进度%(pct)s%%"), _("（迟报%(days)s天）")
    # The report page's address, with the report's number put in (one `reverse` rather than one per report).
    url_head, url_tail = reverse("report-detail", args=[0]).rsplit("0", 1)
    names = {pk: escape(name) for pk, (name, _order) in units_by_pk.items()}
    period_labels: dict[int, str] = {}
    charts = []
    for cadence in ("biweekly", "monthly", "quarterly", "half_yearly", "yearly"):
        group = by_cadence.get(cadence)
        if not group:
            continue
        periods = sorted({r.period_id: r.period for r in group}.values(), key=lambda p: p.end)
        for period in periods:
            period_labels[period.pk] = period.label
        units = sorted(
            {r.department_id for r in group}, key=lambda pk: (positions.get(pk, 999), units_by_pk[pk][1], pk)
        )
        x_index = {p.pk: i for i, p in enumerate(periods)}
        y_index = {pk: i for i, pk in enumerate(units)}
        cells, grid = [], {}
        for report in group:
            code = report_cell(report, today=today)
            late = _late_days(report)
            # The tooltip is HTML: escape what comes from the database.
            detail = cell_labels[code]
            if report.progress_pct is not None and code in {"in_progress", "delayed", "done", "submitted"}:
                detail += pct_words % {"pct": report.progress_pct}
            if late:
                detail += late_words % {"days": late}
            tip = f"{names[report.department_id]} · {escape(period_labels[report.period_id])}<br>{escape(detail)}"
            cells.append(
                {
                    "value": [x_index[report.period_id], y_index[report.department_id], _CELL_INDEX[code]],
                    "url": f"{url_head}{report.pk}{url_tail}",
                    "tip": tip,
                }
            )
            grid[(report.department_id, report.period_id)] = (code, late)
        unit_names = [units_by_pk[pk][0] for pk in units]
        rows = [
            [name] + [_cell_text(grid.get((pk, p.pk)), cell_labels) for p in periods]
            for pk, name in zip(units, unit_names, strict=True)
        ]
        x = [period_labels[p.pk] for p in periods]
        charts.append(
            Chart(
                id=f"chart-timeline-{cadence}",
                size="auto",
                title=_("%(cadence)s调度报送时间轴") % {"cadence": labels[cadence]},
                spec={
                    "kind": "heatmap",
                    "height": (150 if len(periods) > 8 else 90) + 28 * len(units) + (30 if len(periods) > 24 else 0),
                    "x": x,
                    "y": unit_names,
                    "cells": cells,
                    "legend": [
                        {"code": i, "label": str(label), "color": colour}
                        for i, (_code, label, colour) in enumerate(CELLS)
                    ],
                },
                headers=[_("单位")] + x,
                rows=rows,
            )
        )
    return charts


def _cell_text(cell, labels: dict[str, str]) -> str:
    if cell is None:  # no report owed, or (for a zone's reader) one not approved yet
        return "—"
    code, late = cell
    text = labels[code]
    return text + (_("（迟%(days)s天）") % {"days": late} if late else "")


def target_row_words() -> dict:
    """The fixed words of `target_row`, translated and escaped once per page (as the template showed them)."""
    return {
        "recurring": recurring_words(),
        "kinds": {value: conditional_escape(label) for value, label in Indicator.Kind.choices},
    }


def target_row(row: dict, words: dict) -> SafeString:
    """A target's row on the task page, as HTML: written once here rather than in a template loop (a task has dozens
    of targets, each row a dozen lookups, filters and translations). The indicator's name links to the target's own
    page, the same link for every reader (the body is cached and shared)."""
    e = conditional_escape
    target, indicator, card = row["target"], row["indicator"], row["card"]
    unit = f" · {e(indicator.unit)}" if indicator.unit else ""
    wording = f'<br><span class="muted small">{e(target.wording)}</span>' if target.wording else ""
    scope = e(target.scope_label)
    if target.zone:
        scope = f'<a href="{e(target.zone.get_absolute_url())}">{scope}</a>'
    if target.due_date:
        due = e(dates.day(target.due_date))
    elif target.required_count:
        due = e(recurring_goal(target, words["recurring"]))
    else:
        due = ""
    as_of = f'<br><span class="muted small">{e(card["as_of"])}</span>' if card["as_of"] else ""
    kind = words["kinds"].get(indicator.kind, e(indicator.kind))
    return mark_safe(
        f'<tr><td class="wrap"><a class="target-name" href="{e(target.get_absolute_url())}">{e(indicator.name)}</a>'
        f'<span class="muted small"> · {kind}{unit}</span>\n            {wording}</td>\n'
        f'        <td class="words">{scope}</td><td>{target.year}</td>\n'
        f'        <td class="num">{_goal(target.committed_value)}</td>\n'
        f'        <td class="num">{_goal(target.stretch_value)}</td>\n'
        f"        <td>{due}</td>\n"
        f'        <td class="num">{e(card["value"])}{as_of}</td>\n'
        f'        <td><span class="status {e(card["status"])}">{e(card["status_label"])}</span></td>\n'
        f'        <td class="small wrap">{e(card["reason"])}</td></tr>'
    )


def _goal(value) -> str:
    return conditional_escape(floatformat(default_if_none(value, "—"), "-2"))


def task_progress(*, task, as_of: date) -> tuple[str, list[DispatchReport]]:
    """The task's status as `indicators.selectors.task_statuses` gives it, and its units' latest reports that say
    滞后, without what the task page does not show (the red targets' reasons): three queries rather than four.

    The same reads: each target's latest result with data up to `as_of` (else its latest at all), and each unit's
    latest submitted or approved report with a progress in the 200 days up to `as_of`; `rollup.task_status` decides.
    """
    targets = Target.objects.filter(indicator__task=task, indicator__plan=task.plan_id)
    target_statuses = list(results_on(as_of, kind=spans.LATEST, targets=targets).values_list("status", flat=True))
    latest: dict[int | None, tuple[int, str]] = {}  # each unit's latest report, in the order units first reported
    for pk, department_id, progress in progress_reports(
        as_of=as_of, reports=DispatchReport.objects.filter(task=task)
    ).values_list("pk", "department_id", "progress"):
        latest[department_id] = (pk, progress)
    status = task_status(target_statuses=target_statuses, report_progress=[p for _pk, p in latest.values()])
    delayed = [pk for pk, progress in latest.values() if progress == DispatchReport.Progress.DELAYED]
    # `[0]` matches nothing: the query runs (and the page's query count stays the same) when nothing is delayed.
    reports = DispatchReport.objects.filter(pk__in=delayed or [0]).select_related("department").in_bulk()
    return status, [reports[pk] for pk in delayed]


def task_dashboard(*, task, today: date, reader_zone: int | None = None) -> dict:
    """The task page: its targets with their latest progress, and the units' reports over time.

    A zone user (`reader_zone`, see `permissions.unpublished_zone`) reads the results of the shared targets and of
    their own zone's, and only the approved reports of the units: the rest is unpublished.
    """
    period = period_pick(today=today, plan=task.plan)
    as_of = period.end if period else today
    targets = [
        t for indicator in task.indicators.all() for t in indicator.targets.all() if target_visible(t, zone=reader_zone)
    ]
    results = latest_judged_of(
        as_of=as_of,
        targets=targets,
        queryset=targets_visible(Target.objects.filter(indicator__task=task), zone=reader_zone),
    )
    milestones_judged_on(results.values(), today)  # an open milestone's countdown counts from today
    rows = [
        {
            "target": t,
            "indicator": t.indicator,
            "result": results.get(t.pk),
            "card": progress_card(t.indicator, t, results.get(t.pk)),
        }
        for t in targets
    ]
    words = target_row_words()
    for row in rows:
        row["html"] = target_row(row, words)
    status, delayed = task_progress(task=task, as_of=as_of)
    return {
        "period": period,
        "target_rows": rows,
        "status": status,
        "status_label": task_status_label(status),
        "delayed_reports": [r for r in delayed if report_visible(r, zone=reader_zone)],
        "timelines": report_timelines(task=task, today=today, reader_zone=reader_zone),
        "unpublished_hidden": reader_zone is not None,
    }


# --- the unit page --------------------------------------------------------------------------
def task_status_codes(*, as_of: date, plan=None, tasks: dict[int, int]) -> dict[int, str]:
    """The status (by number) of each of `tasks` (number by primary key) as `indicators.selectors.task_statuses`
    gives it, without what the unit page does not show (the red targets' reasons, the delayed reports): plain rows,
    two queries.

    The same reads: each target's latest result with data up to `as_of` (else its latest at all), and each unit's
    latest submitted or approved report with a progress in the 200 days up to `as_of`; `rollup.task_status` decides.
    """
    targets = Target.objects.filter(indicator__task__in=list(tasks))
    if plan is not None:
        targets = targets.filter(indicator__plan=plan)
    # A unit may own most of a province's targets: its targets' keys, then every target's status in one range read.
    task_of = dict(targets.order_by().values_list("pk", "indicator__task_id"))
    target_statuses: dict[int, list[str]] = defaultdict(list)
    for target_id, (_pk, status) in statuses_on([as_of], kind=spans.LATEST, target_ids=task_of)[0].items():
        target_statuses[task_of[target_id]].append(status)
    latest_progress: dict[tuple[int, int], str] = {}
    for task_id, department_id, progress in progress_reports(
        as_of=as_of, reports=DispatchReport.objects.filter(task__in=list(tasks))
    ).values_list("task_id", "department_id", "progress"):
        latest_progress[(task_id, department_id)] = progress
    progress_by_task: dict[int, list[str]] = defaultdict(list)
    for (task_id, _department), progress in latest_progress.items():
        progress_by_task[task_id].append(progress)
    return {
        number: task_status(target_statuses=target_statuses.get(pk, []), report_progress=progress_by_task.get(pk, []))
        for pk, number in sorted(tasks.items())
    }


def on_time_record(rows, *, today: date) -> tuple[list[dict], int, int]:
    """A unit's on-time record by year, and how many reports it owes now and how many of those are overdue, from its
    reports of periods begun by `today` as plain rows (year, state, first submitted at, deadline[, deliverable]), in
    one pass. A row whose fifth item is false (`DispatchReportQuerySet.deliverable`: a period the office has closed,
    a closed plan's) counts in the record but is not owed now: nothing can deliver it.

    A report submitted (first) on or before its deadline's day (in the portal's time zone) is on time, after it late;
    never submitted, it is overdue once the deadline has passed, else not due yet. Waived reports count nowhere."""
    by_year: dict[int, dict] = {}
    cutoffs: dict[date, datetime] = {}
    owed = overdue = 0
    for year, state, submitted_at, deadline, *deliverable in rows:
        if state in OPEN_STATES and all(deliverable):
            owed += 1
            overdue += is_overdue(state=state, first_submitted_at=submitted_at, deadline=deadline, today=today)
        if state == DispatchReport.State.WAIVED:
            continue
        row = by_year.get(year)
        if row is None:
            row = by_year[year] = {
                "period__year": year,
                "total": 0,
                "on_time": 0,
                "late": 0,
                "overdue": 0,
                "not_due": 0,
            }
        row["total"] += 1
        if submitted_at is not None:
            cutoff = cutoffs.get(deadline)
            if cutoff is None:  # the start of the day after the deadline, in the portal's time zone
                cutoff = cutoffs[deadline] = timezone.make_aware(datetime.combine(deadline + timedelta(days=1), time()))
            row["on_time" if submitted_at < cutoff else "late"] += 1
        else:
            row["overdue" if deadline < today else "not_due"] += 1
    return [by_year[year] for year in sorted(by_year)], owed, overdue


def unit_task_row_words() -> dict:
    """The fixed words of `unit_task_row`, translated and escaped once per page (as the template showed them)."""
    e = conditional_escape
    return {
        "as": e(_("以")),
        "name": e(_("名义")),
        "open": e(_("（")),
        "close": e(_("）")),
        "and": e(_("、")),
        "roles": {value: e(label) for value, label in Responsibility.Role.choices},
    }


def unit_task_row(row: dict, words: dict) -> SafeString:
    """A task's row on the unit page, as HTML: written once here rather than in a template loop."""
    e = conditional_escape
    r = row["responsibility"]
    names = words["and"].join(e(name) for name in r.acting_as)
    acting = f" {words['open']}{words['as']}{names}{words['name']}{words['close']}" if r.acting_as else ""
    return mark_safe(
        f'<tr><td class="wrap"><a href="{e(r.task.get_absolute_url())}">{e(r.task)}</a></td>'
        f'<td><span class="tag role-{e(r.role)}">{words["roles"].get(r.role, e(r.role))}</span>{acting}</td>\n'
        f'      <td><span class="status {e(row["status"])}">{e(row["status_label"])}</span></td></tr>'
    )


def department_dashboard(*, department, today: date, plan=None, reader_zone: int | None = None) -> dict:
    """The unit page: what it owes now (by deadline), its on-time record by year, its tasks' status — of `plan`
    only when given (its obligations, periods and tasks), else of every plan. A zone user (`reader_zone`) gets the
    counts but not the list of the reports it owes: those are unpublished."""
    mine = DispatchReport.objects.filter(department=department)
    if plan is not None:
        mine = mine.filter(period__plan=plan)
    # Owed now: what the unit can still deliver, not a closed period's or a closed plan's (its record keeps them).
    owed_qs = mine.deliverable().filter(period__start__lte=today)
    owed = list(
        reports_visible(owed_qs, zone=reader_zone)
        .select_related("task", "period")
        .order_by("period__deadline", "task__number")[:100]
    )
    for report in owed:
        # Overdue means never submitted by the deadline; a returned report was submitted and now awaits a fix.
        report.is_overdue = report.period.deadline < today and report.first_submitted_at is None
        # Days are never negative: past its deadline a report is overdue or (returned) past due, by so many days.
        report.past_deadline = report.period.deadline < today
        report.days_left = max(0, (report.period.deadline - today).days)
        report.days_overdue = max(0, (today - report.period.deadline).days)
    record, owed_count, overdue_count = on_time_record(
        mine.filter(period__start__lte=today)
        .annotate(deliverable=ExpressionWrapper(DispatchReport.objects.deliverable_q(), output_field=BooleanField()))
        .values_list("period__year", "state", "first_submitted_at", "period__deadline", "deliverable"),
        today=today,
    )
    for row in record:
        due = row["on_time"] + row["late"] + row["overdue"]
        row["rate"] = fmt_ratio(row["on_time"] / due if due else None)
    chart = Chart(
        id="chart-ontime",
        title=_("历年报送及时情况"),
        size="sm",
        spec={
            "kind": "stacked",
            "horizontal": False,
            "unit": _("份"),
            "decimals": 0,
            "categories": [_("%(year)s年") % {"year": r["period__year"]} for r in record],
            "series": [
                {"name": _("按时报送"), "role": "green", "data": [r["on_time"] for r in record]},
                {"name": _("迟报"), "role": "amber", "data": [r["late"] for r in record]},
                {"name": _("逾期未报"), "role": "red", "data": [r["overdue"] for r in record]},
                {"name": _("未到截止日"), "role": "grey", "data": [r["not_due"] for r in record]},
            ],
        },
        headers=[_("年度"), _("应报"), _("按时"), _("迟报"), _("逾期未报"), _("未到期"), _("按时率")],
        rows=[
            [
                str(r["period__year"]),
                str(r["total"]),
                str(r["on_time"]),
                str(r["late"]),
                str(r["overdue"]),
                str(r["not_due"]),
                r["rate"],
            ]
            for r in record
        ],
    )
    period = period_pick(today=today, plan=plan)
    responsibilities = [r for r in department.responsibilities.all() if plan is None or r.task.plan_id == plan.pk]
    statuses = task_status_codes(
        as_of=period.end if period else today,
        plan=plan,
        tasks={r.task_id: r.task.number for r in responsibilities},
    )
    task_rows = []
    words = unit_task_row_words()
    for responsibility in responsibilities:
        status = statuses.get(responsibility.task.number, "grey")
        row = {"responsibility": responsibility, "status": status, "status_label": task_status_label(status)}
        row["html"] = unit_task_row(row, words)
        task_rows.append(row)
    return {
        "owed": owed,
        "owed_count": owed_count,
        "overdue_count": overdue_count,
        "record": record,
        "record_chart": chart,
        "task_rows": task_rows,
        "period": period,
    }


# --- the responsibility matrix ----------------------------------------------------------------


def matrix_rows(rows: list[dict]) -> list[dict]:
    """The matrix's rows (`tasks.selectors.responsibility_matrix`) as HTML, written once here: a plan's tasks × the
    prefecture's units are hundreds of cells, each a handful of template lookups."""
    roles = {value: str(label) for value, label in Responsibility.Role.choices}
    written = []
    for row in rows:
        task = row["task"]
        cells = mark_safe("".join(_matrix_cell(cell, roles) for cell in row["cells"]))
        html = (
            f'<tr><th scope="row"><a href="{escape(task.get_absolute_url())}">'
            f"{task.number}. {escape(task.title)}</a></th>\n"
            f"    {cells}</tr>"
        )
        written.append({**row, "cells_html": cells, "html": mark_safe(html)})
    return written


def _matrix_cell(cell: MatrixCell | None, roles: dict[str, str]) -> str:
    if cell is None:
        return '<td class="cell " ></td>'
    role = roles.get(cell.role, cell.role)
    title = escape(f"{cell.display_name} · {role}")
    mark = "●" if cell.role == "lead" else "○"
    # The mark is named by its role: a screen reader reads "牵头单位" under the unit's column header, not "black
    # circle" (the cell's title is a mouse's tooltip, which screen readers do not reliably read).
    named = f'<span role="img" aria-label="{escape(role)}">{mark}</span>'
    return f'<td class="cell {escape(cell.role)}" title="{title}">{named}</td>'
