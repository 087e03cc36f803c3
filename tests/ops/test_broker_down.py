"""With the broker (Redis) down, data entry keeps working and the nightly recompute catches up.

Celery is really non-eager here and points at a broker that is not there: a port where nothing listens
(Redis stopped), or a server that accepts the connection and never answers (Redis hung, a dropped NAT
entry). The submission through the browser form must succeed quickly, show the user no error, leave the
report submitted, and log the job it could not queue; `manage.py recompute` then computes what that job
would have.
"""

import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from ops_ports import free_port

from indicators.models import DispatchReport, ProgressResult, ReportingPeriod, Target
from tasks.models import Task

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit hooks run inside the request, as in production

MILESTONE = "seven-connections__zone__lufeng"  # 七通一平 of 禄丰, reported by 州发展改革委 on task 14


@pytest.fixture
def broker_at(settings, monkeypatch):
    """Point the Celery app at a broker URL and make it non-eager for the test; restore afterwards."""
    from chuxiong_portal.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager)

    def point(url: str) -> None:
        # Celery prefers the CELERY_BROKER_URL environment variable (set by CI's second run) to broker_url.
        monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
        app.conf.broker_url = url
        app.conf.task_always_eager = False
        settings.CELERY_TASK_ALWAYS_EAGER = False

    yield point
    app.conf.broker_url, app.conf.task_always_eager = saved


@pytest.fixture
def open_report(plan):
    return DispatchReport.objects.create(
        department=plan["ndrc"],
        task=Task.objects.get(number=14),
        period=ReportingPeriod.objects.get(cadence="monthly", year=2023, index=3),
    )


def submit(client, report):
    report.refresh_from_db()
    data = {
        "action": "submit",
        "version": report.version,
        "progress": "in_progress",
        "progress_pct": "40",
        "work_done": "完成路网规划编制",
        "problems": "资金缺口",
        "next_steps": "争取专项债",
        "delay_reason": "",
        "change_reason": "",
        f"done__{MILESTONE}": "2023-03-20",
    }
    started = time.monotonic()
    response = client.post(reverse("report-detail", args=[report.pk]), data)
    return response, time.monotonic() - started


def assert_submitted_and_caught_up(client, report, response, caplog):
    assert response.status_code == 302 and response.url == reverse("todo")
    report.refresh_from_db()
    assert report.state == DispatchReport.State.SUBMITTED
    page = client.get(response.url).content.decode()
    assert "已提交，等待审核。" in page
    assert "alert-danger" not in page and "错误" not in page
    assert any("could not queue indicators.jobs.recompute_targets" in r.getMessage() for r in caplog.records)

    target = Target.objects.get(indicator__code="seven-connections", zone__code="lufeng")
    assert not ProgressResult.objects.filter(target=target).exists()  # the job never ran
    call_command("recompute", verbosity=0)  # what beat runs nightly (indicators.jobs.recompute_all)
    result = ProgressResult.objects.get(
        target=target, period__cadence=target.indicator.cadence, period__end=report.period.end
    )
    assert (result.status, result.actual, result.inputs["done_on"]) == ("green", 1, "2023-03-20")


def test_it_accepts_a_submission_when_redis_is_stopped(alice, open_report, client, broker_at, caplog):
    broker_at(f"redis://127.0.0.1:{free_port()}/0")
    client.force_login(alice)
    response, seconds = submit(client, open_report)
    assert seconds < 5
    assert_submitted_and_caught_up(client, open_report, response, caplog)


def test_it_accepts_a_submission_when_redis_hangs(alice, open_report, client, broker_at, silent_port, caplog):
    broker_at(f"redis://127.0.0.1:{silent_port}/0")
    client.force_login(alice)
    response, seconds = submit(client, open_report)
    assert seconds < 15  # bounded by chuxiong_portal.queue's socket timeouts and single retry (about 7 s)
    assert_submitted_and_caught_up(client, open_report, response, caplog)
