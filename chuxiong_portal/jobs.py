"""Celery jobs of the base layer: delivery and sweep of the outbox (chuxiong_portal/queue.py)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import mail, queue

TRANSIENT = (OperationalError, InterfaceError, ConnectionError)


@shared_task(
    name=queue.DELIVER_JOB, bind=True, autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=30, max_retries=3
)
def run_pending(self, pk: int) -> bool:
    # Few quick retries: what they do not fix, the sweep picks up a minute later.
    return queue.run_pending(pk, app=self.app)


@shared_task(name="chuxiong_portal.jobs.sweep_pending", bind=True)
def sweep_pending(self) -> dict:
    return queue.sweep_pending(app=self.app)


@shared_task(name="chuxiong_portal.jobs.mail_notifications")
def mail_notifications(ids: list[int]) -> int:
    # Queued through the outbox: its failures are retried by the sweep, not here (a retry here would resend
    # nothing twice either: sent notifications carry mailed_at).
    return mail.notifications_mail(ids)
