"""Evaluation schemes versioned by year (provincial, national, the prefecture's own 综合考评), their weighted
sub-indicators, and each zone's result with its sub-scores."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SchemeKind(models.TextChoices):
    """Whose evaluation a scheme version is: the two outside evaluations and the prefecture's own."""

    PROVINCIAL = "provincial", _("全省开发区高质量发展评价")
    NATIONAL = "national", _("国家高新区综合评价")
    PREFECTURE = "prefecture", _("州开发区年度综合考评")


PREFECTURE_PURPOSE = "干部选拔、职级晋升的重要依据"


class SchemeVersion(models.Model):
    """One year's version of an evaluation scheme: its weighted sub-indicators and its results."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    kind = models.CharField(_("评价体系"), max_length=12, choices=SchemeKind.choices)
    year = models.PositiveSmallIntegerField(_("评价年度"))
    title = models.CharField(_("方案名称"), max_length=100)
    total_is_weighted_sum = models.BooleanField(
        _("总分等于各分项加权得分之和"),
        default=True,
        help_text=_("勾选后，导入的总分与加权合计不一致时标记为待复核。"),
    )
    purpose = models.CharField(_("结果用途"), max_length=100, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("评价方案")
        verbose_name_plural = _("评价方案")
        ordering = ["kind", "-year"]
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="scheme_version_unique_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation-scheme", args=[self.kind, self.year])


class SubIndicator(models.Model):
    """A weighted sub-indicator of one scheme version (weights in points out of 100)."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("越高越好")
        LOWER = "lower", _("越低越好")

    class Method(models.TextChoices):
        MANUAL = "manual", _("人工评分")
        IMPORTED = "imported", _("导入得分")
        TARGETS_MET = "targets_met", _("指标达标率（平台计算）")
        REPORTS_ON_TIME = "reports_on_time", _("调度按时报送率（平台计算）")
        WORK_ITEMS = "work_items", _("重点工作事项按时完成率（平台计算）")

    scheme = models.ForeignKey(
        SchemeVersion, verbose_name=_("评价方案"), on_delete=models.CASCADE, related_name="sub_indicators"
    )
    group = models.CharField(_("分组"), max_length=30)
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    weight = models.DecimalField(_("权重（分）"), max_digits=6, decimal_places=2)
    method = models.CharField(_("评分方式"), max_length=16, choices=Method.choices, default=Method.IMPORTED)
    feeds = models.ManyToManyField(
        "indicators.Indicator", verbose_name=_("对应的行动方案指标"), blank=True, related_name="sub_indicators"
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评价分项")
        verbose_name_plural = _("评价分项")
        ordering = ["scheme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="sub_indicator_unique_code"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="sub_indicator_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.name}"


class EvaluationResult(models.Model):
    """A zone's result in one scheme version. Zones outside the prefecture are kept by code and name only."""

    class Review(models.TextChoices):
        NONE = "", _("无")
        TOTAL_MISMATCH = "total_mismatch", _("总分与加权合计不一致")

    scheme = models.ForeignKey(
        SchemeVersion, verbose_name=_("评价方案"), on_delete=models.CASCADE, related_name="results"
    )
    zone_code = models.SlugField(_("开发区代码"), max_length=40)
    zone_name = models.CharField(_("开发区名称"), max_length=60)
    zone = models.ForeignKey(
        "parks.Zone",
        verbose_name=_("开发区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation_results",
    )
    stated_total = models.DecimalField(_("公布总分"), max_digits=8, decimal_places=2, null=True, blank=True)
    stated_rank = models.PositiveSmallIntegerField(_("公布排名"), null=True, blank=True)
    total = models.DecimalField(_("总分"), max_digits=8, decimal_places=2, null=True, blank=True)
    weighted_sum = models.DecimalField(_("加权合计"), max_digits=8, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("排名"), null=True, blank=True)
    funding_awarded = models.BooleanField(_("获省级资金补助"), default=False)
    review = models.CharField(_("待复核"), max_length=16, choices=Review.choices, blank=True, default="")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评价结果")
        verbose_name_plural = _("评价结果")
        ordering = ["scheme", "rank", "zone_code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "zone_code"], name="evaluation_result_unique_zone"),
        ]

    def __str__(self) -> str:
        return f"{self.zone_name} {self.scheme}"


class SubScore(models.Model):
    """One sub-indicator of one result: the value, the score (0–100) and, where published, the rank."""

    class Source(models.TextChoices):
        IMPORTED = "imported", _("导入")
        COMPUTED = "computed", _("平台计算")
        MANUAL = "manual", _("人工评分")

    result = models.ForeignKey(
        EvaluationResult, verbose_name=_("评价结果"), on_delete=models.CASCADE, related_name="sub_scores"
    )
    sub_indicator = models.ForeignKey(
        SubIndicator, verbose_name=_("评价分项"), on_delete=models.CASCADE, related_name="sub_scores"
    )
    value = models.DecimalField(_("指标值"), max_digits=18, decimal_places=4, null=True, blank=True)
    score = models.DecimalField(_("得分（百分制）"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("分项排名"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.IMPORTED)
    scorer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评分人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("评分理由"), blank=True)
    inputs = models.JSONField(_("计算依据"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("分项得分")
        verbose_name_plural = _("分项得分")
        ordering = ["result", "sub_indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["result", "sub_indicator"], name="sub_score_unique_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.result} {self.sub_indicator}: {self.score}"
