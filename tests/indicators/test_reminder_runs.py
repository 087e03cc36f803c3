"""The reminder job run as beat and the outbox run it: all of a run or nothing, and two runs at once (two beat
ticks, a retry meeting a slow first run, the job beside `manage.py recompute --reminders`) remind once.

Real threads with their own connections against the test database (a file on SQLite, PostgreSQL in CI's second
run), so that the locks are the real ones; Celery runs in-process here, whatever the environment says."""

import time
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

from chuxiong_portal import mail as portal_mail
from chuxiong_portal import notifications, queue
from chuxiong_portal.models import Notification, PendingJob
from chuxiong_portal.roles import Role
from chuxiong_portal.services import user_create
from indicators.models import DispatchReport, ReportingPeriod
from indicators.reporting.services import reminders_send
from indicators.reporting.signals import reminders_due
from tasks.models import Task
from tests.concurrency.test_parallel_writes import run_together

pytestmark = pytest.mark.django_db(transaction=True)  # on-commit hooks and locks as in production

DUE = date(2024, 4, 3)  # two working days before the deadline of March 2024's reports (5 April)


@pytest.fixture(autouse=True)
def _eager(settings):
    from chuxiong_portal.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def owed(plan, alice):
    """March 2024's reports of 州发展改革委 on two tasks, owed by alice and ada, who both read their mail."""
    ada = user_create(username="ada", password=None, role=Role.DEPARTMENT_STAFF, department=plan["ndrc"])
    for user, address in ((alice, "alice@example.cn"), (ada, "ada@example.cn")):
        user.email = address
        user.save()
    period = ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)
    return [
        DispatchReport.objects.create(department=plan["ndrc"], task=Task.objects.get(number=number), period=period)
        for number in (5, 14)
    ]


def test_a_run_that_fails_half_way_writes_nothing_and_its_retry_reminds_once(owed):
    def busy(**kwargs):  # the supervision reminders, after the dispatch ones, meet a locked database
        raise OperationalError("database is locked")

    reminders_due.connect(busy, dispatch_uid="test-busy-reminders")
    try:
        with pytest.raises(OperationalError):
            reminders_send(today=DUE, working_days=2)
    finally:
        reminders_due.disconnect(dispatch_uid="test-busy-reminders")
    assert not Notification.objects.exists() and not PendingJob.objects.exists() and mail.outbox == []

    assert reminders_send(today=DUE, working_days=2) == 4  # the retry: two reports, two readers each
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.cn"] * 2 + ["alice@example.cn"] * 2


def test_two_runs_at_once_remind_each_reader_once(owed, monkeypatch):
    manager = Notification.objects
    store = manager.bulk_create

    def slow_store(*args, **kwargs):  # each run has read what was there before either writes
        time.sleep(0.5)
        return store(*args, **kwargs)

    monkeypatch.setattr(manager, "bulk_create", slow_store)
    results = run_together(lambda i: reminders_send(today=DUE, working_days=2), 2)

    assert sorted(results) == [0, 4], results  # the second run finds the first's notices and adds none
    assert Notification.objects.count() == 4
    assert not PendingJob.objects.exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.cn"] * 2 + ["alice@example.cn"] * 2


def test_the_sweep_meeting_a_slow_mail_delivery_mails_each_notice_once(owed, monkeypatch):
    """A reminder run's mail job, delivered by the broker, takes over a minute (a slow mail server, many readers):
    the sweep finds its outbox row still there, claimed by the delivery (or claims it first). Each reader gets one
    mail."""
    monkeypatch.setattr(notifications, "enqueue_on_commit", lambda *args, **kwargs: None)  # queued below, by hand
    assert reminders_send(today=DUE, working_days=2) == 4
    ids = sorted(Notification.objects.values_list("pk", flat=True))
    entry = PendingJob.objects.create(job="chuxiong_portal.jobs.mail_notifications", args=[ids])
    send = portal_mail.send_mail

    def slow_send(*args, **kwargs):
        time.sleep(0.3)
        return send(*args, **kwargs)

    monkeypatch.setattr(portal_mail, "send_mail", slow_send)
    later = timezone.now() + queue.SWEEP_AFTER + timedelta(seconds=1)
    delivery, sweep = run_together(
        lambda i: queue.run_pending(entry.pk) if i == 0 else queue.sweep_pending(now=later), 2
    )
    # Whichever claims the row first runs the job (on a loaded machine the sweep may); the other leaves it alone.
    assert sweep["failed"] == 0 and [delivery, sweep["run"]] in ([True, 0], [False, 1]), (delivery, sweep)
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.cn"] * 2 + ["alice@example.cn"] * 2
    assert not Notification.objects.filter(mailed_at__isnull=True).exists()
    assert not PendingJob.objects.exists()


def test_a_notice_titled_longer_than_its_column_is_shortened_and_the_run_goes_on(owed, alice):
    """A work item may be titled in 300 characters, a notice's title holds 200: PostgreSQL refused the row, and the
    whole reminder run with it, every morning. The notice keeps the title's first 199 characters and an ellipsis."""
    long_title = ("推进开发区综合服务专窗建设，" * 22)[:300]  # the most a work item's title holds

    def work_items(**kwargs):  # as the supervision reminders do for a work item due soon
        return notifications.notifications_send(
            [Notification(user=alice, title=f"工作事项即将到期：{long_title}", body="", key="workitem:test")]
        )

    reminders_due.connect(work_items, dispatch_uid="test-long-title")
    try:
        assert reminders_send(today=DUE, working_days=2) == 5
    finally:
        reminders_due.disconnect(dispatch_uid="test-long-title")
    note = Notification.objects.get(key="workitem:test")
    limit = Notification._meta.get_field("title").max_length
    assert len(note.title) == limit and note.title == f"工作事项即将到期：{long_title}"[: limit - 1] + "…"
    assert Notification.objects.filter(key__startswith="reminder:").count() == 4
