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
def test_the_api_gives_the_status_the_pages_give(plan, client_for, olga, today, stored, shown):
    Plan.objects.filter(code="zones-2023-2025").update(status=stored)
    with time_machine.travel(today, tick=False):
        rows = client_for(olga).get("/api/v1/plans/").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert [row["status"] for row in rows if row["code"] == "zones-2023-2025"] == [shown]
