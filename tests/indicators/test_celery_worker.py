"""A real Celery worker on the real broker: an approval made through the web updates progress.

Runs only where CI provides PostgreSQL and Redis (DATABASE_URL and CELERY_BROKER_URL set):
the worker is a separate process, so it needs a database server it can share with the test.
"""

import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from indicators.models import DispatchReport, IndicatorValue, ProgressResult, ReportingPeriod, Target

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not (os.environ.get("CELERY_BROKER_URL") and os.environ.get("DATABASE_URL", "").startswith("postgres")),
        reason="needs CELERY_BROKER_URL and a PostgreSQL DATABASE_URL (CI's second run)",
    ),
]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(transactional_db):
    from chuxiong_portal.celery import app

    app.conf.task_always_eager = False
    settings = connection.settings_dict
    env = {
        **os.environ,
        # The worker must see the test database this test writes to.
        "DATABASE_URL": (
            f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        ),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "chuxiong_portal",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    app.conf.task_always_eager = True


def test_it_recomputes_progress_on_a_real_worker_after_an_approval(plan, sam, leo, client, worker):
    zone = plan["lufeng"]
    period = ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)
    report = DispatchReport.objects.create(zone=zone, period=period, state=DispatchReport.State.SUBMITTED)
    target = Target.objects.get(indicator__code="industrial-output", zone=zone, year=2025)
    IndicatorValue.objects.create(
        indicator=target.indicator, scope="zone", zone=zone, period=period, value=Decimal("300"), report=report
    )
    baseline = ReportingPeriod.objects.get(cadence="monthly", year=2022, index=12)
    IndicatorValue.objects.create(
        indicator=target.indicator, scope="zone", zone=zone, period=baseline, value=Decimal("600")
    )
    assert not ProgressResult.objects.filter(target=target).exists()

    client.force_login(leo)
    response = client.post(f"/reports/{report.pk}/review/", {"action": "approve", "version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == DispatchReport.State.APPROVED

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if ProgressResult.objects.filter(target=target, period=period, actual=Decimal("300")).exists():
            break
        if worker.poll() is not None:
            pytest.fail(f"the worker stopped: {worker.stdout.read()}")
        time.sleep(0.5)
    else:
        worker.terminate()
        pytest.fail(f"no progress result within 90 s; worker log:\n{worker.communicate(timeout=20)[0]}")
