"""The indicators and targets of a plan file, loaded inside `tasks.services.plan_load`'s transaction.

Connected to `tasks.services.plan_file_loading` (indicators/apps.py): the tasks app writes the plan's own rows, then
this loads the indicators and targets that hang on them; both are in the one transaction of the file.
"""

from django.utils.translation import gettext as _

from tasks.services import LoadSummary, row_upsert

from .models import Indicator, Target


def plan_indicators_load(
    sender,
    *,
    plan,
    data: dict,
    summary: LoadSummary,
    tasks: dict,
    departments: dict,
    zones: dict,
    clusters: dict,
    safeguards: dict,
    **kwargs,
) -> list[tuple[str, str]]:
    """Upsert the file's indicators and their targets; the problems found, as (JSON path, message)."""
    problems: list[tuple[str, str]] = []
    indicators = {}
    others = dict(Indicator.objects.exclude(plan=plan).values_list("code", "plan__code"))
    for i, ind in enumerate(data["indicators"]):
        where = f"$.indicators[{i}]"
        if ind["code"] in others:
            problems.append(
                (
                    f"{where}.code",
                    _("指标代码“%(code)s”属于方案“%(plan)s”：后续方案的指标应取新代码，并以 continues 接续原指标。")
                    % {"code": ind["code"], "plan": others[ind["code"]]},
                )
            )
            continue
        continues = None
        if ind.get("continues"):
            continues = Indicator.objects.exclude(plan=plan).filter(code=ind["continues"]).first()
            if continues is None:
                problems.append(
                    (f"{where}.continues", _("其他方案中没有代码为“%(code)s”的指标。") % {"code": ind["continues"]})
                )
        if ind["task"] is not None and ind["task"] not in tasks:
            problems.append((f"{where}.task", _("本方案没有序号为 %(number)s 的任务。") % {"number": ind["task"]}))
            continue
        if ind["owner"] and ind["owner"] not in departments:
            problems.append((f"{where}.owner", _("未知的责任单位“%(name)s”。") % {"name": ind["owner"]}))
            continue
        if ind.get("safeguard") is not None and ind["safeguard"] not in safeguards:
            problems.append(
                (f"{where}.safeguard", _("本方案没有序号为 %(number)s 的保障措施。") % {"number": ind["safeguard"]})
            )
            continue
        indicator = row_upsert(
            summary,
            Indicator,
            {"code": ind["code"]},
            {
                "plan": plan,
                "continues": continues,
                "name": ind["name"],
                "unit": ind["unit"],
                "kind": ind["kind"],
                "direction": ind["direction"],
                "task": tasks.get(ind["task"]),
                "source": ind["source"],
                "owner": departments.get(ind["owner"]) if ind["owner"] else None,
                "cadence": ind["cadence"],
                "year_to_date": ind["year_to_date"],
                "min_value": ind["min_value"],
                "max_value": ind["max_value"],
                "description": ind["description"],
                "order": ind["order"],
                "safeguard": safeguards.get(ind.get("safeguard")),
            },
        )
        indicators[ind["code"]] = indicator
        keep = []
        for j, t in enumerate(ind["targets"]):
            if (t.get("zone") and t["zone"] not in zones) or (t.get("cluster") and t["cluster"] not in clusters):
                problems.append(
                    (
                        f"{where}.targets[{j}]",
                        _("未知的开发区或产业集群代码“%(code)s”。") % {"code": t.get("zone") or t.get("cluster")},
                    )
                )
                continue
            target = row_upsert(
                summary,
                Target,
                {
                    "indicator": indicator,
                    "scope": t["scope"],
                    "year": t["year"],
                    "zone": zones.get(t.get("zone")),
                    "cluster": clusters.get(t.get("cluster")),
                },
                {
                    "committed_value": t["committed"],
                    "stretch_value": t["stretch"],
                    "wording": t["wording"],
                    "due_date": t.get("due_date"),
                    "required_count": t.get("required_count"),
                    "basis": t.get("basis", Target.Basis.PLAN),
                    "note": t.get("note", ""),
                    "per_half_year": t.get("per_half_year", False),
                    "due_month": t.get("due_month"),
                    "trend_only": t.get("trend", False),
                },
            )
            keep.append(target.pk)
        # A target the plan no longer yields (e.g. a 年均 goal once copied to each year) goes, with its results.
        Target.objects.filter(indicator=indicator).exclude(pk__in=keep).delete()
    # Parts and growth bases may be defined after the indicator that refers to them.
    for i, ind in enumerate(data["indicators"]):
        if ind["code"] not in indicators:
            continue
        links = {}
        for name in ("numerator", "denominator", "growth_of"):
            ref = ind.get(name)
            if ref and ref not in indicators:
                problems.append(
                    (f"$.indicators[{i}].{name}", _("本方案中没有代码为“%(code)s”的指标。") % {"code": ref})
                )
                continue
            links[f"{name}_id"] = indicators[ref].pk if ref else None
        Indicator.objects.filter(pk=indicators[ind["code"]].pk).update(**links)
    return problems
