"""A refused baseline change names the milestone whose form failed and each problem by its field's label, never
the form's raw field names."""

from datetime import date

import pytest

from projects.models import Milestone

pytestmark = pytest.mark.django_db


def test_it_names_the_milestone_and_the_fields_label_of_a_refused_change(client_for, olga, listed):
    land = listed.listings.get(year=2026).milestones.get(kind=Milestone.Kind.LAND)
    response = client_for(olga).post(
        f"/projects/{listed.code}/rebaseline/",
        {"milestone": land.pk, "planned_on": "2026-07-31", "reason": "", "seen": "2026-06-30"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "2026年“供地”的基线未调整：" in page
    assert "<li>调整原因：该字段是必填项。</li>" in page
    assert "<li>reason" not in page
    land.refresh_from_db()
    assert land.planned_on == date(2026, 6, 30)


def test_it_shows_the_services_refusal_beside_the_fields_label(client_for, olga, listed):
    land = listed.listings.get(year=2026).milestones.get(kind=Milestone.Kind.LAND)
    response = client_for(olga).post(  # after the planned 开工 (9/30): out of the stages' order
        f"/projects/{listed.code}/rebaseline/",
        {"milestone": land.pk, "planned_on": "2026-10-31", "reason": "延后", "seen": "2026-06-30"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "<li>新的计划日期：倒排工期的阶段节点应按" in page and "<li>planned_on" not in page
