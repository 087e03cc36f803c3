"""Dashboards: the prefecture overview (and the bulletin built from it): headline and cluster charts,
the task board, status changes, flags, approvals and dispatch for one period.
"""

import html
from datetime import date
from types import SimpleNamespace

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from assessments.models import Flag
from assessments.rules import POSITIVE_RULES
from chuxiong_portal import dates
from chuxiong_portal.db import IdList
from indicators.models import (
    DispatchReport,
    Indicator,
    IndicatorValue,
    ProgressResult,
    ReportingPeriod,
    Scope,
    Target,
    reads_stored_reason,
    reason_inputs,
    result_reason_words,
    scope_name,
)
from indicators.progress.engine import ROLLUP_INCOMPLETE
from indicators.progress.status_words import STATUSES, status_label, status_short, task_status_label
from indicators.reporting.period_names import period_name
from indicators.selectors import programme_statuses, task_statuses, timeliness_summary
from parks.models import Zone
from tasks.models import plan_numeral

from .common import (
    _aware,
    change_window,
    goal_year_over,
    headline_code,
    latest_judged_statuses,
    previous_period,
    progress_card,
    result_status_label,
    results_shown,
    zone_headlines,
)
from .format import CLUSTER_CODE, HEADLINE_CODES, Chart, _num, decimals_for, fmt_number, fmt_ratio

# --- headline and cluster charts ----------------------------------------------------------


def _goal_bars(
    *, chart_id: str, title: str, categories: list[str], results: list[ProgressResult | None], unit: str, goal_year: int
) -> Chart:
    """Latest value (coloured by status), projection and goal side by side, per zone or cluster. As on the cards: a
    figure held to the goal itself reads 略低于目标 (not 略低于序时进度), and once the goal year is over nothing is
    projected."""
    over = {id(r): goal_year_over(r, goal_year) for r in results if r is not None}
    labels = {id(r): result_status_label(r) for r in results if r}

    def pick(attribute: str) -> list[float | None]:
        out = []
        for result in results:
            source = None if result is None else result.target if attribute.endswith("_value") else result
            if attribute == "projection" and result is not None and over[id(result)]:
                source = None
            out.append(None if source is None else _num(getattr(source, attribute), 2))
        return out

    stretch = pick("stretch_value")
    series = [
        {
            "name": _("最新值（年内累计）"),
            "role": "actual",
            "data": pick("actual"),
            "status": [r.status if r else "grey" for r in results],
        },
        {"name": _("预计%(year)s年") % {"year": goal_year}, "role": "projection", "data": pick("projection")},
        {"name": _("%(year)s年目标") % {"year": goal_year}, "role": "target", "data": pick("committed_value")},
    ]
    if any(v is not None for v in stretch):
        series.append({"name": _("力争目标"), "role": "stretch", "data": stretch})
    rows = [
        [
            name,
            fmt_number(r.actual if r else None, unit),
            r.period.label if r else "—",
            fmt_number(r.projection if r and not over[id(r)] else None, unit),
            fmt_number(r.target.committed_value if r else None, unit),
            fmt_number(r.target.stretch_value if r else None, unit),
            labels[id(r)] if r else status_label("grey"),
        ]
        for name, r in zip(categories, results, strict=True)
    ]
    # The latest values are coloured by status: the legend names the statuses shown (the series' own swatch is neutral),
    # in the words of the first bar of each.
    shown: dict[str, str] = {}
    for r in results:
        shown.setdefault(r.status if r else "grey", labels[id(r)] if r else status_label("grey"))
    status_legend = [{"role": s, "name": shown[s]} for s in STATUSES if s in shown]
    return Chart(
        id=chart_id,
        title=title,
        spec={
            "kind": "bars",
            "unit": unit,
            "decimals": decimals_for(unit),
            "categories": categories,
            "series": series,
            "status_legend": status_legend,
        },
        headers=[
            _("名称"),
            _("最新值"),
            _("截至"),
            _("预计%(year)s年") % {"year": goal_year},
            _("%(year)s年目标") % {"year": goal_year},
            _("力争目标"),
            _("状态"),
        ],
        rows=rows,
    )


def zones_output_chart(
    headlines: list[dict], results: dict[int, ProgressResult], targets: list[Target], goal_year: int
) -> Chart:
    by_zone = {t.zone_id: t for t in targets if headline_code(t.indicator) == "industrial-output"}
    picked = [results.get(by_zone[row["zone"].pk].pk) if row["zone"].pk in by_zone else None for row in headlines]
    return _goal_bars(
        chart_id="chart-zones-output",
        title=_("各开发区工业总产值：最新值、预计与%(year)s年目标") % {"year": goal_year},
        categories=[row["zone"].short_name or row["zone"].name for row in headlines],
        results=picked,
        unit="亿元",
        goal_year=goal_year,
    )


def cluster_targets(plan=None) -> list[Target]:
    """The industry clusters' task-9 output targets (of `plan`, every plan's when None)."""
    targets = Target.objects.filter(indicator__code=CLUSTER_CODE, scope=Scope.CLUSTER)
    if plan is not None:
        targets = targets.filter(indicator__plan=plan)
    return list(targets.select_related("indicator", "cluster").order_by("cluster__order", "year"))


def shown_targets(plan, zones: list[Zone] | None = None) -> tuple[list[Target], list[Target]]:
    """`headline_targets(plan)` and `cluster_targets(plan)`: the targets whose figures the overview shows. The plan's
    few headline and cluster indicators are read first (each with the one it continues), then their targets by the
    targets' index on the indicator (a filter on the joined indicators read every target of the plan), with their
    clusters (a handful) and given their zones (`zones`, which the page has read already): a province shows four
    hundred, and no model is made of each one's joins."""
    indicators = Indicator.objects.select_related("continues").filter(
        Q(code__in=[*HEADLINE_CODES, CLUSTER_CODE]) | Q(continues__code__in=HEADLINE_CODES), plan=plan
    )
    indicators = {indicator.pk: indicator for indicator in indicators}
    headline = [pk for pk, indicator in indicators.items() if headline_code(indicator) in HEADLINE_CODES]
    cluster = [pk for pk, indicator in indicators.items() if indicator.code == CLUSTER_CODE]
    targets = list(
        Target.objects.filter(
            Q(indicator_id__in=headline, scope=Scope.ZONE) | Q(indicator_id__in=cluster, scope=Scope.CLUSTER)
        )
        .select_related("cluster")  # a handful: the zones' targets have none, and no model is made for them
        .order_by("year", "pk")  # by year: a zone's latest goal of a figure last (`zones_output_chart`)
    )
    zones_by_pk = {zone.pk: zone for zone in zones} if zones is not None else Zone.objects.in_bulk()
    for target in targets:
        target.indicator = indicators[target.indicator_id]
        target.zone = zones_by_pk.get(target.zone_id) if target.zone_id else None
    clusters = sorted((t for t in targets if t.scope == Scope.CLUSTER), key=lambda t: (t.cluster.order, t.year))
    return [t for t in targets if t.scope == Scope.ZONE], clusters


def cluster_progress(
    *, results: dict[int, ProgressResult], goal_year: int, plan=None, targets: list[Target] | None = None
) -> tuple[list[dict], Chart]:
    """The industry clusters against their task-9 output goals (of `plan`, every plan's when None)."""
    rows = cluster_rows(results=results, plan=plan, targets=targets)
    return rows, clusters_chart(rows, goal_year=goal_year)


def cluster_rows(*, results: dict[int, ProgressResult], plan=None, targets: list[Target] | None = None) -> list[dict]:
    """Each industry cluster's task-9 output target with its figure (of `plan`, every plan's when None)."""
    targets = cluster_targets(plan) if targets is None else targets
    return [
        {"cluster": t.cluster, "card": progress_card(t.indicator, t, results.get(t.pk)), "result": results.get(t.pk)}
        for t in targets
    ]


def clusters_chart(rows: list[dict], *, goal_year: int) -> Chart:
    return _goal_bars(
        chart_id="chart-clusters",
        title=_("产业集群工业总产值：最新值、预计与%(year)s年目标") % {"year": goal_year},
        categories=[r["cluster"].name for r in rows],
        results=[r["result"] for r in rows],
        unit=rows[0]["card"]["indicator"].unit if rows else "亿元",
        goal_year=goal_year,
    )


def zone_cards_html(headlines: list[dict]) -> SafeString:
    """`zone_headlines` as the overview's zone cards, each value escaped as ``{{ value }}`` is: written once here, with
    their words translated once, rather than looked up card by card in the template (a province has hundreds)."""
    if not headlines:
        return mark_safe(f'<p class="muted">{_("暂无开发区")}</p>\n    ')
    words = {
        "as_of": _esc(_("截至")),
        "no_data": _esc(_("暂无数据")),
        "year_goal": _esc(_("年目标")),
        "year_stretch": _esc(_("年力争")),
        "rate_needed": _esc(_("尚需年均增速")),
        "on_pace": _esc(_("完成序时进度")),
        "on_goal": _esc(_("完成目标")),
        "no_goal": _esc(_("方案未对本园区设定该项目标")),
        "county": _esc(_("属地")),
    }
    # Each level's name and each goal year's "预计…年" worded once (a choice's display builds its choices each call).
    levels = {value: _esc(label) for value, label in Zone.Level.choices}
    words["expected"] = {}
    out = []
    for row in headlines:
        zone = row["zone"]
        level = levels.get(zone.level) or _esc(zone.level)
        out.append(
            f"""
    <article class="zone-card zone-{_esc(row["status"])}">
      <header class="zone-card-head">
        <h3><a href="{_esc(zone.get_absolute_url())}">{_esc(zone.name)}</a></h3>
        <p class="muted small">{level} · {words["county"]}{_esc(zone.county.name)}</p>
      </header>
      <div class="kpi-grid">{"".join(_kpi_html(card, words) for card in row["cards"])}</div>
    </article>
    """
        )
    return mark_safe("".join(out))


def headline_rows_html(headlines: list[dict]) -> SafeString:
    """`zone_headlines` as the rows of the bulletin's table of the zones' headline figures, each value escaped as
    ``{{ value }}`` is and the words translated once: written once here, not cell by cell in the template (a province
    has four hundred cells)."""
    goal, stretch, no_goal = _esc(_("目标")), _esc(_("力争")), _esc(_("无目标"))
    out = []
    for row in headlines:
        cells = []
        for card in row["cards"]:
            if not card["has_target"]:
                cells.append(f'<td class="num"><span class="muted">{no_goal}</span></td>')
                continue
            aim = (
                f"{goal}≥{_esc(card['goal'])}"
                if card["goal"]
                else f"{stretch}{_esc(card['stretch'])}"
                if card["stretch"]
                else ""
            )
            cells.append(
                f'<td class="num">{_esc(card["value"])}<br><span class="muted">{aim}</span><br>'
                f'<span class="status {_esc(card["status"])}">{_esc(card["status_label"])}</span></td>'
            )
        out.append(f'<tr><th scope="row">{_esc(row["zone"].name)}</th>{"".join(cells)}</tr>')
    return mark_safe("\n".join(out))


def _kpi_html(card: dict, words: dict) -> str:
    if not card["has_target"]:
        body = f"""
  <div class="kpi-value muted">—</div>
  <div class="kpi-meta">{words["no_goal"]}</div>
  """
    else:
        as_of = f"{words['as_of']}{_esc(card['as_of'])}" if card["as_of"] else words["no_data"]
        goal_year = _esc(card["goal_year"])
        goal = (
            f'<div class="kpi-meta">{goal_year}{words["year_goal"]} ≥{_esc(card["goal"])}</div>' if card["goal"] else ""
        )
        stretch = (
            f'<div class="kpi-meta">{goal_year}{words["year_stretch"]} {_esc(card["stretch"])}</div>'
            if card["stretch"]
            else ""
        )
        projection = ""
        if card["projection"]:
            rate = f" · {words['rate_needed']} {_esc(card['required_rate'])}" if card["required_rate"] else ""
            expected = words["expected"].get(goal_year)
            if expected is None:
                expected = words["expected"][goal_year] = _("预计%(year)s年") % {"year": goal_year}
            projection = f'<div class="kpi-meta">{expected} {_esc(card["projection"])}{rate}</div>'
        of = words["on_goal" if card["at_goal"] else "on_pace"]
        pace = f' <span class="muted small">{of} {_esc(card["attainment"])}</span>' if card["attainment"] != "—" else ""
        body = f"""
  <div class="kpi-value">{_esc(card["value"])}</div>
  <div class="kpi-meta">{as_of}</div>
  {goal}
  {stretch}
  {projection}
  <div class="kpi-foot"><span class="status {_esc(card["status"])}">{_esc(card["status_label"])}</span>{pace}</div>
  """
    return f"""<div class="kpi kpi-{_esc(card["status"])}">
  <div class="kpi-name">{_esc(card["name"])}</div>
  {body}
</div>
"""


# --- the prefecture's own goals -------------------------------------------------------------

# 「全州开发区…工业总产值年均增长20%以上」 and 「开发区主导产业营业收入占比达到50%以上」: goals of all zones together.
PREFECTURE_GOAL_CODES = ("industrial-output-growth", "leading-industry-share")


def prefecture_goals(*, as_of: date, zones: list[Zone], plan=None) -> list[dict]:
    """The prefecture's goals against the figures rolled up from the zones (stored as progress results), with
    the province's own figure beside where it reported one. A roll-up with a zone missing is shown as
    incomplete, naming the zone, never as a sum that reads the zone as zero. Three queries."""
    targets = Target.objects.filter(
        Q(indicator__code__in=PREFECTURE_GOAL_CODES) | Q(indicator__continues__code__in=PREFECTURE_GOAL_CODES),
        scope=Scope.PREFECTURE,
    )
    if plan is not None:  # the goals of the page's plan only
        targets = targets.filter(indicator__plan=plan)
    # The latest result with a figure or an incomplete roll-up; a period not yet reported does not hide it.
    # Else the latest result at all, which says why there is no figure.
    base = ProgressResult.objects.filter(target=OuterRef("pk"), period_end__lte=as_of).order_by("-period_end")
    latest = base.filter(Q(actual__isnull=False) | Q(inputs__reason_code=ROLLUP_INCOMPLETE))
    # The targets with their indicators and their results' keys in one query.
    targets = list(
        targets.select_related("indicator")
        .annotate(result_id=Coalesce(Subquery(latest.values("pk")[:1]), Subquery(base.values("pk")[:1])))
        .order_by("indicator__order", "year")
    )
    results = {
        r.target_id: r
        for r in ProgressResult.objects.filter(pk__in=[t.result_id for t in targets if t.result_id])
        .order_by()
        .select_related("period")
    }
    province: dict[int, IndicatorValue] = {}
    for value in (
        IndicatorValue.objects.filter(
            source=IndicatorValue.Source.PROVINCE,
            scope=Scope.PREFECTURE,
            indicator__code__in=PREFECTURE_GOAL_CODES,
            value__isnull=False,
            period__end__lte=as_of,
        )
        .select_related("period")
        .order_by("-period__end")
    ):
        province.setdefault(value.indicator_id, value)
    names = {zone.code: zone.name for zone in zones}
    rows = []
    for target in targets:
        result = results.get(target.pk)
        card = progress_card(target.indicator, target, result)
        missing = (
            (result.inputs.get("reason_params") or {}).get("missing", [])
            if result is not None and result.inputs.get("reason_code") == ROLLUP_INCOMPLETE
            else []
        )
        if missing:
            card["value"] = _("汇总不完整")
        official = province.get(target.indicator_id)
        rows.append(
            {
                "target": target,
                "card": card,
                "wording": target.wording,
                "missing": [names.get(code, code) for code in missing],
                "province_value": fmt_number(official.value, target.indicator.unit) if official else "",
                "province_as_of": official.period.label if official else "",
                "province_source": official.get_source_display() if official else "",
            }
        )
    return rows


# --- tasks and programmes -------------------------------------------------------------------


def task_board(statuses: dict[int, dict]) -> dict:
    """The plan's tasks (26 in six programmes for 2023–2025) grouped by their programmes, each with its status; counts
    for a donut; the heading and the bulletin's summary count the plan's own tasks and programmes (a successor plan
    has others)."""
    programme_status = programme_statuses(statuses)
    # Each phrase worded once, not per red target (the bulletin of a province names a thousand).
    red_words, late_words = _("%(indicator)s（%(scope)s）：%(reason)s"), _("%(unit)s报告滞后")
    red_year_words = _("%(year)s年 %(indicator)s（%(scope)s）：%(reason)s")
    programmes: dict[int, dict] = {}
    for number in sorted(statuses):
        entry = statuses[number]
        programme = entry["task"].programme
        block = programmes.setdefault(
            programme.number,
            {
                "programme": programme,
                "status": programme_status.get(programme.number, "grey"),
                "tasks": [],
                "counts": dict.fromkeys(STATUSES, 0),
            },
        )
        block["status_label"] = task_status_label(block["status"])
        block["counts"][entry["status"]] += 1
        reasons = [
            (red_year_words if line["year"] else red_words) % line for line in red_target_lines(entry["red_targets"])
        ]
        if entry["red_count"] > len(entry["red_targets"]):
            reasons.append(_("等%(n)s个目标滞后") % {"n": entry["red_count"]})
        reasons += [late_words % {"unit": r.department} for r in entry["delayed_reports"]]
        block["tasks"].append(
            {
                "task": entry["task"],
                "status": entry["status"],
                "status_label": task_status_label(entry["status"]),
                "reasons": reasons,
            }
        )
    counts = dict.fromkeys(STATUSES, 0)
    for entry in statuses.values():
        counts[entry["status"]] += 1
    donut = Chart(
        id="chart-task-status",
        title=_("%(tasks)s项任务状态分布") % {"tasks": len(statuses)},
        size="sm",
        spec={
            "kind": "donut",
            # The tooltip in the reader's language: ECharts fills in {b} (the status), {c} (the tasks), {d} (the share).
            "tooltip": _("{b}：{c}项（{d}%）"),
            "items": [{"name": task_status_label(s), "value": counts[s], "role": s} for s in STATUSES],
        },
        headers=[_("状态"), _("任务数")],
        rows=[[task_status_label(s), str(counts[s])] for s in STATUSES],
    )
    # 六大工程, 两大工程 (not 二大工程); a reader in another language reads the figure.
    numeral = "两" if len(programmes) == 2 and plan_numeral(2) == "二" else plan_numeral(len(programmes))
    named = {"programmes": numeral, "tasks": len(statuses)}
    return {
        "programmes": [programmes[n] for n in sorted(programmes)],
        "counts": counts,
        "title": _("%(programmes)s大工程与%(tasks)s项任务") % named,
        "summary": _("%(tasks)s项任务中，进展正常%(g)s项，需关注%(a)s项，滞后%(r)s项，暂无数据%(n)s项。")
        % {"tasks": len(statuses), "g": counts["green"], "a": counts["amber"], "r": counts["red"], "n": counts["grey"]},
        "chart": donut,
        "counts_labelled": [(s, task_status_label(s), counts[s]) for s in STATUSES],
    }


def red_target_lines(red_targets: list[dict]) -> list[dict]:
    """A task's red targets (`task_statuses`) as its tile and the bulletin name them: the scopes of one indicator that
    are red for the same reason named together, in the order listed (成立专业化国有企业或运营公司（楚雄国家高新区、
    禄丰产业园区）：截至完成时限2025-12-31未完成), rather than the indicator and the reason written out again for every
    zone.

    An indicator red in targets of several years (its yearly targets 2023, 2024, 2025) names each line's year: its
    lines read 实际利用外资增速（全州开发区） again and again with other figures otherwise. `year` is None where the
    indicator's red targets are of one year."""
    years: dict[str, set[int]] = {}
    for red in red_targets:
        years.setdefault(red["indicator"], set()).add(red["year"])
    scopes: dict[tuple[int, str, str], list[str]] = {}
    for red in red_targets:
        scopes.setdefault((red["year"], red["indicator"], red["reason"]), []).append(red["scope"])
    separator = _("、")
    return [
        {
            "year": year if len(years[indicator]) > 1 else None,
            "indicator": indicator,
            "scope": separator.join(names),
            "reason": reason,
        }
        for (year, indicator, reason), names in scopes.items()
    ]


def board_html(board: dict) -> SafeString:
    """`task_board`'s programmes and their tasks' tiles as the overview shows them, written once here rather than
    tile by tile in the template."""
    out = []
    semicolon, opening, closing = _esc(_("；")), _esc(_("（")), _esc(_("）"))
    for block in board["programmes"]:
        programme = block["programme"]
        tiles = "".join(
            f"""
          <li><a class="tile tile-{_esc(t["status"])}" href="{_esc(t["task"].get_absolute_url())}" \
title="{_esc(t["status_label"])}{"".join(f"{semicolon}{_esc(r)}" for r in t["reasons"])}">
            <span class="tile-no">{_esc(t["task"].number)}</span>\
<span class="tile-title">{_esc(t["task"].title)}</span>\
<span class="visually-hidden">{opening}{_esc(t["status_label"])}{closing}</span></a></li>
          """
            for t in block["tasks"]
        )
        out.append(
            f"""
      <div class="programme programme-{_esc(block["status"])}">
        <h3>{opening}{_esc(programme.number)}{closing}{_esc(programme.name)} \
<span class="status {_esc(block["status"])}">{_esc(block["status_label"])}</span></h3>
        <ul class="tiles">
          {tiles}
        </ul>
      </div>
      """
        )
    return mark_safe("".join(out))


# --- changes since the previous period ------------------------------------------------------


# Rows of status changes the overview lists; the rest are on the changes page (`/changes/`), a page of them at a time.
OVERVIEW_CHANGES = 12
# A task tile's red targets named with their reasons on the overview (the task's page and the bulletin list them all).
OVERVIEW_RED_TARGETS = 5
_RANK = {"grey": 0, "green": 1, "amber": 2, "red": 3}


def changed_statuses(*, now: dict[int, tuple[int, str]], before: dict[int, tuple[int, str]]) -> dict[int, bool]:
    """The targets whose latest judged status differs between `before` and `now` (target → (result, status) each, as
    `latest_judged_statuses` gives them), each with whether it worsened. No query."""
    return {
        target: _RANK[status] > _RANK[before[target][1]]
        for target, (_pk, status) in now.items()
        if target in before and before[target][1] != status
    }


def changed_targets(changed: dict[int, bool], *, zone: Zone | None = None) -> list[tuple[int, bool]]:
    """`changed_statuses` in the order the changes are listed (`status_changes`: worsened first, then by indicator,
    then by scope); of `zone`'s targets only when given. One query of the changed targets' indicator order and scope
    names, no result read: a province changes a thousand statuses a period, and the overview lists a dozen."""
    keys = Target.objects.filter(pk__in=IdList(changed))
    if zone is not None:
        keys = keys.filter(scope=Scope.ZONE, zone=zone)
    keys = keys.values_list("pk", "scope", "zone__name", "cluster__name", "indicator__order")
    ordered = sorted(
        (not changed[pk], order, scope_name(scope, zone, cluster), pk) for pk, scope, zone, cluster, order in keys
    )
    return [(pk, not better) for better, _order, _scope, pk in ordered]


def change_counts(changed: dict[int, bool]) -> dict:
    """How many statuses `changed_statuses` found changed, and how many of them worsened or improved."""
    worse = sum(changed.values())
    return {"total": len(changed), "worse": worse, "better": len(changed) - worse}


def status_changes(*, now: dict[int, int], before: dict[int, int]) -> list[dict]:
    """Targets whose status changed between the previous and the current period's results; worsened first.

    `now` and `before`: the changed targets' results, as keys by target. At a province's scale a period changes
    hundreds of statuses: the rows are read as plain values in one query, not as models with their joins."""
    label, short = {s: status_label(s) for s in _RANK}, {s: status_short(s) for s in _RANK}  # worded once, not per row
    rows = {}
    names: dict[tuple, str] = {}  # a few periods' names, each worded once
    # The reasons' inputs as text, decoded only for a reader of another language (`result_reason_words`).
    for pk, status, reason, inputs, cadence, year, index, *target in (
        ProgressResult.objects.filter(pk__in=IdList([*now.values(), *before.values()]))
        .order_by()
        .values_list(
            "pk",
            "status",
            "reason",
            reason_inputs(),
            "period__cadence",
            "period__year",
            "period__index",
            "target__scope",
            "target__zone__name",
            "target__cluster__name",
            "target__indicator__name",
            "target__indicator__order",
        )
    ):
        name = names.get((cadence, year, index))
        if name is None:
            name = names[(cadence, year, index)] = period_name(cadence, year, index)
        rows[pk] = (status, reason, inputs, name, target)
    indicators: dict[tuple, SimpleNamespace] = {}
    stored = reads_stored_reason()  # asked once for the rows below
    changes = []
    for target_id in sorted(now):
        status, reason, inputs, period, (scope, zone, cluster, name, order) = rows[now[target_id]]
        old, _reason, _inputs, old_period, _target = rows[before[target_id]]
        if old == status:
            continue
        old_label, new_label = label[old], label[status]
        changes.append(
            {
                "target_id": target_id,
                "indicator": indicators.setdefault((name, order), SimpleNamespace(name=name, order=order)),
                "scope": scope_name(scope, zone, cluster),
                "old": old,
                "old_label": old_label,
                "old_period": old_period,
                "old_short": short[old],
                "new_short": short[status],
                "new": status,
                "new_label": new_label,
                "new_period": period,
                # Both periods and both statuses as the rows show them, one string each: a province has hundreds.
                "periods": f"{old_period} → {period}",
                "labels": f"{old_label} → {new_label}",
                "reason": result_reason_words(reason, inputs, stored=stored),
                "worse": _RANK[status] > _RANK[old],
            }
        )
    # The order of `changed_targets` (the target last: two scopes of one name, one row before the other every time).
    changes.sort(key=lambda c: (not c["worse"], c["indicator"].order, c["scope"], c["target_id"]))
    return changes


CHANGES_PER_PAGE = 100
CHANGE_DIRECTIONS = ("worse", "better")


def period_changes(
    *, period: ReportingPeriod, direction: str = "", page: int | str = 1, zone: Zone | None = None
) -> dict:
    """The changes page (`/changes/`): every status change of `period`'s plan since the previous period, in the
    overview's order, `CHANGES_PER_PAGE` rows a page (`page` as `Paginator.get_page` takes it: a page out of range
    gives the last). `direction`: "worse" or "better" for those only, anything else for all; `zone`: that zone's
    targets only. `counts` counts every change of the period, whatever is listed. A fixed number of queries: the
    changed targets are found and ordered by their keys, and only the page's rows are read."""
    previous = previous_period(period)
    now = before = {}
    if previous is not None:
        target_ids = set(Target.objects.filter(indicator__plan_id=period.plan_id).values_list("pk", flat=True))
        now, before = latest_judged_statuses(dates=[period.end, previous.end], target_ids=target_ids)
    changed = changed_statuses(now=now, before=before)
    counts = change_counts(changed)
    direction = direction if direction in CHANGE_DIRECTIONS else ""
    if direction:
        changed = {target: worse for target, worse in changed.items() if worse == (direction == "worse")}
    page_obj = Paginator(changed_targets(changed, zone=zone), CHANGES_PER_PAGE).get_page(page)
    listed = [target for target, _worse in page_obj.object_list]
    return {
        "period": period,
        "previous": previous,
        "counts": counts,
        "direction": direction,
        "zone": zone,
        "page_obj": page_obj,
        "changes": status_changes(now={t: now[t][0] for t in listed}, before={t: before[t][0] for t in listed}),
    }


def change_rows_html(changes: list[dict]) -> SafeString:
    """`status_changes` as the rows of dashboards/_changes.html, written once here (a province has hundreds)."""
    colon = _esc(_("："))
    return mark_safe(
        "".join(
            f"""<tr{' class="worse"' if c["worse"] else ""}><th scope="row" class="words">\
{_esc(c["indicator"].name)}</th><td>{_esc(c["scope"])}</td>
  <td class="words"><span class="status {_esc(c["old"])}">{_esc(c["old_short"])}</span> → \
<span class="status {_esc(c["new"])}" title="{_esc(c["reason"])}">{_esc(c["new_short"])}</span>
    <span class="muted">{_esc(c["periods"])}</span>\
<span class="visually-hidden">{colon}{_esc(c["labels"])}</span></td></tr>
"""
            for c in changes
        )
    )


def flags_open_and_new(*, start: date, end: date) -> tuple[list[Flag], list[Flag]]:
    """The accountability flags still open (fired, not yet handled) at the end of `end`, and those raised between
    `start` and `end` (not withdrawn by then): one query for both. A window that has ended is read as it stood at its
    end, from the flags' history: an old period's bulletin lists the flags open then, not those open today, and
    none raised since. The plan's positive consequences (资金倾斜, 扶持: `POSITIVE_RULES`) are no 问责提示: 考核结果好
    had been counted among the flags awaiting handling."""
    open_states = {Flag.State.OPEN, Flag.State.ACKNOWLEDGED}
    since, until = _aware(start), _aware(end, end=True)
    ended = until <= timezone.now()
    if ended:  # the latest record of each flag before `until`, deleted ones left out: the flags as they stood then
        rows = Flag.history.filter(history_date__lt=until).latest_of_each().exclude(history_type="-")
    else:
        rows = Flag.objects.all()
    rows = (
        rows.filter(
            Q(outcome=Flag.Outcome.FIRED, state__in=open_states)
            | (Q(created_at__gte=since, created_at__lt=until) & ~Q(state=Flag.State.WITHDRAWN))
        )
        .exclude(rule__in=POSITIVE_RULES)
        .select_related("zone__county")
        .order_by("-year", "zone__order", "rule", "id")
    )
    flags = [_as_flag(row) for row in rows] if ended else list(rows)
    still_open = [f for f in flags if f.outcome == Flag.Outcome.FIRED and f.state in open_states]
    new = [f for f in flags if since <= f.created_at < until and f.state != Flag.State.WITHDRAWN]
    return still_open, new


def _as_flag(record) -> Flag:
    """A flag's history record as the flag it recorded, its zone (read with the record) kept."""
    flag = record.instance
    flag.zone = record.zone
    return flag


def flag_evidence(flag: Flag) -> str:
    """The evidence of a flag in words: the years, ranks and numbers of zones it rests on."""
    ev = flag.evidence or {}
    parts = []
    for prefix in ("previous", "current"):
        if ev.get(f"{prefix}_rank") is not None:
            parts.append(
                _("%(year)s年第%(rank)s位（共%(n)s个）")
                % {"year": ev.get(f"{prefix}_year"), "rank": ev[f"{prefix}_rank"], "n": ev.get(f"{prefix}_total_zones")}
            )
    if ev.get("missing_years"):
        parts.append(_("缺少%(years)s年排名") % {"years": _("、").join(str(y) for y in ev["missing_years"])})
    if ev.get("drop") is not None:
        parts.append(_("退位%(drop)s位") % {"drop": ev["drop"]})
    return " → ".join(parts) if parts else (flag.reason_words or "—")


def flag_rows(flags: list[Flag]) -> list[dict]:
    return [{"flag": f, "evidence": flag_evidence(f)} for f in flags]


def flag_rows_html(rows: list[dict], *, hide_zone: bool = False) -> SafeString:
    """`flag_rows` as the rows of dashboards/_flags.html, each value escaped as ``{{ value }}`` is: written once here
    rather than looked up cell by cell in the template (a province has hundreds of flags)."""
    if not rows:
        return mark_safe(f'\n  <tr><td colspan="7" class="muted">{_("暂无问责提示")}</td></tr>\n  ')
    out = []
    for row in rows:
        flag = row["flag"]
        # Which evaluation a ranking is from (全省评价 or 国家评价: places out of 178 or of 66) is said on every row.
        scheme = _esc(flag.get_scheme_display())
        if hide_zone:  # the year alone, the evaluation's name in the row's head, wrapping between its words
            head, year = scheme, f"<td>{_esc(flag.year)}</td>"
        else:  # the year and, under it, the evaluation's name (a long one in Chinese), wrapping
            head = f'<a href="{_esc(flag.zone.get_absolute_url())}">{_esc(flag.zone.short_name or flag.zone.name)}</a>'
            year = f'<td class="wrap">{_esc(flag.year)}<br><span class="muted">{scheme}</span></td>'
        reason = flag.reason_words
        handled = ""
        if flag.handled_at:
            handled = f'<br><span class="muted">{_esc(dates.day(flag.handled_at))}</span>'
        out.append(
            f"""
  <tr class="flag-{_esc(flag.state)}">
    <th scope="row" class="words">{head}</th>
    {year}
    <td class="words"><a href="{_esc(reverse("flag-detail", args=[flag.pk]))}">{_esc(flag.get_rule_display())}</a></td>
    <td class="wrap">{_esc(row["evidence"])}{f'<br><span class="muted">{_esc(reason)}</span>' if reason else ""}</td>
    <td class="wrap">{_esc(flag.consequence_words)}</td>
    <td class="words">{_esc(flag.responsible_party_words)}</td>
    <td class="wrap"><span class="badge flag-state {_esc(flag.state)}">{_esc(flag.get_state_display())}</span>\
{f'<br><span class="muted">{_esc(flag.note)}</span>' if flag.note else ""}{handled}</td>
  </tr>
  """
        )
    return mark_safe("".join(out))


def _esc(value) -> str:
    """A value as the template writes ``{{ value }}``: localised, then escaped, as text to put in the markup the
    functions here write (each returns its whole markup marked safe once). A plain string (not a SafeString, a
    subclass) is escaped as Django's `escape` does, without its lazy-string and SafeData checks nor a SafeString made
    of each: the overview of a province escapes ten thousand of them."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(localize(value))


def approvals_in(*, start: date, end: date) -> dict:
    """Reports approved in the window: how many, and by unit."""
    qs = DispatchReport.objects.filter(
        state=DispatchReport.State.APPROVED, reviewed_at__gte=_aware(start), reviewed_at__lt=_aware(end, end=True)
    )
    by_unit = list(
        qs.values("department__name", "department__slug", "zone__name", "zone__code")
        .annotate(n=Count("id"))
        .order_by("-n", "department__name", "zone__name")
    )
    units = [
        {
            "unit": r["department__name"] or r["zone__name"],
            "slug": r["department__slug"],
            "zone": r["zone__code"],
            "count": r["n"],
        }
        for r in by_unit
    ]
    return {"count": sum(u["count"] for u in units), "units": units}


# --- dispatch completeness and timeliness ---------------------------------------------------


def dispatch_summary(*, period: ReportingPeriod, today: date) -> dict:
    """Per unit, the reports of periods ending within `period`: on time, late, overdue, not yet due."""
    rows = timeliness_summary(
        periods_ending_from=period.start, periods_ending_to=period.end, today=today, plan=period.plan_id
    )
    for row in rows:
        submitted = row["on_time"] + row["late"]
        row["completeness"] = submitted / row["total"] if row["total"] else None
        row["completeness_label"] = fmt_ratio(row["completeness"])
        row["on_time_label"] = fmt_ratio(row["on_time_rate"])
    rows.sort(key=lambda r: (-r["overdue"], -r["late"], r["kind"] != "department", r["unit"]))
    totals = {k: sum(r[k] for r in rows) for k in ("total", "on_time", "late", "overdue", "not_due")}
    totals["completeness_label"] = fmt_ratio(
        (totals["on_time"] + totals["late"]) / totals["total"] if totals["total"] else None
    )
    totals["on_time_label"] = fmt_ratio(totals["on_time"] / totals["total"] if totals["total"] else None)
    chart = Chart(
        id="chart-dispatch",
        title=_("%(period)s各单位报送情况") % {"period": period.label},
        size="auto",
        spec={
            "kind": "stacked",
            "horizontal": True,
            "unit": _("份"),
            "decimals": 0,
            "height": 60 + 22 * max(len(rows), 3),
            "categories": [r["unit"] for r in rows],
            "series": [
                {"name": _("按时报送"), "role": "green", "data": [r["on_time"] for r in rows]},
                {"name": _("迟报"), "role": "amber", "data": [r["late"] for r in rows]},
                {"name": _("逾期未报"), "role": "red", "data": [r["overdue"] for r in rows]},
                {"name": _("未到截止日"), "role": "grey", "data": [r["not_due"] for r in rows]},
            ],
        },
        headers=[_("单位"), _("应报"), _("按时"), _("迟报"), _("逾期未报"), _("未到期"), _("报送率"), _("按时率")],
        rows=[
            [
                r["unit"],
                str(r["total"]),
                str(r["on_time"]),
                str(r["late"]),
                str(r["overdue"]),
                str(r["not_due"]),
                r["completeness_label"],
                r["on_time_label"],
            ]
            for r in rows
        ],
    )
    return {"rows": rows, "totals": totals, "chart": chart}


# --- the overview (and the bulletin) --------------------------------------------------------


def period_overview(*, period: ReportingPeriod, today: date) -> dict:
    """Everything the overview shows for one period: `period_summary`, the prefecture's goals and the charts of
    the zones' and clusters' output. A fixed number of queries."""
    data, results, targets, zones = _period_summary(period=period, today=today, brief=True)
    goal_year = data["goal_year"]
    data["prefecture_goals"] = prefecture_goals(as_of=period.end, zones=zones, plan=data["plan"])
    data["zones_chart"] = zones_output_chart(data["headlines"], results, targets, goal_year)
    data["clusters_chart"] = clusters_chart(data["clusters"], goal_year=goal_year)
    return data


def period_summary(*, period: ReportingPeriod, today: date) -> dict:
    """What the overview and the bulletin both show for one period: the targets, tasks and reports of the
    period's plan only (the bulletin prints no charts of figures and no prefecture goals). A fixed number of
    queries."""
    return _period_summary(period=period, today=today)[0]


def _period_summary(
    *, period: ReportingPeriod, today: date, brief: bool = False
) -> tuple[dict, dict, list[Target], list[Zone]]:
    """`period_summary`, with the shown targets' results, the zones' headline targets and the zones. `brief`: the
    overview's lists, the first `OVERVIEW_CHANGES` status changes and the first `OVERVIEW_RED_TARGETS` red targets of
    each task (counted all: `change_counts`, `red_count`); else all of them, as the bulletin prints them."""
    plan = period.plan
    previous = previous_period(period)
    window = change_window(period=period, previous=previous, today=today)
    # Every target's latest result as keys and statuses only; models are loaded for the ones shown: the
    # headline and cluster figures, and the targets whose status changed since the previous period. The plan's
    # targets are read once, with their tasks, for these statuses and the tasks' (`task_statuses`).
    plan_targets = dict(Target.objects.filter(indicator__plan=plan).order_by().values_list("pk", "indicator__task_id"))
    ends = [period.end, previous.end] if previous else [period.end]
    now, before = [*latest_judged_statuses(dates=ends, target_ids=plan_targets), {}][:2]
    now_ids, before_ids = {t: pk for t, (pk, _s) in now.items()}, {t: pk for t, (pk, _s) in before.items()}
    changed = changed_statuses(now=now, before=before)
    # All of them (the bulletin) in the order `status_changes` gives them; a few (the overview) ordered first.
    listed = [t for t, _worse in changed_targets(changed)[:OVERVIEW_CHANGES]] if brief else list(changed)
    zones = list(Zone.objects.select_related("county").order_by("order"))
    targets, clusters_of_plan = shown_targets(plan, zones)
    # The shown targets' results, each joined to its target already read (a province has a thousand of them).
    shown = {t.pk: t for t in [*targets, *clusters_of_plan]}
    results = {}
    shown_results = results_shown([now_ids[t] for t in shown if t in now_ids])
    # Their few periods read once, rather than one model of the period joined to each result.
    periods = ReportingPeriod.objects.in_bulk({result.period_id for result in shown_results})
    for result in shown_results:
        result.target, result.period = shown[result.target_id], periods[result.period_id]
        results[result.target_id] = result
    statuses = task_statuses(
        as_of=period.end,
        plan=plan,
        task_of={pk: task for pk, task in plan_targets.items() if task is not None},
        red_listed=OVERVIEW_RED_TARGETS if brief else None,
    )
    still_open, new_flags = flags_open_and_new(start=window[0], end=window[1])
    data = {
        "period": period,
        "plan": plan,
        "goal_year": plan.goal_year,
        "previous": previous,
        "window": window,
        "window_label": f"{dates.day(window[0])}—{dates.day(window[1])}",
        "headlines": zone_headlines(zones=zones, results=results, targets=targets),
        "clusters": cluster_rows(results=results, plan=plan, targets=clusters_of_plan),
        "board": task_board(statuses),
        "flags_open": flag_rows(still_open),
        "flags_new": flag_rows(new_flags),
        "dispatch": dispatch_summary(period=period, today=today),
        "changes": status_changes(now={t: now_ids[t] for t in listed}, before={t: before_ids[t] for t in listed}),
        "change_counts": change_counts(changed),
        "approvals": approvals_in(start=window[0], end=window[1]),
    }
    return data, results, targets, zones
