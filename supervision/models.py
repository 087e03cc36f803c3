"""The yearly responsibility cycle: letters (责任书), task lists (重点工作任务清单), supervision items (督办单).

A responsible body (责任主体) is one of: a prefecture unit (tasks.Department), a zone's management committee
(parks.Zone) or a county government (parks.County). `BodyModel` holds exactly one of the three.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .storage import private_storage


def body_constraint(prefix: str) -> models.CheckConstraint:
    one = (
        Q(department__isnull=False, zone__isnull=True, county__isnull=True)
        | Q(department__isnull=True, zone__isnull=False, county__isnull=True)
        | Q(department__isnull=True, zone__isnull=True, county__isnull=False)
    )
    return models.CheckConstraint(condition=one, name=f"{prefix}_one_body")


class BodyModel(models.Model):
    department = models.ForeignKey(
        "tasks.Department",
        verbose_name=_("州级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    zone = models.ForeignKey(
        "parks.Zone", verbose_name=_("园区管委会"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        "parks.County",
        verbose_name=_("县市人民政府"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def body(self):
        return self.department or self.zone or self.county

    @property
    def body_name(self) -> str:
        if self.zone_id:
            return _("%(zone)s管委会") % {"zone": self.zone.name}
        if self.county_id:
            return _("%(county)s人民政府") % {"county": self.county.name}
        return str(self.department)


class ResponsibilityLetter(models.Model):
    """年度目标任务责任书 between the prefecture government and one zone's management committee."""

    zone = models.ForeignKey("parks.Zone", verbose_name=_("开发区"), on_delete=models.PROTECT, related_name="letters")
    year = models.PositiveSmallIntegerField(_("年度"))
    prefecture_signatory = models.CharField(_("州人民政府签署人"), max_length=60, blank=True)
    zone_signatory = models.CharField(_("管委会签署人"), max_length=60, blank=True)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    scan = models.ForeignKey(
        "EvidenceFile", verbose_name=_("签字扫描件"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    # Every signing recorded stays (`selectors.letter_signings`): a correction keeps the earlier one, scan and all.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度目标任务责任书")
        verbose_name_plural = _("年度目标任务责任书")
        ordering = ["year", "zone__order"]
        constraints = [models.UniqueConstraint(fields=["zone", "year"], name="letter_unique_zone_year")]

    def __str__(self) -> str:
        return _("%(zone)s %(year)s年度目标任务责任书") % {"zone": self.zone, "year": self.year}

    def get_absolute_url(self) -> str:
        return reverse("letter-detail", args=[self.pk])


class LetterTarget(models.Model):
    """One of a letter's targets: the plan's target for the year, with the letter's own values where they differ."""

    letter = models.ForeignKey(
        ResponsibilityLetter, verbose_name=_("责任书"), on_delete=models.CASCADE, related_name="targets"
    )
    target = models.ForeignKey(
        "indicators.Target", verbose_name=_("方案目标"), on_delete=models.PROTECT, related_name="+"
    )
    committed_value = models.DecimalField(_("责任书约束值"), max_digits=18, decimal_places=4, null=True, blank=True)
    stretch_value = models.DecimalField(_("责任书力争值"), max_digits=18, decimal_places=4, null=True, blank=True)
    note = models.CharField(_("差异说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("责任书目标")
        verbose_name_plural = _("责任书目标")
        ordering = ["target__indicator__task__number", "target__indicator__order"]
        constraints = [models.UniqueConstraint(fields=["letter", "target"], name="letter_target_unique")]

    def __str__(self) -> str:
        return f"{self.letter} · {self.target.indicator}"

    @property
    def differs(self) -> bool:
        return self.committed_value != self.target.committed_value or self.stretch_value != self.target.stretch_value


class TaskList(models.Model):
    """重点工作任务清单 of one year: drafted (a copy of last year's), adjusted, then adopted."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草案")
        ADOPTED = "adopted", _("已印发")

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("沿用自"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_on = models.DateField(_("印发日期"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("印发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("重点工作任务清单")
        verbose_name_plural = _("重点工作任务清单")
        ordering = ["year"]

    def __str__(self) -> str:
        return _("%(year)s年重点工作任务清单") % {"year": self.year}

    def get_absolute_url(self) -> str:
        return reverse("tasklist-detail", args=[self.year])


class WorkItem(BodyModel):
    """A work item of a year's list: what is to be done for a plan task, by whom, by when, proved by what."""

    class Status(models.TextChoices):
        OPEN = "open", _("推进中")
        DONE = "done", _("已完成")
        NOT_DONE = "not_done", _("未完成")

    task_list = models.ForeignKey(TaskList, verbose_name=_("清单"), on_delete=models.CASCADE, related_name="items")
    task = models.ForeignKey(
        "tasks.Task", verbose_name=_("方案任务"), on_delete=models.PROTECT, related_name="work_items"
    )
    title = models.CharField(_("工作事项"), max_length=300)
    co_departments = models.ManyToManyField(
        "tasks.Department", verbose_name=_("配合单位"), blank=True, related_name="co_work_items"
    )
    due_date = models.DateField(_("完成时限"))
    evidence_required = models.CharField(_("佐证材料"), max_length=300)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    result = models.TextField(_("年度完成情况"), blank=True)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("上年事项"), null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作事项")
        verbose_name_plural = _("工作事项")
        ordering = ["task_list__year", "task__number", "order", "id"]
        constraints = [body_constraint("workitem")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workitem-detail", args=[self.pk])


class WorkReport(models.Model):
    """A body's report on one of its work items: staff file it, the body's reviewer approves or returns it."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")
        APPROVED = "approved", _("已审核")
        RETURNED = "returned", _("已退回")

    class Progress(models.TextChoices):
        IN_PROGRESS = "in_progress", _("推进中")
        DONE = "done", _("已完成")
        DELAYED = "delayed", _("滞后")

    work_item = models.ForeignKey(
        WorkItem, verbose_name=_("工作事项"), on_delete=models.CASCADE, related_name="reports"
    )
    progress = models.CharField(_("推进情况"), max_length=12, choices=Progress.choices)
    text = models.TextField(_("工作进展"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)

    class Meta:
        verbose_name = _("工作事项报告")
        verbose_name_plural = _("工作事项报告")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.work_item} · {self.submitted_at:%Y-%m-%d}"


class SupervisionItemQuerySet(models.QuerySet):
    def overdue(self, today) -> "SupervisionItemQuerySet":
        """The items the pages mark 逾期 on `today` (`rules.is_overdue`), in SQL: past the deadline and waiting for
        their body, that is neither closed nor answered by the deadline."""
        state = SupervisionItem.State
        return (
            self.filter(deadline__lt=today)
            .exclude(state=state.CLOSED)
            .exclude(state=state.ANSWERED, answered_on__lte=models.F("deadline"))
        )

    def awaiting_body(self) -> "SupervisionItemQuerySet":
        """The items whose body has to act: issued and not answered yet, or returned to it. An answered item waits
        for the office (办结 or 退回), a closed one for no one."""
        return self.filter(state__in=(SupervisionItem.State.ISSUED, SupervisionItem.State.RETURNED))


class SupervisionItem(BodyModel):
    """督办单: an instruction from the office to a body, followed to closure.

    The source is a kind (a code) plus, where it has one, the row it came from (generic: a flag, a target,
    a work item, a report, later an evaluation's 整改 item) so new sources need no new column.
    """

    class Source(models.TextChoices):
        FLAG = "flag", _("问责提示")
        RED_TARGET = "red_target", _("滞后目标")
        OVERDUE_WORK_ITEM = "overdue_work_item", _("逾期工作事项")
        REPORT_PROBLEM = "report_problem", _("报告反映的问题")
        INSTRUCTION = "instruction", _("领导批示")
        EVALUATION_GAP = "evaluation_gap", _("评价差距整改")

    class State(models.TextChoices):
        ISSUED = "issued", _("已交办")
        ANSWERED = "answered", _("已反馈")
        RETURNED = "returned", _("已退回")
        CLOSED = "closed", _("已办结")

    class Assessment(models.TextChoices):
        ON_TIME = "on_time", _("按时办结")
        LATE = "late", _("逾期办结")
        NOT_DONE = "not_done", _("办结但未落实")  # closed by the office without the matter carried out

    number = models.CharField(_("督办编号"), max_length=30, unique=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    source_type = models.ForeignKey(
        ContentType, verbose_name=_("来源对象类型"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(_("来源对象"), null=True, blank=True)
    source_object = GenericForeignKey("source_type", "source_id")
    source_text = models.CharField(_("来源说明"), max_length=300, blank=True)
    # What the source was when the item was opened, worded on each page in the reader's language (`source_shown`).
    # A 整改 (source "evaluation gap") holds GAP_FACTS; other sources hold nothing and keep the office's words.
    source_facts = models.JSONField(_("来源要素"), default=dict, blank=True)
    requirement = models.TextField(_("督办要求"))
    issued_on = models.DateField(_("交办日期"))
    deadline = models.DateField(_("办理时限"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ISSUED)
    assessment = models.CharField(_("评价"), max_length=10, choices=Assessment.choices, blank=True)
    # The day the answer that stands was first given: a supplement keeps it, a new answer after a return starts it.
    answered_on = models.DateField(_("反馈日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("交办人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = SupervisionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering = ["-issued_on", "-id"]
        constraints = [
            body_constraint("supervision"),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("issued_on")), name="supervision_deadline_after_issue"
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"{self.number} · {self.body_name}"

    def get_absolute_url(self) -> str:
        return reverse("supervision-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state != self.State.CLOSED

    @property
    def source_shown(self) -> str:
        """The source's details in the reader's language: a 整改's are worded from its facts (GAP_FACTS); what the
        office typed for any other source, or where the facts are not whole, is shown as typed."""
        facts = self.source_facts
        needed = ("year", "scheme", "zone", "group", "name")
        if (
            self.source != self.Source.EVALUATION_GAP
            or not isinstance(facts, dict)
            or not all(isinstance(facts.get(key), (str, int)) for key in needed)
        ):
            return self.source_text  # no facts (or not a 整改's whole set): what was written
        text = gettext("%(year)s年%(scheme)s · %(zone)s · %(group)s · %(name)s") % {
            "year": facts["year"],
            "scheme": gettext(facts["scheme"]),
            "zone": facts["zone"],
            "group": facts["group"],
            "name": facts["name"],
        }
        if facts.get("lost") is not None:
            text += gettext("（失分%(lost)s分）") % {"lost": facts["lost"]}
        return text


# The facts of a 整改 item's source (evaluations.services.rectification_open): the evaluation's year and its name
# (the catalogue message, in the portal's own language), the zone, the sub-indicator's group and name as the scheme
# has them, and the points lost against the benchmark the office chose (a decimal string, or absent).
GAP_FACTS = ("year", "scheme", "zone", "group", "name", "lost")


# The sources whose item follows up one row and is listed on that row's page: a flag's (问责提示, its 交办督办单), a
# red target's (滞后目标, the target's page), an overdue work item's (逾期工作事项), a dispatch report's problems
# (报告反映的问题) and an evaluation's weak sub-score's (评价差距整改, the gap page's 整改). Such an item is issued from
# that page and points at the row; without it the item would belong to no page. The hand form does not offer them;
# the service refuses them without their row.
SOURCES_OF_A_ROW = frozenset(
    {
        SupervisionItem.Source.FLAG,
        SupervisionItem.Source.RED_TARGET,
        SupervisionItem.Source.OVERDUE_WORK_ITEM,
        SupervisionItem.Source.REPORT_PROBLEM,
        SupervisionItem.Source.EVALUATION_GAP,
    }
)


# A reminder's words when the office gives none, kept in the portal's own language (services.supervision_remind).
REMINDER_WORDS = gettext_noop("该督办单已超过办理时限，请抓紧办理并反馈。")


class SupervisionStep(models.Model):
    """One dated step of a supervision item's trail: 交办, 反馈, 催办, 退回, 办结. Steps are never changed."""

    class Kind(models.TextChoices):
        ISSUE = "issue", _("交办")
        ANSWER = "answer", _("反馈")
        REMIND = "remind", _("催办")
        RETURN = "return", _("退回")
        CLOSE = "close", _("办结")

    item = models.ForeignKey(SupervisionItem, verbose_name=_("督办单"), on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("环节"), max_length=10, choices=Kind.choices)
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("时间"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("内容"), blank=True)
    progress_pct = models.PositiveSmallIntegerField(_("完成进度（%）"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办环节")
        verbose_name_plural = _("督办环节")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item.number} · {self.get_kind_display()} · {self.on}"

    @property
    def text_shown(self) -> str:
        """The step's words in the reader's language when they are the portal's own (a reminder's default, a 办结's
        assessment); what a person wrote, as written."""
        if self.text == REMINDER_WORDS:
            return gettext(self.text)
        if self.kind == self.Kind.CLOSE and (assessment := assessment_named(self.text)):
            return str(assessment.label)
        return self.text


def assessment_named(text: str) -> SupervisionItem.Assessment | None:
    """The assessment `text` is the label of, in any of the portal's languages. A 办结 without words keeps its
    assessment's label in the portal's own language (services.supervision_close); older ones kept it in the
    closer's language, so an English label is recognised too."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for assessment in SupervisionItem.Assessment:
                if text == str(assessment.label):
                    return assessment
    return None


class EvidenceFile(models.Model):
    """An uploaded evidence file, checked by content, kept in the private storage (never under /media/)."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        IMAGE = "image", _("图片")
        WORD = "word", "Word"
        EXCEL = "excel", "Excel"

    file = models.FileField(_("文件"), storage=private_storage, upload_to="evidence/%Y/%m/", max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    content_type = models.CharField(_("MIME 类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    step = models.ForeignKey(
        SupervisionStep,
        verbose_name=_("督办环节"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    work_report = models.ForeignKey(
        WorkReport,
        verbose_name=_("工作事项报告"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("evidence-download", args=[self.pk])
