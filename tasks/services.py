"""Loading the plan (fixtures/plan.json) into the database.

Every row is upserted by its natural key, so loading twice changes nothing.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F

from indicators.models import Indicator, Target
from parks.models import County, IndustryCluster, Zone

from .models import Department, Programme, Responsibility, Safeguard, Task

PLAN_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "plan.json"
_ACTING_AS = re.compile(r"^(?P<name>[^（]+)(?:（(?P<acting>[^）]+)）)?$")


@dataclass
class LoadSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, model: str, created: bool) -> None:
        bucket = self.created if created else self.updated
        bucket[model] = bucket.get(model, 0) + 1


def split_unit(written: str) -> tuple[str, list[str]]:
    """'州财政局（州金融办、州国资委）' -> ('州财政局', ['州金融办', '州国资委'])."""
    match = _ACTING_AS.match(written)
    if not match:
        raise ValueError(f"unrecognised unit name: {written!r}")
    acting = match.group("acting")
    return match.group("name"), acting.split("、") if acting else []


def _upsert(summary: LoadSummary, model, lookup: dict, defaults: dict):
    obj, created = model.objects.update_or_create(**lookup, defaults=defaults)
    summary.count(model.__name__, created)
    return obj


@transaction.atomic
def plan_load(*, path: Path = PLAN_FIXTURE) -> LoadSummary:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    summary = LoadSummary()

    programmes = {
        p["number"]: _upsert(summary, Programme, {"number": p["number"]}, {"name": p["name"]})
        for p in data["programmes"]
    }
    departments = {}
    for dep in data["departments"]:
        departments[dep["name"]] = _upsert(
            summary, Department, {"slug": dep["slug"]},
            {"name": dep["name"], "other_names": dep["other_names"], "kind": dep["kind"], "order": dep["order"]},
        )
    tasks = {}
    for item in data["tasks"]:
        task = _upsert(
            summary, Task, {"number": item["number"]},
            {"programme": programmes[item["programme"]], "title": item["title"], "text": item["text"],
             "responsibility_text": item["responsibility_text"]},
        )
        tasks[item["number"]] = task
        _load_responsibilities(summary, task, item, departments)

    counties = {
        c["code"]: _upsert(summary, County, {"code": c["code"]}, {"name": c["name"], "order": c["order"]})
        for c in data["counties"]
    }
    zones = {}
    for z in data["zones"]:
        zones[z["code"]] = _upsert(
            summary, Zone, {"code": z["code"]},
            {"name": z["name"], "short_name": z["short_name"], "level": z["level"], "county": counties[z["county"]],
             "order": z["order"]},
        )
    clusters = {}
    for c in data["clusters"]:
        cluster = _upsert(
            summary, IndustryCluster, {"code": c["code"]},
            {"name": c["name"], "description": c["description"], "order": c["order"]},
        )
        cluster.zones.set([zones[code] for code in c["zones"]])
        clusters[c["code"]] = cluster

    safeguards = {
        s["number"]: _upsert(summary, Safeguard, {"number": s["number"]}, {"title": s["title"], "text": s["text"]})
        for s in data.get("safeguards", [])
    }
    indicators = {}
    for ind in data["indicators"]:
        indicator = _upsert(
            summary, Indicator, {"code": ind["code"]},
            {"name": ind["name"], "unit": ind["unit"], "kind": ind["kind"], "direction": ind["direction"],
             "task": tasks.get(ind["task"]), "source": ind["source"],
             "owner": Department.objects.get(slug=ind["owner"]) if ind["owner"] else None,
             "cadence": ind["cadence"], "year_to_date": ind["year_to_date"], "min_value": ind["min_value"],
             "max_value": ind["max_value"], "description": ind["description"], "order": ind["order"],
             "safeguard": safeguards.get(ind.get("safeguard"))},
        )
        indicators[ind["code"]] = indicator
        keep = []
        for t in ind["targets"]:
            target = _upsert(
                summary, Target,
                {"indicator": indicator, "scope": t["scope"], "year": t["year"],
                 "zone": zones.get(t.get("zone")), "cluster": clusters.get(t.get("cluster"))},
                {"committed_value": t["committed"], "stretch_value": t["stretch"], "wording": t["wording"],
                 "due_date": t.get("due_date"), "required_count": t.get("required_count"),
                 "basis": t.get("basis", Target.Basis.PLAN), "note": t.get("note", ""),
                 "per_half_year": t.get("per_half_year", False), "due_month": t.get("due_month")},
            )
            keep.append(target.pk)
        # A target the plan no longer yields (e.g. a 年均 goal once copied to each year) goes, with its results.
        Target.objects.filter(indicator=indicator).exclude(pk__in=keep).delete()
    # Parts and growth bases may be defined after the indicator that refers to them.
    for ind in data["indicators"]:
        links = {f"{field}_id": indicators[ind[field]].pk if ind.get(field) else None
                 for field in ("numerator", "denominator", "growth_of")}
        Indicator.objects.filter(pk=indicators[ind["code"]].pk).update(**links)
    return summary


def _load_responsibilities(summary: LoadSummary, task: Task, item: dict, departments: dict) -> None:
    """The plan's order is kept: position 1 is the lead unit, then co-units, county bodies, zones."""
    entries = []
    for position, written in enumerate(item["units"], start=1):
        name, acting = split_unit(written)
        role = Responsibility.Role.LEAD if position == 1 else Responsibility.Role.CO
        entries.append((departments[name], role, acting))
    entries.append((departments[item["county_body"]], Responsibility.Role.COUNTY, []))
    entries.append((departments[item["zones_body"]], Responsibility.Role.ZONES, []))
    keep = []
    # Positions are rewritten in two passes so that reordering never trips the unique constraint.
    Responsibility.objects.filter(task=task).update(position=F("position") + 1000)
    for position, (department, role, acting) in enumerate(entries, start=1):
        obj = _upsert(summary, Responsibility, {"task": task, "department": department},
                      {"position": position, "role": role, "acting_as": acting})
        keep.append(obj.pk)
    Responsibility.objects.filter(task=task).exclude(pk__in=keep).delete()
