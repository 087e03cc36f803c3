"""The progress of each target, as computed by the engine (`indicators/progress/engine/`) and stored with its inputs."""

import json
from collections.abc import Iterable
from itertools import groupby

from django.conf import settings
from django.db import models
from django.db.models.functions import Cast
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from indicators.progress import engine, reasons, spans

from .reporting import ReportingPeriod, Target


class ProgressResult(models.Model):
    """The progress of one target as of one period, with the inputs it was computed from."""

    class Status(models.TextChoices):
        GREEN = "green", _("达到序时进度")
        AMBER = "amber", _("略低于序时进度")
        RED = "red", _("滞后")
        GREY = "grey", _("暂无数据")

    # No index of its own: the unique (target, period) and (target, period_end) indexes lead with it, and a third
    # index for every result written was upkeep for nothing.
    target = models.ForeignKey(
        Target, verbose_name=_("目标"), on_delete=models.CASCADE, related_name="results", db_index=False
    )
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
    # The engine's reason code (`engine.spec`) and whether the figure was held to the goal itself rather than to a
    # point on the path to it (`engine.held_to_goal`), kept beside the inputs that also hold them: the pages word a
    # status by them (`pages.dashboards.common.result_status_label`) without reading the inputs.
    reason_code = models.CharField(_("说明代码"), max_length=40, blank=True, default="", editable=False)
    against_goal = models.BooleanField(_("对照目标值"), default=False, editable=False)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)  # indexed with the id: `result_sync_order`
    # Read model: the period's end, copied so that "a target's latest result up to a date" is one index seek
    # on (target, period_end) instead of a join and a sort per target (dashboards/common.py: latest_judged).
    period_end = models.DateField(_("调度期截止"), editable=False)
    # A digest of what the recompute computed for this row (`indicators.progress.services.result_fingerprint`):
    # the next recompute compares digests rather than reading back and decoding every stored field. None for a
    # row written any other way (the admin, a test), which the next recompute therefore rewrites.
    fingerprint = models.BigIntegerField(_("计算指纹"), null=True, blank=True, editable=False)
    # Read model: the day this result stops being the one a dashboard shows of its target (`shown_until`: the latest
    # judged, else with data, else any) and the one a task status counts (`latest_until`: the latest with data, else
    # any), 9999-12-31 while it still is, None when it never is (`indicators.progress.spans`). Each target's result
    # on a day is then one range read of an index, ``period_end <= day < shown_until``, not index seeks per target.
    shown_until = models.DateField(_("展示截止"), null=True, blank=True, editable=False)
    latest_until = models.DateField(_("最新截止"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("进度结果")
        verbose_name_plural = _("进度结果")
        ordering = ["target", "-period_end"]
        constraints = [models.UniqueConstraint(fields=["target", "period"], name="result_unique_target_period")]
        indexes = [
            models.Index(fields=["target", "period_end"], name="result_target_period_end"),
            # The API's sync order, (computed_at, id): a recompute gives every result it writes one computed_at, and
            # PostgreSQL sorted those ties by id for every page (0.3 s at a province's 330,000 results).
            models.Index(fields=["computed_at", "id"], name="result_sync_order"),
            # Covering: a day's results are read from the index alone (SQLite keeps the row id in every index).
            models.Index(fields=["shown_until", "period_end", "target", "status"], name="result_shown_on_day"),
            models.Index(fields=["latest_until", "period_end", "target", "status"], name="result_latest_on_day"),
        ]

    def __str__(self) -> str:
        return f"{self.target} @ {self.period}: {self.get_status_display()}"

    def save(self, *args, **kwargs):
        self.period_end = self.period.end
        self.reason_code, self.against_goal = basis_of(self.inputs)
        self.fingerprint = None  # saved by hand: no longer what the recompute wrote
        super().save(*args, **kwargs)
        result_spans_refresh([self.target_id])  # its target's spans, as the recompute would write them
        self.refresh_from_db(fields=["shown_until", "latest_until"])

    def delete(self, *args, **kwargs):
        target_id = self.target_id
        deleted = super().delete(*args, **kwargs)
        result_spans_refresh([target_id])
        return deleted

    @property
    def reason_words(self) -> str:
        """The reason in the reader's language, from its code and parameters (the stored sentence for a result
        computed before reasons had codes). The inputs are not read for a reader in the portal's language (a page may
        have left them unread: `pages.dashboards.common.results_shown`)."""
        if reads_stored_reason():
            return self.reason
        return result_reason_words(self.reason, self.inputs)


def basis_of(inputs) -> tuple[str, bool]:
    """(reason code, held to the goal) of a result from its stored inputs, as the recompute writes them."""
    if not isinstance(inputs, dict):
        return "", False
    code, params = inputs.get("reason_code", ""), inputs.get("reason_params") or {}
    return code, engine.held_to_goal(code, params)


def reads_stored_reason() -> bool:
    """Whether the active reader reads the portal's own language, in which the recompute stores each reason
    (`services._StoredReasons`): the stored sentence is then the words, and a result's inputs need not be read."""
    return get_language() == settings.LANGUAGE_CODE


def result_reason_words(reason: str, inputs, *, stored: bool | None = None) -> str:
    """`ProgressResult.reason_words` of a result read as plain values (`values_list`), without a model; `inputs` as
    stored (a dict) or as its JSON text, which is decoded only for a reader of another language: the recompute
    writes `reason` in the portal's own language from the same code and parameters (`services._StoredReasons`),
    so for its readers the stored sentence is the words (a page of a province's hundreds of reasons decodes none).
    `stored`: `reads_stored_reason()`, when a caller wording hundreds of rows has asked it once (it looks the active
    language up)."""
    if reads_stored_reason() if stored is None else stored:
        return reason
    if isinstance(inputs, str):
        inputs = json.loads(inputs)
    if not isinstance(inputs, dict):
        return reason
    params = dict(inputs.get("reason_params") or {})
    if "missing_names" in inputs:  # a roll-up's missing zones, by name
        params["missing_names"] = inputs["missing_names"]
    return reasons.reason_text(inputs.get("reason_code", ""), params) or reason


def reason_inputs() -> models.Expression:
    """What a `values_list` reads of a result's inputs for `result_reason_words`: their JSON text for a reader of
    another language, an empty text for the portal's own, who is given the stored reason (hundreds of rows of a
    province's page then carry no inputs from the database)."""
    if reads_stored_reason():
        return models.Value("", output_field=models.TextField())
    return Cast("inputs", models.TextField())


def result_spans_refresh(target_ids: Iterable[int]) -> int:
    """Rewrite the spans (`indicators.progress.spans`) of the results of `target_ids` from what they store: after a
    result was saved, changed or deleted outside the recompute (the admin, a correction by hand). A row whose spans
    change loses its digest, so the next recompute rewrites it whole. Returns the rows changed."""
    rows = list(
        ProgressResult.objects.filter(target_id__in=list(target_ids))
        .order_by("target_id", "period_end", "pk")
        .values_list("pk", "target_id", "period_end", "status", "actual", "shown_until", "latest_until")
    )
    changed = []
    for _target, group in groupby(rows, key=lambda row: row[1]):
        group = list(group)
        facts = [
            (end, status != ProgressResult.Status.GREY, actual is not None) for _p, _t, end, status, actual, *_ in group
        ]
        shown, latest = spans.spans(facts, spans.SHOWN), spans.spans(facts, spans.LATEST)
        for (pk, *_fields, old_shown, old_latest), new_shown, new_latest in zip(group, shown, latest, strict=True):
            if (old_shown, old_latest) != (new_shown, new_latest):
                changed.append(ProgressResult(pk=pk, shown_until=new_shown, latest_until=new_latest, fingerprint=None))
    ProgressResult.objects.bulk_update(changed, ["shown_until", "latest_until", "fingerprint"], batch_size=500)
    return len(changed)
