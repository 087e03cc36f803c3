"""A plan's status through its life: the office moves it one step at a time (draft → in force → closing → closed),
one plan in force at a time; pages and the API say closing once a plan in force is past its last year."""

from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from tasks.lifecycle import plan_status_set
from tasks.models import Plan

SUCCESSOR = Path(__file__).parent / "data" / "successor_plan_synthetic.json"


@pytest.fixture
def successor(plan):
    call_command("load_plan", str(SUCCESSOR), verbosity=0)
    return Plan.objects.get(code="synthetic-successor-2026-2028")


def test_a_successor_goes_in_force_once_the_first_plan_is_closing(plan, successor, olga):
    first = Plan.objects.get(code="zones-2023-2025")
    with pytest.raises(ValidationError, match="仍在执行中"):
        plan_status_set(plan=successor, status=Plan.Status.IN_FORCE, user=olga)
    plan_status_set(plan=first, status=Plan.Status.CLOSING, user=olga)
    plan_status_set(plan=successor, status=Plan.Status.IN_FORCE, user=olga)
    plan_status_set(plan=first, status=Plan.Status.CLOSED, user=olga)
    assert dict(Plan.objects.values_list("code", "status")) == {
        "zones-2023-2025": "closed",
        "synthetic-successor-2026-2028": "in_force",
    }


@pytest.mark.parametrize(
    "start, target", [("draft", "closing"), ("draft", "closed"), ("in_force", "draft"), ("closed", "in_force")]
)
def test_a_step_skipped_or_taken_back_is_refused_and_nothing_changes(plan, successor, olga, start, target):
    Plan.objects.filter(pk=successor.pk).update(status=start)
    with pytest.raises(ValidationError, match="只能依次变更"):
        plan_status_set(plan=successor, status=target, user=olga)
    successor.refresh_from_db()
    assert successor.status == start


def test_only_the_office_moves_a_plan(plan, alice, leo):
    first = Plan.objects.get(code="zones-2023-2025")
    for user in (alice, leo):
        with pytest.raises(PermissionDenied):
            plan_status_set(plan=first, status=Plan.Status.CLOSING, user=user)
    first.refresh_from_db()
    assert first.status == Plan.Status.IN_FORCE


def test_the_office_moves_it_from_the_admin_and_is_told_why_a_step_is_refused(plan, successor, client_for, olga):
    first = Plan.objects.get(code="zones-2023-2025")
    client = client_for(olga)
    response = client.post(
        "/admin/tasks/plan/", {"action": "make_in_force", "_selected_action": [successor.pk]}, follow=True
    )
    assert "仍在执行中" in response.content.decode()
    assert Plan.objects.get(pk=successor.pk).status == Plan.Status.DRAFT
    action = {"action": "make_closing", "_selected_action": [first.pk]}
    response = client.post("/admin/tasks/plan/", action, follow=True)
    assert "已变更为“收尾中”" in response.content.decode()
    assert Plan.objects.get(pk=first.pk).status == Plan.Status.CLOSING


@pytest.mark.parametrize(
    "today, stored, shown",
    [
        (date(2025, 6, 1), "in_force", "in_force"),
        (date(2025, 12, 31), "in_force", "in_force"),
        (date(2026, 1, 1), "in_force", "closing"),  # past its last year: closing, as the pages say
        (date(2026, 12, 5), "in_force", "closing"),
        (date(2026, 12, 5), "closed", "closed"),
    ],
)
def test_the_api_and_the_admin_give_the_status_the_pages_give(plan, client_for, olga, today, stored, shown):
    Plan.objects.filter(code="zones-2023-2025").update(status=stored)
    with time_machine.travel(today, tick=False):
        client = client_for(olga)
        rows = client.get("/api/v1/plans/").json()
        listed = client.get("/admin/tasks/plan/").content.decode()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert [row["status"] for row in rows if row["code"] == "zones-2023-2025"] == [shown]
    assert f'<td class="field-status_today">{Plan.Status(shown).label}</td>' in listed


def test_a_draft_plan_owes_no_report_until_it_goes_in_force(plan, successor, olga):
    """A draft's obligations open nothing (no pending report, so nothing overdue and no reminder); once the office puts
    it in force, the reports of its periods that have started open that day. A closed plan's record is complete."""
    from indicators.models import DispatchReport
    from indicators.reporting.services import reports_mark_overdue, reports_open

    day = date(2026, 12, 6)
    theirs = DispatchReport.objects.filter(period__plan=successor)
    assert successor.obligations.filter(active=True).exists()

    reports_open(today=day)
    reports_mark_overdue(today=day)
    assert not theirs.exists()

    plan_status_set(plan=Plan.objects.get(code="zones-2023-2025"), status=Plan.Status.CLOSING, user=olga)
    plan_status_set(plan=successor, status=Plan.Status.IN_FORCE, user=olga)
    assert reports_open(today=day) > 0
    assert theirs.exists() and {r.period.start <= day for r in theirs.select_related("period")} == {True}

    first = Plan.objects.get(code="zones-2023-2025")
    DispatchReport.objects.filter(period__plan=first).delete()
    plan_status_set(plan=first, status=Plan.Status.CLOSED, user=olga)
    assert reports_open(today=day) == 0
    assert not DispatchReport.objects.filter(period__plan=first).exists()


@pytest.mark.parametrize("today", [date(2025, 6, 1), date(2026, 12, 6), date(2029, 3, 1)])
def test_the_pages_call_a_draft_a_draft_on_any_date(plan, successor, client_for, olga, today):
    with time_machine.travel(today, tick=False):
        page = client_for(olga).get("/", {"plan": successor.code}).content.decode()
    assert "方案为草案，尚未生效（执行期2026年1月1日至2028年12月31日）" in page
    assert "方案执行中" not in page and "收尾中" not in page
