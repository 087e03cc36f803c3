"""Writes of the projects app. Each write is one transaction, checks rights and input again, and records
who changed what and why (django-simple-history). Bad input raises ProjectError and writes nothing.

Project reports reuse the indicator reports' workflow: the same states, the same rights
(indicators.reporting.permissions), the same optimistic locking and history
(indicators.reporting.services.check_version/bump).
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chuxiong_portal import dates
from chuxiong_portal.access import is_office
from chuxiong_portal.db import serialised
from chuxiong_portal.stale import stale
from indicators.models import Cadence, ReportingPeriod
from indicators.reporting import periods as calendar
from indicators.reporting import permissions
from indicators.reporting.flow_words import kept
from indicators.reporting.services import bump, check_version, closed_reason, periods_generate
from indicators.reporting.services.reports import ReportError, StaleReportError, approval_reason
from tasks.selectors import plan_in_force

from . import rules
from .models import (
    MILESTONE_DONE_BY_STAGE,
    MILESTONE_STAGES,
    PROJECT_HISTORY,
    STAGE_DATE_FIELDS,
    STAGE_ORDER,
    Listing,
    Milestone,
    Project,
    ProjectInvestment,
    ProjectReport,
    Stage,
)
from .selectors import can_answer_coordination, milestone_actual, milestone_after_stage, milestones_after_stages

__all__ = ["ProjectError", "StaleReportError"]


class ProjectError(ReportError):
    """A refused project operation, with a message for the user (and per-field messages)."""


AS_READ = object()  # a `seen` not given: the row as the caller read it


def _fail(field_name: str, message: str):
    raise ProjectError(message, {field_name: [message]})


def _fail_stale(field_name: str, message: str, current):
    """A refusal of a page drawn before the row changed, carrying what the page would show now (`stale`)."""
    raise stale(ProjectError(message, {field_name: [message]}), current)


# --------------------------------------------------------------------------- projects

PROJECT_FIELDS = (
    "code",
    "name",
    "zone",
    "area",
    "cluster",
    "chain",
    "kind",
    "total_investment",
    "lead_unit",
    "lead_person",
    "leader_in_charge",
    "enterprise",
    "signed_amount",
    "capital_in_place",
    "capital_origin",
    "stage",
    "exit_reason",
    "signed_on",
    "landed_on",
    "started_on",
    "completed_on",
)


def completed_investment(project: Project) -> Decimal:
    if project.pk is None:
        return Decimal(0)
    return project.investments.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def _check_project(data: dict, *, project: Project | None, today: date) -> None:
    errors = project_errors(data, project=project, today=today)
    if errors:
        raise ProjectError(_("项目信息有误，请按提示修改后再保存。"), errors)


def project_errors(data: dict, *, project: Project | None, today: date) -> dict[str, list[str]]:
    """What is wrong with a project's facts (`PROJECT_FIELDS` as they would be saved), by field: the pages' rule,
    which the admin's form applies too. `project`: the stored project, None for a new one."""
    errors: dict[str, list[str]] = {}
    if not data.get("zone"):
        errors.setdefault("zone", []).append(_("项目必须填写所在开发区。"))
    if problem := total_investment_error(data.get("total_investment"), project=project):
        errors.setdefault("total_investment", []).append(problem)
    for name in ("signed_amount", "capital_in_place"):
        if data.get(name) is not None and data[name] < 0:
            errors.setdefault(name, []).append(_("金额不能为负数。"))
    if data.get("capital_in_place") is not None and data.get("kind") != Project.Kind.INVESTMENT:
        errors.setdefault("capital_in_place", []).append(_("只有招商引资项目填写到位资金。"))
    for name, message in stage_dates_errors(data, today):
        errors.setdefault(name, []).append(message)
    if project is not None:
        moved = {
            stage: data.get(name)
            for stage, name in STAGE_DATE_FIELDS.items()
            if data.get(name) != getattr(project, name)
        }
        for stage, message in stage_dates_milestones_errors(project, moved).items():
            errors.setdefault(STAGE_DATE_FIELDS[stage], []).append(message)
    return errors


def total_investment_error(total: Decimal | None, *, project: Project | None) -> str | None:
    """Why `total` cannot be the total investment of `project` (None: a new one): the service's rule, which the
    project form applies to its field before the model's constraint could answer with its name."""
    if total is None or total <= 0:
        return _("总投资必须大于0。")
    if project is not None and (done := completed_investment(project)) > total:
        return _("总投资（%(total)s万元）不能小于已完成投资（%(done)s万元）。") % {"total": total, "done": done}
    if project is not None:
        plans = list(project.listings.values_list("planned_investment", flat=True))
        if rules.investment_plans_over_total(plans, total):
            return _("总投资（%(total)s万元）不能小于各年度计划投资合计（%(sum)s万元）。") % {
                "total": total,
                "sum": sum(plans),
            }
    return None


def project_code_error(code: str) -> str | None:
    """Why `code` cannot be a new project's: another project has it (the form asks before the model's unique check
    could answer in Django's words; `project_create` asks again under its lock)."""
    if Project.objects.filter(code=code).exists():
        return _("项目编号“%(code)s”已被使用。") % {"code": code}
    return None


def stage_dates_milestones_errors(project: Project, moved: dict[str, date | None]) -> dict[str, str]:
    """The stage dates `moved` (stage → date) that put a milestone recorded done after the stage it comes before
    (`selectors.milestone_after_stage`, the rule of 记录完成 seen from the stage): stage → message, naming the latest
    such milestone. A disagreement of the dates left as they are is not the change's to answer for; no query when
    nothing moved."""
    if not moved:
        return {}
    problems = {}
    for milestone, stage, by in milestones_after_stages(project, moved):
        if stage not in moved:
            continue
        problems.setdefault(
            stage,
            _("%(stage)s日期（%(by)s）不能早于已登记的%(milestone)s日期（%(on)s）。")
            % {
                "stage": Stage(stage).label,
                "by": dates.day(by),
                "milestone": milestone.get_kind_display(),
                "on": dates.day(milestone.actual_on),
            },
        )
    return problems


def stage_dates_errors(data: dict, today: date) -> list[tuple[str, str]]:
    """A project's stage and its stage dates agree: every stage reached has its date, none is in the future,
    they follow the stages' order, and no date is given for a stage not reached."""
    stage = data.get("stage") or Stage.RESERVE
    problems = []
    if stage == Stage.EXITED:
        if not (data.get("exit_reason") or "").strip():
            problems.append(("exit_reason", _("项目退出时必须填写退出原因。")))
        reached = [s for s in STAGE_ORDER[1:] if data.get(STAGE_DATE_FIELDS[s])]
    else:
        reached = list(STAGE_ORDER[1 : STAGE_ORDER.index(stage) + 1])
    previous = None
    for name in STAGE_ORDER[1:]:
        field_name = STAGE_DATE_FIELDS[name]
        on = data.get(field_name)
        if name in reached and on is None and stage != Stage.EXITED:
            problems.append(
                (
                    field_name,
                    _("项目已到“%(stage)s”阶段，请填写“%(name)s”的实际日期。")
                    % {"stage": Stage(stage).label, "name": Stage(name).label},
                )
            )
        elif name not in reached and on is not None:
            problems.append(
                (
                    field_name,
                    _("项目尚未到“%(name)s”阶段，不能填写其日期（阶段顺序有误）。") % {"name": Stage(name).label},
                )
            )
        if on is None:
            continue
        if on > today:
            problems.append((field_name, _("实际日期（%(on)s）不能晚于今天。") % {"on": dates.day(on)}))
        if previous is not None and on < previous[1]:
            problems.append(
                (
                    field_name,
                    _("“%(stage)s”的日期不能早于“%(previous)s”的日期（%(on)s）。")
                    % {"stage": Stage(name).label, "previous": Stage(previous[0]).label, "on": dates.day(previous[1])},
                )
            )
        previous = (name, on)
    return problems


@transaction.atomic
def project_create(*, user, data: dict, tasks=(), units=(), today: date | None = None) -> Project:
    """A new project, in the reserve pool (储备)."""
    today = today or timezone.localdate()
    _check_project(data, project=None, today=today)
    serialised("projects.project_create")  # two creations of one code at once: the second is told it is taken
    if problem := project_code_error(data["code"]):
        _fail("code", problem)
    project = Project(**{name: data.get(name) for name in PROJECT_FIELDS if name in data})
    project.updated_by = user
    project._history_user = user
    project._change_reason = kept(gettext_noop("入库（储备）"))
    return project_insert(project, tasks=tasks, units=units)


@contextmanager
def _relations_unrecorded(project: Project):
    """Inside, saving `project` or setting its tasks or units writes no history record: django-simple-history's m2m
    history writes one for each relation a write changes, with the write's user and reason (入库（储备） twice). The
    write records the project once, after: that record holds the tasks and units as set."""
    project.skip_history_when_saving = True
    try:
        yield
    finally:
        del project.skip_history_when_saving


def project_insert(project: Project, *, tasks=(), units=()) -> Project:
    """Insert the new `project` with its tasks and units: one history record (its `_history_user` and
    `_change_reason`) holding them. The demo loader inserts its projects through here too."""
    return _saved_with_relations(project, tasks=tasks, units=units, history_type="+")


def _saved_with_relations(project: Project, *, tasks, units, history_type: str) -> Project:
    with _relations_unrecorded(project):
        project.save()
        project.tasks.set(tasks)
        project.units.set(units)
    PROJECT_HISTORY.create_historical_record(project, history_type)
    return project


@transaction.atomic
def project_admin_save(*, project: Project, user, tasks, units) -> Project:
    """A project added or changed in the admin with its tasks and units, recorded as the pages' writes are: one
    history record with the user, 后台新增 or 后台修改 as its reason and the relations as set; a change is a new
    version, so a page form opened before it is told it is stale."""
    adding = project._state.adding
    if not adding:
        project.version += 1
    project.updated_by = user
    project._history_user = user
    project._change_reason = kept(gettext_noop("后台新增") if adding else gettext_noop("后台修改"))
    return _saved_with_relations(project, tasks=tasks, units=units, history_type="+" if adding else "~")


@transaction.atomic
def project_update(*, project: Project, user, data: dict, version: int, reason: str, tasks=None, units=None) -> Project:
    """Change a project's facts (not its stage: see project_stage_set), and its tasks and co-units when given, in one
    transaction. The reason is kept (动态调整)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    check_version(project, version, message=_("保存失败：该项目已被%(who)s于%(when)s修改。"))
    if not reason.strip():
        _fail("reason", _("修改项目信息时必须说明原因。"))
    merged = {name: getattr(project, name) for name in PROJECT_FIELDS} | data
    _check_project(merged, project=project, today=timezone.localdate())
    for name, value in data.items():
        setattr(project, name, value)
    with _relations_unrecorded(project):  # the change is recorded once, by bump, with the relations as set
        if tasks is not None:
            project.tasks.set(tasks)
        if units is not None:
            project.units.set(units)
    bump(project, user, reason.strip())
    return project


def stage_move_error(project: Project, stage: str) -> tuple[str, str] | None:
    """Why a project cannot move to `stage` at all, whatever the date: ("stage", message), or None."""
    if project.stage in (Stage.EXITED, Stage.COMPLETED):
        return "stage", _("项目已%(stage)s，不能再变更阶段。") % {"stage": project.get_stage_display()}
    if stage == Stage.EXITED:
        return None
    if stage not in STAGE_DATE_FIELDS:
        return "stage", _("请选择有效的项目阶段。")
    current = STAGE_ORDER.index(project.stage)
    wanted = STAGE_ORDER.index(stage)
    if wanted <= current:
        return "stage", _("项目已处于“%(current)s”阶段，不能回到“%(stage)s”。") % {
            "current": project.get_stage_display(),
            "stage": Stage(stage).label,
        }
    if wanted > current + 1:
        return "stage", _("阶段不能跳过：“%(current)s”之后应为“%(next)s”，不能直接到“%(stage)s”。") % {
            "current": project.get_stage_display(),
            "next": STAGE_ORDER[current + 1].label,
            "stage": Stage(stage).label,
        }
    return None


def stages_allowed(project: Project) -> list[Stage]:
    """The stages a project may move to from its own (its next one, or 退出): those its page offers."""
    return [stage for stage in Stage if stage != Stage.RESERVE and stage_move_error(project, stage) is None]


def stage_error(project: Project, stage: str, on: date | None, today: date) -> tuple[str, str] | None:
    """Why a project cannot move to `stage` on `on`: (field, message), or None."""
    problem = stage_move_error(project, stage)
    if problem or stage == Stage.EXITED:
        return problem
    if on is None:
        return "on", _("请填写达到该阶段的实际日期。")
    if on > today:
        return "on", _("实际日期（%(on)s）不能晚于今天。") % {"on": dates.day(on)}
    previous = project.stage_date(project.stage)
    if previous is not None and on < previous:
        return "on", _("“%(stage)s”的日期不能早于“%(previous)s”的日期（%(on)s）。") % {
            "stage": Stage(stage).label,
            "previous": project.get_stage_display(),
            "on": dates.day(previous),
        }
    if late := stage_dates_milestones_errors(project, {stage: on}):
        return "on", late[stage]
    return None


@transaction.atomic
def project_stage_set(
    *, project: Project, user, stage: str, on: date | None, reason: str = "", seen: str = "", today: date | None = None
) -> Project:
    """Move a project to its next stage with the actual date, or to 退出 with a reason. `seen`: the stage the user's
    page showed: a project moved on by someone else since then is neither moved again nor withdrawn (退出) unseen.
    Without it (a report's approval, the services' own callers) the move is judged on the stage stored, as before."""
    today = today or timezone.localdate()
    project = Project.objects.select_for_update().get(pk=project.pk)
    if seen and project.stage != seen:  # the row is locked: a page left open meets a later move here
        _fail_stale(
            "stage",
            _("该项目的阶段已被他人变更为“%(stage)s”。") % {"stage": project.get_stage_display()},
            project.stage,
        )
    problem = stage_error(project, stage, on, today)
    if problem:
        _fail(*problem)
    if stage == Stage.EXITED:
        if not reason.strip():
            _fail("reason", _("项目退出时必须填写退出原因。"))
        project.exit_reason = reason.strip()
        why = kept(gettext_noop("退出：%(reason)s"), reason=project.exit_reason)
    else:
        setattr(project, STAGE_DATE_FIELDS[stage], on)
        why = reason.strip() or kept(gettext_noop("进入“%(stage)s”阶段"), stage=kept(Stage(stage).label))
    project.stage = stage
    bump(project, user, why)
    return project


# --------------------------------------------------------------------------- the yearly list and its baseline


@transaction.atomic
def listing_adopt(
    *, project: Project, user, year: int, planned_investment: Decimal, milestones: dict[str, date]
) -> Listing:
    """Put a project of the reserve pool on the year's 年度重点项目建设清单 with its 倒排工期 baseline."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.stage == Stage.EXITED:
        _fail("project", _("已退出的项目不能列入年度清单。"))
    if Listing.objects.filter(project=project, year=year).exists():
        _fail("year", _("该项目已列入%(year)d年度清单。") % {"year": year})
    if problem := listing_year_error(project, year):
        _fail("year", problem)
    if problem := planned_investment_error(project, year, planned_investment):
        _fail("planned_investment", problem)
    if not milestones:
        _fail("milestones", _("请至少填写一个倒排工期节点的计划日期。"))
    problems, order = baseline_errors(project, year, milestones)
    if problems or order:
        _fail("milestones", next(iter(problems.values()), order))
    listing = Listing(project=project, year=year, planned_investment=planned_investment, adopted_by=user)
    listing._history_user = user
    listing._change_reason = kept(gettext_noop("列入年度重点项目建设清单"))
    listing.save()
    for kind, planned_on in milestones.items():
        milestone = Milestone(listing=listing, kind=kind, planned_on=planned_on)
        milestone._history_user = user
        milestone._change_reason = kept(gettext_noop("确定倒排工期基线"))
        milestone.save()
    return listing


def baseline_errors(project: Project, year: int, planned: dict[str, date]) -> tuple[dict[str, str], str | None]:
    """What is wrong with `planned` (kind → planned date) as `project`'s baseline for `year`: (kind → message, the
    order's message or None). Each date within the year and the quarter after it (`rules.baseline_range`), none for a
    milestone reached before the year — a baseline plans what is left to do in the year, not what was done before it
    — and the dates in order (`baseline_order_error`, judged once each date is in range). The rule of 列入年度清单,
    which the admin's form applies too."""
    problems = {}
    for kind, planned_on in planned.items():
        if problem := _baseline_range_error(kind, planned_on, year):
            problems[kind] = problem
        elif reached := reached_before(kind, project, year):
            problems[kind] = _("%(milestone)s已于%(on)s完成，不再列入%(year)d年的倒排工期。") % {
                "milestone": Milestone.Kind(kind).label,
                "on": dates.day(reached),
                "year": year,
            }
    return problems, None if problems else baseline_order_error(planned)


def reached_before(kind: str, project: Project, year: int) -> date | None:
    """The day `project` reached its milestone of `kind` if it was before `year` (a stage's, or one a stage brings with
    it: `milestone_actual`), else None: nothing left of it to plan in that year's baseline."""
    reached = milestone_actual(Milestone(kind=kind), project)
    return reached if reached is not None and reached.year < year else None


def listing_year_error(project: Project, year: int) -> str | None:
    """Why `project` may not be on the list of `year` (`rules.listing_year_open`), or None: on the pages and in the
    admin."""
    if rules.listing_year_open(year, project.completed_on):
        return None
    return _("该项目已于%(on)s投产/竣工，不能列入%(year)d年度清单。") % {
        "on": dates.day(project.completed_on),
        "year": year,
    }


def planned_investment_error(
    project: Project, year: int, planned_investment: Decimal | None, *, listing: Listing | None = None
) -> str | None:
    """Why `planned_investment` cannot be the project's plan for `year` (`listing`: the stored listing it replaces,
    None for a new one), or None: above 0, within the total investment, and within it together with the other years'
    plans. The rule of 列入年度清单, which the admin's form applies too."""
    if planned_investment is None or planned_investment <= 0:
        return _("年度计划投资必须大于0。")
    if planned_investment > project.total_investment:
        return _("年度计划投资（%(plan)s万元）不能超过总投资（%(total)s万元）。") % {
            "plan": planned_investment,
            "total": project.total_investment,
        }
    return _plans_over_total_error(project, year, planned_investment, listing=listing)


def _plans_over_total_error(
    project: Project, year: int, planned_investment: Decimal, *, listing: Listing | None = None
) -> str | None:
    """Why `year`'s plan cannot join the project's other years' plans: together above its total investment."""
    others = project.listings.exclude(year=year)
    if listing is not None and listing.pk is not None:
        others = others.exclude(pk=listing.pk)
    others = others.values_list("planned_investment", flat=True)
    plans = [*others, planned_investment]
    if not rules.investment_plans_over_total(plans, project.total_investment):
        return None
    return _("各年度计划投资合计%(sum)s万元（其中%(year)d年%(plan)s万元），超过项目总投资（%(total)s万元）。") % {
        "sum": sum(plans),
        "year": year,
        "plan": planned_investment,
        "total": project.total_investment,
    }


def _baseline_range_error(kind: str, planned_on: date, year: int) -> str | None:
    """Why `planned_on` is no date for `year`'s baseline (`rules.baseline_range`), or None."""
    if not rules.baseline_out_of_range(year, planned_on):
        return None
    first, last = rules.baseline_range(year)
    return _("%(milestone)s的计划日期（%(on)s）不在%(year)d年度倒排工期的范围内（%(first)s至%(last)s）。") % {
        "milestone": Milestone.Kind(kind).label,
        "on": dates.day(planned_on),
        "year": year,
        "first": dates.day(first),
        "last": dates.day(last),
    }


_MILESTONE_OF_STAGE = {stage: kind for kind, stage in MILESTONE_STAGES.items()}
_STAGE_MILESTONES = tuple(_MILESTONE_OF_STAGE[stage] for stage in STAGE_ORDER if stage in _MILESTONE_OF_STAGE)
# The planned dates keep the order the actual dates keep (one rule): the stages 签约→供地→开工→投产/竣工; a milestone
# no later than the stage it comes before nor any stage after it (`MILESTONE_DONE_BY_STAGE`, as
# `selectors.stage_done_by` reads it: 环评 and 七通一平 by 开工, 主体完工 by 投产/竣工); 主体完工 not before 开工
# (`milestone_done_error`). Pairs (earlier, later); the stages' pairs first.
_BASELINE_ORDER = (
    *((earlier, later) for index, earlier in enumerate(_STAGE_MILESTONES) for later in _STAGE_MILESTONES[index + 1 :]),
    *(
        (kind, _MILESTONE_OF_STAGE[later])
        for kind, stage in MILESTONE_DONE_BY_STAGE.items()
        for later in STAGE_ORDER[STAGE_ORDER.index(stage) :]
    ),
    (Milestone.Kind.STARTED, Milestone.Kind.STRUCTURE),
)


def baseline_order_error(planned: dict) -> str | None:
    """Why the planned dates (kind → date) of a baseline are out of order (`_BASELINE_ORDER`), or None."""
    if (pair := rules.baseline_out_of_order(planned, _BASELINE_ORDER)) is None:
        return None
    earlier, later = pair
    if earlier in MILESTONE_STAGES and later in MILESTONE_STAGES:
        return _("倒排工期的阶段节点应按 签约→供地→开工→投产/竣工 的顺序排列。")
    return _("“%(milestone)s”的计划日期（%(on)s）不能晚于“%(later)s”的计划日期（%(by)s）。") % {
        "milestone": Milestone.Kind(earlier).label,
        "on": dates.day(planned[earlier]),
        "later": Milestone.Kind(later).label,
        "by": dates.day(planned[later]),
    }


def _baseline_in_order(planned: dict, field: str) -> None:
    if problem := baseline_order_error(planned):
        _fail(field, problem)


@transaction.atomic
def milestone_rebaseline(
    *, milestone: Milestone, user, planned_on: date, reason: str, seen: date | None = None
) -> Milestone:
    """A later change of a baseline date: allowed with a reason, counted and kept as a baseline change — not for a
    milestone already reached, nor outside its list's year (`rules.baseline_range`), nor out of order
    (`baseline_order_error`). `seen`: the planned date the user's page showed (by default, `milestone` as the caller
    read it): a baseline moved by someone else since then is not moved again unseen, the reason written against the
    other date."""
    seen = seen or milestone.planned_on
    milestone = Milestone.objects.select_for_update().select_related("listing__project").get(pk=milestone.pk)
    if milestone.planned_on != seen:  # the row is locked: a page left open meets a later change here
        _fail_stale(
            "planned_on",
            _("该节点的计划日期已被他人调整为%(on)s。") % {"on": dates.day(milestone.planned_on)},
            milestone.planned_on.isoformat(),
        )
    if not reason.strip():
        _fail("reason", _("调整倒排工期基线时必须说明原因。"))
    if planned_on == milestone.planned_on:
        _fail("planned_on", _("新的计划日期与原基线相同。"))
    if (reached := milestone_actual(milestone, milestone.listing.project)) is not None:
        _fail("planned_on", _("该节点已于%(on)s完成，不能再调整基线。") % {"on": dates.day(reached)})
    if problem := _baseline_range_error(milestone.kind, planned_on, milestone.listing.year):
        _fail("planned_on", problem)
    planned = dict(milestone.listing.milestones.values_list("kind", "planned_on"))
    _baseline_in_order({**planned, milestone.kind: planned_on}, "planned_on")
    old = milestone.planned_on
    milestone.planned_on = planned_on
    milestone.baseline_changes += 1
    milestone._history_user = user
    milestone._change_reason = kept(
        gettext_noop("调整基线：%(old)s → %(new)s，%(reason)s"),
        old=old.isoformat(),
        new=planned_on.isoformat(),
        reason=reason.strip(),
    )
    milestone.save()
    return milestone


# The milestones whose date is recorded on their own (not a stage's): 环评批复, 七通一平, 主体完工.
MILESTONES_DONE_BY_HAND = frozenset(Milestone.Kind.values) - set(MILESTONE_STAGES)


def milestone_done_error(*, kind: str, on: date, listing: Listing, today: date) -> tuple[str, str] | None:
    """Why a milestone of `kind` on `listing` cannot be recorded done on `on`: ("kind" or "on", message), or None.
    The rule of 记录完成, which the admin's form applies too."""
    if kind in MILESTONE_STAGES:
        return "kind", _("阶段节点的实际日期随项目阶段填写。")
    if on > today:
        return "on", _("实际日期（%(on)s）不能晚于今天。") % {"on": dates.day(on)}
    if on.year < listing.year - MILESTONE_YEARS_BACK:
        return "on", _("实际日期（%(on)s）早于清单年度十年以上，请核对。") % {"on": dates.day(on)}
    if kind == Milestone.Kind.STRUCTURE:
        # The main structure is finished on a site where building started: after the project's 开工.
        started_on = listing.project.started_on
        if started_on is None:
            return "on", _("项目尚未开工，不能登记主体完工：请先将项目阶段推进到“开工”。")
        if on < started_on:
            return (
                "on",
                _("主体完工日期（%(on)s）不能早于开工日期（%(started)s）。")
                % {"on": dates.day(on), "started": dates.day(started_on)},
            )
    # 环评 and 七通一平 come before 开工, 主体完工 before 投产/竣工: not after the day the project reached that stage.
    if late := milestone_after_stage(kind, on, listing.project):
        stage, by = late
        return (
            "on",
            _("%(milestone)s日期（%(on)s）不能晚于项目%(stage)s日期（%(by)s）。")
            % {
                "milestone": Milestone.Kind(kind).label,
                "on": dates.day(on),
                "stage": Stage(stage).label,
                "by": dates.day(by),
            },
        )
    return None


@transaction.atomic
def milestone_done(
    *, milestone: Milestone, user, on: date, seen: date | None | object = AS_READ, today: date | None = None
) -> Milestone:
    """The actual date of a milestone that is not a stage (供地/环评/七通一平/主体完工). `seen`: the actual date the
    user's page showed (None: not done), by default `milestone`'s as the caller read it: a date recorded by someone
    else since then is not overwritten unseen."""
    today = today or timezone.localdate()
    seen = milestone.actual_on if seen is AS_READ else seen
    milestone = (
        Milestone.objects.select_for_update(of=("self",)).select_related("listing__project").get(pk=milestone.pk)
    )
    if milestone.actual_on != seen:  # the row is locked: two records at once meet here, the second is told
        _fail_stale(
            "on",
            _("该节点的实际完成日期刚被他人登记为%(on)s。") % {"on": dates.day(milestone.actual_on) or "—"},
            milestone.actual_on.isoformat() if milestone.actual_on else "",
        )
    if problem := milestone_done_error(kind=milestone.kind, on=on, listing=milestone.listing, today=today):
        _fail(*problem)
    before = milestone.actual_on
    milestone.actual_on = on
    milestone._history_user = user
    if before is None:
        milestone._change_reason = kept(gettext_noop("节点完成"))
    else:  # a correction says so, with both dates, in the history
        milestone._change_reason = kept(
            gettext_noop("更正节点完成日期：%(old)s → %(new)s"), old=before.isoformat(), new=on.isoformat()
        )
    milestone.save()
    return milestone


MILESTONE_YEARS_BACK = 10  # a milestone done more than this many years before its list's year is a typing error


# --------------------------------------------------------------------------- biweekly project reports


def biweekly_period(day: date) -> ReportingPeriod:
    """The half-month containing `day`, as a period of the plan in force: project dispatch goes on in the years
    after a plan's last year too, so the period is created when first needed — the half-months of its year only: the
    plan's dispatch (monthly, quarterly …) stops with its last year, and no other period of a later year appears."""
    plan = plan_in_force()
    span = calendar.period_containing(Cadence.BIWEEKLY, day)
    periods = ReportingPeriod.objects.filter(plan=plan, cadence=Cadence.BIWEEKLY, year=span.year, index=span.index)
    period = periods.first()
    if period is None:
        periods_generate(plan=plan, years=[span.year], cadences=[Cadence.BIWEEKLY])
        period = periods.get()
    return period


def _report_of(project: Project, period: ReportingPeriod | None = None) -> ProjectReport:
    """The project's report of `period`, unsaved: filed by its lead unit when it has one, else by its zone."""
    return ProjectReport(
        project=project,
        period=period,
        department=project.lead_unit,
        zone=None if project.lead_unit_id else project.zone,
    )


def can_open_report(user, project: Project) -> bool:
    """Whether `user` files the project's half-month reports (the lead unit's staff, else the zone's statistician, or
    the office) while the project reports (`rules.reported_in`): the project page offers 填报本期项目调度报告 to them
    alone."""
    if not _reported_in(project, timezone.localdate().year):
        return False
    return permissions.can_edit_if_open(user, _report_of(project))


def _reported_in(project: Project, year: int) -> bool:
    return rules.reported_in(year, exited=project.stage == Stage.EXITED, completed_on=project.completed_on)


@transaction.atomic
def project_report_open(*, project: Project, user, today: date | None = None) -> ProjectReport:
    """The project's report for the current half-month, created for its filer if missing.

    The lead unit files it when the project has one; else the zone's statistician.
    """
    period = biweekly_period(today or timezone.localdate())
    serialised(f"projects.report_open:{project.pk}")  # two openings at once: the second finds the first's report
    existing = ProjectReport.objects.filter(project=project, period=period).first()
    if existing is not None:
        return existing
    if not _reported_in(project, period.year):
        if project.stage == Stage.EXITED:
            _fail("project", _("项目已退出，不再填报项目调度报告。"))
        _fail(
            "project",
            _("项目已于%(on)s投产/竣工，%(year)d年不再填报项目调度报告。")
            % {"on": dates.day(project.completed_on), "year": period.year},
        )
    report = _report_of(project, period)
    if not permissions.can_edit_if_open(user, report):
        _fail("project", _("本期项目调度报告尚未建立；只有牵头单位填报员、园区统计员或州开发区办可以建立。"))
    report._history_user = user
    report._change_reason = kept(gettext_noop("建立本期项目调度报告"))
    report.save()
    return report


@dataclass
class ProjectReportInput:
    investment_period: Decimal | None = None
    investment_to_date: Decimal | None = None
    image_progress: str = ""
    stage_reached: str = ""
    stage_reached_on: date | None = None
    problems: str = ""
    coordination: str = ""
    coordination_unit_id: int | None = None
    extra: dict = field(default_factory=dict)


def _locked_report(pk: int) -> ProjectReport:
    return ProjectReport.objects.select_for_update(of=("self",)).select_related("period__plan", "project").get(pk=pk)


# The report's investment fields hold 12 digits before the point (max_digits 14, decimal_places 2).
LARGEST_INVESTMENT = Decimal("1e12")


def _check_report(report: ProjectReport, data: ProjectReportInput, *, submit: bool, today: date) -> None:
    project = report.project
    errors: dict[str, list[str]] = {}
    for name in ("investment_period", "investment_to_date"):
        value = getattr(data, name)
        if value is not None and value < 0:
            errors.setdefault(name, []).append(_("投资额不能为负数。"))
        elif value is not None and value >= LARGEST_INVESTMENT:
            errors.setdefault(name, []).append(_("投资额过大：单位为万元，请检查是否多填了位数。"))
    if data.investment_to_date is not None and data.investment_to_date > project.total_investment:
        errors.setdefault("investment_to_date", []).append(
            _("累计完成投资（%(done)s万元）不能超过项目总投资（%(total)s万元）。")
            % {"done": data.investment_to_date, "total": project.total_investment}
        )
    if (
        data.investment_period is not None
        and data.investment_to_date is not None
        and data.investment_period > data.investment_to_date
    ):
        errors.setdefault("investment_period", []).append(_("本期完成投资不能大于累计完成投资。"))
    if data.stage_reached:
        if data.stage_reached != project.stage:
            problem = stage_error(project, data.stage_reached, data.stage_reached_on, today)
            if problem:
                errors.setdefault("stage_reached" if problem[0] == "stage" else "stage_reached_on", []).append(
                    problem[1]
                )
    elif data.stage_reached_on:
        errors.setdefault("stage_reached", []).append(_("填写了阶段日期，请选择达到的阶段。"))
    if data.coordination.strip() and not data.coordination_unit_id:
        errors.setdefault("coordination_unit", []).append(_("需协调事项请指明协调单位。"))
    if submit:
        if data.investment_period is None:
            errors.setdefault("investment_period", []).append(_("提交前请填写本期完成投资（无则填0）。"))
        if not data.image_progress.strip():
            errors.setdefault("image_progress", []).append(_("提交前请填写形象进度。"))
        if problem := report_period_error(report, today):
            errors.setdefault("period", []).append(problem)
        elif data.investment_period is not None and not errors.get("investment_period"):
            if problem := months_total_error(report, data.investment_period):
                errors.setdefault("investment_period", []).append(problem)
    if errors:
        raise ProjectError(_("填报内容有误，请按提示修改后再保存。"), errors)


def report_period_error(report: ProjectReport, today: date) -> str | None:
    """Why `report` cannot be submitted or approved yet: its half-month has not begun (a report opened while the clock
    was ahead). Its month's investment would be written before the month came, which the API refuses too."""
    if report.period.start <= today:
        return None
    return _("本期（%(period)s）尚未开始，不能提交或审核该期项目调度报告。") % {"period": report.period.label}


def months_total_error(report: ProjectReport, investment_period: Decimal) -> str | None:
    """Why approving `report` with `investment_period` would bring the project's completed investment (the months
    stored) above its total: the other months as stored, plus this month as the approval makes it — the sum of the
    month's other approved reports and this one (`_month_investment_refresh`). The cap the API's bulk import holds."""
    project = report.project
    year, month = report.period.start.year, report.period.start.month
    others = (
        ProjectInvestment.objects.filter(project=project)
        .exclude(year=year, month=month)
        .aggregate(total=Sum("amount"))["total"]
    ) or Decimal(0)
    this_month = (
        _month_reports(project, year, month).exclude(pk=report.pk).aggregate(total=Sum("investment_period"))["total"]
    ) or Decimal(0)
    done = others + this_month + investment_period
    if done <= project.total_investment:
        return None
    return _("本期完成投资计入后，项目累计完成投资（各月合计%(done)s万元）将超过项目总投资（%(total)s万元）。") % {
        "done": done.quantize(Decimal("0.01")),
        "total": project.total_investment,
    }


def _month_reports(project: Project, year: int, month: int):
    """The project's approved half-month reports of a month: what the month's figure sums."""
    return ProjectReport.objects.filter(
        project=project,
        state=ProjectReport.State.APPROVED,
        period__cadence=Cadence.BIWEEKLY,
        period__year=year,
        period__start__month=month,
    )


@transaction.atomic
def project_report_save(
    *, report: ProjectReport, user, data: ProjectReportInput, version: int, submit: bool, today: date | None = None
) -> ProjectReport:
    today = today or timezone.localdate()
    report = _locked_report(report.pk)
    if not permissions.can_edit(user, report):
        if reason := closed_reason(report):
            raise ProjectError(reason)
        if report.state == ProjectReport.State.APPROVED:
            raise ProjectError(_("该报告已审核锁定，如需修改请联系州开发区办重新开放。"))
        if report.state == ProjectReport.State.SUBMITTED and permissions.can_edit_if_open(user, report):
            raise ProjectError(_("该报告已提交，正在等待审核，暂不能修改；如需修改请联系审核人退回。"))
        raise ProjectError(_("您没有修改该报告的权限。"))
    check_version(report, version)
    _check_report(report, data, submit=submit, today=today)
    for name in (
        "investment_period",
        "investment_to_date",
        "image_progress",
        "stage_reached",
        "stage_reached_on",
        "problems",
        "coordination",
        "coordination_unit_id",
    ):
        setattr(report, name, getattr(data, name))
    if submit:
        report.state = ProjectReport.State.SUBMITTED
        report.submitted_at = timezone.now()
    elif report.state == ProjectReport.State.PENDING:
        report.state = ProjectReport.State.DRAFT
    bump(report, user, kept(gettext_noop("提交")) if submit else kept(gettext_noop("保存草稿")))
    return report


def _review(report: ProjectReport, user, version: int) -> ProjectReport:
    report = _locked_report(report.pk)
    if not permissions.can_review(user, report):
        raise ProjectError(_("您没有审核该报告的权限，或该报告不在待审核状态。"))
    check_version(report, version)
    return report


@transaction.atomic
def project_report_approve(
    *, report: ProjectReport, user, version: int, today: date | None = None, comment: str = ""
) -> ProjectReport:
    """Approve and lock; the stage reached moves the project, and the half-month's investment counts. The
    reviewer's `comment`, if any, is kept in the report's history. A stage the project has reached already is not
    applied: the returned report's `stage_kept` holds the project's date of it (None otherwise)."""
    today = today or timezone.localdate()
    _month_investment_queue(report)
    report = _review(report, user, version)
    project = Project.objects.select_for_update().get(pk=report.project_id)  # its total, as it stands now
    report.project = project
    # Judged again on approval: the months stored, the total and the calendar may have changed since the submission.
    if problem := report_period_error(report, today):
        _fail("period", problem)
    if problem := months_total_error(report, report.investment_period or Decimal(0)):
        _fail("investment_period", problem)
    # A stage the project reached meanwhile (moved on its page since the submission) is not applied again: the
    # project's own date stands, whatever the report said; the report's investment still counts (`stage_kept`).
    report.stage_kept = project.stage_date(report.stage_reached) if report.stage_reached else None
    if report.stage_reached and report.stage_reached != project.stage and report.stage_kept is None:
        project_stage_set(
            project=project,
            user=user,
            stage=report.stage_reached,
            on=report.stage_reached_on,
            reason=_("项目调度报告（%(period)s）") % {"period": report.period.label},
            today=today,
        )
    report.state = ProjectReport.State.APPROVED
    report.reviewed_by, report.reviewed_at = user, timezone.now()
    report.return_reason = ""
    bump(report, user, approval_reason(comment))
    _month_investment_refresh(project, report.period, user)
    return report


@transaction.atomic
def project_report_return(*, report: ProjectReport, user, version: int, reason: str) -> ProjectReport:
    if not reason.strip():
        raise ProjectError(_("退回时必须填写退回原因。"), {"reason": [_("请填写退回原因。")]})
    report = _review(report, user, version)
    report.state = ProjectReport.State.RETURNED
    report.return_reason = reason.strip()
    report.reopen_reason = ""
    report.reviewed_by, report.reviewed_at = user, timezone.now()
    bump(report, user, kept(gettext_noop("退回：%(reason)s"), reason=report.return_reason))
    return report


@transaction.atomic
def project_report_reopen(*, report: ProjectReport, user, reason: str, version: int | None = None) -> ProjectReport:
    """Only the prefecture office reopens an approved report, and says why. `version`: the report's version the
    office's page showed (by default, `report` as the caller read it): a report reopened, corrected and approved
    again since then is not reopened unseen."""
    version = report.version if version is None else version
    _month_investment_queue(report)
    report = _locked_report(report.pk)
    if not permissions.can_reopen(user, report):
        if is_office(user) and permissions.of_closed_plan(report):
            raise ProjectError(closed_reason(report))
        raise ProjectError(_("只有州开发区办可以重新开放已审核的报告。"))
    check_version(report, version)  # the row is locked: a page left open meets a later approval here
    if not reason.strip():
        raise ProjectError(_("重新开放时必须填写原因。"), {"reason": [_("请填写重新开放的原因。")]})
    report.state = ProjectReport.State.RETURNED
    report.reopen_reason = report.return_reason = reason.strip()
    bump(report, user, kept(gettext_noop("重新开放：%(reason)s"), reason=report.reopen_reason))
    _month_investment_refresh(report.project, report.period, user, withdrawn=report)
    return report


@transaction.atomic
def coordination_answer(*, report: ProjectReport, user, answer: str) -> ProjectReport:
    """The addressed unit — for a collective unit, those acting for it on the project (`can_answer_coordination`) —
    or the office answers a 需协调事项."""
    report = _locked_report(report.pk)
    if not report.coordination.strip():
        _fail("answer", _("该报告没有需协调事项。"))
    if not can_answer_coordination(user=user, report=report):
        raise ProjectError(_("只有被协调单位或州开发区办可以答复需协调事项。"))
    if not answer.strip():
        _fail("answer", _("请填写答复内容。"))
    if report.coordination_answer:  # answered meanwhile (the row is locked: two answers at once meet here)
        _fail("answer", _("该需协调事项已由他人答复：“%(answer)s”。") % {"answer": report.coordination_answer})
    report.coordination_answer = answer.strip()
    report._history_user = user
    report._change_reason = kept(gettext_noop("答复需协调事项"))
    report.save(update_fields=["coordination_answer", "updated_at"])
    return report


def _month_investment_queue(report: ProjectReport) -> None:
    """Before approving or reopening a project's report: wait for any other approval or reopening of the project's
    reports to end. The month's figure sums the month's approved reports; two approvals at once each summed without the
    other's (100 and 200 stored as 100 or 200, not 300)."""
    serialised(f"projects.month_investment:{report.project_id}")


def _month_investment_refresh(
    project: Project, period: ReportingPeriod, user, withdrawn: ProjectReport | None = None
) -> None:
    """The month's figure is the sum of the month's approved half-month reports (idempotent). `withdrawn`: a report
    just reopened — when it was the month's only approved one, the figure it alone made goes with it (a figure the
    API set otherwise stays)."""
    year, month = period.start.year, period.start.month
    total = _month_reports(project, year, month).aggregate(total=Sum("investment_period"))["total"]
    current = ProjectInvestment.objects.filter(project=project, year=year, month=month).first()
    if total is None:
        if current is not None and withdrawn is not None and current.amount == withdrawn.investment_period:
            current._history_user = user
            current._change_reason = kept(gettext_noop("项目调度报告重新开放"))
            current.delete()
        return
    if current is None:
        current = ProjectInvestment(project=project, year=year, month=month, amount=total, updated_by=user)
        current._history_user = user
        current._change_reason = kept(gettext_noop("项目调度报告审核"))
        try:
            with transaction.atomic():  # a savepoint: the insert may meet the province's figure of the month
                current.save()
            return
        except IntegrityError:
            # The province's sync (investment_import, which does not queue with approvals) inserted the month's
            # figure meanwhile: updated to the approved reports' sum, as when the approval comes after it.
            current = ProjectInvestment.objects.select_for_update().get(project=project, year=year, month=month)
    if current.amount == total:
        return
    current.amount, current.updated_by = total, user
    current._history_user = user
    current._change_reason = kept(gettext_noop("项目调度报告审核"))
    current.save()
