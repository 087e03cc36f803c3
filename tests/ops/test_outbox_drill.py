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
from decimal import Decimal
from django.db.models import Max
from chuxiong_portal.roles import Role
from chuxiong_portal.models import User
from chuxiong_portal.services import user_create
from indicators.models import DispatchReport, ProgressResult, ReportingPeriod
from indicators.selectors import report_slots
from indicators.reporting.services import ReportError, ReportInput, report_reopen, report_save, required_on_submit
from parks.models import Zone

office = User.objects.filter(username="drill-office").first() or user_create(
    username="drill-office", password="Drill-Password-2026", role=Role.PREFECTURE_OFFICE, full_name="drill")
period = ReportingPeriod.objects.filter(cadence="monthly", year=2025).order_by("-index").first()
report, _ = DispatchReport.objects.get_or_create(zone=Zone.objects.get(code="lufeng"), task=None, period=period)
if report.state == "approved":  # the demo has approved (and locked) it: reopen it as the office would
    report = report_reopen(report=report, user=office, reason="演练：重新开放")
elif not report.is_editable:
    DispatchReport.objects.filter(pk=report.pk).update(state="draft")
    report.refresh_from_db()
before = ProgressResult.objects.filter(target__zone__code="lufeng").aggregate(last=Max("computed_at"))["last"]
# Every value a submission requires: the one that changes, the others as they are (else a figure).
values = {slot.key: (slot.current.value if slot.current and slot.current.value is not None else Decimal(1), None)
          for slot in report_slots(report) if required_on_submit(slot)}
values["industrial-output__zone__lufeng"] = (Decimal(100 + report.version), None)
try:
    report_save(report=report, user=office, version=report.version, submit=True, data=ReportInput(
        work_done=report.work_done or "演练：按计划推进", values=values))
except ReportError as error:
    raise SystemExit(f"{error.message} {error.errors}")
print(json.dumps({"before": before.isoformat() if before else None}))
"""

RESULT = """
import json
from django.db.models import Max
from indicators.models import ProgressResult
last = ProgressResult.objects.filter(target__zone__code="lufeng").aggregate(last=Max("computed_at"))["last"]
print(json.dumps(last.isoformat() if last else None))
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
    seen = submitted["before"]
    while time.monotonic() - back < 90:
        seen = json.loads(manage_python(stack, RESULT))
        if seen != submitted["before"]:
            break
        time.sleep(5)
    assert seen != submitted["before"], "the progress of the submitted report was not recomputed within 90 s"
