"""The demo project list: every zone has projects, all labelled as demo, all passing the projects' own rules."""

from datetime import date

import pytest

from projects import rules, selectors, services
from projects.models import Listing, Milestone, Project, Stage
from tools.demo_projects import demo_projects_clear, demo_projects_load

pytestmark = pytest.mark.django_db


def test_the_demo_projects_are_plausible_and_labelled(plan):
    assert demo_projects_load() == 16
    projects = list(Project.objects.all())
    assert {p.zone.code for p in projects} == {"chuxiong-hitech", "lufeng", "wuding", "mouding"}
    assert all(p.is_demo and p.name.startswith("【演示】") for p in projects)
    for project in projects:
        data = {
            name: getattr(project, name)
            for name in ("stage", "exit_reason", "signed_on", "landed_on", "started_on", "completed_on")
        }
        assert services.stage_dates_errors(data, date(2026, 12, 1)) == [], project.code
        assert services.completed_investment(project) <= project.total_investment
    rows = selectors.board_rows(year=2026, today=date(2026, 12, 1))
    # On 2026's list: the 12 projects past the reserve pool but those in production (投产) before 2026.
    building = {
        p.pk for p in projects if p.stage != Stage.RESERVE and not (p.completed_on and p.completed_on.year < 2026)
    }
    assert len(building) == 8 and {row.project.pk for row in rows} == building
    assert {row.status for row in rows} <= {"green", "amber", "red"}
    # No year's baseline plans a milestone the project had reached before that year (开工, 七通一平 with it).
    for milestone in Milestone.objects.select_related("listing__project"):
        reached = selectors.milestone_actual(milestone, milestone.listing.project)
        assert not (reached and reached.year < milestone.listing.year), (milestone.listing, milestone.kind)
    # Each year's baseline as the list takes it: its dates in its year, in the actual dates' order (七通一平 by 开工),
    # and the years' plans within the project's total.
    for listing in Listing.objects.prefetch_related("milestones"):
        planned = {m.kind: m.planned_on for m in listing.milestones.all()}
        assert services.baseline_order_error(planned) is None, (listing, planned)
        assert not any(rules.baseline_out_of_range(listing.year, on) for on in planned.values()), (listing, planned)
    for project in projects:
        plans = project.listings.values_list("planned_investment", flat=True)
        assert not rules.investment_plans_over_total(plans, project.total_investment), project.code
    # One 变更记录 row each, saying it is demo data (nobody wrote it), not two anonymous rows without a reason.
    for project in projects:
        assert [(h.history_user, h.history_change_reason) for h in project.history.all()] == [(None, "演示数据")]
    demo_projects_clear()
    assert not Project.objects.exists()


def test_it_shows_the_demo_lead_person_once_bracketed(plan, olga, client_for):
    """The page wraps the lead person in （）: a demo value of its own in （） read 「（（演示）项目专班负责人）」."""
    demo_projects_load()
    project = Project.objects.filter(lead_person__gt="").first()
    page = client_for(olga).get(project.get_absolute_url()).content.decode()
    assert f"（{project.lead_person}）" in page
    assert "（（" not in page and "））" not in page
