from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from . import reasons


class Scheme(models.TextChoices):
    PROVINCIAL = "provincial", _("全省开发区高质量发展评价")
    NATIONAL = "national", _("国家高新区综合评价")


class Evaluation(models.Model):
    """One year's evaluation: how many zones were ranked."""

    scheme = models.CharField(_("评价体系"), max_length=12, choices=Scheme.choices, default=Scheme.PROVINCIAL)
    year = models.PositiveSmallIntegerField(_("评价年度"))
    total_zones = models.PositiveSmallIntegerField(_("参评开发区数"))
    is_demo = models.BooleanField(_("演示数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["scheme", "-year"]
        constraints = [models.UniqueConstraint(fields=["scheme", "year"], name="evaluation_unique_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_scheme_display()}（{self.total_zones}）"


class Ranking(models.Model):
    """A zone's place in one evaluation (1 is best)."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("评价"), on_delete=models.CASCADE, related_name="rankings"
    )
    zone = models.ForeignKey("parks.Zone", verbose_name=_("开发区"), on_delete=models.PROTECT, related_name="rankings")
    rank = models.PositiveSmallIntegerField(_("排名"))
    score = models.DecimalField(_("得分"), max_digits=8, decimal_places=2, null=True, blank=True)
    funding_awarded = models.BooleanField(_("获省级资金补助"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("排名")
        verbose_name_plural = _("排名")
        ordering = ["evaluation", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "zone"], name="ranking_unique_zone"),
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="ranking_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.evaluation.year}: {self.rank}/{self.evaluation.total_zones}"


class Rule(models.TextChoices):
    BOTTOM_FIVE = "bottom_five", _("排名全省后5位")
    DROP_OVER_TEN = "drop_over_ten", _("退位超过10位")
    BOTTOM_FIVE_TWICE = "bottom_five_twice", _("连续2年排名全省后5位")
    NO_IMPROVEMENT = "no_improvement", _("未实现每年有提升")
    FUNDING_PRIORITY = "funding_priority", _("获省级资金补助")
    GOOD_RESULT = "good_result", _("考核结果好")


# Why a recompute withdrew a flag whose evaluation or ranking is gone (or whose year no plan runs): kept in the
# portal's language in the flag's history, worded in the reader's where shown (`selectors.flag_history`).
FLAG_REMOVED_REASON = gettext_noop("所依据的评价排名已删除或不在方案年度内")


class Flag(models.Model):
    """The result of one accountability rule for one zone and year."""

    class Outcome(models.TextChoices):
        FIRED = "fired", _("触发")
        NOT_EVALUABLE = "not_evaluable", _("无法判定")

    class State(models.TextChoices):
        OPEN = "open", _("待处理")
        ACKNOWLEDGED = "acknowledged", _("已知悉")
        RESOLVED = "resolved", _("已办结")
        WITHDRAWN = "withdrawn", _("已撤销")

    zone = models.ForeignKey("parks.Zone", verbose_name=_("开发区"), on_delete=models.PROTECT, related_name="flags")
    scheme = models.CharField(_("评价体系"), max_length=12, choices=Scheme.choices, default=Scheme.PROVINCIAL)
    year = models.PositiveSmallIntegerField(_("评价年度"))
    rule = models.CharField(_("规则"), max_length=20, choices=Rule.choices)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices, default=Outcome.FIRED)
    evidence = models.JSONField(_("依据"), default=dict)
    reason = models.TextField(_("判定说明"), blank=True)  # in Chinese: shown where the code is unknown
    reason_code = models.CharField(_("判定说明代码"), max_length=32, blank=True)
    reason_params = models.JSONField(_("判定说明参数"), default=dict, blank=True)
    consequence = models.TextField(_("处理措施"))
    responsible_party = models.CharField(_("责任主体"), max_length=100)
    state = models.CharField(_("处理状态"), max_length=14, choices=State.choices, default=State.OPEN)
    note = models.TextField(_("处理说明"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("问责提示")
        verbose_name_plural = _("问责提示")
        ordering = ["-year", "zone__order", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "scheme", "year", "rule"], name="flag_unique_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.year} {self.get_rule_display()}"

    def get_absolute_url(self) -> str:
        return reverse("flag-detail", args=[self.pk])

    @property
    def reason_words(self) -> str:
        """The reason in the reader's language, from its code and parameters (the stored sentence for a flag
        whose code is unknown)."""
        params = self.reason_params if isinstance(self.reason_params, dict) else {}
        return reasons.reason_text(self.reason_code, params) or self.reason

    @property
    def responsible_party_words(self) -> str:
        """Who the consequence is addressed to, in the reader's language (read with the zone and its county)."""
        return reasons.responsible_party_text(self.rule, zone_name=self.zone.name, county_name=self.zone.county.name)

    @property
    def evidence_words(self) -> list[tuple[str, str]]:
        """判定依据 in the reader's language: (what it is, its value) for each fact the rule rested on."""
        return reasons.evidence_rows(self.evidence)

    @property
    def consequence_words(self) -> str:
        return reasons.consequence_text(self.rule, self.consequence)
