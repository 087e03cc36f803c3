"""Drill on the production stack (deploy/stack): stop Redis, submit a report, start Redis — the progress result of
what was submitted changes within 90 s, with no other activity (the outbox sweep, chuxiong_portal/queue.py).

Marked `ops`: runs only with PORTAL_OPS_TESTS=1 (it starts the stack like tests/ops/test_stack.py).
"""

import json
import time

import pytest
import test_stack

pytestmark = pytest.mark.ops
stack = test_stack.stack  # the module-scoped fixture that starts (and stops) the stack
STACK, run = test_stack.STACK, test_stack.run

SUBMIT = """
import json
from datetime import date
from chuxiong_portal.roles import Role
from chuxiong_portal.models import User
from chuxiong_portal.services import user_create
from indicators.models import DispatchReport, ProgressResult, ReportingPeriod, Target
from indicators.services import ReportInput, report_save
from tasks.models import Department, Task

office = User.objects.filter(username="drill-office").first() or user_create(
    username="drill-office", password="Drill-Password-2026", role=Role.PREFECTURE_OFFICE, full_name="drill")
period = ReportingPeriod.objects.get(cadence="monthly", year=2025, index=11)
report, _ = DispatchReport.objects.get_or_create(department=Department.objects.get(slug="ndrc"),
                                                 task=Task.objects.get(number=14), period=period)
if report.state not in ("pending", "draft", "returned"):
    report.state = "draft"
    report.save()
    report.refresh_from_db()
done_on = date(2025, 11, 3 + report.version % 20)
report_save(report=report, user=office, version=report.version, submit=True,
            data=ReportInput(progress="in_progress", work_done="演练", values={
                "seven-connections__zone__lufeng": (None, done_on)}))
print(json.dumps({"done_on": done_on.isoformat(), "period_end": period.end.isoformat()}))
"""

RESULT = """
import json
from indicators.models import ProgressResult
r = ProgressResult.objects.filter(target__indicator__code="seven-connections", target__zone__code="lufeng",
                                  period__cadence="monthly", period__end="{end}").first()
print(json.dumps(r.inputs.get("done_on") if r else None))
"""


def manage_python(env, code: str) -> str:
    result = run(STACK, "manage", "shell", "-c", code, env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_a_recompute_lost_to_a_redis_outage_happens_within_90_s_of_redis_returning(stack):
    assert run(STACK, "redis-stop").returncode == 0
    try:
        submitted = json.loads(manage_python(stack, SUBMIT))  # the broker is down: the job waits in the outbox
    finally:
        assert run(STACK, "redis-start").returncode == 0
    back = time.monotonic()
    seen = None
    while time.monotonic() - back < 90:
        seen = json.loads(manage_python(stack, RESULT.replace("{end}", submitted["period_end"])))
        if seen == submitted["done_on"]:
            break
        time.sleep(5)
    assert seen == submitted["done_on"], f"progress not recomputed within 90 s of Redis returning (saw {seen})"
