"""The final evaluation's read model: computed once, then drawn as the page, the .docx and the .xlsx.

`evaluation_build` runs a fixed number of queries (targets, values, responsibilities, flags, the reporting
record) whatever the amount of data, and returns a `PlanEvaluation`: plain dataclasses holding codes and
numbers only. The renderers choose the words; the figures are the same in all three by construction.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from assessments.models import Flag
from assessments.rules import POSITIVE_RULES
from indicators.models import COUNTED_STATES, DispatchReport, Indicator, IndicatorValue, Target
from indicators.progress.derived import derived_histories, zone_hierarchy
from indicators.selectors import timeliness_summary
from parks.models import Zone
from tasks.models import Department, Plan, Responsibility, Task

from . import verdict as v

PREFECTURE_GROUP = "prefecture"  # the key of the 全州开发区 row among the zones
REPORTING_COUNTS = ("total", "on_time", "late", "overdue", "not_due", "returned")


@dataclass
class GoalRow:
    target_id: int
    indicator: str
    indicator_code: str
    unit: str
    kind: str
    task_number: int | None
    scope: str  # zone, cluster or prefecture
    scope_name: str
    year: int
    committed: float | None
    stretch: float | None
    wording: str
    verdict: v.GoalVerdict

    @property
    def code(self) -> str:
        return self.verdict.code

    @property
    def value(self) -> float | None:
        return self.verdict.value

    @property
    def source(self) -> str | None:
        return self.verdict.reading.source if self.verdict.reading else None

    @property
    def unit_value(self) -> float | None:
        return self.verdict.reading.unit_value if self.verdict.reading else None

    @property
    def province_value(self) -> float | None:
        return self.verdict.reading.province_value if self.verdict.reading else None


@dataclass
class MilestoneRow:
    target_id: int
    indicator: str
    task_number: int | None
    scope: str
    scope_name: str
    due_date: date | None
    wording: str
    verdict: v.MilestoneVerdict

    @property
    def code(self) -> str:
        return self.verdict.code

    @property
    def source(self) -> str | None:
        return self.verdict.reading.source if self.verdict.reading else None


@dataclass
class Group:
    """One zone, cluster, task or unit: how its goals and milestones came out."""

    key: str
    name: str
    goals: dict[str, int]
    milestones: dict[str, int]
    lead_tasks: int | None = None  # units only: how many tasks it leads
    reported: dict[str, int] | None = None  # tasks only: its units' last reported progress (done, delayed…)

    @property
    def met_rate(self) -> float | None:
        """Goals met (in full or the committed value) among those judged against a final figure."""
        judged = sum(self.goals[code] for code in v.JUDGED)
        return (self.goals[v.MET] + self.goals[v.COMMITTED_ONLY]) / judged if judged else None


@dataclass
class FlagRow:
    flag_id: int
    zone: str
    scheme: str
    year: int
    rule: str
    outcome: str  # fired, or not_evaluable: a rule that lacked a ranking says so
    state: str
    evidence: dict
    reason: str
    consequence: str
    responsible_party: str
    note: str
    handled_by: str
    handled_at: date | None
    reason_words: str = ""  # the reason in the reader's language (Flag.reason_words)


@dataclass
class UnitRecord:
    unit: str
    slug: str
    kind: str  # department or zone
    total: int
    on_time: int
    late: int
    overdue: int
    not_due: int
    returned: int = 0  # of those submitted: returned, not submitted again

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.total if self.total else None


@dataclass
class PlanEvaluation:
    plan: Plan
    as_of: date
    goals: list[GoalRow]
    milestones: list[MilestoneRow]
    goal_totals: dict[str, int]
    milestone_totals: dict[str, int]
    by_zone: list[Group]
    by_cluster: list[Group]
    by_task: list[Group]
    by_unit: list[Group]
    flags: list[FlagRow]
    flag_counts: dict[str, int]
    reporting: list[UnitRecord]
    reporting_totals: dict[str, int] = field(default_factory=dict)


def evaluation_build(*, plan: Plan, today: date) -> PlanEvaluation:
    targets = list(
        Target.objects.filter(indicator__plan=plan)
        .select_related("indicator__task", "zone", "cluster")
        .order_by(
            "indicator__task__number",
            "indicator__order",
            "indicator__code",
            "scope",
            "zone__order",
            "cluster__order",
            "year",
        )
    )
    readings = _readings(plan, {t.indicator_id for t in targets})
    _with_computed(readings, {t.indicator_id: t.indicator for t in targets})
    goals, milestones = [], []
    for target in targets:
        history = readings.get((target.indicator_id, target.scope, target.zone_id, target.cluster_id), [])
        if target.indicator.kind == Indicator.Kind.MILESTONE:
            milestones.append(_milestone_row(target, history))
        else:
            goals.append(_goal_row(target, history, first_year=plan.baseline_year + 1))
    targets_by_id = {t.pk: t for t in targets}
    units = _units_of_tasks(plan)
    reporting = [
        UnitRecord(**{k: row[k] for k in ("unit", "slug", "kind", *REPORTING_COUNTS)})
        for row in timeliness_summary(periods_ending_from=plan.start, periods_ending_to=plan.end, today=today)
    ]
    flags = _flags(plan)
    return PlanEvaluation(
        plan=plan,
        as_of=today,
        goals=goals,
        milestones=milestones,
        goal_totals=v.tally(g.code for g in goals),
        milestone_totals=v.tally((m.code for m in milestones), v.MILESTONE_VERDICTS),
        by_zone=_by_zone(goals, milestones, targets_by_id),
        by_cluster=_grouped(
            goals,
            milestones,
            lambda t: [(t.cluster.code, t.cluster.name, t.cluster.order)] if t.cluster_id else [],
            targets_by_id,
        ),
        by_task=_by_task(plan, goals, milestones, targets_by_id),
        by_unit=_by_unit(goals, milestones, targets_by_id, units),
        flags=flags,
        flag_counts=flag_counts(flags),
        reporting=reporting,
        reporting_totals={k: sum(getattr(r, k) for r in reporting) for k in REPORTING_COUNTS},
    )


def _readings(plan: Plan, indicator_ids: set[int]) -> dict[tuple, list[v.Reading]]:
    """Per (indicator, scope, zone, cluster): one reading per period end in the plan's years (and the
    year after, when a milestone may still be reported done), the province's figure winning."""
    rows = (
        IndicatorValue.objects.counted()
        .filter(indicator_id__in=indicator_ids, period__year__gte=plan.first_year, period__year__lte=plan.last_year + 1)
        .values_list(
            "indicator_id",
            "scope",
            "zone_id",
            "cluster_id",
            "period__end",
            "period__cadence",
            "indicator__cadence",
            "source",
            "value",
            "done_on",
        )
    )
    # (key, period end) → source → (cadence matches the indicator's, value, done_on); the indicator's own
    # cadence is preferred where a figure was given for several periods ending on the same day.
    found: dict[tuple, dict[str, tuple]] = defaultdict(dict)
    for indicator_id, scope, zone_id, cluster_id, end, cadence, own_cadence, source, value, done_on in rows:
        slot = found[((indicator_id, scope, zone_id, cluster_id), end)]
        entry = (cadence == own_cadence, None if value is None else float(value), done_on)
        if source not in slot or entry[0] and not slot[source][0]:
            slot[source] = entry
    readings: dict[tuple, list[v.Reading]] = defaultdict(list)
    for (key, end), slot in found.items():
        unit, province = slot.get(IndicatorValue.Source.PORTAL), slot.get(IndicatorValue.Source.PROVINCE)
        readings[key].append(v.resolve(unit and unit[1:], province and province[1:], end))
    for history in readings.values():
        history.sort(key=lambda r: r.period_end)
    return readings


def _with_computed(readings: dict[tuple, list[v.Reading]], indicators: dict[int, Indicator]) -> None:
    """The figures the portal computes replace the typed ones of the same period, as in the progress engine
    (indicators/progress/derived.py): the prefecture's growth and shares rolled up from its zones — without a
    value, naming the zones, where one lacks its figure — and shares from their parts."""
    zones = list(Zone.objects.values_list("code", "pk", "name"))
    names = {code: name for code, _pk, name in zones}
    computed, _computed_keys = derived_histories(
        list(indicators.values()), zone_hierarchy(), zone_ids={code: pk for code, pk, _name in zones}
    )
    for (indicator_id, (scope, zone_id, cluster_id)), observations in computed.items():
        key = (indicator_id, scope, zone_id, cluster_id)
        typed_by_end = {r.period_end: r for r in readings.get(key, [])}
        by_end = dict(typed_by_end)
        for obs in observations:
            missing = tuple(names.get(code, code) for code in obs.missing)
            value = None if missing or obs.value is None else obs.value
            typed = typed_by_end.get(obs.period_end)  # its figures stay in view beside the computed one
            by_end[obs.period_end] = v.Reading(
                period_end=obs.period_end,
                source=v.COMPUTED,
                value=value,
                unit_value=typed.unit_value if typed else None,
                province_value=typed.province_value if typed else None,
                missing=missing,
            )
        readings[key] = [by_end[end] for end in sorted(by_end)]


def _scope_name(target: Target) -> str:
    return target.zone.name if target.zone_id else target.cluster.name if target.cluster_id else ""


def _goal_row(target: Target, history: list[v.Reading], *, first_year: int) -> GoalRow:
    indicator = target.indicator
    committed = None if target.committed_value is None else float(target.committed_value)
    stretch = None if target.stretch_value is None else float(target.stretch_value)
    return GoalRow(
        target_id=target.pk,
        indicator=indicator.name,
        indicator_code=indicator.code,
        unit=indicator.unit,
        kind=indicator.kind,
        task_number=indicator.task.number if indicator.task_id else None,
        scope=target.scope,
        scope_name=_scope_name(target),
        year=target.year,
        committed=committed,
        stretch=stretch,
        wording=target.wording,
        verdict=v.goal_verdict(
            kind=indicator.kind,
            direction=indicator.direction,
            year=target.year,
            committed=committed,
            stretch=stretch,
            required_count=target.required_count,
            readings=history,
            first_year=first_year,
            per_half_year=target.per_half_year,
            due_month=target.due_month,
        ),
    )


def _milestone_row(target: Target, history: list[v.Reading]) -> MilestoneRow:
    indicator = target.indicator
    return MilestoneRow(
        target_id=target.pk,
        indicator=indicator.name,
        task_number=indicator.task.number if indicator.task_id else None,
        scope=target.scope,
        scope_name=_scope_name(target),
        due_date=target.due_date,
        wording=target.wording,
        verdict=v.milestone_verdict(due_date=target.due_date, readings=history),
    )


def _task_key(target: Target) -> tuple:
    task = target.indicator.task
    if task is None:
        return ("0", "", 0)  # the plan's 发展目标 section
    return (str(task.number), task.title, task.number)


def _grouped(goals, milestones, keys_of, targets_by_id, everyone: set[tuple] = frozenset()) -> list[Group]:
    """Groups (key, name, order) → tallies; `keys_of(target)` gives the groups a target belongs to, and
    `everyone` the groups listed even without a goal (every task of the plan, every responsible unit)."""
    goal_codes: dict[tuple, list[str]] = defaultdict(list)
    milestone_codes: dict[tuple, list[str]] = defaultdict(list)
    for rows, into in ((goals, goal_codes), (milestones, milestone_codes)):
        for row in rows:
            for key in keys_of(targets_by_id[row.target_id]):
                into[key].append(row.code)
    keys = sorted(set(goal_codes) | set(milestone_codes) | set(everyone), key=lambda k: (k[2], k[0]))
    return [
        Group(
            key=k[0],
            name=k[1],
            goals=v.tally(goal_codes[k]),
            milestones=v.tally(milestone_codes[k], v.MILESTONE_VERDICTS),
        )
        for k in keys
    ]


def _by_task(plan: Plan, goals, milestones, targets_by_id) -> list[Group]:
    """Every task of the plan, with how its units last reported it within the plan (已完成, 滞后…)."""
    tasks = list(Task.objects.filter(plan=plan).values_list("pk", "number", "title"))
    groups = _grouped(
        goals,
        milestones,
        lambda t: [_task_key(t)],
        targets_by_id,
        {(str(number), title, number) for _pk, number, title in tasks},
    )
    last: dict[tuple, str] = {}
    for task_id, department_id, progress in (
        DispatchReport.objects.filter(task__plan=plan, state__in=COUNTED_STATES, period__end__lte=plan.end)
        .exclude(progress="")
        .order_by("period__end", "pk")
        .values_list("task_id", "department_id", "progress")
    ):
        last[(task_id, department_id)] = progress  # the latest report of each unit on each task wins
    number_of = {pk: str(number) for pk, number, _title in tasks}
    reported: dict[str, list[str]] = defaultdict(list)
    for (task_id, _department), progress in last.items():
        reported[number_of[task_id]].append(progress)
    for group in groups:
        if group.key in number_of.values():
            group.reported = v.tally(reported[group.key], tuple(DispatchReport.Progress.values))
    return groups


def _by_zone(goals, milestones, targets_by_id) -> list[Group]:
    def keys_of(target):
        if target.zone_id:
            return [(target.zone.code, target.zone.name, target.zone.order)]
        if target.scope == "prefecture":
            return [(PREFECTURE_GROUP, "", 10_000)]
        return []

    return _grouped(goals, milestones, keys_of, targets_by_id)


def _units_of_tasks(plan: Plan) -> dict[int, list[tuple]]:
    """task id → the prefecture units responsible for it (lead first): (slug, name, order, is_lead)."""
    units: dict[int, list[tuple]] = defaultdict(list)
    rows = (
        Responsibility.objects.filter(task__plan=plan, department__kind=Department.Kind.PREFECTURE)
        .values_list("task_id", "department__slug", "department__name", "department__order", "role")
        .order_by("task__number", "position")
    )
    for task_id, slug, name, order, role in rows:
        units[task_id].append((slug, name, order, role == Responsibility.Role.LEAD))
    return units


def _by_unit(goals, milestones, targets_by_id, units) -> list[Group]:
    """A unit answers for the goals of the tasks it is responsible for (as lead or co-operating unit)."""

    def keys_of(target):
        return [(slug, name, order) for slug, name, order, _lead in units.get(target.indicator.task_id, [])]

    everyone = {(slug, name, order) for entries in units.values() for slug, name, order, _lead in entries}
    groups = _grouped(goals, milestones, keys_of, targets_by_id, everyone)
    leads: dict[str, int] = defaultdict(int)
    for entries in units.values():
        for slug, _name, _order, lead in entries:
            leads[slug] += lead
    for group in groups:
        group.lead_tasks = leads[group.key]
    return groups


def _flags(plan: Plan) -> list[FlagRow]:
    """The flags of the plan's years that stand: fired, and those a rule could not judge (a missing ranking), which say
    so rather than pass silently. A withdrawn flag is left out: a corrected ranking took it back, and its evidence is
    the ranking that no longer fires it."""
    flags = (
        Flag.objects.filter(year__gte=plan.first_year, year__lte=plan.last_year)
        .exclude(state=Flag.State.WITHDRAWN)
        .select_related("zone__county", "handled_by")
        .order_by("year", "zone__order", "scheme", "rule")
    )
    return [
        FlagRow(
            flag_id=f.pk,
            zone=f.zone.name,
            scheme=f.scheme,
            year=f.year,
            rule=f.rule,
            outcome=f.outcome,
            state=f.state,
            evidence=f.evidence or {},
            reason=f.reason,
            # In the reader's language, as the flag pages word them (the downloads are built in the plan's).
            consequence=f.consequence_words,
            responsible_party=f.responsible_party_words,
            note=f.note,
            handled_by=str(f.handled_by) if f.handled_by else "",
            handled_at=timezone.localtime(f.handled_at).date() if f.handled_at else None,
            reason_words=f.reason_words,
        )
        for f in flags
    ]


def flag_counts(flags: list[FlagRow]) -> dict[str, int]:
    """The flags that stand, counted apart: the accountability rules fired (and of those, the ones handled to the end),
    the positive consequences fired, and the rules that could not be judged."""
    fired = [f for f in flags if f.outcome == Flag.Outcome.FIRED]
    accountability = [f for f in fired if f.rule not in POSITIVE_RULES]
    return {
        "fired": len(accountability),
        "resolved": sum(f.state == Flag.State.RESOLVED for f in accountability),
        "positive": len(fired) - len(accountability),
        "not_evaluable": len(flags) - len(fired),
    }
