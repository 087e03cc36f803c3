from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _

from chuxiong_portal.words import bracketed


class Plan(models.Model):
    """A plan (实施方案) the portal runs: its years, its status and its text.

    Programmes, tasks, indicators, obligations and reporting periods belong to a plan;
    zones, counties, units, clusters and provincial rankings are shared by all plans.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草案")
        IN_FORCE = "in_force", _("执行中")
        CLOSING = "closing", _("收尾中")
        CLOSED = "closed", _("已结束")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    issuing_body = models.CharField(_("印发机关"), max_length=200, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("基数年"))
    first_year = models.PositiveSmallIntegerField(_("起始年"))
    last_year = models.PositiveSmallIntegerField(_("截止年"))
    goal_year = models.PositiveSmallIntegerField(_("目标年"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    source_text = models.TextField(_("方案原文"), blank=True)
    # Set by the demo loader (tools/demo.py), cleared with its rows: every page then says its figures are synthetic.
    holds_demo = models.BooleanField(_("含演示数据"), default=False)

    class Meta:
        verbose_name = _("方案")
        verbose_name_plural = _("方案")
        ordering = ["first_year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(baseline_year__lt=models.F("first_year"))
                & models.Q(first_year__lte=models.F("last_year"))
                & models.Q(goal_year__gte=models.F("first_year")),
                name="plan_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def start(self) -> date:
        return date(self.first_year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.last_year, 12, 31)

    @property
    def years(self) -> range:
        """The plan's years, from the first to the last."""
        return range(self.first_year, self.last_year + 1)

    def phase_on(self, day: date) -> str:
        """Where ``day`` falls in the plan's calendar: "before", "running" (first to last year) or "ended"."""
        if day < self.start:
            return "before"
        return "running" if day <= self.end else "ended"

    def year_nearest(self, year: int) -> int:
        """``year`` if it is one of the plan's years, else the plan's first or last year, whichever is nearer."""
        return min(max(year, self.first_year), self.last_year)

    def closes_with(self, period) -> bool:
        """Whether ``period`` (anything with an ``end`` date) is one of the plan's final periods: it ends with the
        plan. Only such a period is named the plan's final one, even after the plan has ended."""
        return period.end >= self.end

    @property
    def period_years(self) -> range:
        """The years the plan has reporting periods for: the baseline year and the plan's years."""
        return range(self.baseline_year, self.last_year + 1)


class Programme(models.Model):
    """One of a plan's programmes (工程)."""

    plan = models.ForeignKey(Plan, verbose_name=_("方案"), on_delete=models.PROTECT, related_name="programmes")
    number = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("工程")
        verbose_name_plural = _("工程")
        ordering = ["plan_id", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="programme_unique_number")]

    def __str__(self) -> str:
        return self.name

    @property
    def numeral(self) -> str:
        """The programme's number as the plan writes it: 三 for （三）实施主导产业壮大工程 (3 in another language)."""
        return plan_numeral(self.number)


class Department(models.Model):
    """A responsible unit (责任单位).

    Prefecture units are the 30 named ones; the county bodies (县市党委, 县市人民政府)
    and the zones' management committees (楚雄国家高新区和各产业园区) are modelled as
    units of their own kinds, because the plan assigns every task to them too.
    """

    class Kind(models.TextChoices):
        PREFECTURE = "prefecture", _("州级单位")
        COUNTY = "county", _("县市")
        ZONES = "zones", _("园区管委会")

    slug = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    other_names = models.JSONField(_("加挂名称"), default=list, blank=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.PREFECTURE)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        ordering = ["kind", "order", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("department-detail", args=[self.slug])


class Task(models.Model):
    """One of a plan's tasks (26 in the 2023–2025 plan), identified by its number within the plan."""

    plan = models.ForeignKey(Plan, verbose_name=_("方案"), on_delete=models.PROTECT, related_name="tasks")
    number = models.PositiveSmallIntegerField(_("序号"))
    programme = models.ForeignKey(Programme, verbose_name=_("工程"), on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(_("任务"), max_length=100)
    text = models.TextField(_("原文"))
    responsibility_text = models.TextField(_("责任单位原文"), blank=True)
    departments = models.ManyToManyField(
        Department, through="Responsibility", verbose_name=_("责任单位"), related_name="tasks"
    )

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["plan_id", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="task_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("task-detail", args=[self.number])

    def clean(self) -> None:
        # A task's programme is one of its own plan's: the admin lists every plan's programmes.
        if self.plan_id and self.programme_id and self.programme.plan_id != self.plan_id:
            words = {"programme": self.programme.name, "plan": self.programme.plan.title}
            raise ValidationError(
                {"programme": gettext("工程“%(programme)s”属于《%(plan)s》：任务只能归入本方案的工程。") % words}
            )


class Responsibility(models.Model):
    """A unit's place in a task's responsibility list, in the plan's order.

    `acting_as` keeps the second name a unit acts under for this task, e.g.
    州财政局（州国资委） is the finance bureau acting as the state-assets commission.
    """

    class Role(models.TextChoices):
        LEAD = "lead", _("牵头单位")
        CO = "co", _("配合单位")
        COUNTY = "county", _("属地县市")
        ZONES = "zones", _("园区")

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="responsibilities")
    department = models.ForeignKey(
        Department, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="responsibilities"
    )
    position = models.PositiveSmallIntegerField(_("排序"))
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices)
    acting_as = models.JSONField(_("以何名义"), default=list, blank=True)

    class Meta:
        verbose_name = _("责任分工")
        verbose_name_plural = _("责任分工")
        ordering = ["task__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["task", "department"], name="responsibility_unique_unit"),
            models.UniqueConstraint(fields=["task", "position"], name="responsibility_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.task.number} · {self.display_name}"

    @property
    def display_name(self) -> str:
        """The unit's name exactly as the plan writes it for this task."""
        return display_name(self.department.name, self.acting_as)

    @property
    def reader_name(self) -> str:
        return reader_name(self.department.name, self.acting_as)


def display_name(name: str, acting_as: list[str]) -> str:
    """A unit's name as the plan writes it for one task, with the names it acts under there: 州财政局（州国资委）."""
    return f"{name}（{'、'.join(acting_as)}）" if acting_as else name


def reader_name(name: str, acting_as: list[str]) -> str:
    """`display_name` as a page shows it: the names as the plan writes them, the brackets and the list in the
    reader's language (州财政局（州国资委、州金融办） in Chinese, 州财政局 (州国资委, 州金融办) in English). The API and
    the admin keep the plan's own form."""
    if not acting_as:
        return name
    return bracketed(name, gettext("、").join(acting_as))


class Safeguard(models.Model):
    """A section of the plan's 保障措施 (三、保障措施), which has checkable items of its own."""

    plan = models.ForeignKey(Plan, verbose_name=_("方案"), on_delete=models.PROTECT, related_name="safeguards")
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=40)
    text = models.TextField(_("原文"), blank=True)

    class Meta:
        verbose_name = _("保障措施")
        verbose_name_plural = _("保障措施")
        ordering = ["plan_id", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="safeguard_unique_number")]

    def __str__(self) -> str:
        words = {"numeral": plan_numeral(self.number), "title": self.title}
        return pgettext("safeguard heading", "（%(numeral)s）%(title)s") % words


def plan_numeral(number: int) -> str:
    """The plan numbers its programmes and safeguards （一）…（六）; a reader in another language reads (1)…(6)."""
    chinese = (get_language() or "").startswith("zh")
    return "一二三四五六七八九"[number - 1] if chinese and 1 <= number <= 9 else str(number)
