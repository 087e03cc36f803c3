"""The outbox (chuxiong_portal/queue.py): a job asked for by a commit is recorded with the data and run once the
broker can deliver it, or by the sweep a minute later, so a broker outage loses no recompute."""

from datetime import timedelta

import pytest
import test_broker_down
from django.conf import settings
from django.utils import timezone
from ops_ports import free_port

from chuxiong_portal.celery import app
from chuxiong_portal.models import PendingJob
from chuxiong_portal.queue import UNDELIVERED, lease, run_pending, sweep_pending
from indicators.models import DispatchReport, ProgressResult, Target

pytestmark = pytest.mark.django_db(transaction=True)
broker_at, open_report, submit = test_broker_down.broker_at, test_broker_down.open_report, test_broker_down.submit


def test_a_recompute_asked_for_while_the_broker_is_down_is_run_by_the_sweep(alice, open_report, client, broker_at):
    broker_at(f"redis://127.0.0.1:{free_port()}/0")
    client.force_login(alice)
    response, _seconds = submit(client, open_report)
    assert response.status_code == 302
    open_report.refresh_from_db()
    assert open_report.state == DispatchReport.State.SUBMITTED
    entry = PendingJob.objects.get()
    assert entry.job == "indicators.jobs.recompute_targets" and entry.args
    assert entry.last_error.startswith(UNDELIVERED)  # the broker refused it: nothing else will deliver it
    target = Target.objects.get(indicator__code="seven-connections", zone__code="lufeng")
    assert not ProgressResult.objects.filter(target=target).exists()

    # The next sweep runs it, without waiting for the minute a delivery in flight is given.
    assert sweep_pending(now=timezone.now(), app=app) == {"run": 1, "failed": 0}
    assert ProgressResult.objects.filter(target=target, status="green").exists()
    assert not PendingJob.objects.exists()


def test_the_sweep_leaves_a_job_in_flight_its_minute_and_runs_it_after():
    in_flight = PendingJob.objects.create(job="chuxiong_portal.jobs.mail_notifications", args=[[]])
    assert sweep_pending(now=timezone.now(), app=app) == {"run": 0, "failed": 0}  # the queue may still deliver it
    assert sweep_pending(now=timezone.now() + timedelta(seconds=61), app=app) == {"run": 1, "failed": 0}
    assert not PendingJob.objects.filter(pk=in_flight.pk).exists()


def test_a_failed_write_leaves_no_outbox_entry(alice, open_report, client):
    client.force_login(alice)
    open_report.refresh_from_db()
    response = client.post(f"/reports/{open_report.pk}/", {"action": "submit", "version": open_report.version + 5})
    assert response.status_code == 400
    assert not PendingJob.objects.exists()


def test_the_sweep_is_scheduled_every_thirty_seconds_and_the_broker_redelivers_within_the_longest_job():
    sweep = next(e for e in app.conf.beat_schedule.values() if e["task"] == "chuxiong_portal.jobs.sweep_pending")
    assert sweep["schedule"] <= 30
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_TASK_TIME_LIMIT + 300 < visibility < 3600  # longest job + longest retry countdown


CALLS: list[dict] = []


@app.task(name="tests.ops.outbox_slow_job")
def _slow_job(sweep_meanwhile: bool = False, fail: bool = False) -> None:
    """A job during which the sweep comes by, as it does every 30 s while a long recompute is at work."""
    CALLS.append({"sweep": sweep_meanwhile})
    if sweep_meanwhile:
        CALLS[-1]["meanwhile"] = sweep_pending(now=timezone.now() + timedelta(seconds=61), app=app)
    if fail:
        raise RuntimeError("mail server away")


@pytest.fixture
def calls():
    CALLS.clear()
    yield CALLS
    CALLS.clear()


def test_the_sweep_does_not_start_again_a_job_at_work(calls):
    entry = PendingJob.objects.create(job="tests.ops.outbox_slow_job", kwargs={"sweep_meanwhile": True})
    assert run_pending(entry.pk, app=app) is True
    # The sweep that came by while it ran left it to the process at work.
    assert len(calls) == 1 and calls[0]["meanwhile"] == {"run": 0, "failed": 0}
    assert not PendingJob.objects.filter(pk=entry.pk).exists()


def test_a_job_claimed_by_a_lost_worker_is_run_by_the_sweep_once_its_lease_is_over(calls):
    started = timezone.now() - timedelta(minutes=5)
    entry = PendingJob.objects.create(job="tests.ops.outbox_slow_job")
    PendingJob.objects.filter(pk=entry.pk).update(started_at=started, created_at=started)
    assert run_pending(entry.pk, app=app) is False  # a second delivery while it is at work
    assert sweep_pending(now=timezone.now(), app=app) == {"run": 0, "failed": 0}
    assert calls == []
    after_lease = started + lease() + timedelta(seconds=1)
    assert sweep_pending(now=after_lease, app=app) == {"run": 1, "failed": 0}
    assert len(calls) == 1 and not PendingJob.objects.exists()


def test_a_failed_job_gives_its_claim_back_for_the_next_sweep(calls):
    entry = PendingJob.objects.create(job="tests.ops.outbox_slow_job", kwargs={"fail": True})
    later = timezone.now() + timedelta(seconds=61)
    assert sweep_pending(now=later, app=app) == {"run": 0, "failed": 1}
    entry.refresh_from_db()
    assert entry.started_at is None and entry.attempts == 1 and "mail server away" in entry.last_error
    assert sweep_pending(now=later, app=app) == {"run": 0, "failed": 1}  # tried again at once, not after the lease
    assert len(calls) == 2
