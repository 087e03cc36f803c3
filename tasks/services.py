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
from django.utils.translation import gettext as _

from parks.models import County, IndustryCluster, Zone

from .lifecycle import plan_in_force_other
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
        raise PlanFileError([("$", _("无法读取文件：%(error)s") % {"error": exc})]) from exc
    except json.JSONDecodeError as exc:
        words = {"error": exc.msg, "line": exc.lineno, "column": exc.colno}
        raise PlanFileError([("$", _("不是有效的 JSON：%(error)s（第%(line)s行第%(column)s列）") % words)]) from exc
    problems = [(where, _schema_words(rule, details)) for where, rule, details in schema_errors(data)]
    if problems:
        raise PlanFileError(problems)
    header = data["plan"]
    if not header["baseline_year"] < header["first_year"] <= header["last_year"]:
        problems.append(
            ("$.plan", _("年份须满足：基数年 < 起始年 ≤ 截止年（baseline_year < first_year ≤ last_year）。"))
        )
    if not header["first_year"] <= header["goal_year"]:
        problems.append(("$.plan.goal_year", _("目标年（goal_year）不能早于起始年（first_year）。")))
    for i, ind in enumerate(data["indicators"]):
        for j, target in enumerate(ind["targets"]):
            if not header["baseline_year"] <= target["year"] <= header["goal_year"]:
                words = {"year": target["year"], "first": header["baseline_year"], "last": header["goal_year"]}
                problems.append(
                    (
                        f"$.indicators[{i}].targets[{j}].year",
                        _("%(year)s年不在方案的年份（%(first)s—%(last)s年）之内。") % words,
                    )
                )
    problems += _duplicates(data)
    if problems:
        raise PlanFileError(problems)
    return data


# The keys that name a file's rows: a second row with the same key would silently overwrite the first.
_KEYS = (
    ("programmes", "number"),
    ("departments", "slug"),
    ("tasks", "number"),
    ("counties", "code"),
    ("zones", "code"),
    ("clusters", "code"),
    ("indicators", "code"),
    ("safeguards", "number"),
)


def _duplicates(data: dict) -> list[tuple[str, str]]:
    """Each row whose key an earlier row of the file already has, and each unit a task names twice."""
    problems = []

    def check(values: list, where: str, key: str = "") -> None:
        seen: dict = {}
        for index, value in enumerate(values):
            path = f"{where}[{index}]{key}"
            if value in seen:
                words = {"value": value, "first": seen[value]}
                problems.append((path, _("“%(value)s”与 %(first)s 重复：同一文件中只能出现一次。") % words))
            else:
                seen[value] = path

    for collection, key in _KEYS:
        check([row[key] for row in data.get(collection, [])], f"$.{collection}", f".{key}")
    for i, task in enumerate(data["tasks"]):
        check([_unit_name(written) for written in task["units"]], f"$.tasks[{i}].units")
    return problems


def _unit_name(written: str) -> str:
    """The unit a task's entry names, without the second name it acts under there."""
    try:
        return split_unit(written)[0]
    except ValueError:
        return written


def _shown(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _schema_words(rule: str, details: dict) -> str:
    """A schema rule broken, in the reader's words (plan_schema.schema_errors gives the rule and its details)."""
    expected, value = details.get("expected"), _shown(details.get("value"))
    if rule == "required":
        return _("缺少必填项：%(names)s。") % {"names": _("、").join(details["names"])}
    if rule == "additionalProperties":
        return _("不允许的键：%(names)s。") % {"names": _("、").join(details["names"])}
    if rule == "type":
        names = expected if isinstance(expected, list) else [expected]
        types = _("或").join(_type_word(name) for name in names)
        return _("类型应为%(types)s，实为 %(value)s。") % {"types": types, "value": value}
    if rule in ("enum", "const"):
        choices = _("、").join(_shown(c) for c in (expected if rule == "enum" else [expected]))
        return _("取值应为以下之一：%(choices)s；实为 %(value)s。") % {"choices": choices, "value": value}
    if rule == "minimum":
        return _("不能小于 %(limit)s，实为 %(value)s。") % {"limit": expected, "value": value}
    if rule == "maximum":
        return _("不能大于 %(limit)s，实为 %(value)s。") % {"limit": expected, "value": value}
    if rule == "minLength":
        return _("不能为空。")
    if rule == "maxLength":
        return _("不能超过 %(limit)s 个字符。") % {"limit": expected}
    if rule == "minItems":
        return _("至少应有 %(limit)s 项。") % {"limit": expected}
    if rule in ("pattern", "format"):
        return _("格式不符合要求，实为 %(value)s。") % {"value": value}
    if rule == "not":
        return _("与 scope 不符：scope 为 zone 时只给 zone，为 cluster 时只给 cluster，为 prefecture 时两者都不给。")
    return _("取值不符合方案文件的格式要求，实为 %(value)s。") % {"value": value}


def _type_word(name: str) -> str:
    words = {
        "object": _("对象"),
        "array": _("数组"),
        "string": _("文本"),
        "integer": _("整数"),
        "number": _("数值"),
        "boolean": _("布尔值（true 或 false）"),
        "null": "null",
    }
    return words.get(name, name)


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
    status = header.get("status", Plan.Status.IN_FORCE)
    other = plan_in_force_other(code=header["code"])
    if status == Plan.Status.IN_FORCE and other and not Plan.objects.filter(code=header["code"]).exists():
        # One plan in force at a time (tasks.lifecycle): a new plan in force beside it would be a second one.
        words = {"title": other.title}
        raise PlanFileError(
            [
                (
                    "$.plan.status",
                    _(
                        '《%(title)s》仍在执行中，同一时间只能有一个方案执行中：新方案请以草案（"status": "draft"）'
                        "载入，待前一方案转入收尾后，由州开发区办使其生效。"
                    )
                    % words,
                )
            ]
        )
    plan, created = Plan.objects.get_or_create(
        code=header["code"],
        defaults={
            # The status is the office's to change once the plan is loaded; a reload does not reset it.
            "status": status,
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
    for i, dep in enumerate(data.get("departments", [])):
        if taken := _name_taken(Department, "slug", dep["slug"], dep["name"], f"$.departments[{i}].name"):
            problems.append(taken)
            continue
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
            problems.append(
                (f"$.tasks[{i}].programme", _("本文件没有序号为 %(number)s 的工程。") % {"number": item["programme"]})
            )
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

    for i, c in enumerate(data.get("counties", [])):
        if taken := _name_taken(County, "code", c["code"], c["name"], f"$.counties[{i}].name"):
            problems.append(taken)
            continue
        row_upsert(summary, County, {"code": c["code"]}, {"name": c["name"], "order": c["order"]})
    counties = {c.code: c for c in County.objects.all()}
    for i, z in enumerate(data.get("zones", [])):
        if z["county"] not in counties:
            problems.append((f"$.zones[{i}].county", _("未知的县市代码“%(code)s”。") % {"code": z["county"]}))
            continue
        if taken := _name_taken(Zone, "code", z["code"], z["name"], f"$.zones[{i}].name"):
            problems.append(taken)
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
        if taken := _name_taken(IndustryCluster, "code", c["code"], c["name"], f"$.clusters[{i}].name"):
            problems.append(taken)
            continue
        cluster = row_upsert(
            summary,
            IndustryCluster,
            {"code": c["code"]},
            {"name": c["name"], "description": c["description"], "order": c["order"]},
        )
        unknown = [code for code in c["zones"] if code not in zones]
        if unknown:
            problems.append(
                (f"$.clusters[{i}].zones", _("未知的开发区代码：%(codes)s。") % {"codes": _("、").join(unknown)})
            )
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


def _name_taken(model, key: str, value: str, name: str, where: str) -> tuple[str, str] | None:
    """A shared row's name held by a row under another code (the code changed since, or a typo in the file): the
    names are unique, so writing it would fail; say which row holds it instead."""
    holder = model.objects.filter(name=name).exclude(**{key: value}).first()
    if holder is None:
        return None
    words = {"name": name, "code": getattr(holder, key), "value": value}
    return where, _(
        "名称“%(name)s”已由代码为“%(code)s”的一行使用，文件却以代码“%(value)s”给出：代码须与已载入的一致。"
    ) % words


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
            problems.append((f"{where}.units[{position - 1}]", _("未知的责任单位“%(name)s”。") % {"name": written}))
            continue
        role = Responsibility.Role.LEAD if position == 1 else Responsibility.Role.CO
        entries.append((departments[name], role, acting))
    for key, role in (("county_body", Responsibility.Role.COUNTY), ("zones_body", Responsibility.Role.ZONES)):
        if item[key] not in departments:
            problems.append((f"{where}.{key}", _("未知的责任单位“%(name)s”。") % {"name": item[key]}))
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
