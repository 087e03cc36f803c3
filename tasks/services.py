"""Loading a plan file (fixtures/plan.json is the first) into the database.

Every row is upserted by its natural key, so loading twice changes nothing.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal

from parks.models import County, IndustryCluster, Zone

from .models import Department, Plan, Programme, Responsibility, Safeguard, Task
from .plan_schema import schema_errors

PLAN_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "plan.json"
_ACTING_AS = re.compile(r"^(?P<name>[^（]+)(?:（(?P<acting>[^）]+)）)?$")

# Sent inside a plan file's loading transaction once the plan, its programmes and tasks, the units, zones, clusters
# and safeguards are written (keyword arguments: plan, data, summary, and tasks by number, departments by slug,
# zones and clusters by code, safeguards by number). Each receiver loads its part of the file with `row_upsert` and
# returns the problems it found as [(JSON path, message)]; any problem rolls the whole file back.
plan_file_loading = Signal()


@dataclass
class LoadSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    plan: Plan | None = None

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


def row_upsert(summary: LoadSummary, model, lookup: dict, defaults: dict):
    obj, created = model.objects.update_or_create(**lookup, defaults=defaults)
    summary.count(model.__name__, created)
    return obj


class PlanFileError(Exception):
    """A plan file that cannot be loaded: every problem, as (JSON path, message)."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))


def plan_file_read(path: Path) -> dict:
    """The plan file's content, checked against the schema (PlanFileError names each bad entry's path)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError([("$", f"cannot read the file: {exc}")]) from exc
    except json.JSONDecodeError as exc:
        raise PlanFileError([("$", f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")]) from exc
    problems = schema_errors(data)
    if problems:
        raise PlanFileError(problems)
    header = data["plan"]
    if not header["baseline_year"] < header["first_year"] <= header["last_year"]:
        problems.append(("$.plan", "the years must run baseline_year < first_year <= last_year"))
    if not header["first_year"] <= header["goal_year"]:
        problems.append(("$.plan.goal_year", "the goal year must not come before the first year"))
    for i, ind in enumerate(data["indicators"]):
        for j, target in enumerate(ind["targets"]):
            if not header["baseline_year"] <= target["year"] <= header["goal_year"]:
                problems.append(
                    (
                        f"$.indicators[{i}].targets[{j}].year",
                        f"{target['year']} is outside the plan's years {header['baseline_year']}–{header['goal_year']}",
                    )
                )
    if problems:
        raise PlanFileError(problems)
    return data


def plan_load(*, path: Path = PLAN_FIXTURE) -> LoadSummary:
    """Load (or update) the plan of a plan file in one transaction: nothing of a bad file is written."""
    data = plan_file_read(path)
    with transaction.atomic():
        summary = _plan_upsert(data)
    return summary


def _plan_upsert(data: dict) -> LoadSummary:
    summary = LoadSummary()
    problems: list[tuple[str, str]] = []
    header = data["plan"]
    plan, created = Plan.objects.get_or_create(
        code=header["code"],
        defaults={
            # The status is the office's to change once the plan is loaded; a reload does not reset it.
            "status": header.get("status", Plan.Status.IN_FORCE),
            "baseline_year": header["baseline_year"],
            "first_year": header["first_year"],
            "last_year": header["last_year"],
            "goal_year": header["goal_year"],
            "title": header["title"],
        },
    )
    summary.count("Plan", created)
    for name in ("title", "document_number", "issuing_body", "baseline_year", "first_year", "last_year", "goal_year"):
        setattr(plan, name, header.get(name, ""))
    plan.source_text = header.get("source_text", data.get("source", ""))
    plan.save()
    summary.plan = plan

    programmes = {
        p["number"]: row_upsert(summary, Programme, {"plan": plan, "number": p["number"]}, {"name": p["name"]})
        for p in data["programmes"]
    }
    for dep in data.get("departments", []):
        row_upsert(
            summary,
            Department,
            {"slug": dep["slug"]},
            {"name": dep["name"], "other_names": dep["other_names"], "kind": dep["kind"], "order": dep["order"]},
        )
    departments = {d.name: d for d in Department.objects.all()}
    departments_by_slug = {d.slug: d for d in departments.values()}
    tasks = {}
    for i, item in enumerate(data["tasks"]):
        if item["programme"] not in programmes:
            problems.append((f"$.tasks[{i}].programme", f"no programme {item['programme']} in this plan"))
            continue
        task = row_upsert(
            summary,
            Task,
            {"plan": plan, "number": item["number"]},
            {
                "programme": programmes[item["programme"]],
                "title": item["title"],
                "text": item["text"],
                "responsibility_text": item["responsibility_text"],
            },
        )
        tasks[item["number"]] = task
        problems += _load_responsibilities(summary, task, item, departments, f"$.tasks[{i}]")

    for c in data.get("counties", []):
        row_upsert(summary, County, {"code": c["code"]}, {"name": c["name"], "order": c["order"]})
    counties = {c.code: c for c in County.objects.all()}
    for i, z in enumerate(data.get("zones", [])):
        if z["county"] not in counties:
            problems.append((f"$.zones[{i}].county", f"unknown county {z['county']!r}"))
            continue
        row_upsert(
            summary,
            Zone,
            {"code": z["code"]},
            {
                "name": z["name"],
                "short_name": z["short_name"],
                "level": z["level"],
                "county": counties[z["county"]],
                "order": z["order"],
            },
        )
    zones = {z.code: z for z in Zone.objects.all()}
    for i, c in enumerate(data.get("clusters", [])):
        cluster = row_upsert(
            summary,
            IndustryCluster,
            {"code": c["code"]},
            {"name": c["name"], "description": c["description"], "order": c["order"]},
        )
        unknown = [code for code in c["zones"] if code not in zones]
        if unknown:
            problems.append((f"$.clusters[{i}].zones", f"unknown zones {unknown}"))
            continue
        cluster.zones.set([zones[code] for code in c["zones"]])
    clusters = {c.code: c for c in IndustryCluster.objects.all()}

    safeguards = {
        s["number"]: row_upsert(
            summary, Safeguard, {"plan": plan, "number": s["number"]}, {"title": s["title"], "text": s["text"]}
        )
        for s in data.get("safeguards", [])
    }
    # The file's indicators and targets are the indicators app's to load (indicators/plan_file.py), in this
    # transaction: each receiver returns the problems it found.
    for _receiver, found in plan_file_loading.send(
        sender=Plan,
        plan=plan,
        data=data,
        summary=summary,
        tasks=tasks,
        departments=departments_by_slug,
        zones=zones,
        clusters=clusters,
        safeguards=safeguards,
    ):
        problems += found
    if problems:
        raise PlanFileError(problems)  # rolls the whole file back
    return summary


def _load_responsibilities(
    summary: LoadSummary, task: Task, item: dict, departments: dict, where: str
) -> list[tuple[str, str]]:
    """The plan's order is kept: position 1 is the lead unit, then co-units, county bodies, zones."""
    entries, problems = [], []
    for position, written in enumerate(item["units"], start=1):
        try:
            name, acting = split_unit(written)
        except ValueError:
            name, acting = written, []
        if name not in departments:
            problems.append((f"{where}.units[{position - 1}]", f"unknown unit {written!r}"))
            continue
        role = Responsibility.Role.LEAD if position == 1 else Responsibility.Role.CO
        entries.append((departments[name], role, acting))
    for key, role in (("county_body", Responsibility.Role.COUNTY), ("zones_body", Responsibility.Role.ZONES)):
        if item[key] not in departments:
            problems.append((f"{where}.{key}", f"unknown unit {item[key]!r}"))
            continue
        entries.append((departments[item[key]], role, []))
    if problems:
        return problems
    keep = []
    # Positions are rewritten in two passes so that reordering never trips the unique constraint.
    Responsibility.objects.filter(task=task).update(position=F("position") + 1000)
    for position, (department, role, acting) in enumerate(entries, start=1):
        obj = row_upsert(
            summary,
            Responsibility,
            {"task": task, "department": department},
            {"position": position, "role": role, "acting_as": acting},
        )
        keep.append(obj.pk)
    Responsibility.objects.filter(task=task).exclude(pk__in=keep).delete()
    return []
