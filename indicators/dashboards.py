"""Dashboard read models: what the overview, zone, task and unit pages and the bulletin show.

Pure reads. Each builder runs a fixed number of queries whatever the amount of data (the
pages' tests assert it), then shapes plain dicts and `Chart`s for the templates. A chart's
`spec` is the JSON that `static/portal/charts.js` turns into ECharts options; its `headers`
and `rows` are the same numbers as a table, for screen readers and print.

The math (the required-growth path, number formats) is in small pure functions at the top.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Flag, Ranking, Scheme
from parks.models import Zone

from .models import DispatchReport, Indicator, IndicatorValue, ProgressResult, ReportingPeriod, Scope, Target
from .selectors import current_period, programme_statuses, task_statuses, timeliness_summary

BASELINE_YEAR = 2022
GOAL_YEAR = 2025
HEADLINE_CODES = ("industrial-output", "operating-revenue", "industrial-output-growth", "leading-industry-share")
CLUSTER_CODE = "cluster-output"
CHARTED_KINDS = {Indicator.Kind.LEVEL, Indicator.Kind.GROWTH, Indicator.Kind.SHARE, Indicator.Kind.QUALITATIVE}
STATUSES = ("green", "amber", "red", "grey")
COUNTED_STATES = (DispatchReport.State.SUBMITTED, DispatchReport.State.APPROVED)
OPEN_STATES = (DispatchReport.State.PENDING, DispatchReport.State.DRAFT, DispatchReport.State.RETURNED)
_COUNT_UNITS = {"户", "家", "人", "次", "轮", "个", "份"}
_ONE_DECIMAL_UNITS = {"亿元", "%", "万元/人", "万元/亩"}


# --- pure helpers ---------------------------------------------------------------------------


def trajectory(*, baseline: float, goal: float, baseline_year: int = BASELINE_YEAR,
               goal_year: int = GOAL_YEAR) -> list[tuple[int, float]]:
    """The required path, one value per year: baseline·(1+r)^t with r = (goal/baseline)^(1/years) − 1.

    Linear where the baseline or the goal is not positive (geometric growth is undefined there),
    the same rule the progress engine judges level targets by.
    """
    years = goal_year - baseline_year
    if years <= 0:
        return [(goal_year, goal)]
    if baseline > 0 and goal > 0:
        rate = (goal / baseline) ** (1 / years) - 1
        return [(baseline_year + t, baseline * (1 + rate) ** t) for t in range(years + 1)]
    return [(baseline_year + t, baseline + (goal - baseline) * t / years) for t in range(years + 1)]


def decimals_for(unit: str) -> int:
    if unit in _ONE_DECIMAL_UNITS:
        return 1
    return 0 if unit in _COUNT_UNITS else 2


def fmt_number(value, unit: str = "", *, decimals: int | None = None) -> str:
    """1,234.5亿元 · 23.4% · 65户; an em dash without a value."""
    if value is None:
        return "—"
    places = decimals_for(unit) if decimals is None else decimals
    return f"{float(value):,.{places}f}{unit}"


def fmt_ratio(ratio) -> str:
    """A ratio as a percentage: 0.853 → 85.3%."""
    return "—" if ratio is None else f"{float(ratio) * 100:.1f}%"


def month_label(day: date) -> str:
    return f"{day.year}年{day.month}月"


def day_label(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _num(value, places: int = 4) -> float | None:
    return None if value is None else round(float(value), places)


def status_label(status: str) -> str:
    return str(ProgressResult.Status(status).label) if status in STATUSES else status


def status_short(status: str) -> str:
    return {"green": _("正常"), "amber": _("略低"), "red": _("滞后"), "grey": _("无数据")}.get(status, status)


def task_status_label(status: str) -> str:
    return {"green": _("进展正常"), "amber": _("需关注"), "red": _("滞后"), "grey": _("暂无数据")}.get(status, status)


@dataclass
class Chart:
    """One chart: `spec` for charts.js, and the same numbers as a table."""

    id: str
    title: str
    spec: dict
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    size: str = "md"
    note: str = ""


# --- periods ----------------------------------------------------------------------------


def period_pick(*, today: date, period_id: int | None = None) -> ReportingPeriod | None:
    """The period asked for, or the current one (the latest monthly period whose deadline has passed)."""
    if period_id is not None:
        return ReportingPeriod.objects.filter(pk=period_id).first()
    return current_period(today=today) or ReportingPeriod.objects.filter(cadence="monthly").order_by("start").first()


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    return ReportingPeriod.objects.filter(cadence=period.cadence, end__lt=period.end).order_by("-end").first()


def change_window(*, period: ReportingPeriod, previous: ReportingPeriod | None, today: date) -> tuple[date, date]:
    """From the day after the previous period's deadline to this period's deadline (to today for the current one)."""
    start = previous.deadline + timedelta(days=1) if previous else period.start
    end = max(period.deadline, today) if current_period(today=today) == period else period.deadline
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
    Two queries whatever the number of targets and results.
    """
    targets = targets if targets is not None else Target.objects.all()
    base = ProgressResult.objects.filter(target=OuterRef("pk"), period__end__lte=as_of).order_by("-period__end")
    rows = targets.annotate(
        judged=Subquery(base.exclude(status=ProgressResult.Status.GREY).values("pk")[:1]),
        with_data=Subquery(base.filter(actual__isnull=False).values("pk")[:1]),
        any_result=Subquery(base.values("pk")[:1]),
    ).values_list("judged", "with_data", "any_result")
    picked = (judged or with_data or anything for judged, with_data, anything in rows)
    wanted = {pk for pk in picked if pk}
    results = ProgressResult.objects.filter(pk__in=wanted).select_related(
        "period", "target__indicator", "target__zone", "target__cluster"
    )
    return {r.target_id: r for r in results}


# --- headline figures -----------------------------------------------------------------------


def _best_result(results: list[ProgressResult]) -> ProgressResult | None:
    """Among a scope's targets of one indicator (e.g. growth ≥20% in 2023, 2024, 2025): the latest judged result."""
    pool = ([r for r in results if r.status != "grey"] or [r for r in results if r.actual is not None]
            or results)
    return max(pool, key=lambda r: (r.period.end, r.target.year), default=None)


def result_as_of(result: ProgressResult | None) -> str:
    """The period a result's value belongs to; for a period still without its own value, the older one shown."""
    if result is None or result.actual is None:
        return ""
    stale_at = (result.inputs or {}).get("latest_value_at") if (result.inputs or {}).get("stale") else None
    if stale_at:
        return _("%(date)s（本期未报）") % {"date": month_label(date.fromisoformat(stale_at))}
    return result.period.label


def progress_card(indicator: Indicator, target: Target | None, result: ProgressResult | None) -> dict:
    """One figure against its goal, ready to show: value, goal, projection, status."""
    unit = indicator.unit
    goal_target = target if target is not None else (result.target if result else None)
    status = result.status if result else "grey"
    card = {
        "indicator": indicator, "name": indicator.name, "unit": unit, "status": status,
        "status_label": status_label(status), "has_target": goal_target is not None,
        "value": fmt_number(result.actual if result else None, unit),
        "as_of": result_as_of(result),
        "expected": fmt_number(result.expected if result else None, unit),
        "attainment": fmt_ratio(result.attainment if result else None),
        "reason": result.reason if result else _("暂无结果"),
        "goal": "", "stretch": "", "projection": "", "required_rate": "",
    }
    if goal_target is not None:
        card["goal"] = fmt_number(goal_target.committed_value, unit) if goal_target.committed_value is not None else ""
        card["stretch"] = fmt_number(goal_target.stretch_value, unit) if goal_target.stretch_value is not None else ""
        card["goal_year"] = goal_target.year
    if indicator.kind == Indicator.Kind.MILESTONE:
        done = result is not None and result.actual is not None and result.actual >= 1
        card["value"] = _("已完成") if done else (_("未完成") if result and result.actual is not None else "—")
        card["expected"] = "—"
        card["attainment"] = "—"
    if result is not None and indicator.kind == Indicator.Kind.LEVEL:
        card["projection"] = fmt_number(result.projection, unit) if result.projection is not None else ""
        card["required_rate"] = fmt_ratio(result.required_rate) if result.required_rate is not None else ""
    return card


def zone_headlines(*, zones: list[Zone], results: dict[int, ProgressResult], targets: list[Target]) -> list[dict]:
    """Per zone, its headline figures (output, revenue, growth, share) against their goals."""
    indicators = {}
    by_key: dict[tuple, list[Target]] = defaultdict(list)
    for target in targets:
        indicators[target.indicator.code] = target.indicator
        by_key[(target.zone_id, target.indicator.code)].append(target)
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


def headline_targets() -> list[Target]:
    return list(
        Target.objects.filter(indicator__code__in=HEADLINE_CODES, scope=Scope.ZONE)
        .select_related("indicator", "zone")
    )


def _goal_bars(*, chart_id: str, title: str, categories: list[str], results: list[ProgressResult | None],
               unit: str) -> Chart:
    """Latest value (coloured by status), projection and goal side by side, per zone or cluster."""
    def pick(attribute: str) -> list[float | None]:
        out = []
        for result in results:
            source = None if result is None else result.target if attribute.endswith("_value") else result
            out.append(None if source is None else _num(getattr(source, attribute), 2))
        return out

    stretch = pick("stretch_value")
    series = [
        {"name": _("最新值（年内累计）"), "role": "actual", "data": pick("actual"),
         "status": [r.status if r else "grey" for r in results]},
        {"name": _("预计2025年"), "role": "projection", "data": pick("projection")},
        {"name": _("2025年目标"), "role": "target", "data": pick("committed_value")},
    ]
    if any(v is not None for v in stretch):
        series.append({"name": _("力争目标"), "role": "stretch", "data": stretch})
    rows = [[name, fmt_number(r.actual if r else None, unit), r.period.label if r else "—",
             fmt_number(r.projection if r else None, unit), fmt_number(r.target.committed_value if r else None, unit),
             fmt_number(r.target.stretch_value if r else None, unit), status_label(r.status if r else "grey")]
            for name, r in zip(categories, results, strict=True)]
    return Chart(
        id=chart_id, title=title,
        spec={"kind": "bars", "unit": unit, "decimals": decimals_for(unit), "categories": categories,
              "series": series},
        headers=[_("名称"), _("最新值"), _("截至"), _("预计2025年"), _("2025年目标"), _("力争目标"), _("状态")],
        rows=rows,
    )


def zones_output_chart(headlines: list[dict], results: dict[int, ProgressResult], targets: list[Target]) -> Chart:
    by_zone = {t.zone_id: t for t in targets if t.indicator.code == "industrial-output"}
    picked = [results.get(by_zone[row["zone"].pk].pk) if row["zone"].pk in by_zone else None for row in headlines]
    return _goal_bars(chart_id="chart-zones-output", title=_("各开发区工业总产值：最新值、预计与2025年目标"),
                      categories=[row["zone"].short_name or row["zone"].name for row in headlines],
                      results=picked, unit="亿元")


def cluster_progress(*, results: dict[int, ProgressResult]) -> tuple[list[dict], Chart]:
    """The industry clusters against their task-9 output goals."""
    targets = list(Target.objects.filter(indicator__code=CLUSTER_CODE, scope=Scope.CLUSTER)
                   .select_related("indicator", "cluster").order_by("cluster__order", "year"))
    rows = [{"cluster": t.cluster, "card": progress_card(t.indicator, t, results.get(t.pk)),
             "result": results.get(t.pk)} for t in targets]
    chart = _goal_bars(chart_id="chart-clusters", title=_("产业集群工业总产值：最新值、预计与2025年目标"),
                       categories=[r["cluster"].name for r in rows], results=[r["result"] for r in rows],
                       unit=targets[0].indicator.unit if targets else "亿元")
    return rows, chart


# --- tasks and programmes -------------------------------------------------------------------


def task_board(statuses: dict[int, dict]) -> dict:
    """The 26 tasks grouped by their 6 programmes, each with its status; counts for a donut."""
    programme_status = programme_statuses(statuses)
    programmes: dict[int, dict] = {}
    for number in sorted(statuses):
        entry = statuses[number]
        programme = entry["task"].programme
        block = programmes.setdefault(programme.number, {
            "programme": programme, "status": programme_status.get(programme.number, "grey"), "tasks": [],
            "counts": dict.fromkeys(STATUSES, 0),
        })
        block["status_label"] = task_status_label(block["status"])
        block["counts"][entry["status"]] += 1
        reasons = [f"{r.target.indicator.name}（{r.target.scope_label}）：{r.reason}" for r in entry["red_targets"]]
        reasons += [_("%(unit)s报告滞后") % {"unit": r.department} for r in entry["delayed_reports"]]
        block["tasks"].append({"task": entry["task"], "status": entry["status"],
                               "status_label": task_status_label(entry["status"]), "reasons": reasons})
    counts = dict.fromkeys(STATUSES, 0)
    for entry in statuses.values():
        counts[entry["status"]] += 1
    donut = Chart(
        id="chart-task-status", title=_("26项任务状态分布"), size="sm",
        spec={"kind": "donut", "unit": _("项"), "items": [
            {"name": task_status_label(s), "value": counts[s], "role": s} for s in STATUSES]},
        headers=[_("状态"), _("任务数")], rows=[[task_status_label(s), str(counts[s])] for s in STATUSES],
    )
    return {"programmes": [programmes[n] for n in sorted(programmes)], "counts": counts, "chart": donut,
            "counts_labelled": [(s, task_status_label(s), counts[s]) for s in STATUSES]}


# --- changes since the previous period ------------------------------------------------------


def status_changes(*, now: dict[int, ProgressResult], before: dict[int, ProgressResult]) -> list[dict]:
    """Targets whose status changed between the previous and the current period's results; worsened first."""
    rank = {"grey": 0, "green": 1, "amber": 2, "red": 3}
    changes = []
    for target_id, result in now.items():
        old = before.get(target_id)
        if old is None or old.status == result.status:
            continue
        target = result.target
        changes.append({
            "target": target, "indicator": target.indicator, "scope": target.scope_label,
            "old": old.status, "old_label": status_label(old.status), "old_period": old.period.label,
            "old_short": status_short(old.status), "new_short": status_short(result.status),
            "new": result.status, "new_label": status_label(result.status), "new_period": result.period.label,
            "reason": result.reason, "worse": rank[result.status] > rank[old.status],
        })
    changes.sort(key=lambda c: (not c["worse"], c["indicator"].order, c["scope"]))
    return changes


def flags_open() -> list[Flag]:
    return list(Flag.objects.filter(outcome=Flag.Outcome.FIRED, state__in=[Flag.State.OPEN, Flag.State.ACKNOWLEDGED])
                .select_related("zone").order_by("-year", "zone__order", "rule"))


def flags_new(*, start: date, end: date) -> list[Flag]:
    return list(Flag.objects.filter(created_at__gte=_aware(start), created_at__lt=_aware(end, end=True))
                .exclude(state=Flag.State.WITHDRAWN).select_related("zone").order_by("-year", "zone__order", "rule"))


def flag_evidence(flag: Flag) -> str:
    """The evidence of a flag in words: the years, ranks and numbers of zones it rests on."""
    ev = flag.evidence or {}
    parts = []
    for prefix in ("previous", "current"):
        if ev.get(f"{prefix}_rank") is not None:
            parts.append(_("%(year)s年第%(rank)s位（共%(n)s个）") % {
                "year": ev.get(f"{prefix}_year"), "rank": ev[f"{prefix}_rank"], "n": ev.get(f"{prefix}_total_zones")})
    if ev.get("missing_years"):
        parts.append(_("缺少%(years)s年排名") % {"years": "、".join(str(y) for y in ev["missing_years"])})
    if ev.get("drop") is not None:
        parts.append(_("退位%(drop)s位") % {"drop": ev["drop"]})
    return " → ".join(parts) if parts else (flag.reason or "—")


def flag_rows(flags: list[Flag]) -> list[dict]:
    return [{"flag": f, "evidence": flag_evidence(f)} for f in flags]


def approvals_in(*, start: date, end: date) -> dict:
    """Reports approved in the window: how many, and by unit."""
    qs = DispatchReport.objects.filter(state=DispatchReport.State.APPROVED, reviewed_at__gte=_aware(start),
                                       reviewed_at__lt=_aware(end, end=True))
    by_unit = list(qs.values("department__name", "department__slug", "zone__name", "zone__code")
                   .annotate(n=Count("id")).order_by("-n", "department__name", "zone__name"))
    units = [{"unit": r["department__name"] or r["zone__name"], "slug": r["department__slug"],
              "zone": r["zone__code"], "count": r["n"]} for r in by_unit]
    return {"count": sum(u["count"] for u in units), "units": units}


# --- dispatch completeness and timeliness ---------------------------------------------------


def dispatch_summary(*, period: ReportingPeriod, today: date) -> dict:
    """Per unit, the reports of periods ending within `period`: on time, late, overdue, not yet due."""
    rows = timeliness_summary(periods_ending_from=period.start, periods_ending_to=period.end, today=today)
    for row in rows:
        submitted = row["on_time"] + row["late"]
        row["completeness"] = submitted / row["total"] if row["total"] else None
        row["completeness_label"] = fmt_ratio(row["completeness"])
        row["on_time_label"] = fmt_ratio(row["on_time_rate"])
    rows.sort(key=lambda r: (-r["overdue"], -r["late"], r["kind"] != "department", r["unit"]))
    totals = {k: sum(r[k] for r in rows) for k in ("total", "on_time", "late", "overdue", "not_due")}
    totals["completeness_label"] = fmt_ratio((totals["on_time"] + totals["late"]) / totals["total"]
                                             if totals["total"] else None)
    totals["on_time_label"] = fmt_ratio(totals["on_time"] / totals["total"] if totals["total"] else None)
    chart = Chart(
        id="chart-dispatch", title=_("%(period)s各单位报送情况") % {"period": period.label}, size="auto",
        spec={"kind": "stacked", "horizontal": True, "unit": _("份"), "decimals": 0,
              "height": 60 + 22 * max(len(rows), 3),
              "categories": [r["unit"] for r in rows],
              "series": [
                  {"name": _("按时报送"), "role": "green", "data": [r["on_time"] for r in rows]},
                  {"name": _("迟报"), "role": "amber", "data": [r["late"] for r in rows]},
                  {"name": _("逾期未报"), "role": "red", "data": [r["overdue"] for r in rows]},
                  {"name": _("未到截止日"), "role": "grey", "data": [r["not_due"] for r in rows]},
              ]},
        headers=[_("单位"), _("应报"), _("按时"), _("迟报"), _("逾期未报"), _("未到期"), _("报送率"), _("按时率")],
        rows=[[r["unit"], str(r["total"]), str(r["on_time"]), str(r["late"]), str(r["overdue"]), str(r["not_due"]),
               r["completeness_label"], r["on_time_label"]] for r in rows],
    )
    return {"rows": rows, "totals": totals, "chart": chart}


# --- the overview (and the bulletin) --------------------------------------------------------


def period_overview(*, period: ReportingPeriod, today: date) -> dict:
    """Everything the overview and the bulletin show for one period. A fixed number of queries."""
    previous = previous_period(period)
    window = change_window(period=period, previous=previous, today=today)
    results = latest_judged(as_of=period.end)
    before = latest_judged(as_of=previous.end) if previous else {}
    zones = list(Zone.objects.select_related("county").order_by("order"))
    targets = headline_targets()
    headlines = zone_headlines(zones=zones, results=results, targets=targets)
    clusters, cluster_chart = cluster_progress(results=results)
    statuses = task_statuses(as_of=period.end)
    return {
        "period": period, "previous": previous, "window": window,
        "window_label": f"{day_label(window[0])}—{day_label(window[1])}",
        "headlines": headlines, "zones_chart": zones_output_chart(headlines, results, targets),
        "clusters": clusters, "clusters_chart": cluster_chart,
        "board": task_board(statuses),
        "flags_open": flag_rows(flags_open()),
        "flags_new": flag_rows(flags_new(start=window[0], end=window[1])),
        "dispatch": dispatch_summary(period=period, today=today),
        "changes": status_changes(now=results, before=before),
        "approvals": approvals_in(start=window[0], end=window[1]),
    }


# --- the zone page --------------------------------------------------------------------------


def _zone_values(zone: Zone) -> dict[int, list[tuple[ReportingPeriod, float]]]:
    """The zone's counted values per indicator (the province's figure wins), oldest first."""
    rows = (IndicatorValue.objects.filter(scope=Scope.ZONE, zone=zone, value__isnull=False)
            .filter(Q(report__isnull=True) | Q(report__state__in=COUNTED_STATES))
            .select_related("period").order_by("period__end"))
    chosen: dict[tuple, IndicatorValue] = {}
    for value in rows:
        key = (value.indicator_id, value.period_id)
        if key in chosen and value.source != IndicatorValue.Source.PROVINCE:
            continue
        chosen[key] = value
    by_indicator: dict[int, list] = defaultdict(list)
    for value in sorted(chosen.values(), key=lambda v: v.period.end):
        by_indicator[value.indicator_id].append((value.period, float(value.value)))
    return by_indicator


def _target_for_year(targets: list[Target], year: int) -> Target | None:
    """The target a value of `year` is judged against: that year's own, else the next goal ahead."""
    same = [t for t in targets if t.year == year]
    if same:
        return same[0]
    ahead = sorted((t for t in targets if t.year > year), key=lambda t: t.year)
    return ahead[0] if ahead else None


def level_chart(*, chart_id: str, indicator: Indicator, target: Target, values: list,
                result: ProgressResult | None) -> Chart:
    """Yearly actual values against the required path (committed and stretch), with the projection to the goal year."""
    unit, goal_year = indicator.unit, target.year
    full_year: dict[int, float] = {}
    latest_in_year: dict[int, tuple[ReportingPeriod, float]] = {}
    for period, value in values:
        if period.cadence != indicator.cadence:
            continue
        latest_in_year[period.year] = (period, value)
        if period.end.month == 12 and period.end.day == 31:
            full_year[period.year] = value
    if not indicator.year_to_date:  # a stock, not a running total: the last value of a year stands for it
        full_year = {year: v for year, (_p, v) in latest_in_year.items()}
    years = list(range(BASELINE_YEAR, goal_year + 1))
    baseline = float(target.baseline_value) if target.baseline_value is not None else full_year.get(BASELINE_YEAR)
    paths = {}
    for role, goal in (("target", target.committed_value), ("stretch", target.stretch_value)):
        if goal is not None and baseline is not None:
            paths[role] = dict(trajectory(baseline=baseline, goal=float(goal), goal_year=goal_year))
    partial_year = max((y for y in latest_in_year if y not in full_year and y <= goal_year), default=None)
    x = [_("%(year)s年") % {"year": y} for y in years]
    series = [{"name": _("实际值（全年）"), "role": "actual", "data": [_num(full_year.get(y), 2) for y in years]}]
    if partial_year is not None:
        period, value = latest_in_year[partial_year]
        series.append({"name": _("本年累计（截至%(period)s）") % {"period": period.label}, "role": "partial",
                       "data": [_num(value, 2) if y == partial_year else None for y in years]})
    names = {"target": _("约束目标路径（以上）"), "stretch": _("力争目标路径")}
    for role, path in paths.items():
        series.append({"name": names[role], "role": role, "data": [_num(path.get(y), 2) for y in years]})
    projection = float(result.projection) if result is not None and result.projection is not None else None
    if projection is not None and goal_year not in full_year:
        last = max((y for y in full_year if y < goal_year), default=None)
        series.append({"name": _("预计%(year)s年（按最新增速）") % {"year": goal_year}, "role": "projection",
                       "data": [_num(full_year[y], 2) if y == last else _num(projection, 2) if y == goal_year
                                else None for y in years]})
    rows = []
    for y in years:
        rows.append([str(y), fmt_number(full_year.get(y), unit),
                     fmt_number(latest_in_year[y][1], unit) if y == partial_year else "",
                     fmt_number(paths.get("target", {}).get(y), unit),
                     fmt_number(paths.get("stretch", {}).get(y), unit),
                     fmt_number(projection, unit) if y == goal_year and projection is not None else ""])
    note = ""
    if baseline is None:
        note = _("缺少%(year)s年基数，无法绘制目标路径。") % {"year": BASELINE_YEAR}
    return Chart(
        id=chart_id, title=_("%(name)s（%(unit)s）") % {"name": indicator.name, "unit": unit},
        spec={"kind": "trend", "unit": unit, "decimals": decimals_for(unit), "x": x, "series": series},
        headers=[_("年度"), _("全年实际"), _("本年累计"), _("约束路径"), _("力争路径"), _("预计")],
        rows=rows, note=note,
    )


def periodic_chart(*, chart_id: str, indicator: Indicator, targets: list[Target], values: list,
                   statuses: dict[tuple[int, int], str]) -> Chart:
    """Values period by period (coloured by their status) against the target of their year."""
    unit = indicator.unit
    points = [(p, v) for p, v in values if p.cadence == indicator.cadence]
    x, actual, status, committed, stretch, rows = [], [], [], [], [], []
    for period, value in points:
        target = _target_for_year(targets, period.year)
        point_status = statuses.get((target.pk, period.pk), "grey") if target else "grey"
        x.append(period.label)
        actual.append(_num(value, 2))
        status.append(point_status)
        committed.append(_num(target.committed_value, 2) if target and target.committed_value is not None else None)
        stretch.append(_num(target.stretch_value, 2) if target and target.stretch_value is not None else None)
        rows.append([period.label, fmt_number(value, unit), fmt_number(committed[-1], unit) if committed[-1] is not None
                     else "—", status_label(point_status) if target else _("无目标")])
    series = [{"name": _("实际值"), "role": "actual", "data": actual, "status": status}]
    if any(v is not None for v in committed):
        series.append({"name": _("目标值"), "role": "target", "data": committed, "step": True})
    if any(v is not None for v in stretch):
        series.append({"name": _("力争值"), "role": "stretch", "data": stretch, "step": True})
    return Chart(
        id=chart_id, title=_("%(name)s（%(unit)s）") % {"name": indicator.name, "unit": unit or "—"},
        spec={"kind": "trend", "unit": unit, "decimals": decimals_for(unit), "x": x, "series": series},
        headers=[_("调度期"), _("实际值"), _("目标值"), _("状态")], rows=rows,
        note="" if points else _("暂无数据"),
    )


def rank_chart(*, chart_id: str, title: str, rankings: list[Ranking], band: bool) -> Chart:
    """Rank by year (1 at the top), with the bottom-five band of each year's field marked."""
    rankings = sorted(rankings, key=lambda r: r.evaluation.year)
    spec = {
        "kind": "rank", "band": band, "name": _("排名"), "bandName": _("全省后5位区间"),
        "x": [_("%(year)s年") % {"year": r.evaluation.year} for r in rankings],
        "ranks": [r.rank for r in rankings], "totals": [r.evaluation.total_zones for r in rankings],
    }
    rows = [[str(r.evaluation.year), str(r.rank), str(r.evaluation.total_zones),
             _("是") if band and r.rank > r.evaluation.total_zones - 5 else ("否" if band else "—"),
             fmt_number(r.score, decimals=2) if r.score is not None else "—",
             _("是") if r.funding_awarded else ""] for r in rankings]
    return Chart(id=chart_id, title=title, spec=spec,
                 headers=[_("年度"), _("排名"), _("参评数"), _("后5位"), _("得分"), _("获省级资金")], rows=rows)


def zone_dashboard(*, zone: Zone, today: date) -> dict:
    """The zone page: headline figures, each indicator against its path, ranks, flags, task progress."""
    period = period_pick(today=today)
    as_of = period.end if period else today
    targets = list(Target.objects.filter(scope=Scope.ZONE, zone=zone)
                   .select_related("indicator__task", "zone").order_by("indicator__task__number", "indicator__order",
                                                                       "year"))
    results = latest_judged(as_of=as_of, targets=Target.objects.filter(scope=Scope.ZONE, zone=zone))
    statuses = {(t, p): s for t, p, s in ProgressResult.objects.filter(target__zone=zone, target__scope=Scope.ZONE)
                .values_list("target_id", "period_id", "status")}
    values = _zone_values(zone)
    by_indicator: dict[int, list[Target]] = defaultdict(list)
    for target in targets:
        by_indicator[target.indicator_id].append(target)
    headline = zone_headlines(zones=[zone], results=results,
                              targets=[t for t in targets if t.indicator.code in HEADLINE_CODES])[0]
    charts = []
    order = sorted(by_indicator.values(), key=lambda ts: (
        HEADLINE_CODES.index(ts[0].indicator.code) if ts[0].indicator.code in HEADLINE_CODES else 99,
        ts[0].indicator.task.number if ts[0].indicator.task else 0, ts[0].indicator.order))
    for zone_targets in order:
        indicator = zone_targets[0].indicator
        if indicator.kind not in CHARTED_KINDS or not values.get(indicator.pk):
            continue
        chart_id = f"chart-{indicator.code}"
        if indicator.kind == Indicator.Kind.LEVEL:
            goal = max(zone_targets, key=lambda t: t.year)
            charts.append(level_chart(chart_id=chart_id, indicator=indicator, target=goal,
                                      values=values[indicator.pk], result=results.get(goal.pk)))
        else:
            charts.append(periodic_chart(chart_id=chart_id, indicator=indicator, targets=zone_targets,
                                         values=values[indicator.pk], statuses=statuses))
    rankings = list(Ranking.objects.filter(zone=zone).select_related("evaluation"))
    rank_charts = [rank_chart(chart_id="chart-rank-provincial", title=_("全省开发区高质量发展评价排名"),
                              rankings=[r for r in rankings if r.evaluation.scheme == Scheme.PROVINCIAL], band=True)]
    national = [r for r in rankings if r.evaluation.scheme == Scheme.NATIONAL]
    if national:
        rank_charts.append(rank_chart(chart_id="chart-rank-national", title=_("国家高新区综合评价排名"),
                                      rankings=national, band=False))
    flags = list(Flag.objects.filter(zone=zone).exclude(state=Flag.State.WITHDRAWN)
                 .order_by("outcome", "-year", "scheme", "rule"))
    groups: dict[int, dict] = {}
    for target in targets:
        task = target.indicator.task
        key = task.number if task else 0
        group = groups.setdefault(key, {"task": task, "rows": [], "statuses": []})
        result = results.get(target.pk)
        group["rows"].append({"target": target, "result": result,
                              "card": progress_card(target.indicator, target, result)})
        group["statuses"].append(result.status if result else "grey")
    for group in groups.values():
        group["status"] = max(group["statuses"], key=("grey", "green", "amber", "red").index)
        group["status_label"] = task_status_label(group["status"])
    return {
        "period": period, "headline": headline, "charts": charts, "rank_charts": rank_charts,
        "rank_missing": not rank_charts[0].spec["ranks"],
        "flags": flag_rows([f for f in flags if f.outcome == Flag.Outcome.FIRED]),
        "flags_not_evaluable": flag_rows([f for f in flags if f.outcome == Flag.Outcome.NOT_EVALUABLE]),
        "task_groups": [groups[k] for k in sorted(groups)],
    }


# --- the task page --------------------------------------------------------------------------

# Timeline cells: a report's state, or once submitted its unit's judgement of progress.
CELLS = (
    ("not_due", gettext_lazy("未到截止日"), "#e3e8ee"),
    ("overdue", gettext_lazy("逾期未报"), "#7f0000"),
    ("draft", gettext_lazy("草稿"), "#f6d38b"),
    ("returned", gettext_lazy("已退回"), "#f08c3a"),
    ("submitted", gettext_lazy("已提交待审"), "#64b5f6"),
    ("not_started", gettext_lazy("未启动"), "#9aa5b1"),
    ("in_progress", gettext_lazy("推进中"), "#66bb6a"),
    ("done", gettext_lazy("已完成"), "#1b5e20"),
    ("delayed", gettext_lazy("滞后"), "#c62828"),
)
_CELL_INDEX = {code: i for i, (code, _label, _colour) in enumerate(CELLS)}
CELL_LABELS = {code: label for code, label, _colour in CELLS}


def report_cell(report: DispatchReport, *, today: date) -> str:
    if report.first_submitted_at is None and report.state != DispatchReport.State.APPROVED:
        return "overdue" if report.period.deadline < today else (
            "draft" if report.state == DispatchReport.State.DRAFT else "not_due")
    if report.state == DispatchReport.State.RETURNED:
        return "returned"
    if report.state == DispatchReport.State.SUBMITTED:
        return "submitted"
    if report.state == DispatchReport.State.APPROVED:
        return report.progress or "in_progress"
    return "draft"


def _late_days(report: DispatchReport) -> int:
    if report.first_submitted_at is None:
        return 0
    return max(0, (timezone.localtime(report.first_submitted_at).date() - report.period.deadline).days)


def report_timelines(*, task, today: date) -> list[Chart]:
    """Every unit's reports on the task over time: one grid (units × periods) per cadence."""
    positions = {r.department_id: r.position for r in task.responsibilities.all()}
    reports = (DispatchReport.objects.filter(task=task, department__isnull=False)
               .select_related("department", "period").order_by("period__end"))
    by_cadence: dict[str, list[DispatchReport]] = defaultdict(list)
    for report in reports:
        by_cadence[report.period.cadence].append(report)
    labels = dict(ReportingPeriod._meta.get_field("cadence").choices)
    charts = []
    for cadence in ("biweekly", "monthly", "quarterly", "half_yearly", "yearly"):
        group = by_cadence.get(cadence)
        if not group:
            continue
        periods = sorted({r.period for r in group}, key=lambda p: p.end)
        units = sorted({r.department for r in group}, key=lambda d: (positions.get(d.pk, 999), d.order))
        x_index = {p.pk: i for i, p in enumerate(periods)}
        y_index = {u.pk: i for i, u in enumerate(units)}
        cells, grid = [], {}
        for report in group:
            code = report_cell(report, today=today)
            late = _late_days(report)
            # The tooltip is HTML: escape what comes from the database.
            detail = str(CELL_LABELS[code])
            if report.progress_pct is not None and code in {"in_progress", "delayed", "done", "submitted"}:
                detail += _("，完成进度%(pct)s%%") % {"pct": report.progress_pct}
            if late:
                detail += _("（迟报%(days)s天）") % {"days": late}
            tip = f"{escape(report.department)} · {escape(report.period.label)}<br>{escape(detail)}"
            cells.append({"value": [x_index[report.period_id], y_index[report.department_id], _CELL_INDEX[code]],
                          "url": report.get_absolute_url(), "tip": tip})
            grid[(report.department_id, report.period_id)] = (code, late)
        rows = [[str(u)] + [_cell_text(grid.get((u.pk, p.pk))) for p in periods] for u in units]
        charts.append(Chart(
            id=f"chart-timeline-{cadence}", size="auto",
            title=_("%(cadence)s调度报送时间轴") % {"cadence": labels[cadence]},
            spec={"kind": "heatmap", "height": (150 if len(periods) > 8 else 90) + 28 * len(units)
                  + (30 if len(periods) > 24 else 0), "x": [p.label for p in periods],
                  "y": [str(u) for u in units], "cells": cells,
                  "legend": [{"code": i, "label": str(label), "color": colour}
                             for i, (_code, label, colour) in enumerate(CELLS)]},
            headers=[_("单位")] + [p.label for p in periods], rows=rows,
        ))
    return charts


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    code, late = cell
    text = str(CELL_LABELS[code])
    return text + (_("（迟%(days)s天）") % {"days": late} if late else "")


def task_dashboard(*, task, today: date) -> dict:
    """The task page: its targets with their latest progress, and the units' reports over time."""
    period = period_pick(today=today)
    as_of = period.end if period else today
    targets = [t for indicator in task.indicators.all() for t in indicator.targets.all()]
    results = latest_judged(as_of=as_of, targets=Target.objects.filter(indicator__task=task))
    rows = [{"target": t, "indicator": t.indicator, "result": results.get(t.pk),
             "card": progress_card(t.indicator, t, results.get(t.pk))} for t in targets]
    entry = task_statuses(as_of=as_of).get(task.number, {"status": "grey", "delayed_reports": []})
    return {"period": period, "target_rows": rows, "status": entry["status"],
            "status_label": task_status_label(entry["status"]), "delayed_reports": entry["delayed_reports"],
            "timelines": report_timelines(task=task, today=today)}


# --- the unit page --------------------------------------------------------------------------


def department_dashboard(*, department, today: date) -> dict:
    """The unit page: what it owes now (by deadline), its on-time record by year, its tasks' status."""
    mine = DispatchReport.objects.filter(department=department)
    owed_qs = mine.filter(state__in=OPEN_STATES, period__start__lte=today)
    owed = list(owed_qs.select_related("task", "period").order_by("period__deadline", "task__number")[:100])
    for report in owed:
        # Overdue means never submitted by the deadline; a returned report was submitted and now awaits a fix.
        report.is_overdue = report.period.deadline < today and report.first_submitted_at is None
        report.days_left = (report.period.deadline - today).days
        report.days_overdue = -report.days_left
    submitted = Q(first_submitted_at__isnull=False)
    record = list(mine.filter(period__start__lte=today).values("period__year").annotate(
        total=Count("id"),
        on_time=Count("id", filter=submitted & Q(first_submitted_at__date__lte=F("period__deadline"))),
        late=Count("id", filter=submitted & Q(first_submitted_at__date__gt=F("period__deadline"))),
        overdue=Count("id", filter=~submitted & Q(period__deadline__lt=today)),
        not_due=Count("id", filter=~submitted & Q(period__deadline__gte=today)),
    ).order_by("period__year"))
    for row in record:
        due = row["on_time"] + row["late"] + row["overdue"]
        row["rate"] = fmt_ratio(row["on_time"] / due if due else None)
    chart = Chart(
        id="chart-ontime", title=_("历年报送及时情况"), size="sm",
        spec={"kind": "stacked", "horizontal": False, "unit": _("份"), "decimals": 0,
              "categories": [_("%(year)s年") % {"year": r["period__year"]} for r in record],
              "series": [
                  {"name": _("按时报送"), "role": "green", "data": [r["on_time"] for r in record]},
                  {"name": _("迟报"), "role": "amber", "data": [r["late"] for r in record]},
                  {"name": _("逾期未报"), "role": "red", "data": [r["overdue"] for r in record]},
                  {"name": _("未到截止日"), "role": "grey", "data": [r["not_due"] for r in record]},
              ]},
        headers=[_("年度"), _("应报"), _("按时"), _("迟报"), _("逾期未报"), _("未到期"), _("按时率")],
        rows=[[str(r["period__year"]), str(r["total"]), str(r["on_time"]), str(r["late"]), str(r["overdue"]),
               str(r["not_due"]), r["rate"]] for r in record],
    )
    period = period_pick(today=today)
    statuses = task_statuses(as_of=period.end if period else today)
    task_rows = []
    for responsibility in department.responsibilities.all():
        status = statuses.get(responsibility.task.number, {}).get("status", "grey")
        task_rows.append({"responsibility": responsibility, "status": status,
                          "status_label": task_status_label(status)})
    return {
        "owed": owed, "owed_count": owed_qs.count(),
        "overdue_count": owed_qs.filter(period__deadline__lt=today, first_submitted_at__isnull=True).count(),
        "record": record, "record_chart": chart,
        "task_rows": task_rows, "period": period,
    }
