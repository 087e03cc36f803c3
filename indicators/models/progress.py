"""The progress of each target, as computed by the engine (`indicators/progress/engine/`) and stored with its inputs."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.progress import reasons

from .reporting import ReportingPeriod, Target


class ProgressResult(models.Model):
    """The progress of one target as of one period, with the inputs it was computed from."""

    class Status(models.TextChoices):
        GREEN = "green", _("达到序时进度")
        AMBER = "amber", _("略低于序时进度")
        RED = "red", _("滞后")
        GREY = "grey", _("暂无数据")

    target = models.ForeignKey(Target, verbose_name=_("目标"), on_delete=models.CASCADE, related_name="results")
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("调度期"), on_delete=models.CASCADE, related_name="results"
    )
    actual = models.DecimalField(_("实际值"), max_digits=18, decimal_places=4, null=True, blank=True)
    expected = models.DecimalField(_("序时目标值"), max_digits=18, decimal_places=4, null=True, blank=True)
    attainment = models.DecimalField(_("完成率"), max_digits=10, decimal_places=4, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.GREY)
    projection = models.DecimalField(_("目标年预计值"), max_digits=18, decimal_places=4, null=True, blank=True)
    required_rate = models.DecimalField(_("尚需年均增速"), max_digits=10, decimal_places=4, null=True, blank=True)
    reason = models.TextField(_("说明"), blank=True)
    inputs = models.JSONField(_("计算依据"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True, db_index=True)
    # Read model: the period's end, copied so that "a target's latest result up to a date" is one index seek
    # on (target, period_end) instead of a join and a sort per target (dashboards/common.py: latest_judged).
    period_end = models.DateField(_("调度期截止"), editable=False)
    # A digest of what the recompute computed for this row (`indicators.progress.services.result_fingerprint`):
    # the next recompute compares digests rather than reading back and decoding every stored field. None for a
    # row written any other way (the admin, a test), which the next recompute therefore rewrites.
    fingerprint = models.BigIntegerField(_("计算指纹"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("进度结果")
        verbose_name_plural = _("进度结果")
        ordering = ["target", "-period_end"]
        constraints = [models.UniqueConstraint(fields=["target", "period"], name="result_unique_target_period")]
        indexes = [models.Index(fields=["target", "period_end"], name="result_target_period_end")]

    def __str__(self) -> str:
        return f"{self.target} @ {self.period}: {self.get_status_display()}"

    def save(self, *args, **kwargs):
        self.period_end = self.period.end
        self.fingerprint = None  # saved by hand: no longer what the recompute wrote
        super().save(*args, **kwargs)

    @property
    def reason_code(self) -> str:
        return self.inputs.get("reason_code", "") if isinstance(self.inputs, dict) else ""

    @property
    def reason_words(self) -> str:
        """The reason in the reader's language, from its code and parameters (the stored sentence for a result
        computed before reasons had codes)."""
        return result_reason_words(self.reason, self.inputs)


def result_reason_words(reason: str, inputs) -> str:
    """`ProgressResult.reason_words` of a result read as plain values (`values_list`), without a model."""
    if not isinstance(inputs, dict):
        return reason
    params = dict(inputs.get("reason_params") or {})
    if "missing_names" in inputs:  # a roll-up's missing zones, by name
        params["missing_names"] = inputs["missing_names"]
    return reasons.reason_text(inputs.get("reason_code", ""), params) or reason
