"""The dispatch bulletin's 重点项目 section: progress, slippage with the numbers, problems."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from indicators.models import ReportingPeriod
from indicators.reporting.services import periods_generate
from tasks.selectors import plan_in_force

pytestmark = pytest.mark.django_db


def test_the_bulletin_shows_slipping_projects_as_of_its_period(listed, client_for, olga, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    periods_generate(plan=plan_in_force(), years=[2026])
    march = ReportingPeriod.objects.get(cadence="monthly", year=2026, index=3)
    april = ReportingPeriod.objects.get(cadence="monthly", year=2026, index=4)
    client = client_for(olga)
    with time_machine.travel(date(2026, 12, 1)):
        in_march = client.get(reverse("bulletin") + f"?period={march.pk}").content.decode()
        in_april = client.get(reverse("bulletin") + f"?period={april.pk}").content.decode()
    section = in_march.split('id="bulletin-projects"')[1]
    assert "2026年度重点项目建设清单共1个项目" in section
    assert "签约计划" not in section  # not yet due at the end of March
    section = in_april.split('id="bulletin-projects"')[1]
    assert "禄丰光伏组件项目" in section and "签约计划2026年3月31日，已逾期30天" in section
