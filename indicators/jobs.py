"""Celery jobs of the indicators app: thin wrappers around services, idempotent and retried.

The nightly recompute of progress and flags reads two domains: it is a cross-domain job, in pages/jobs.py.
"""

from celery import shared_task
from django.utils import timezone

from chuxiong_portal.queue import RETRY

from .progress.services import progress_recompute
from .reporting import services


@shared_task(name="indicators.jobs.recompute_targets", **RETRY)
def recompute_targets(target_ids: list[int]) -> int:
    # Values changed (a submission, an approval, an import): the checks between values run again too.
    services.quality_recheck()
    return progress_recompute(target_ids=target_ids)


@shared_task(name="indicators.jobs.mark_overdue", **RETRY)
def mark_overdue() -> dict:
    today = timezone.localdate()
    return {"opened": services.reports_open(today=today), "overdue": services.reports_mark_overdue(today=today)}


@shared_task(name="indicators.jobs.send_reminders", **RETRY)
def send_reminders() -> int:
    return services.reminders_send(today=timezone.localdate())
