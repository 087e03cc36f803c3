"""The project page's 项目阶段 select offers only the stages the rules allow from the project's own (its next stage,
or 退出); it offered all five, going back and skipping included. A choice the page does not offer, posted all the
same, is still refused by the service, with its reason, and changes nothing."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from projects import services
from projects.models import Project, Stage

pytestmark = pytest.mark.django_db


def _offered(client_for, user, project) -> list[str]:
    response = client_for(user).get(project.get_absolute_url())
    assert response.status_code == 200
    select = re.search(r'<select name="stage"[^>]*>(.*?)</select>', response.content.decode(), re.S)
    return re.findall(r'<option value="([^"]*)"', select.group(1)) if select else []


def test_it_offers_the_next_stage_and_exit_only(make_project, client_for, olga):
    project = make_project()
    assert _offered(client_for, olga, project) == [Stage.SIGNED, Stage.EXITED]
    services.project_stage_set(project=project, user=olga, stage=Stage.SIGNED, on=date(2026, 5, 1))
    assert _offered(client_for, olga, project) == [Stage.LANDED, Stage.EXITED]
    for stage, on in ((Stage.LANDED, date(2026, 6, 1)), (Stage.STARTED, date(2026, 7, 1))):
        services.project_stage_set(project=project, user=olga, stage=stage, on=on)
    assert _offered(client_for, olga, project) == [Stage.COMPLETED, Stage.EXITED]


def test_a_completed_or_exited_project_offers_no_stage_and_says_why(make_project, client_for, olga):
    project = make_project()
    services.project_stage_set(project=project, user=olga, stage=Stage.EXITED, on=None, reason="企业资金链断裂")
    page = client_for(olga).get(project.get_absolute_url()).content.decode()
    assert 'id="stage-form"' not in page
    assert "项目已退出，不能再变更阶段。" in page


@pytest.mark.parametrize(
    ("forged", "reason"),
    [
        (Stage.STARTED, "阶段不能跳过"),
        (Stage.SIGNED, "不能回到“签约”"),
        (Stage.RESERVE, "未能变更项目阶段，请按提示修改后重试"),
    ],
)
def test_a_forged_stage_is_still_refused_with_its_reason(make_project, client_for, olga, forged, reason):
    """Skipping to 开工, going back to 储备 or staying at 签约: none is offered, each posted is refused by the rule."""
    project = make_project()
    services.project_stage_set(project=project, user=olga, stage=Stage.SIGNED, on=date(2026, 5, 1))
    assert forged not in _offered(client_for, olga, project)
    with time_machine.travel(date(2026, 12, 1)):
        response = client_for(olga).post(
            reverse("project-stage", args=[project.code]), {"stage": forged, "on": "2026-06-01"}
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert reason in page
    project = Project.objects.get(pk=project.pk)
    assert (project.stage, project.landed_on, project.started_on) == (Stage.SIGNED, None, None)
    # The page shown again still offers only what the rules allow.
    select = re.search(r'<select name="stage"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)"', select) == [Stage.LANDED, Stage.EXITED]


def test_the_service_refuses_what_the_page_does_not_offer(make_project, olga):
    project = make_project()
    assert services.stages_allowed(project) == [Stage.SIGNED, Stage.EXITED]
    for stage in (Stage.LANDED, Stage.STARTED, Stage.COMPLETED, Stage.RESERVE):
        with pytest.raises(services.ProjectError) as error:
            services.project_stage_set(project=project, user=olga, stage=stage, on=date(2026, 5, 1))
        assert "stage" in error.value.errors
    assert Project.objects.get(pk=project.pk).stage == Stage.RESERVE
