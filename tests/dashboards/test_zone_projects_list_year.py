"""The zone page's 重点项目 panel reads the list in force, as the to-do does: in January 2027, before a 2027 list is
drawn up, 禄丰's leader read 「2027年度重点项目建设清单共0个项目…滞后0个」 on the zone page while their to-do listed the
2026 list's overdue milestones."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from projects import services
from projects.models import Milestone, Project


def _zone_panel(client) -> str:
    page = client.get(reverse("zone-detail", args=["lufeng"])).content.decode()
    return page.split('id="zone-projects"')[1].split("</section>")[0]


@pytest.fixture
def listed_2026(plan, olga):
    """A 禄丰 project on the 2026 list, to sign by 31 March 2026 (and never signed)."""
    project = services.project_create(
        user=olga,
        data={
            "code": "p-zone-year",
            "name": "禄丰光伏组件项目",
            "zone": plan["lufeng"],
            "kind": Project.Kind.INDUSTRIAL,
            "total_investment": Decimal("10000"),
            "lead_unit": plan["ndrc"],
        },
        today=date(2026, 1, 10),
    )
    services.listing_adopt(
        project=project,
        user=olga,
        year=2026,
        planned_investment=Decimal("1200"),
        milestones={Milestone.Kind.SIGNED: date(2026, 3, 31)},
    )
    return project


@pytest.mark.parametrize("today", [date(2026, 12, 6), date(2027, 1, 15), date(2027, 3, 1)])
def test_it_shows_the_list_in_force_on_the_zone_page_before_next_years_is_drawn_up(
    client, leo, listed_2026, settings, today
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    with time_machine.travel(today):
        client.force_login(leo)
        panel = _zone_panel(client)
    assert "2026年度重点项目建设清单共1个项目" in panel
    assert "禄丰光伏组件项目" in panel and f"逾期{(today - date(2026, 3, 31)).days}天" in panel
    assert "2027年度" not in panel
