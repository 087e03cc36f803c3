"""A target's own page (/targets/<pk>/): the target as the plan sets it and its progress results over time, for
whoever reads its results on its task's page; the task and zone pages link each target row's name to it."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from chuxiong_portal.roles import Role
from chuxiong_portal.services import user_create
from indicators.models import ProgressResult, ReportingPeriod, Target
from pages.dashboards import fmt_number
from tests.conftest import PASSWORD

TODAY = date(2026, 12, 1)


@pytest.fixture
def target(plan):
    """A 禄丰 share target (a rate, in %) of a task, with the office's note, its wording, and two results: green in
    March, red in June."""
    target = (
        Target.objects.filter(zone=plan["lufeng"], indicator__task__isnull=False, indicator__kind="share")
        .select_related("indicator__task")
        .order_by("pk")
        .first()
    )
    target.wording, target.note = "方案原文：不低于<某值>", "州开发区办按园区分解"
    target.save()
    for index, status, reason in ((3, "green", "一季度达到序时进度"), (6, "red", "上半年完成率不足八成")):
        ProgressResult.objects.create(
            target=target,
            period=ReportingPeriod.objects.get(cadence="monthly", year=target.year, index=index),
            status=status,
            actual=Decimal("12.5") * index,
            expected=Decimal("20") * index,
            reason=reason,
        )
    return target


def _page(client, target):
    return client.get(target.get_absolute_url())


@time_machine.travel(TODAY, tick=False)
def test_it_shows_the_target_and_its_results_newest_first_to_the_office(client_for, olga, target):
    response = _page(client_for(olga), target)
    page = response.content.decode()
    assert response.status_code == 200
    assert target.indicator.name in page and f"/tasks/{target.indicator.task.number}/" in page
    assert "方案原文：不低于&lt;某值&gt;" in page and "州开发区办按园区分解" in page
    results = page.split('id="target-results"')[1]
    assert results.index("上半年完成率不足八成") < results.index("一季度达到序时进度")
    assert 'class="status red">滞后' in results and 'class="status green">达到序时进度' in results
    assert fmt_number(Decimal(75), target.indicator.unit) in results  # the June actual, in the indicator's unit


@time_machine.travel(TODAY, tick=False)
def test_a_unit_and_the_zones_own_users_open_it(client_for, alice, zack, leo, target):
    for user in (alice, zack, leo):
        assert _page(client_for(user), target).status_code == 200, user.username


@time_machine.travel(TODAY, tick=False)
def test_another_zones_user_is_refused_in_words(client_for, plan, target):
    wanda = user_create(username="wanda", password=PASSWORD, role=Role.ZONE_LEADER, zone=plan["wuding"])
    response = _page(client_for(wanda), target)
    assert response.status_code == 403 and "无权查看禄丰" in response.content.decode()
    assert "上半年完成率不足八成" not in response.content.decode()


def test_a_target_that_does_not_exist_is_a_404(client_for, olga, plan):
    assert client_for(olga).get("/targets/999999/").status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_the_task_and_zone_pages_link_each_target_to_its_page_for_every_reader(client_for, olga, alice, leo, target):
    link = f'<a class="target-name" href="{target.get_absolute_url()}">{target.indicator.name}</a>'
    task_url = f"/tasks/{target.indicator.task.number}/"
    for user in (olga, alice, leo):
        assert link in client_for(user).get(task_url).content.decode(), user.username
    for user in (olga, leo):
        assert link in client_for(user).get("/zones/lufeng/").content.decode(), user.username
