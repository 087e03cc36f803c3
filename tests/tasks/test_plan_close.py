"""Closing a plan (收尾中 → 已结束) makes its record complete: the office may close it only once none of its reports
is still owed or awaits review, and then nothing of its reports changes any more — neither saved, nor reopened,
nor waived — with the reason said on the report's page and by every refusal."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import html

from indicators.models import DispatchReport, ReportingPeriod
from indicators.reporting.services import ReportError, ReportInput, report_reopen, report_save, report_waive
from tasks.lifecycle import plan_status_set
from tasks.models import Plan, Task

CLOSED = "该报告所属的行动方案已结束，其记录已归档"


@pytest.fixture
def first(plan, olga):
    first = Plan.objects.get(code="zones-2023-2025")
    plan_status_set(plan=first, status=Plan.Status.CLOSING, user=olga)
    return first


def _report(plan, index, state):
    period = ReportingPeriod.objects.get(cadence="monthly", year=2025, index=index)
    return DispatchReport.objects.create(
        department=plan["ndrc"], task=Task.objects.get(number=14), period=period, state=state
    )


def test_a_plan_with_reports_owed_or_awaiting_review_is_not_closed_until_they_are_settled(plan, first, olga, rita):
    owed, submitted = _report(plan, 1, "pending"), _report(plan, 2, "submitted")
    _report(plan, 3, "approved")

    with pytest.raises(ValidationError, match="尚有1份报告未报送、1份报告待审核，不能结束"):
        plan_status_set(plan=first, status=Plan.Status.CLOSED, user=olga)
    assert Plan.objects.get(pk=first.pk).status == Plan.Status.CLOSING

    DispatchReport.objects.filter(pk=submitted.pk).update(state="approved")
    with pytest.raises(ValidationError, match="尚有1份报告未报送、0份报告待审核"):
        plan_status_set(plan=first, status=Plan.Status.CLOSED, user=olga)

    report_waive(report=owed, user=olga, reason="该任务已并入其他任务")
    plan_status_set(plan=first, status=Plan.Status.CLOSED, user=olga)
    assert Plan.objects.get(pk=first.pk).status == Plan.Status.CLOSED


@pytest.mark.parametrize("day", [date(2026, 1, 20), date(2026, 12, 7), date(2029, 3, 1)])
def test_nothing_of_a_closed_plans_reports_changes_and_the_page_says_why(plan, first, olga, alice, client_for, day):
    approved = _report(plan, 3, "approved")
    owed = _report(plan, 4, "pending")  # left owed by a plan closed before closing was guarded
    Plan.objects.filter(pk=first.pk).update(status=Plan.Status.CLOSED)

    with time_machine.travel(day, tick=False):
        with pytest.raises(ReportError, match=CLOSED):
            report_save(report=owed, user=alice, data=ReportInput(work_done="补报"), version=owed.version, submit=True)
        with pytest.raises(ReportError, match=CLOSED):
            report_reopen(report=approved, user=olga, reason="更正数据")
        with pytest.raises(ReportError, match=CLOSED):
            report_waive(report=owed, user=olga, reason="不再报送")
        upload = client_for(alice).post(
            f"/reports/{owed.pk}/excel/", {"file": SimpleUploadedFile("r.xlsx", b"PK"), "version": owed.version}
        )
        pages = {user: client_for(user).get(f"/reports/{owed.pk}/").content.decode() for user in (alice, olga)}
        office_approved = client_for(olga).get(f"/reports/{approved.pk}/").content.decode()

    assert dict(DispatchReport.objects.filter(pk__in=[owed.pk, approved.pk]).values_list("pk", "state")) == {
        owed.pk: "pending",
        approved.pk: "approved",
    }
    assert not DispatchReport.objects.get(pk=owed.pk).work_done
    said = html.fromstring(upload.content.decode()).xpath('//ul[@class="messages"]/li/text()')
    assert upload.status_code == 403 and any(CLOSED in line for line in said), said
    for page in (*pages.values(), office_approved):
        assert 'id="report-closed"' in page and CLOSED in page
    assert 'name="action" value="submit"' not in pages[alice]
    assert 'id="waive-form"' not in pages[olga]
    assert 'id="reopen-form"' not in office_approved


def test_a_closing_plans_reports_still_change_and_say_nothing_of_a_close(plan, first, olga, alice, client_for):
    owed = _report(plan, 4, "pending")
    page = client_for(alice).get(f"/reports/{owed.pk}/").content.decode()
    assert 'id="report-closed"' not in page
    report_save(report=owed, user=alice, data=ReportInput(work_done="按期报送"), version=owed.version, submit=False)
    assert DispatchReport.objects.get(pk=owed.pk).state == "draft"
