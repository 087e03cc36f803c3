"""Key projects (重大项目): the reserve pool, the yearly list with its 倒排工期 baseline, biweekly project reports.

Amounts are in 万元. A project's stage moves 储备 → 签约 → 落地 → 开工 → 投产/竣工, or to 退出 with a reason;
the actual date of each stage reached is kept on the project. Every change is kept with who, when and why
(django-simple-history), which is the plan's 「动态调整」.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from indicators.models import DispatchReport


class Stage(models.TextChoices):
    RESERVE = "reserve", _("储备")
    SIGNED = "signed", _("签约")
    LANDED = "landed", _("落地（供地）")
    STARTED = "started", _("开工")
    COMPLETED = "completed", _("投产/竣工")
    EXITED = "exited", pgettext_lazy("project stage", "退出")


# The stages in order, and the project field holding the actual date each was reached.
STAGE_ORDER = (Stage.RESERVE, Stage.SIGNED, Stage.LANDED, Stage.STARTED, Stage.COMPLETED)
STAGE_DATE_FIELDS = {
    Stage.SIGNED: "signed_on",
    Stage.LANDED: "landed_on",
    Stage.STARTED: "started_on",
    Stage.COMPLETED: "completed_on",
}


# A project's history, named so that a write which also sets the tasks or units records it once, after them
# (`projects.services.project_insert`): the m2m history alone adds a record of its own for each relation set.
PROJECT_HISTORY = HistoricalRecords(m2m_fields=["tasks", "units"])


class Project(models.Model):
    class Kind(models.TextChoices):
        INDUSTRIAL = "industrial", _("产业项目")
        INVESTMENT = "investment", _("招商引资项目")
        INFRASTRUCTURE = "infrastructure", _("基础设施项目")

    class CapitalOrigin(models.TextChoices):
        NONE = "", _("—")
        OUTSIDE = "outside", _("州外")
        FOREIGN = "foreign", _("外资")

    code = models.SlugField(_("项目编号"), max_length=40, unique=True)
    name = models.CharField(_("项目名称"), max_length=120)
    zone = models.ForeignKey(
        "parks.Zone", verbose_name=_("所在开发区"), on_delete=models.PROTECT, related_name="projects"
    )
    area = models.CharField(_("所在片区"), max_length=60, blank=True)
    cluster = models.ForeignKey(
        "parks.IndustryCluster",
        verbose_name=_("产业集群"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    chain = models.CharField(_("产业链"), max_length=60, blank=True)
    tasks = models.ManyToManyField("tasks.Task", verbose_name=_("服务的方案任务"), blank=True, related_name="projects")
    kind = models.CharField(_("项目类型"), max_length=16, choices=Kind.choices, default=Kind.INDUSTRIAL)
    total_investment = models.DecimalField(_("总投资（万元）"), max_digits=14, decimal_places=2)
    lead_unit = models.ForeignKey(
        "tasks.Department",
        verbose_name=_("牵头责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    units = models.ManyToManyField(
        "tasks.Department", verbose_name=_("配合责任单位"), blank=True, related_name="projects"
    )
    lead_person = models.CharField(_("责任人"), max_length=40, blank=True)
    leader_in_charge = models.CharField(_("包挂领导"), max_length=40, blank=True)
    enterprise = models.CharField(_("业主单位（企业）"), max_length=100, blank=True)
    stage = models.CharField(_("项目阶段"), max_length=12, choices=Stage.choices, default=Stage.RESERVE)
    exit_reason = models.TextField(_("退出原因"), blank=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    landed_on = models.DateField(_("落地（供地）日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    completed_on = models.DateField(_("投产/竣工日期"), null=True, blank=True)
    signed_amount = models.DecimalField(_("签约金额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    capital_in_place = models.DecimalField(
        _("到位资金（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    capital_origin = models.CharField(_("资金来源"), max_length=10, choices=CapitalOrigin.choices, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)
    history = PROJECT_HISTORY

    class Meta:
        verbose_name = _("重点项目")
        verbose_name_plural = _("重点项目")
        ordering = ["zone__order", "code"]
        indexes = [models.Index(fields=["updated_at", "id"])]
        constraints = [
            models.CheckConstraint(condition=Q(total_investment__gt=0), name="project_total_positive"),
            models.CheckConstraint(condition=~Q(stage="exited") | ~Q(exit_reason=""), name="project_exit_reason"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("project-detail", args=[self.code])

    def stage_date(self, stage: str):
        name = STAGE_DATE_FIELDS.get(stage)
        return getattr(self, name) if name else None


class Listing(models.Model):
    """A project on the 年度重点项目建设清单 of one year, with the year's investment plan."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="listings")
    year = models.PositiveSmallIntegerField(_("年度"))
    planned_investment = models.DecimalField(_("年度计划投资（万元）"), max_digits=14, decimal_places=2)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("列入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adopted_at = models.DateTimeField(_("列入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度重点项目")
        verbose_name_plural = _("年度重点项目建设清单")
        ordering = ["-year", "project__zone__order", "project__code"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="listing_unique_project_year")]

    def __str__(self) -> str:
        return f"{self.year} · {self.project}"


class Milestone(models.Model):
    """A 倒排工期 baseline date of a listed project: a stage, or a milestone such as 供地, 环评, 七通一平.

    Stage milestones take their actual date from the project; the others carry it here. Changes to
    `planned_on` after adoption are baseline changes, kept in the history with their reason.
    """

    class Kind(models.TextChoices):
        SIGNED = "signed", _("签约")
        LAND = "land", _("供地")
        EIA = "eia", _("环评批复")
        SITE = "site", _("七通一平")
        STARTED = "started", _("开工")
        STRUCTURE = "structure", _("主体完工")
        COMPLETED = "completed", _("投产/竣工")

    listing = models.ForeignKey(
        Listing, verbose_name=_("年度清单项目"), on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(_("节点"), max_length=12, choices=Kind.choices)
    planned_on = models.DateField(_("计划完成日期"))
    actual_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    baseline_changes = models.PositiveSmallIntegerField(_("基线调整次数"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("倒排工期节点")
        verbose_name_plural = _("倒排工期节点")
        ordering = ["listing", "planned_on"]
        constraints = [models.UniqueConstraint(fields=["listing", "kind"], name="milestone_unique_kind")]

    def __str__(self) -> str:
        return f"{self.listing} · {self.get_kind_display()}"


# Milestones that are stages: their actual date is the project's.
MILESTONE_STAGES = {
    Milestone.Kind.SIGNED: Stage.SIGNED,
    Milestone.Kind.LAND: Stage.LANDED,
    Milestone.Kind.STARTED: Stage.STARTED,
    Milestone.Kind.COMPLETED: Stage.COMPLETED,
}
# Milestones that a later stage cannot be reached without: a project under construction has had its 环评 and
# 七通一平, one in production its 主体完工 — by that stage's date at the latest, whether or not it was recorded.
MILESTONE_DONE_BY_STAGE = {
    Milestone.Kind.EIA: Stage.STARTED,
    Milestone.Kind.SITE: Stage.STARTED,
    Milestone.Kind.STRUCTURE: Stage.COMPLETED,
}


class ProjectInvestment(models.Model):
    """Investment completed by a project in one month (万元): from approved reports, or the sync API."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="investments")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    amount = models.DecimalField(_("完成投资（万元）"), max_digits=14, decimal_places=2)
    note = models.TextField(_("说明"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目月度完成投资")
        verbose_name_plural = _("项目月度完成投资")
        ordering = ["project", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="investment_unique_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="investment_month_range"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="investment_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.year}-{self.month:02d}: {self.amount}"


class ProjectReport(models.Model):
    """A biweekly project dispatch report. Same workflow, states, locking and rights as DispatchReport.

    Filed either by the lead unit (`department`) or by the zone's statistician (`zone`), exactly one of
    them, so that indicators.reporting.permissions decides who edits and who reviews as for the indicator reports.
    """

    State = DispatchReport.State

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(
        "indicators.ReportingPeriod", verbose_name=_("调度期"), on_delete=models.PROTECT, related_name="project_reports"
    )
    department = models.ForeignKey(
        "tasks.Department",
        verbose_name=_("填报单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_reports",
    )
    zone = models.ForeignKey(
        "parks.Zone",
        verbose_name=_("填报园区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_reports",
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=DispatchReport.State.choices, default=DispatchReport.State.PENDING
    )
    investment_period = models.DecimalField(
        _("本期完成投资（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    investment_to_date = models.DecimalField(
        _("累计完成投资（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    image_progress = models.TextField(_("形象进度"), blank=True)
    stage_reached = models.CharField(_("达到阶段"), max_length=12, choices=Stage.choices, blank=True)
    stage_reached_on = models.DateField(_("达到阶段日期"), null=True, blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    coordination = models.TextField(_("需协调事项"), blank=True)
    coordination_unit = models.ForeignKey(
        "tasks.Department",
        verbose_name=_("协调单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordination_requests",
    )
    coordination_answer = models.TextField(_("协调答复"), blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    reopen_reason = models.TextField(_("重新开放原因"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
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
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目调度报告")
        verbose_name_plural = _("项目调度报告")
        ordering = ["-period__start", "project__code"]
        indexes = [models.Index(fields=["updated_at", "id"])]
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="project_report_unique_period"),
            models.CheckConstraint(
                condition=Q(department__isnull=False, zone__isnull=True)
                | Q(department__isnull=True, zone__isnull=False),
                name="project_report_department_or_zone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("project-report-detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.APPROVED

    @property
    def is_editable(self) -> bool:
        return self.state in {self.State.PENDING, self.State.DRAFT, self.State.RETURNED}
