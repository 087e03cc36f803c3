"""Reminder mail goes after the commit, by its own job: never from a rolled-back run, never twice, and a failure
is logged, kept on the notification for the office to see, and retried."""

import logging
from datetime import date, timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from chuxiong_portal.models import Notification, PendingJob
from chuxiong_portal.queue import sweep_pending
from indicators.models import DispatchReport, ReportingPeriod
from indicators.reporting.services import reports_mark_overdue
from tasks.models import Task

pytestmark = pytest.mark.django_db(transaction=True)  # on-commit hooks run as in production


@pytest.fixture
def overdue(plan, alice):
    alice.email = "alice@example.cn"
    alice.save()
    period = ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)  # deadline 2024-04-05
    return DispatchReport.objects.create(department=plan["ndrc"], task=Task.objects.get(number=14), period=period)


def test_a_rolled_back_run_sends_nothing(overdue):
    with pytest.raises(RuntimeError), transaction.atomic():
        reports_mark_overdue(today=date(2024, 4, 6))
        raise RuntimeError("the job failed after notifying")
    assert mail.outbox == [] and not Notification.objects.exists() and not PendingJob.objects.exists()
    assert reports_mark_overdue(today=date(2024, 4, 6)) == 1
    assert [m.to for m in mail.outbox] == [["alice@example.cn"]]
    note = Notification.objects.get()
    assert note.mailed_at is not None and note.mail_error == ""
    assert not PendingJob.objects.exists()


def test_a_mail_failure_is_logged_kept_for_the_office_and_retried_once_the_server_is_back(overdue, monkeypatch, caplog):
    from chuxiong_portal import mail as portal_mail

    def down(*args, **kwargs):
        assert kwargs.get("fail_silently") is False
        raise SMTPException("421 service not available")

    monkeypatch.setattr(portal_mail, "send_mail", down)
    with caplog.at_level(logging.ERROR):
        assert reports_mark_overdue(today=date(2024, 4, 6)) == 1  # the job itself succeeds: the mail is separate
    assert any("could not mail notification" in r.getMessage() for r in caplog.records)
    note = Notification.objects.get()
    assert note.mailed_at is None and "421 service not available" in note.mail_error
    assert PendingJob.objects.filter(job="chuxiong_portal.jobs.mail_notifications").count() == 1

    monkeypatch.undo()
    later = timezone.now() + timedelta(seconds=61)
    assert sweep_pending(now=later) == {"run": 1, "failed": 0}
    assert [m.to for m in mail.outbox] == [["alice@example.cn"]]
    note.refresh_from_db()
    assert note.mailed_at is not None and note.mail_error == ""
    assert sweep_pending(now=later) == {"run": 0, "failed": 0}
    assert len(mail.outbox) == 1  # never twice
