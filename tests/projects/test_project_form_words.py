"""The project form answers in the service's words: a total not above 0 and a code taken are refused on their field
as `services.project_create` words them, never with a database constraint's name or Django's stock sentence."""

import pytest
from django.urls import reverse

from projects.models import Project

pytestmark = pytest.mark.django_db


def _post(client, plan, **over):
    data = {
        "code": "new-1",
        "name": "新项目",
        "zone": plan["lufeng"].pk,
        "kind": "industrial",
        "total_investment": "100",
    }
    return client.post(reverse("project-create"), {**data, **over})


@pytest.mark.parametrize("total", ["-5", "0"])
def test_it_refuses_a_total_not_above_zero_in_the_services_words(client_for, olga, plan, total):
    response = _post(client_for(olga), plan, total_investment=total)
    page = response.content.decode()
    assert response.status_code == 400
    assert "总投资必须大于0。" in page and "project_total_positive" not in page
    assert not Project.objects.filter(code="new-1").exists()


def test_it_refuses_a_code_taken_in_the_services_words(client_for, olga, plan, make_project):
    make_project(code="taken-1")
    response = _post(client_for(olga), plan, code="taken-1")
    page = response.content.decode()
    assert response.status_code == 400
    assert "项目编号“taken-1”已被使用。" in page and "已存在" not in page
