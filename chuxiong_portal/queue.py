"""Queueing jobs after a commit without ever failing, stalling, or losing them.

The outbox: `enqueue_on_commit` stores the job as a `PendingJob` row in the caller's own transaction, so the
request for the job commits (or rolls back) with the data it is about. After the commit the broker is asked to
deliver it (`chuxiong_portal.jobs.run_pending`), which runs the job and deletes the row. When that does not
happen — broker down or hung, worker killed, the job failed, the database was busy — the row stays, and the beat
job `chuxiong_portal.jobs.sweep_pending` (every 30 s) runs every row older than `SWEEP_AFTER`, and at once every
row the broker refused (marked `UNDELIVERED`: nothing else will deliver it). A broker outage therefore delays a
job by at most one sweep (30 s) after the broker is back, and a lost delivery by about a minute. Jobs must be
idempotent: a job can run twice (redelivery after a lost worker), never zero times. A job at work is not started
again meanwhile: the process that runs it first claims it (`started_at`), and neither the sweep nor a second
delivery runs it until that claim is older than `lease()` — Celery's time limit and a minute, after which the job
was stopped or its worker lost. A job that fails gives its claim back at once, for the sweep.

Nothing here raises into the request that committed: the commit is done, the job is recorded.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from .models import PendingJob

logger = logging.getLogger(__name__)

# A request must not wait on the broker for long: without socket timeouts redis-py waits forever on a broker
# that accepted the connection and then went silent (a hung Redis, a dropped NAT entry, a failover).
# Values set in CELERY_BROKER_TRANSPORT_OPTIONS take precedence.
PUBLISH_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 3}
# Celery's default retries a failed publish 3 times; one quick retry is enough for a blip, the outbox sweep
# covers the rest. Worst case: about 2 × (2 s + 3 s) + 0.2 s.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.2, "interval_step": 0.2, "interval_max": 0.2}
# A pending job this old was not delivered: the sweep runs it.
SWEEP_AFTER = timedelta(seconds=60)
SWEEP_BATCH = 200
# A job that failed this often in the sweep is left for the office (admin: 待执行任务) instead of retried forever.
MAX_ATTEMPTS = 10
DELIVER_JOB = "chuxiong_portal.jobs.run_pending"
# `last_error` of a row the broker refused at once: the next sweep runs it without waiting for SWEEP_AFTER.
UNDELIVERED = "broker unreachable"

# Every job retries on these (the database or the broker away for a moment), with backoff.
TRANSIENT = (OperationalError, InterfaceError, BrokerError, ConnectionError)
RETRY = {"autoretry_for": TRANSIENT, "retry_backoff": True, "retry_backoff_max": 300, "max_retries": 6}


def enqueue_on_commit(job, *args, **kwargs) -> None:
    """Record `job(*args, **kwargs)` in the outbox now (same transaction) and ask for delivery after the commit.

    `job` is a Celery task or its registered name: a service names the job of its own app by name, since the
    job module imports the service. Arguments must be JSON values. If the broker is unreachable or hangs, or
    the job fails in eager mode, the request still succeeds within a few seconds and the sweep runs the job later.
    """
    name, app = (job, current_app) if isinstance(job, str) else (job.name, job.app)
    entry = PendingJob.objects.create(job=name, args=list(args), kwargs=kwargs)

    def send() -> None:
        try:
            if app.conf.task_always_eager:
                run_pending(entry.pk, app=app)  # in-process; its errors stay here, the row stays for the sweep
            else:
                send_by_name(app, DELIVER_JOB, entry.pk)
        except (BrokerError, ConnectionError, OSError) as error:
            logger.warning("could not queue %s (%s); the outbox sweep will run it", name, error)
            mark_undelivered(entry.pk, error)
        except Exception:
            logger.exception("%s failed after the commit; the outbox sweep will run it again", name)

    transaction.on_commit(send)


def mark_undelivered(pk: int, error: Exception) -> None:
    """Note on the row that the broker refused it, so that the next sweep runs it at once."""
    try:
        PendingJob.objects.filter(pk=pk, attempts=0).update(last_error=f"{UNDELIVERED}: {error}"[:2000])
    except Exception:  # the database is busy too: the row keeps its place, and the sweep runs it a minute later
        logger.exception("could not mark pending job #%s as undelivered", pk)


def publish(job, *args, **kwargs) -> None:
    """Send `job` to the broker with bounded timeouts and retries (or run it in-process when eager)."""
    app = job.app
    if app.conf.task_always_eager:
        job.delay(*args, **kwargs)
        return
    configured = app.conf.broker_transport_options or {}
    options = {key: value for key, value in PUBLISH_TRANSPORT_OPTIONS.items() if key not in configured}
    with app.connection_for_write(transport_options=options) as connection:
        job.apply_async(args=args, kwargs=kwargs, connection=connection, retry=True, retry_policy=PUBLISH_RETRY_POLICY)


def send_by_name(app, name: str, *args) -> None:
    """Send the job called `name` to the broker with bounded timeouts and retries (no need to import it)."""
    configured = app.conf.broker_transport_options or {}
    options = {key: value for key, value in PUBLISH_TRANSPORT_OPTIONS.items() if key not in configured}
    with app.connection_for_write(transport_options=options) as connection:
        app.send_task(name, args=args, connection=connection, retry=True, retry_policy=PUBLISH_RETRY_POLICY)


def lease() -> timedelta:
    """How long a job's claim holds: Celery stops a job after its time limit, and a minute more covers the stop."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def _unclaimed(now) -> Q:
    return Q(started_at__isnull=True) | Q(started_at__lt=now - lease())


def run_pending(pk: int, *, app=None, now=None) -> bool:
    """Claim one outbox entry, run it in this process and delete it; False when it is gone (already run) or another
    process is running it (the sweep meeting a slow delivery: a province's recompute, a slow mail server)."""
    app = app or current_app
    now = now or timezone.now()
    if not PendingJob.objects.filter(_unclaimed(now), pk=pk).update(started_at=now):
        return False
    entry = PendingJob.objects.filter(pk=pk).first()
    if entry is None:
        return False
    try:
        app.tasks[entry.job].run(*entry.args, **entry.kwargs)
    except BaseException:
        PendingJob.objects.filter(pk=pk, started_at=now).update(started_at=None)  # for the sweep, or a retry
        raise
    PendingJob.objects.filter(pk=pk).delete()
    return True


def sweep_pending(*, now=None, app=None) -> dict:
    """Run the outbox entries the broker refused or older than SWEEP_AFTER, oldest first; a failure is counted and
    kept for later."""
    now = now or timezone.now()
    undelivered = Q(attempts=0, last_error__startswith=UNDELIVERED)
    due = list(
        PendingJob.objects.filter(
            Q(created_at__lte=now - SWEEP_AFTER) | undelivered, _unclaimed(now), attempts__lt=MAX_ATTEMPTS
        ).values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    done = failed = 0
    for pk in due:
        try:
            done += run_pending(pk, app=app, now=now)
        except Exception as error:
            failed += 1
            logger.exception("pending job #%s failed in the sweep; it stays in the outbox", pk)
            entry = PendingJob.objects.filter(pk=pk).first()
            if entry is not None:
                entry.attempts += 1
                entry.last_error = f"{type(error).__name__}: {error}"[:2000]
                entry.save(update_fields=["attempts", "last_error"])
    return {"run": done, "failed": failed}
