"""The task-8 rules judge the plan's years only: an evaluation of a year after the plan has ended raises no flags."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from assessments.models import Flag
from assessments.services import flags_recompute
from chuxiong_portal.services import sync_client_create
from tasks.models import Plan

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def sync(plan):
    _user, key = sync_client_create(name="province-stats")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _rows(year, ranks, total=66):
    return [{"year": year, "zone": zone, "rank": rank, "total_zones": total} for zone, rank in ranks.items()]


@time_machine.travel(datetime(2026, 12, 6, 10, tzinfo=SHANGHAI), tick=False)
def test_it_raises_no_flags_for_an_evaluation_after_the_plans_last_year(sync, django_capture_on_commit_callbacks):
    rows = _rows(2025, {"lufeng": 10, "wuding": 63}) + _rows(2026, {"lufeng": 10, "wuding": 64})
    with django_capture_on_commit_callbacks(execute=True):
        response = sync.post("/api/v1/rankings/bulk/", rows, format="json")
    assert response.status_code == 200, response.json()
    # The 2026 ranking is kept (rankings are facts shared by plans) but the 2023—2025 plan does not judge it.
    assert len(sync.get("/api/v1/rankings/?year=2026").json()["results"]) == 2
    assert not Flag.objects.filter(year=2026).exists()
    assert sync.get("/api/v1/flags/?year=2026").json()["results"] == []
    # The plan's last year is still judged, its ranking published the year after.
    assert Flag.objects.filter(year=2025, zone__code="wuding", rule="bottom_five", outcome="fired").exists()


@time_machine.travel(datetime(2027, 6, 1, 10, tzinfo=SHANGHAI), tick=False)
def test_it_withdraws_flags_raised_earlier_for_a_year_after_the_plan(sync, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sync.post("/api/v1/rankings/bulk/", _rows(2025, {"wuding": 63}) + _rows(2026, {"wuding": 64}), format="json")
    stray = Flag.objects.create(
        zone_id=Flag.objects.get(year=2025, rule="bottom_five").zone_id,
        year=2026,
        rule="bottom_five",
        consequence="进行通报",
        responsible_party="武定县人民政府",
    )
    flags_recompute()
    stray.refresh_from_db()
    assert stray.state == Flag.State.WITHDRAWN
    assert not Flag.objects.filter(year=2026).exclude(state=Flag.State.WITHDRAWN).exists()


@time_machine.travel(datetime(2026, 12, 6, 10, tzinfo=SHANGHAI), tick=False)
def test_a_draft_successors_years_are_judged_only_once_it_is_put_in_force(
    sync, plan, django_capture_on_commit_callbacks
):
    successor = Plan.objects.create(
        code="cx-2026", title="后续方案", baseline_year=2025, first_year=2026, last_year=2028, goal_year=2028
    )
    assert successor.status == Plan.Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        sync.post("/api/v1/rankings/bulk/", _rows(2026, {"wuding": 64}), format="json")
    assert not Flag.objects.filter(year=2026).exists()

    Plan.objects.exclude(pk=successor.pk).update(status=Plan.Status.CLOSED)
    Plan.objects.filter(pk=successor.pk).update(status=Plan.Status.IN_FORCE)
    flags_recompute()
    assert Flag.objects.filter(year=2026, zone__code="wuding", rule="bottom_five", outcome="fired").exists()
