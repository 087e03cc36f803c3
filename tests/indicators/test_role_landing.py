"""Each role lands where its work is, and the to-do's headline counts what that role can act on."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import DispatchReport, ReportingPeriod
from indicators.reporting.services import ReportInput, report_save
from indicators.selectors import report_slots
from tasks.models import Task


@pytest.mark.parametrize(
    ("persona", "where"),
    [
        ("alice", "/todo/"),
        ("sam", "/todo/"),
        ("rita", "/todo/#waiting"),
        ("leo", "/zones/lufeng/"),
        ("olga", None),
    ],
)
def test_it_lands_each_role_where_its_work_is(request, client_for, persona, where):
    response = client_for(request.getfixturevalue(persona)).get("/")
    if where is None:
        assert response.status_code == 200 and "三年行动总览" in response.content.decode()
    else:
        assert (response.status_code, response.url) == (302, where)


def _zone_submitted(plan, sam):
    report = DispatchReport.objects.create(
        zone=plan["lufeng"], period=ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)
    )
    values = {slot.key: (Decimal(1), None) for slot in report_slots(report) if not slot.is_milestone}
    report_save(
        report=report,
        user=sam,
        data=ReportInput(work_done="已核实", values=values),
        version=report.version,
        submit=True,
    )
    DispatchReport.objects.create(
        zone=plan["lufeng"], period=ReportingPeriod.objects.get(cadence="monthly", year=2024, index=4)
    )


def test_it_counts_a_leaders_approvals_not_the_statisticians_fill_items(plan, sam, leo, client_for):
    _zone_submitted(plan, sam)
    html = client_for(leo).get(reverse("todo")).content.decode()
    headline = html[html.index('id="todo-headline"') :].split("</p>", 1)[0]
    assert "待审核 1 项" in headline
    assert "待填报" not in headline
    statistician = client_for(sam).get(reverse("todo")).content.decode()
    assert "待填报 1 项" in statistician[statistician.index('id="todo-headline"') :].split("</p>", 1)[0]


def test_it_counts_a_reviewers_waiting_reports(plan, alice, rita, client_for):
    report = DispatchReport.objects.create(
        department=plan["ndrc"],
        task=Task.objects.get(number=14),
        period=ReportingPeriod.objects.get(cadence="monthly", year=2023, index=3),
    )
    report_save(
        report=report,
        user=alice,
        data=ReportInput(progress="in_progress", work_done="推进中"),
        version=report.version,
        submit=True,
    )
    html = client_for(rita).get(reverse("todo")).content.decode()
    headline = html[html.index('id="todo-headline"') :].split("</p>", 1)[0]
    assert "待审核 1 项" in headline and "待填报" not in headline
