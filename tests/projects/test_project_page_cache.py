"""The page cache watches the projects app's tables: a write to them serves a fresh board."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from chuxiong_portal import pagecache
from projects.models import ProjectInvestment

pytestmark = pytest.mark.django_db


def test_the_projects_tables_are_data_tables():
    tables = pagecache._data_tables()
    assert {
        "projects_project",
        "projects_listing",
        "projects_milestone",
        "projects_projectinvestment",
        "projects_projectreport",
        "projects_historicalproject",
    } <= tables


def test_a_write_to_a_project_table_invalidates_the_cached_board(listed, client_for, olga, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 3600
    client = client_for(olga)
    url = reverse("project-board") + "?year=2026"
    body = lambda: client.get(url).content.decode().partition("<h1>")[2]  # noqa: E731 (the shell has a CSRF token)
    with time_machine.travel(date(2026, 2, 10)):
        first = body()
        assert body() == first
        assert 'data-status="red"' in first  # nothing done against January's 序时进度
        ProjectInvestment.objects.create(project=listed, year=2026, month=1, amount=Decimal("100"))
        second = body()
    assert 'data-status="green"' in second
