"""Dashboards: the zone page: headline figures, each indicator against its path, ranks, flags, task progress."""

from collections import defaultdict
from datetime import date

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from assessments.models import Flag, Ranking, Scheme
from assessments.rules import POSITIVE_RULES
from chuxiong_portal import dates
from evaluations.selectors import zone_gap_latest
from indicators.models import Indicator, IndicatorValue, ProgressResult, ReportingPeriod, Scope, Target, keep_official
from indicators.progress import rollup
from indicators.progress.status_words import status_label, task_status_label
from parks.models import Zone

from .common import (
    goal_year_over,
    milestones_judged_on,
    period_pick,
    progress_card,
    recurring_goal,
    recurring_words,
    status_words,
    zone_headlines,
)
from .format import CHARTED_KINDS, HEADLINE_CODES, Chart, _num, decimals_for, fmt_number, trajectory
from .overview import flag_rows

# --- the zone page --------------------------------------------------------------------------


def _zone_values(zone: Zone) -> dict[int, list[tuple[ReportingPeriod, float]]]:
    """The zone's counted values per indicator (the province's figure wins), oldest first.

    One query of plain rows (a zone has thousands of values and a few dozen periods): each period is made once.
    """
    period_fields = [f.attname for f in ReportingPeriod._meta.concrete_fields]
    rows = (
        IndicatorValue.objects.counted()
        .filter(scope=Scope.ZONE, zone=zone, value__isnull=False)
        .order_by("period__end")
        .values_list("indicator_id", "source", "value", *(f"period__{name}" for name in period_fields))
    )
    periods: dict[int, ReportingPeriod] = {}
    chosen: dict[tuple, tuple] = {}
    for indicator_id, source, value, *period_row in rows:
        period = periods.get(period_row[0])
        if period is None:
            period = periods[period_row[0]] = ReportingPeriod(**dict(zip(period_fields, period_row, strict=True)))
        keep_official(chosen, (indicator_id, period.pk), source, (indicator_id, period, value))
    by_indicator: dict[int, list] = defaultdict(list)
    for indicator_id, period, value in sorted(chosen.values(), key=lambda v: v[1].end):
        by_indicator[indicator_id].append((period, float(value)))
    return by_indicator


def _with_rates_from_parts(values: dict[int, list[tuple]], indicators) -> dict[int, list[tuple]]:
    """The zone's rates computed from their parts where both parts were reported for a period, in place of the rate
    typed beside them — the figure progress judges (`indicators.progress.derived`: computed replaces typed, by period
    end) — so the charts and the target rows of one page show one figure. From the values read already: no query."""
    for indicator in indicators:
        if not (indicator.numerator_id and indicator.denominator_id):
            continue
        bottoms = {period.pk: value for period, value in values.get(indicator.denominator_id, [])}
        rates = (
            (period, rollup.rate_from_parts(top, bottoms.get(period.pk)))
            for period, top in values.get(indicator.numerator_id, [])
        )
        computed = {period.end: (period, rate) for period, rate in rates if rate is not None}
        if computed:
            by_end = {period.end: (period, value) for period, value in values.get(indicator.pk, [])}
            values[indicator.pk] = [pair for _end, pair in sorted({**by_end, **computed}.items())]
    return values


def _zone_results(
    *, as_of: date, targets: list[Target], queryset
) -> tuple[dict[int, ProgressResult], dict[tuple[int, int], tuple[str, str]]]:
    """Each of the zone's targets' latest judged result up to `as_of` (as `common.latest_judged` picks it), pointing
    to the loaded `targets`; and every result's status with its words by (target, period), which the charts colour
    and word their points by.

    Two queries: the zone's results as plain rows (a few hundred), from which both are read in one pass (the chosen
    result is the one whose span holds `as_of`, `indicators.progress.spans`), then the chosen results with their
    periods, rather than a query of index seeks per target beside the statuses'."""
    on_day = Q(period_end__lte=as_of, shown_until__gt=as_of)
    rows = (
        ProgressResult.objects.filter(target__in=queryset)
        .order_by()
        .annotate(shown=ExpressionWrapper(on_day, output_field=BooleanField()))
        .values_list("pk", "target_id", "period_id", "status", "reason_code", "against_goal", "shown")
    )
    statuses: dict[tuple[int, int], tuple[str, str]] = {}
    worded: dict[tuple, tuple[str, str]] = {}  # hundreds of results, a few kinds of words: each worded once
    chosen = set()
    for pk, target_id, period_id, status, reason_code, against_goal, shown in rows:
        kind = (status, reason_code, against_goal)
        if kind not in worded:
            worded[kind] = (status, status_words(status, reason_code=reason_code, against_goal=against_goal))
        statuses[(target_id, period_id)] = worded[kind]
        if shown:
            chosen.add(pk)
    loaded = {t.pk: t for t in targets}
    results = {}
    for result in ProgressResult.objects.filter(pk__in=chosen).select_related("period"):
        result.target = loaded[result.target_id]
        results[result.target_id] = result
    return results, statuses


def _target_for_year(targets: list[Target], year: int) -> Target | None:
    """The target a value of `year` is judged against: that year's own, else the next goal ahead."""
    same = [t for t in targets if t.year == year]
    if same:
        return same[0]
    ahead = sorted((t for t in targets if t.year > year), key=lambda t: t.year)
    return ahead[0] if ahead else None


def level_chart(
    *, chart_id: str, indicator: Indicator, target: Target, values: list, result: ProgressResult | None
) -> Chart:
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
    baseline_year = indicator.plan.baseline_year
    if indicator.continues_id:  # one series across both plans: drawn from the earlier plan's baseline
        baseline_year = min(baseline_year, min(full_year, default=baseline_year))
    years = list(range(baseline_year, goal_year + 1))
    baseline = float(target.baseline_value) if target.baseline_value is not None else full_year.get(baseline_year)
    paths = {}
    for role, goal in (("target", target.committed_value), ("stretch", target.stretch_value)):
        if goal is not None and baseline is not None:
            paths[role] = dict(
                trajectory(baseline=baseline, goal=float(goal), baseline_year=baseline_year, goal_year=goal_year)
            )
    partial_year = max((y for y in latest_in_year if y not in full_year and y <= goal_year), default=None)
    x = [_("%(year)s年") % {"year": y} for y in years]
    series = [{"name": _("实际值（全年）"), "role": "actual", "data": [_num(full_year.get(y), 2) for y in years]}]
    if partial_year is not None:
        period, value = latest_in_year[partial_year]
        series.append(
            {
                "name": _("本年累计（截至%(period)s）") % {"period": period.label},
                "role": "partial",
                "data": [_num(value, 2) if y == partial_year else None for y in years],
            }
        )
    names = {"target": _("约束目标路径（以上）"), "stretch": _("力争目标路径")}
    for role, path in paths.items():
        series.append({"name": names[role], "role": role, "data": [_num(path.get(y), 2) for y in years]})
    projection = float(result.projection) if result is not None and result.projection is not None else None
    if goal_year in full_year or (result is not None and goal_year_over(result, goal_year)):
        projection = None  # the goal year's full-year figure is in, or the year is over: nothing left to project
    if projection is not None:
        last = max((y for y in full_year if y < goal_year), default=None)
        series.append(
            {
                "name": _("预计%(year)s年（按最新增速）") % {"year": goal_year},
                "role": "projection",
                "data": [
                    _num(full_year[y], 2) if y == last else _num(projection, 2) if y == goal_year else None
                    for y in years
                ],
            }
        )
    rows = []
    for y in years:
        rows.append(
            [
                str(y),
                fmt_number(full_year.get(y), unit),
                fmt_number(latest_in_year[y][1], unit) if y == partial_year else "",
                fmt_number(paths.get("target", {}).get(y), unit),
                fmt_number(paths.get("stretch", {}).get(y), unit),
                fmt_number(projection, unit) if y == goal_year and projection is not None else "",
            ]
        )
    note = ""
    if baseline is None:
        note = _("缺少%(year)s年基数，无法绘制目标路径。") % {"year": baseline_year}
    return Chart(
        id=chart_id,
        title=_("%(name)s（%(unit)s）") % {"name": indicator.name, "unit": unit},
        spec={"kind": "trend", "unit": unit, "decimals": decimals_for(unit), "x": x, "series": series},
        headers=[_("年度"), _("全年实际"), _("本年累计"), _("约束路径"), _("力争路径"), _("预计")],
        rows=rows,
        note=note,
    )


def periodic_chart(
    *,
    chart_id: str,
    indicator: Indicator,
    targets: list[Target],
    values: list,
    statuses: dict[tuple[int, int], tuple[str, str]],
) -> Chart:
    """Values period by period (coloured by their status) against the target of their year. `statuses`: each
    result's (status, its words) by (target, period), the words saying what the status is against, as its card
    does (`common.status_words`: 略低于目标 for a rate's, 略低于序时进度 for a pace's)."""
    unit = indicator.unit
    points = [(p, v) for p, v in values if p.cadence == indicator.cadence]
    no_result = ("grey", status_label("grey"))
    x, actual, status, committed, stretch, rows = [], [], [], [], [], []
    for period, value in points:
        target = _target_for_year(targets, period.year)
        point_status, words = statuses.get((target.pk, period.pk), no_result) if target else no_result
        label = period.label  # worded once per point: the axis and the table show it
        x.append(label)
        actual.append(_num(value, 2))
        status.append(point_status)
        committed.append(_num(target.committed_value, 2) if target and target.committed_value is not None else None)
        stretch.append(_num(target.stretch_value, 2) if target and target.stretch_value is not None else None)
        rows.append(
            [
                label,
                fmt_number(value, unit),
                fmt_number(committed[-1], unit) if committed[-1] is not None else "—",
                words if target else _("无目标"),
            ]
        )
    series = [{"name": _("实际值"), "role": "actual", "data": actual, "status": status}]
    if any(v is not None for v in committed):
        series.append({"name": _("目标值"), "role": "target", "data": committed, "step": True})
    if any(v is not None for v in stretch):
        series.append({"name": _("力争值"), "role": "stretch", "data": stretch, "step": True})
    return Chart(
        id=chart_id,
        title=_("%(name)s（%(unit)s）") % {"name": indicator.name, "unit": unit or "—"},
        spec={"kind": "trend", "unit": unit, "decimals": decimals_for(unit), "x": x, "series": series},
        headers=[_("调度期"), _("实际值"), _("目标值"), _("状态")],
        rows=rows,
        note="" if points else _("暂无数据"),
    )


def rank_chart(*, chart_id: str, title: str, rankings: list[Ranking], band: bool) -> Chart:
    """Rank by year (1 at the top), with the bottom-five band of each year's field marked."""
    rankings = sorted(rankings, key=lambda r: r.evaluation.year)
    spec = {
        "kind": "rank",
        "band": band,
        "name": _("排名"),
        "bandName": _("全省后5位区间"),
        "x": [_("%(year)s年") % {"year": r.evaluation.year} for r in rankings],
        "ranks": [r.rank for r in rankings],
        "totals": [r.evaluation.total_zones for r in rankings],
        # The chart's own words, in the reader's language: {year}, {rank}, {total} are filled in by charts.js, {c}
        # (the point's rank) by ECharts.
        "words": {
            "tooltip": _("{year}：第{rank}位（共{total}个）"),
            "bottomFive": _("，处于后5位"),
            "axis": _("名次"),
            "point": _("第{c}位"),
        },
    }
    rows = [
        [
            str(r.evaluation.year),
            str(r.rank),
            str(r.evaluation.total_zones),
            _("是") if band and r.rank > r.evaluation.total_zones - 5 else (_("否") if band else "—"),
            fmt_number(r.score, decimals=2) if r.score is not None else "—",
            _("是") if r.funding_awarded else "",
        ]
        for r in rankings
    ]
    return Chart(
        id=chart_id,
        title=title,
        spec=spec,
        headers=[_("年度"), _("排名"), _("参评数"), _("后5位"), _("得分"), _("获省级资金")],
        rows=rows,
    )


def target_row_words() -> dict:
    """The fixed words of `target_row`, translated once per page (they are the template's ``{% translate %}`` words,
    shown as they are; everything else in a row is escaped)."""
    return {
        "office": _("州开发区办分解，非方案原文"),
        "stretch": _("力争"),
        "before": _("前"),
        "recurring": recurring_words(),
        "rate": _("尚需年均增长%(rate)s"),
        "kinds": {value: str(label) for value, label in Indicator.Kind.choices},
    }


def target_row(target: Target, card: dict, words: dict) -> SafeString:
    """A target's row in its task's table on the zone page, as HTML: written once here rather than looked up cell by
    cell in a template loop (a zone has dozens of targets, each row a dozen lookups, translations and filters). The
    indicator's name links to the target's own page, the same link for every reader (the body is cached and shared)."""
    e = conditional_escape
    indicator = target.indicator
    office = ""
    if target.basis == "office":
        office = f'<br><span class="muted small" data-basis="office" title="{e(target.note)}">{words["office"]}</span>'
    if card["goal"]:
        goal = f"≥{e(card['goal'])}"
        if card["stretch"]:
            goal += f"<br>{words['stretch']}{e(card['stretch'])}"
    elif card["stretch"]:
        goal = f"{words['stretch']}{e(card['stretch'])}"
    elif target.due_date:
        stretch = words["stretch"] if card.get("is_stretch") else ""
        goal = f"{stretch}{e(dates.day(target.due_date))}{words['before']}"
    elif target.required_count:
        goal = recurring_goal(target, words["recurring"])
    else:
        goal = "—"
    as_of = f'<br><span class="muted">{e(card["as_of"])}</span>' if card["as_of"] else ""
    rate = ""
    if card["required_rate"] and indicator.kind == Indicator.Kind.AVERAGE_GROWTH:
        rate = f'<br><span class="muted">{words["rate"] % {"rate": e(card["required_rate"])}}</span>'
    kind = words["kinds"].get(indicator.kind, indicator.kind)
    return mark_safe(
        f'<tr><th scope="row"><a class="target-name" href="{e(target.get_absolute_url())}">{e(indicator.name)}</a>'
        f'<span class="muted"> · {e(kind)}</span>{office}</th>\n'
        f"          <td>{target.year}</td>\n"
        f'          <td class="num">{goal}</td>\n'
        f'          <td class="num">{e(card["value"])}{as_of}</td>\n'
        f'          <td class="num">{e(card["expected"])}</td>\n'
        f'          <td><span class="status {e(card["status"])}">{e(card["status_label"])}</span></td>\n'
        f'          <td class="wrap">{e(card["reason"])}{rate}</td></tr>'
    )


def task_group_words() -> dict:
    """The fixed words of `task_group`, translated and escaped once per page (as ``{% translate %}`` shows them)."""
    e = conditional_escape
    headers = (_("指标"), _("年度"), _("目标"), _("最新值"), _("序时目标"), _("状态"), _("说明"))
    return {
        "goals": e(_("发展目标")),
        "targets": e(_("项目标")),
        "open": e(_("（")),
        "close": e(_("）")),
        "head": "<thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in headers) + "</tr></thead>",
    }


def task_group(group: dict, words: dict) -> SafeString:
    """A task's group of target rows on the zone page, as HTML: written once here rather than in a template loop."""
    e = conditional_escape
    task = group["task"]
    # The task's link is in the group's body, not its summary: a link inside a <summary> is a control inside a
    # control, which a keyboard or a screen reader cannot tell from the toggle.
    if task is not None:
        title = f"{task.number}. {e(task.title)}"
        words_of_link = e(_("查看任务%(number)s的详情") % {"number": task.number})
        link = f'    <p class="small task-link"><a href="{e(task.get_absolute_url())}">{words_of_link}</a></p>\n'
    else:
        title, link = words["goals"], ""
    rows = "".join(f"\n        {row['html']}\n      " for row in group["rows"])
    is_open = "open" if group["status"] in ("red", "amber") else ""
    return mark_safe(
        f'<details class="task-group" {is_open}>\n'
        f'    <summary><span class="status {e(group["status"])}">{e(group["status_label"])}</span>\n'
        f"      {title}\n"
        f'      <span class="muted small">{words["open"]}{len(group["rows"])}{words["targets"]}{words["close"]}</span>'
        "</summary>\n"
        f"{link}"
        '    <div class="scroll"><table class="table small">\n'
        f"      {words['head']}\n"
        f"      <tbody>{rows}</tbody>\n"
        "    </table></div>\n"
        "  </details>"
    )


def zone_dashboard(*, zone: Zone, today: date, plan=None) -> dict:
    """The zone page of `plan` (all plans' targets when None): headline figures, each indicator against its path,
    ranks, flags, task progress. An indicator that continues one of an earlier plan is drawn as one series."""
    period = period_pick(today=today, plan=plan)
    as_of = period.end if period else today
    zone_targets_qs = Target.objects.filter(scope=Scope.ZONE, zone=zone)
    if plan is not None:
        zone_targets_qs = zone_targets_qs.filter(indicator__plan=plan)
    # The zone and (of one plan) the plan are the same for every target: shared, not read and made once per target.
    targets = list(
        zone_targets_qs.select_related("indicator__task", *(("indicator__plan",) if plan is None else ())).order_by(
            "indicator__task__number", "indicator__order", "year"
        )
    )
    for target in targets:
        target.zone = zone
        if plan is not None:
            target.indicator.plan = plan
    results, statuses = _zone_results(as_of=as_of, targets=targets, queryset=zone_targets_qs)
    milestones_judged_on(results.values(), today)  # an open milestone's countdown counts from today
    values = _with_rates_from_parts(_zone_values(zone), {t.indicator for t in targets})
    for indicator in {t.indicator for t in targets if t.indicator.continues_id}:
        # One series across both plans: the earlier plan's values first.
        values[indicator.pk] = values.get(indicator.continues_id, []) + values.get(indicator.pk, [])
    by_indicator: dict[int, list[Target]] = defaultdict(list)
    for target in targets:
        by_indicator[target.indicator_id].append(target)
    headline = zone_headlines(
        zones=[zone], results=results, targets=[t for t in targets if t.indicator.code in HEADLINE_CODES]
    )[0]
    charts = []
    order = sorted(
        by_indicator.values(),
        key=lambda ts: (
            HEADLINE_CODES.index(ts[0].indicator.code) if ts[0].indicator.code in HEADLINE_CODES else 99,
            ts[0].indicator.task.number if ts[0].indicator.task else 0,
            ts[0].indicator.order,
        ),
    )
    for zone_targets in order:
        indicator = zone_targets[0].indicator
        if indicator.kind not in CHARTED_KINDS or not values.get(indicator.pk):
            continue
        chart_id = f"chart-{indicator.code}"
        if indicator.kind == Indicator.Kind.LEVEL:
            goal = max(zone_targets, key=lambda t: t.year)
            charts.append(
                level_chart(
                    chart_id=chart_id,
                    indicator=indicator,
                    target=goal,
                    values=values[indicator.pk],
                    result=results.get(goal.pk),
                )
            )
        else:
            charts.append(
                periodic_chart(
                    chart_id=chart_id,
                    indicator=indicator,
                    targets=zone_targets,
                    values=values[indicator.pk],
                    statuses=statuses,
                )
            )
    rankings = list(Ranking.objects.filter(zone=zone).select_related("evaluation"))
    rank_charts = [
        rank_chart(
            chart_id="chart-rank-provincial",
            title=_("全省开发区高质量发展评价排名"),
            rankings=[r for r in rankings if r.evaluation.scheme == Scheme.PROVINCIAL],
            band=True,
        )
    ]
    national = [r for r in rankings if r.evaluation.scheme == Scheme.NATIONAL]
    if national:
        rank_charts.append(
            rank_chart(chart_id="chart-rank-national", title=_("国家高新区综合评价排名"), rankings=national, band=False)
        )
    flags = list(
        Flag.objects.filter(zone=zone)
        .exclude(state=Flag.State.WITHDRAWN)
        .select_related("zone__county")
        .order_by("outcome", "-year", "scheme", "rule")
    )
    groups: dict[int, dict] = {}
    words = target_row_words()
    for target in targets:
        task = target.indicator.task
        key = task.number if task else 0
        group = groups.setdefault(key, {"task": task, "rows": [], "statuses": []})
        result = results.get(target.pk)
        card = progress_card(target.indicator, target, result)
        group["rows"].append(
            {"target": target, "result": result, "card": card, "html": target_row(target, card, words)}
        )
        group["statuses"].append(result.status if result else "grey")
    group_words = task_group_words()
    for group in groups.values():
        group["status"] = max(group["statuses"], key=("grey", "green", "amber", "red").index)
        group["status_label"] = task_status_label(group["status"])
        group["html"] = task_group(group, group_words)
    some_plan = plan or (targets[0].indicator.plan if targets else None)
    return {
        "goal_year": some_plan.goal_year if some_plan else None,
        "baseline_year": some_plan.baseline_year if some_plan else None,
        "period": period,
        "headline": headline,
        "charts": charts,
        "rank_charts": rank_charts,
        "rank_missing": not rank_charts[0].spec["ranks"],
        # The plan's positive consequences (资金倾斜, 扶持) are listed apart, not counted as 问责提示.
        "flags": flag_rows([f for f in flags if f.outcome == Flag.Outcome.FIRED and f.rule not in POSITIVE_RULES]),
        "flags_positive": flag_rows([f for f in flags if f.outcome == Flag.Outcome.FIRED and f.rule in POSITIVE_RULES]),
        "flags_not_evaluable": flag_rows([f for f in flags if f.outcome == Flag.Outcome.NOT_EVALUABLE]),
        "task_groups": [groups[k] for k in sorted(groups)],
        "evaluation_gap": zone_gap_latest(zone),
    }
