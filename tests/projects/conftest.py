"""Project fixtures: a project maker and a listed project with a 倒排工期 baseline."""

from datetime import date
from decimal import Decimal

import pytest

from projects import services
from projects.models import Milestone, Project


@pytest.fixture
def make_project(plan, olga):
    counter = iter(range(1, 10_000))

    def make(
        *,
        zone=None,
        kind=Project.Kind.INDUSTRIAL,
        total=Decimal("10000"),
        lead_unit=None,
        extra_today=date(2026, 12, 1),
        **extra,
    ):
        number = next(counter)
        data = {
            "code": extra.pop("code", f"p-{number:04d}"),
            "name": extra.pop("name", f"测试项目{number}"),
            "zone": zone or plan["lufeng"],
            "kind": kind,
            "total_investment": total,
            "lead_unit": lead_unit,
            **extra,
        }
        return services.project_create(user=olga, data=data, today=extra_today)

    return make


@pytest.fixture
def make_listed(make_project, olga, plan):
    """A 2026 project of 禄丰 led by 州发展改革委 on the year's list (plan 1200万元) with the given baseline dates."""

    def make(milestones: dict, name: str = "禄丰光伏组件项目"):
        project = make_project(name=name, lead_unit=plan["ndrc"])
        services.listing_adopt(
            project=project, user=olga, year=2026, planned_investment=Decimal("1200"), milestones=milestones
        )
        return project

    return make


@pytest.fixture
def listed(make_listed):
    """Planned to sign by 3/31, land by 6/30 and start by 9/30."""
    return make_listed(
        {
            Milestone.Kind.SIGNED: date(2026, 3, 31),
            Milestone.Kind.LAND: date(2026, 6, 30),
            Milestone.Kind.STARTED: date(2026, 9, 30),
        }
    )
