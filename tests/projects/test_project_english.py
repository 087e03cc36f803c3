"""In English the key-project pages show no Chinese but names and what users typed (tests/test_i18n.py)."""

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from parks.models import IndustryCluster, Zone
from projects import services
from projects.models import Milestone, Project
from projects.templatetags.project_tags import change_reason
from tasks.models import Department, Plan, Task

CJK = re.compile(r"[\u4e00-\u9fff]+")
KEEP_CHINESE = {"简体中文"}  # the language switch names Chinese in Chinese
TYPED = ["场平完成60%", "用地指标未落实", "请协调用地指标", "企业推迟签约"]


@pytest.fixture
def busy(listed, alice, olga, plan):
    """禄丰's listed project with a rebaselined 开工 date, a stage reached and a report with a problem and a
    request to 州商务局."""
    started = listed.listings.get(year=2026).milestones.get(kind=Milestone.Kind.STARTED)
    services.milestone_rebaseline(milestone=started, user=olga, planned_on=date(2026, 10, 31), reason="企业推迟签约")
    services.project_stage_set(project=listed, user=olga, stage="signed", on=date(2026, 3, 1), today=date(2026, 3, 2))
    with time_machine.travel(date(2026, 3, 20)):
        report = services.project_report_open(project=listed, user=alice)
        return services.project_report_save(
            report=report,
            user=alice,
            version=report.version,
            submit=True,
            today=date(2026, 3, 20),
            data=services.ProjectReportInput(
                investment_period=Decimal("120"),
                investment_to_date=Decimal("120"),
                image_progress=TYPED[0],
                problems=TYPED[1],
                coordination=TYPED[2],
                coordination_unit_id=plan["commerce"].pk,
            ),
        )


def _chinese_left(html, project):
    """The Chinese words of the page once names (project, zones, units, clusters, tasks, the plan's title and
    document number) and typed text are taken out."""
    plans = [text for plan in Plan.objects.all() for text in (plan.title, plan.document_number)]
    names = [
        project.name,
        *TYPED,
        *plans,
        *Zone.objects.values_list("name", flat=True),
        *Zone.objects.exclude(short_name="").values_list("short_name", flat=True),  # the Gantt's names: 项目（禄丰）
        *Department.objects.values_list("name", flat=True),
        *IndustryCluster.objects.values_list("name", flat=True),
        *Task.objects.values_list("title", flat=True),
    ]
    for name in sorted(names, key=len, reverse=True):
        html = html.replace(name, "")
    return set(CJK.findall(html)) - KEEP_CHINESE


@pytest.mark.parametrize(
    "page,english",
    [
        ("project-board", ["Key projects", "Red", "<th>Project</th>"]),
        ("project-detail", ["Change log", "Entered in the reserve pool", "Signed"]),
        ("project-report-detail", ["Physical progress", "Problems", "second half of 3/2026"]),
    ],
)
def test_the_english_pages_show_no_chinese_but_names_and_typed_text(
    page, english, busy, listed, client_for, olga, settings
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    client = client_for(olga)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    args = {"project-board": [], "project-detail": [listed.code], "project-report-detail": [busy.pk]}[page]
    with time_machine.travel(date(2026, 12, 1)):
        response = client.get(reverse(page, args=args) + ("?year=2026" if page == "project-board" else ""))
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en">' in html
    assert _chinese_left(html, listed) == set()
    for text in english:
        assert text in html, text


def test_history_reasons_are_shown_in_the_readers_language_and_typed_ones_as_typed():
    with translation.override("en"):
        assert change_reason("入库（储备）") == "Entered in the reserve pool"
        assert change_reason("调整基线：2026-09-30 → 2026-10-31，企业推迟签约") == (
            "Baseline changed: 30 Sep 2026 → 31 Oct 2026, 企业推迟签约"
        )
        assert change_reason("进入“签约”阶段") == gettext("进入“%(stage)s”阶段") % {"stage": "Signed"}
        assert "签约" not in change_reason("进入“签约”阶段")
        assert change_reason("企业要求延期") == "企业要求延期"
        assert change_reason("") == change_reason(None) == ""
    with translation.override("zh-hans"):
        assert change_reason("入库（储备）") == "入库（储备）"


def test_the_reasons_an_english_speaking_office_writes_are_kept_in_the_portals_language(
    client_for, olga, plan, settings
):
    """An office working in English creates a project on the page, moves its stage and lists it: the history keeps
    the services' reasons in Chinese, the portal's language, and each reader reads them in their own."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    client = client_for(olga)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = {
        "code": "en-1",
        "name": "英文办公",
        "zone": plan["lufeng"].pk,
        "kind": "industrial",
        "total_investment": "100",
    }
    response = client.post(reverse("project-create"), data)
    assert response.status_code == 302
    project = Project.objects.get(code="en-1")
    with translation.override("en"):
        services.project_stage_set(
            project=project, user=olga, stage="signed", on=date(2026, 3, 1), today=date(2026, 3, 2)
        )
        services.project_stage_set(project=project, user=olga, stage="exited", on=None, reason="企业撤资")
    reasons = list(project.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons == ["入库（储备）", "进入“签约”阶段", "退出：企业撤资"]
    english = client.get(project.get_absolute_url()).content.decode()
    for text in ("Entered in the reserve pool", "Entered the &quot;Signed&quot; stage", "Exit: 企业撤资"):
        assert text in english, text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = client.get(project.get_absolute_url()).content.decode()
    assert "Entered in the reserve pool" not in chinese
    for text in ("入库（储备）", "进入“签约”阶段", "退出：企业撤资"):
        assert text in chinese, text
