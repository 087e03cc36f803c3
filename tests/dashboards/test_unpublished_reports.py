"""Zone users read other units' and zones' reports only once approved, on the pages too (not only at /reports/<id>/).

The task page and the unit page are cached bodies: one copy served to every reader would show a zone leader what an
office reader saw. Each test reads the page first as a reader who may see everything (so that a body shared by all
readers would be in the cache), then as the zone leader, who must not get that body.
"""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from indicators.models import DispatchReport, ReportingPeriod
from tasks.models import Task

TODAY = date(2024, 5, 20)


@pytest.fixture
def reports(plan):
    """ndrc's reports on task 14: March approved, April submitted (delayed, with a reason), May a draft."""
    task = Task.objects.get(number=14)

    def make(index, state, **fields):
        period = ReportingPeriod.objects.get(cadence="monthly", year=2024, index=index)
        return DispatchReport.objects.create(task=task, period=period, state=state, **fields)

    submitted = {"first_submitted_at": "2024-04-01T10:00:00+08:00", "submitted_at": "2024-04-01T10:00:00+08:00"}
    return {
        "approved": make(
            3, DispatchReport.State.APPROVED, department=plan["ndrc"], progress="in_progress", **submitted
        ),
        "submitted": make(
            4,
            DispatchReport.State.SUBMITTED,
            department=plan["ndrc"],
            progress="delayed",
            delay_reason="UNPUBLISHED-DELAY-REASON",
            **submitted,
        ),
        "draft": make(5, DispatchReport.State.DRAFT, department=plan["ndrc"]),
    }


def _links(html: str, reports: dict) -> set[str]:
    return {name for name, report in reports.items() if f"/reports/{report.pk}/" in html}


@pytest.mark.parametrize("first", ["olga", "rita"])
def test_the_task_page_shows_a_zone_leader_only_published_and_own_zone_reports(first, reports, olga, rita, leo, client):
    url = reverse("task-detail", args=[14])
    with time_machine.travel(TODAY):
        client.force_login({"olga": olga, "rita": rita}[first])
        everything = client.get(url).content.decode()
        client.force_login(leo)
        html = client.get(url).content.decode()
    assert _links(everything, reports) == set(reports)  # the office and the units see every report
    assert "UNPUBLISHED-DELAY-REASON" in everything
    assert _links(html, reports) == {"approved"}
    assert "UNPUBLISHED-DELAY-REASON" not in html
    assert "草稿" not in html.split('id="timeline"')[1]  # no draft cell in the grid either
    # The zone leader's grid says why cells are empty; the office's has none to explain.
    note = "州级单位的报告审核通过后才向开发区公开"
    assert note in html and note not in everything


def test_the_unit_page_lists_a_zone_leader_no_unpublished_report(reports, olga, leo, client):
    url = reverse("department-detail", args=["ndrc"])
    with time_machine.travel(TODAY):
        client.force_login(olga)
        everything = client.get(url).content.decode()
        client.force_login(leo)
        html = client.get(url).content.decode()
    assert "draft" in _links(everything, reports)  # what the unit owes: its draft
    assert _links(html, reports) == set()


def test_a_zone_leader_reads_the_office_page_again_after_the_zone_leader(reports, olga, leo, client):
    # The other way round: the zone leader's filtered body is not served to the office either.
    url = reverse("task-detail", args=[14])
    with time_machine.travel(TODAY):
        client.force_login(leo)
        client.get(url)
        client.force_login(olga)
        html = client.get(url).content.decode()
    assert _links(html, reports) == set(reports)


def test_the_task_page_shows_a_zone_leader_the_results_of_shared_and_own_zone_targets_only(plan, olga, leo, client):
    # Results count submitted, not yet approved values: a zone user reads their own zone's and the shared ones
    # (indicators.selectors.results_visible_to), as in the API.
    from indicators.models import Target

    target = (
        Target.objects.filter(zone=plan["wuding"], indicator__task__isnull=False)
        .select_related("indicator__task")
        .first()
    )
    own = Target.objects.filter(zone=plan["lufeng"], indicator__task=target.indicator.task).exists()
    url = reverse("task-detail", args=[target.indicator.task.number])
    with time_machine.travel(TODAY):
        client.force_login(olga)
        everything = client.get(url).content.decode().split('id="targets"')[1].split("</section>")[0]
        client.force_login(leo)
        html = client.get(url).content.decode().split('id="targets"')[1].split("</section>")[0]
    assert plan["wuding"].get_absolute_url() in everything
    assert plan["wuding"].get_absolute_url() not in html
    assert (plan["lufeng"].get_absolute_url() in html) == own
