"""A database still locked after the busy timeout: "busy, try again" (503, Retry-After), never a 500."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from chuxiong_portal.busy import is_busy
from indicators.models import DispatchReport, ReportingPeriod
from tasks.models import Task

pytestmark = pytest.mark.django_db


class _Cause(Exception):
    def __init__(self, sqlstate):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _wrapped(message, sqlstate=None):
    error = OperationalError(message)
    error.__cause__ = _Cause(sqlstate) if sqlstate else None
    return error


def test_it_tells_a_busy_database_from_other_errors():
    assert is_busy(OperationalError("database is locked"))
    assert is_busy(_wrapped("deadlock detected", "40P01"))
    assert is_busy(_wrapped("could not serialize access", "40001"))
    assert not is_busy(OperationalError("no such table: x"))
    assert not is_busy(_wrapped("connection refused", "08006"))
    assert not is_busy(ValueError("database is locked"))


def test_a_save_that_meets_a_locked_database_gets_the_busy_page(alice, plan, client, monkeypatch):
    from indicators.reporting import views

    report = DispatchReport.objects.create(
        department=plan["ndrc"],
        task=Task.objects.get(number=14),
        period=ReportingPeriod.objects.get(cadence="monthly", year=2023, index=3),
    )

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(views.services, "report_save", locked)
    client.force_login(alice)
    response = client.post(
        reverse("report-detail", args=[report.pk]), {"action": "save", "version": report.version, "work_done": "进展"}
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    page = response.content.decode()
    assert "系统正忙" in page and "未保存任何内容" in page
