"""Celery jobs of the indicators app: thin wrappers around services, idempotent and retried."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from assessments.services import flags_recompute

from . import services

TRANSIENT = (OperationalError, InterfaceError, BrokerError, ConnectionError)
RETRY = {"autoretry_for": TRANSIENT, "retry_backoff": True, "retry_backoff_max": 300, "max_retries": 6}


@shared_task(name="indicators.jobs.recompute_all", **RETRY)
def recompute_all() -> dict:
    results = services.progress_recompute()
    flags = flags_recompute()
    quality = services.quality_recheck()
    return {"results": results, "flags_raised": flags.raised, "flags_withdrawn": flags.withdrawn,
            "quality_warnings": quality.found}


@shared_task(name="indicators.jobs.recompute_targets", **RETRY)
def recompute_targets(target_ids: list[int]) -> int:
    # Values changed (a submission, an approval, an import): the checks between values run again too.
    services.quality_recheck()
    return services.progress_recompute(target_ids=target_ids)


@shared_task(name="indicators.jobs.mark_overdue", **RETRY)
def mark_overdue() -> dict:
    today = timezone.localdate()
    return {"opened": services.reports_open(today=today), "overdue": services.reports_mark_overdue(today=today)}


@shared_task(name="indicators.jobs.send_reminders", **RETRY)
def send_reminders() -> int:
    return services.reminders_send(today=timezone.localdate())
