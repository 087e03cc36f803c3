"""The responsibility cycle's pages and blocks run the same number of queries with 1 or 30 items."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supervision import services
from supervision.models import SupervisionItem, TaskList, WorkItem
from tasks.models import Department, Task

MAX_QUERIES = 24  # the zone page also carries the key projects and the evaluation losses (fixed counts)


def _fill(plan, olga, zack, upload, samples, count: int) -> None:
    task_list, _created = TaskList.objects.get_or_create(year=2026, defaults={"state": TaskList.State.ADOPTED})
    draft, _created = TaskList.objects.get_or_create(year=2027)  # the office's page has a form for each item
    units = list(Department.objects.filter(kind="prefecture")[:3])
    for n in range(count):
        item = services.supervision_issue(
            user=olga,
            body=plan["lufeng"],
            source="instruction",
            requirement=f"事项{count}-{n}",  # the second fill's items are not the first's sent again
            deadline=date(2026, 12, 10),
            today=date(2026, 12, 1),
        )
        services.supervision_answer(
            item=item, user=zack, text="见附件", files=[upload(f"{n}.pdf", samples["pdf"])], today=date(2026, 12, 2)
        )
        work = WorkItem.objects.create(
            task_list=task_list,
            task=Task.objects.get(number=1 + n % 26),
            title=f"工作{n}",
            zone=plan["lufeng"],
            due_date=date(2026, 11, 30),
            evidence_required="文件",
        )
        work.co_departments.set(units)
        WorkItem.objects.create(
            task_list=draft,
            task=work.task,
            title=f"草案{n}",
            zone=plan["lufeng"],
            due_date=date(2027, 11, 30),
            evidence_required="文件",
        ).co_departments.set(units)
        services.work_report_file(
            work_item=work,
            user=zack,
            progress="in_progress",
            text="推进中",
            files=[upload(f"w{n}.pdf", samples["pdf"])],
        )
    services.letter_create(zone=plan["lufeng"], year=2025)


@pytest.mark.parametrize("who", ["olga", "zack", "zoe"])
def test_the_pages_keep_a_fixed_number_of_queries(
    request, who, plan, olga, zack, zoe, upload, samples, private_storage, client_for, settings
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    counts = []
    for size in (1, 30):
        _fill(plan, olga, zack, upload, samples, size if not counts else size - 1)
        urls = [
            "/todo/",
            "/supervision/",
            "/work-items/",
            "/task-lists/2026/",
            "/task-lists/2027/",
            "/letters/",
            "/zones/lufeng/",
            WorkItem.objects.order_by("pk").first().get_absolute_url(),
            SupervisionItem.objects.order_by("pk").first().get_absolute_url(),
        ]
        client = client_for(request.getfixturevalue(who))
        measured = {}
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, url
            measured[url] = len(queries)
        counts.append(measured)
    assert counts[0] == counts[1]
    assert max(counts[1].values()) <= MAX_QUERIES, counts[1]
