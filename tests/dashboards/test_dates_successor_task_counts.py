"""The overview and the bulletin count the tasks and programmes of the plan they show, on any date: 六大工程与26项任务
for 2023–2025, the successor's own numbers once it is in force (2026–2028), never the first plan's 26 again."""

import io
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation
from docx import Document

from chuxiong_portal import pagecache
from indicators.reporting.services import reports_open
from pages.dashboards.overview import task_board
from tasks.models import Plan, Task

pytestmark = pytest.mark.django_db

SUCCESSOR = Path(__file__).parents[1] / "tasks" / "data" / "successor_plan_synthetic.json"


@pytest.fixture
def successor(plan):
    call_command("load_plan", str(SUCCESSOR), verbosity=0)
    Plan.objects.filter(code="zones-2023-2025").update(status=Plan.Status.CLOSED)
    Plan.objects.filter(code="synthetic-successor-2026-2028").update(status=Plan.Status.IN_FORCE)
    return Plan.objects.get(code="synthetic-successor-2026-2028")


def _pages(client_for, olga, day):
    with time_machine.travel(day, tick=False):
        pagecache.data_changed()
        reports_open(today=day)
        client = client_for(olga)
        overview = client.get("/overview/")
        bulletin = client.get("/bulletin/")
        assert overview.status_code == bulletin.status_code == 200
        period = bulletin.context["period"] if bulletin.context else None
        docx = client.get(f"/bulletin/{period.pk}.docx") if period else None
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs) if docx else ""
    return overview.content.decode(), bulletin.content.decode(), text


@pytest.mark.parametrize("day", [date(2024, 6, 15), date(2026, 1, 5), date(2026, 12, 7)])
def test_the_first_plan_reads_six_programmes_and_26_tasks(plan, olga, client_for, day):
    overview, bulletin, docx = _pages(client_for, olga, day)
    assert "六大工程与26项任务" in overview and "26项任务状态分布" in overview
    assert "26项任务中" in bulletin
    assert not docx or "26项任务中" in docx


@pytest.mark.parametrize("day", [date(2027, 3, 1), date(2028, 1, 2)])
def test_the_successor_in_force_reads_its_own_counts(successor, olga, client_for, day):
    overview, bulletin, docx = _pages(client_for, olga, day)
    assert "两大工程与2项任务" in overview and "2项任务状态分布" in overview
    assert "26项任务" not in overview and "六大工程" not in overview
    assert "2项任务中，进展正常" in bulletin and "26项任务" not in bulletin
    assert "2项任务中，进展正常" in docx and "26项任务" not in docx


def test_a_reader_in_english_reads_the_figures(plan):
    statuses = {
        task.number: {"task": task, "status": "grey", "red_targets": [], "red_count": 0, "delayed_reports": []}
        for task in Task.objects.filter(programme__plan__code="zones-2023-2025")
    }
    with translation.override("zh-hans"):
        assert task_board(statuses)["title"] == "六大工程与26项任务"
    with translation.override("en"):
        assert "26" in task_board(statuses)["title"] and "六" not in task_board(statuses)["title"]
