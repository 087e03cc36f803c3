"""What is measured and what is reported: indicators and targets, periods, obligations, dispatch reports and their
values, area figures, data-quality warnings and bulletin numbers."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.reporting.period_names import period_name
from tasks.models import Plan


class Cadence(models.TextChoices):
    BIWEEKLY = "biweekly", _("双周")
    MONTHLY = "monthly", _("月度")
    QUARTERLY = "quarterly", _("季度")
    HALF_YEARLY = "half_yearly", _("半年")
    YEARLY = "yearly", _("年度")


class Scope(models.TextChoices):
    ZONE = "zone", _("开发区")
    CLUSTER = "cluster", _("产业集群")
    PREFECTURE = "prefecture", _("全州")


def scope_constraints(prefix: str, fields: list[str]) -> list[models.UniqueConstraint]:
    """Uniqueness of `fields` within a scope (a zone, a cluster, or the whole prefecture).

    Partial indexes, because NULL never equals NULL in a plain unique index.
    """
    return [
        models.UniqueConstraint(fields=[*fields, "zone"], condition=Q(scope="zone"), name=f"{prefix}_unique_zone"),
        models.UniqueConstraint(
            fields=[*fields, "cluster"], condition=Q(scope="cluster"), name=f"{prefix}_unique_cluster"
        ),
        models.UniqueConstraint(fields=fields, condition=Q(scope="prefecture"), name=f"{prefix}_unique_prefecture"),
        models.CheckConstraint(
            condition=(
                Q(scope="zone", zone__isnull=False, cluster__isnull=True)
                | Q(scope="cluster", cluster__isnull=False, zone__isnull=True)
                | Q(scope="prefecture", zone__isnull=True, cluster__isnull=True)
            ),
            name=f"{prefix}_scope_consistent",
        ),
    ]


def scope_name(scope: str, zone, cluster) -> str:
    """What a scope is called on the pages: its zone's name, its cluster's, or 全州开发区. `zone` and `cluster` as the
    models or as their names (a page reading hundreds of rows as plain values)."""
    if scope == Scope.ZONE:
        return str(zone)
    if scope == Scope.CLUSTER:
        return str(cluster)
    return str(_("全州开发区"))


class ScopedModel(models.Model):
    scope = models.CharField(_("范围"), max_length=12, choices=Scope.choices, default=Scope.ZONE)
    zone = models.ForeignKey("parks.Zone", verbose_name=_("开发区"), null=True, blank=True, on_delete=models.PROTECT)
    cluster = models.ForeignKey(
        "parks.IndustryCluster", verbose_name=_("产业集群"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        abstract = True

    @property
    def scope_label(self) -> str:
        return scope_name(self.scope, self.zone, self.cluster)


class Indicator(models.Model):
    """A measurable goal of the plan, from the task that states it."""

    class Kind(models.TextChoices):
        LEVEL = "level", _("总量")
        GROWTH = "growth", _("增速")
        SHARE = "share", _("占比")
        CUMULATIVE = "cumulative", _("累计")
        MILESTONE = "milestone", _("节点")
        RECURRING = "recurring", _("常态任务")
        QUALITATIVE = "qualitative", _("定性")
        AVERAGE_GROWTH = "average_growth", _("年均增速")
        COUNT = "count", _("人数/个数")
        PART = "part", _("比率的组成数据")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("越高越好")
        LOWER = "lower", _("越低越好")

    plan = models.ForeignKey("tasks.Plan", verbose_name=_("方案"), on_delete=models.PROTECT, related_name="indicators")
    # Codes are unique across plans, so that the API and the imports name an indicator by its code alone;
    # a successor plan's indicator that carries on an earlier one has its own code and `continues` it.
    code = models.SlugField(_("代码"), max_length=50, unique=True)
    continues = models.ForeignKey(
        "self",
        verbose_name=_("延续上期方案指标"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="continued_by",
        help_text=_("本指标延续的上一期方案指标，区县页面将两期数据连成一条序列"),
    )
    name = models.CharField(_("名称"), max_length=100)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    task = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("来源任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text=_("为空时出自方案“发展目标”部分"),
    )
    source = models.CharField(_("方案出处"), max_length=60, blank=True)
    owner = models.ForeignKey(
        "tasks.Department",
        verbose_name=_("填报单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_indicators",
        help_text=_("为空时由园区统计员填报"),
    )
    cadence = models.CharField(_("填报频次"), max_length=12, choices=Cadence.choices, default=Cadence.MONTHLY)
    year_to_date = models.BooleanField(_("年内累计值"), default=False)
    min_value = models.DecimalField(_("最小值"), max_digits=18, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("最大值"), max_digits=18, decimal_places=4, null=True, blank=True)
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    safeguard = models.ForeignKey(
        "tasks.Safeguard",
        verbose_name=_("出自保障措施"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    # Rates from their parts: a share with a numerator and a denominator is computed from them where both
    # are entered; a typed-in rate is used only where they are not, and is marked as typed.
    numerator = models.ForeignKey(
        "self", verbose_name=_("分子指标"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    denominator = models.ForeignKey(
        "self", verbose_name=_("分母指标"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A growth rate the prefecture's figure of which is computed from this level summed over the zones.
    growth_of = models.ForeignKey(
        "self",
        verbose_name=_("增速所依据的总量指标"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["task__number", "order", "code"]

    def __str__(self) -> str:
        return self.name


class Target(ScopedModel):
    """A goal for one indicator in one scope and year.

    `committed_value` is what the plan says must be reached (以上/不少于),
    `stretch_value` what it strives for (力争); a milestone has 1 in one of them.
    `wording` quotes the plan verbatim; `note` is the office's reading beside it, and
    `basis` says whether the target is the plan's own or the office's breakdown of a
    collective goal.
    """

    class Basis(models.TextChoices):
        PLAN = "plan", _("方案原文")
        OFFICE = "office", _("州开发区办分解")

    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("年度"))
    committed_value = models.DecimalField(
        _("约束值（以上/不少于）"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    stretch_value = models.DecimalField(_("力争值"), max_digits=18, decimal_places=4, null=True, blank=True)
    baseline_value = models.DecimalField(_("基数年数值"), max_digits=18, decimal_places=4, null=True, blank=True)
    due_date = models.DateField(_("完成时限"), null=True, blank=True)
    required_count = models.PositiveSmallIntegerField(_("每年应完成次数"), null=True, blank=True)
    wording = models.TextField(_("方案原文"), blank=True)
    basis = models.CharField(_("依据"), max_length=8, choices=Basis.choices, default=Basis.PLAN)
    note = models.TextField(_("州开发区办的说明"), blank=True, help_text=_("平台或州开发区办的解读，不是方案原文"))
    per_half_year = models.BooleanField(_("每半年均须完成"), default=False)
    due_month = models.PositiveSmallIntegerField(_("每年应于该月底前完成"), null=True, blank=True)
    # The plan gives a direction and no number (「明显优化」「大幅提升」) for a figure it counts elsewhere: the target
    # follows the figure's trend, never judged met or missed (the engine's qualitative reading).
    trend_only = models.BooleanField(
        _("只看趋势"), default=False, help_text=_("方案只要求明显优化、大幅提升等、未给数值：显示趋势，不评定达标")
    )

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["indicator__task__number", "indicator__order", "scope", "zone__order", "cluster__order", "year"]
        constraints = scope_constraints("target", ["indicator", "year"])

    def __str__(self) -> str:
        return f"{self.indicator} · {self.scope_label} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("target-detail", args=[self.pk])


class ReportingPeriodQuerySet(models.QuerySet):
    def of_plan_years(self) -> "ReportingPeriodQuerySet":
        """The periods of their plan's own years (first to last): the dispatch periods a reader may pick. The
        baseline year's periods only hold the base values, and a later year's half-months only key-project
        reports."""
        return self.filter(year__gte=F("plan__first_year"), year__lte=F("plan__last_year"))


class ReportingPeriod(models.Model):
    """A dispatch period of one cadence of a plan, with its deadline."""

    plan = models.ForeignKey("tasks.Plan", verbose_name=_("方案"), on_delete=models.PROTECT, related_name="periods")
    cadence = models.CharField(_("频次"), max_length=12, choices=Cadence.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    index = models.PositiveSmallIntegerField(_("期次"))
    start = models.DateField(_("开始"))
    end = models.DateField(_("结束"))
    deadline = models.DateField(_("报送截止"))
    is_locked = models.BooleanField(_("已关闭"), default=False)

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("调度期")
        verbose_name_plural = _("调度期")
        ordering = ["start", "cadence"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "cadence", "year", "index"], name="period_unique_index"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_end_after_start"),
            models.CheckConstraint(condition=Q(deadline__gte=models.F("end")), name="period_deadline_after_end"),
        ]
        indexes = [models.Index(fields=["cadence", "end"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The period's name in the reader's language (2025年12月 in Chinese, 12/2025 in English)."""
        return period_name(self.cadence, self.year, self.index)


class Obligation(models.Model):
    """Who reports what, at which cadence.

    A department obligation (department + task) asks for a dispatch report on the task;
    a zone obligation (zone, no task) asks for the zone's own indicator values.
    """

    plan = models.ForeignKey("tasks.Plan", verbose_name=_("方案"), on_delete=models.PROTECT, related_name="obligations")
    department = models.ForeignKey(
        "tasks.Department",
        verbose_name=_("填报单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="obligations",
    )
    zone = models.ForeignKey(
        "parks.Zone",
        verbose_name=_("开发区"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="obligations",
    )
    task = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("任务"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="obligations",
    )
    cadence = models.CharField(_("频次"), max_length=12, choices=Cadence.choices)
    active = models.BooleanField(_("启用"), default=True)
    starts_on = models.DateField(
        _("起报日期"),
        null=True,
        blank=True,
        help_text=_(
            "只为截止日期不早于该日的调度期生成报告；留空则自方案开始。新增、重新启用或改变频次时默认为当天，"
            "以免补开此前各期并一次标为逾期。"
        ),
    )

    class Meta:
        verbose_name = _("报送责任")
        verbose_name_plural = _("报送责任")
        ordering = ["department__order", "zone__order", "task__number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False, task__isnull=False, zone__isnull=True)
                | Q(department__isnull=True, task__isnull=True, zone__isnull=False),
                name="obligation_department_task_or_zone",
            ),
            models.UniqueConstraint(fields=["department", "task", "cadence"], name="obligation_unique_department"),
            models.UniqueConstraint(
                fields=["plan", "zone", "cadence"], condition=Q(department__isnull=True), name="obligation_unique_zone"
            ),
        ]

    def __str__(self) -> str:
        who = self.department or self.zone
        what = self.task or _("园区指标")
        return f"{who} · {what} · {self.get_cadence_display()}"


class DispatchReportQuerySet(models.QuerySet):
    def counted(self) -> "DispatchReportQuerySet":
        """The reports timeliness counts (on time, late, overdue, not yet due): all but those the office waived,
        which count neither as on time nor as overdue."""
        return self.exclude(state=DispatchReport.State.WAIVED)

    def deliverable(self) -> "DispatchReportQuerySet":
        """The reports their unit still owes and can still deliver: open, in a period the office has not closed
        (已关闭: every save is refused), of a plan that makes units owe reports (in force or closing: a closed plan's
        record is complete). What the to-do page lists, reminders remind of and the overdue job marks."""
        return self.filter(self.deliverable_q())

    @staticmethod
    def deliverable_q() -> Q:
        """`deliverable` as a condition, for a page that reads it beside its other rows in one query."""
        return Q(
            state__in=(DispatchReport.State.PENDING, DispatchReport.State.DRAFT, DispatchReport.State.RETURNED),
            period__is_locked=False,
            period__plan__status__in=(Plan.Status.IN_FORCE, Plan.Status.CLOSING),
        )


class DispatchReport(models.Model):
    """What a unit reports on one task for one period, or a zone's value set for a period."""

    class State(models.TextChoices):
        PENDING = "pending", _("待填报")
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已审核")
        WAIVED = "waived", _("已免报")

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", _("未启动")
        IN_PROGRESS = "in_progress", _("推进中")
        DONE = "done", _("已完成")
        DELAYED = "delayed", _("滞后")

    department = models.ForeignKey(
        "tasks.Department",
        verbose_name=_("填报单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    zone = models.ForeignKey(
        "parks.Zone", verbose_name=_("开发区"), null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    task = models.ForeignKey(
        "tasks.Task", verbose_name=_("任务"), null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("调度期"), on_delete=models.PROTECT, related_name="reports"
    )
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.PENDING)
    progress = models.CharField(_("推进情况"), max_length=12, choices=Progress.choices, blank=True)
    progress_pct = models.PositiveSmallIntegerField(_("完成进度（%）"), null=True, blank=True)
    work_done = models.TextField(_("工作进展"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下步措施"), blank=True)
    delay_reason = models.TextField(_("滞后原因"), blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    reopen_reason = models.TextField(_("重新开放原因"), blank=True)
    waive_reason = models.TextField(_("免报原因"), blank=True)
    waived_at = models.DateTimeField(_("免报时间"), null=True, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("免报决定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    overdue_since = models.DateTimeField(_("逾期标记时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)
    history = HistoricalRecords()

    objects = DispatchReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("调度报告")
        verbose_name_plural = _("调度报告")
        ordering = ["-period__start", "task__number"]
        permissions = [
            ("review_dispatchreport", _("审核调度报告")),
            ("reopen_dispatchreport", _("重新开放已审核的调度报告")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False, task__isnull=False, zone__isnull=True)
                | Q(department__isnull=True, task__isnull=True, zone__isnull=False),
                name="report_department_task_or_zone",
            ),
            models.UniqueConstraint(
                fields=["department", "task", "period"], condition=Q(zone__isnull=True), name="report_unique_department"
            ),
            models.UniqueConstraint(
                fields=["zone", "period"], condition=Q(department__isnull=True), name="report_unique_zone"
            ),
            models.CheckConstraint(
                condition=Q(progress_pct__isnull=True) | Q(progress_pct__lte=100), name="report_pct_max_100"
            ),
        ]

    def __str__(self) -> str:
        who = self.department or self.zone
        what = f"{self.task.number}. {self.task.title}" if self.task_id else _("园区指标")
        return f"{who} · {what} · {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("report-detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.APPROVED

    @property
    def is_editable(self) -> bool:
        return self.state in {self.State.PENDING, self.State.DRAFT, self.State.RETURNED}


# Values count once their report has been submitted (or approved); drafts and returned reports are still being
# worked on, a waived report has none. Values without a report come from imports or the office.
COUNTED_STATES = (DispatchReport.State.SUBMITTED, DispatchReport.State.APPROVED)


class IndicatorValueQuerySet(models.QuerySet):
    def counted(self) -> "IndicatorValueQuerySet":
        """The values progress, dashboards and the final evaluation count (see COUNTED_STATES)."""
        return self.exclude(report__state__in=[s for s in DispatchReport.State.values if s not in COUNTED_STATES])


def keep_official(chosen: dict, key, source: str, item) -> None:
    """Put `item` under `key` in `chosen` unless a figure is there already and `item` is not the province's:
    for the same scope and period, the province's official figure wins over a unit's entry."""
    if key in chosen and source != IndicatorValue.Source.PROVINCE:
        return
    chosen[key] = item


class IndicatorValue(ScopedModel):
    """One observed value of an indicator, for a scope and period.

    `source` separates what the prefecture's units entered from the province's
    official figure; both are kept so that they can be reconciled.
    """

    class Source(models.TextChoices):
        PORTAL = "portal", _("州内填报")
        PROVINCE = "province", _("省统计系统")

    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="values")
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("调度期"), on_delete=models.PROTECT, related_name="values"
    )
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.PORTAL)
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4, null=True, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    report = models.ForeignKey(
        DispatchReport,
        verbose_name=_("所属报告"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="values",
    )
    locked = models.BooleanField(_("已锁定"), default=False)
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)  # indexed with the id (Meta.indexes)
    history = HistoricalRecords()

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("指标值")
        verbose_name_plural = _("指标值")
        ordering = ["indicator__order", "period__start"]
        constraints = scope_constraints("value", ["indicator", "period", "source"])
        indexes = [
            models.Index(fields=["updated_at", "id"]),
            # The prefecture's and the province's few figures among a province's million zone values: the partial
            # unique index of the prefecture's scope serves no query whose scope is a bound parameter (SQLite).
            models.Index(fields=["scope", "source", "indicator"], name="value_scope_source"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.scope_label} · {self.period}: {self.value}"


class SafeguardValue(IndicatorValue):
    """The values of the 保障措施 items, as the admin shows them: recorded through `safeguard_record`."""

    class Meta:
        proxy = True
        verbose_name = _("保障措施登记")
        verbose_name_plural = _("保障措施登记")


class AreaFigure(models.Model):
    """A level (output, revenue…) of an area (片区) of a zone for a period. The areas' figures add up to their
    zone's where the zone has no figure of its own for the period; one area without a figure leaves the sum
    incomplete, and the zone then has no figure (never a partial sum)."""

    area = models.ForeignKey("parks.Area", verbose_name=_("片区"), on_delete=models.CASCADE, related_name="figures")
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("指标"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "level"},
    )
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("调度期"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4)
    note = models.TextField(_("说明"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("片区数据")
        verbose_name_plural = _("片区数据")
        ordering = ["area", "indicator", "period__start"]
        constraints = [models.UniqueConstraint(fields=["area", "indicator", "period"], name="area_figure_unique")]

    def __str__(self) -> str:
        return f"{self.area} · {self.indicator} · {self.period}: {self.value}"


class DataQualityWarning(models.Model):
    """A value that breaks a check between values (as statistics systems have them).

    The value is saved all the same; the warning stays until a reviewer acknowledges it,
    and is listed on the data-quality page.
    """

    class Check(models.TextChoices):
        CLUSTER_ABOVE_ZONES = "cluster_above_zones", _("产业集群产值高于所依托园区产值之和")
        YTD_FALLS = "ytd_falls", _("年内累计值较上期下降")
        NUMERATOR_ABOVE_DENOMINATOR = "numerator_above_denominator", _("分子大于分母")
        GROWTH_INCONSISTENT = "growth_inconsistent", _("增速与两期总量不一致")

    value = models.ForeignKey(
        IndicatorValue, verbose_name=_("指标值"), on_delete=models.CASCADE, related_name="quality_warnings"
    )
    rule = models.CharField(_("校验规则"), max_length=32, choices=Check.choices)
    params = models.JSONField(_("校验依据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledgement = models.TextField(_("确认说明"), blank=True)

    class Meta:
        verbose_name = _("数据质量提示")
        verbose_name_plural = _("数据质量提示")
        ordering = ["acknowledged_at", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["value", "rule"], name="quality_warning_unique_value_rule")]

    def __str__(self) -> str:
        return f"{self.value} · {self.get_rule_display()}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class BulletinIssue(models.Model):
    """A dispatch bulletin as issued (印发) by the prefecture office: its number within the year of issue
    (第N期) and its date, given once and kept, whatever is issued or loaded afterwards."""

    period = models.OneToOneField(
        ReportingPeriod, verbose_name=_("调度期"), on_delete=models.PROTECT, related_name="bulletin_issue"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveSmallIntegerField(_("期号"))
    issued_on = models.DateField(_("印发日期"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("印发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调度通报期号")
        verbose_name_plural = _("调度通报期号")
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="bulletin_issue_unique_number")]

    def __str__(self) -> str:
        return f"{self.year}年第{self.number}期 · {self.period}"
