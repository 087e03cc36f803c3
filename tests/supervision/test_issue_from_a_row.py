"""督办单 issued from the row they follow up, as from a flag: an overdue work item (逾期工作事项) from its page,
a dispatch report's problems (报告反映的问题) from the report's page. The item links back to its row, the row's page
lists the items issued for it to those who may open them, only the office issues, and bad input writes nothing."""

from datetime import date

import pytest
import time_machine

from indicators.models import DispatchReport, ReportingPeriod
from supervision import services
from supervision.models import SupervisionItem, SupervisionStep
from tasks.models import Task

TODAY = date(2026, 12, 1)


@pytest.fixture
def report(plan):
    """ndrc's report on task 14, naming a problem."""
    return DispatchReport.objects.create(
        department=plan["ndrc"],
        task=Task.objects.get(number=14),
        period=ReportingPeriod.objects.get(cadence="monthly", year=2023, index=3),
        state=DispatchReport.State.SUBMITTED,
        problems="征地拆迁进度滞后",
    )


def _issue(client, source: str, row, body: str, **changes):
    data = {
        "source": source,
        "source_ref": str(row.pk),
        "source_text": "",
        "body": body,
        "requirement": "限期整改并反馈",
        "deadline": "2026-12-20",
        **changes,
    }
    return client.post(f"/supervision/new/?source={source}&ref={row.pk}", data)


def _issue_now(olga, source, row, body):
    return services.supervision_issue(
        user=olga,
        body=body,
        source=source,
        source_object=row,
        requirement="限期整改",
        deadline=date(2026, 12, 20),
        today=TODAY,
    )


# --------------------------------------------------------------------------- the service's rule


@pytest.mark.parametrize(
    "source,words",
    [
        (SupervisionItem.Source.OVERDUE_WORK_ITEM, "逾期工作事项的督办单须关联所出自的工作事项"),
        (SupervisionItem.Source.REPORT_PROBLEM, "报告反映的问题须关联所出自的调度报告"),
    ],
)
def test_it_refuses_a_work_item_or_report_source_without_its_row_or_with_another_kind(
    plan, olga, work_list, report, source, words
):
    _list, items = work_list
    wrong_row = report if source == SupervisionItem.Source.OVERDUE_WORK_ITEM else items["lufeng"]
    for row in (None, wrong_row):
        with pytest.raises(services.SupervisionError) as refused:
            _issue_now(olga, source, row, plan["lufeng"])
        assert words in refused.value.message and refused.value.field == "source"
    assert not SupervisionItem.objects.exists() and not SupervisionStep.objects.exists()


def test_it_refuses_a_work_item_not_overdue_and_a_report_without_problems(plan, olga, work_list, report):
    _list, items = work_list
    with pytest.raises(services.SupervisionError) as refused:  # 武定's item is due on 12-10
        _issue_now(olga, SupervisionItem.Source.OVERDUE_WORK_ITEM, items["wuding"], plan["wuding"])
    assert "该工作事项未逾期（完成时限：2026年12月10日）" in refused.value.message
    report.problems = "  "
    report.save()
    with pytest.raises(services.SupervisionError) as refused:
        _issue_now(olga, SupervisionItem.Source.REPORT_PROBLEM, report, plan["ndrc"])
    assert "该调度报告未填写存在问题" in refused.value.message
    assert not SupervisionItem.objects.exists()


def test_it_links_the_item_to_its_row(plan, olga, work_list, report):
    _list, items = work_list
    late = _issue_now(olga, SupervisionItem.Source.OVERDUE_WORK_ITEM, items["lufeng"], plan["lufeng"])
    problem = _issue_now(olga, SupervisionItem.Source.REPORT_PROBLEM, report, plan["ndrc"])
    assert late.source_object == items["lufeng"] and problem.source_object == report


# --------------------------------------------------------------------------- the work item's page


@time_machine.travel(TODAY, tick=False)
def test_the_office_issues_from_an_overdue_work_items_page_and_each_page_links_the_other(
    client_for, olga, zack, plan, work_list
):
    _list, items = work_list
    item = items["lufeng"]  # due 09-30, still 推进中
    client = client_for(olga)
    page = client.get(item.get_absolute_url()).content.decode()
    link = f'href="/supervision/new/?source=overdue_work_item&amp;ref={item.pk}"'
    assert link in page
    form = client.get(f"/supervision/new/?source=overdue_work_item&ref={item.pk}").content.decode()
    assert f'value="zone:{plan["lufeng"].pk}" selected' in form
    response = _issue(client, "overdue_work_item", item, f"zone:{plan['lufeng'].pk}")
    issued = SupervisionItem.objects.get()
    assert response.status_code == 302 and response["Location"] == issued.get_absolute_url()
    assert issued.source == "overdue_work_item" and issued.source_object == item and issued.source_text == item.title

    detail = client.get(issued.get_absolute_url()).content.decode()
    assert f'<a href="{item.get_absolute_url()}" id="item-source">{item.title}</a>' in detail
    page = client.get(item.get_absolute_url()).content.decode()
    listed = page.split('id="source-supervision"')[1].split("</section>")[0]
    assert issued.number in listed and "2026年12月20日" in listed and "已交办" in listed

    # The committee reads the item issued to it on its work item's page, without the office's link.
    page = client_for(zack).get(item.get_absolute_url()).content.decode()
    assert issued.number in page and link not in page


@time_machine.travel(TODAY, tick=False)
def test_a_work_item_not_overdue_offers_no_issue(client_for, olga, work_list):
    _list, items = work_list
    page = client_for(olga).get(items["wuding"].get_absolute_url()).content.decode()
    assert 'id="issue-supervision"' not in page and 'id="source-supervision"' not in page


@time_machine.travel(TODAY, tick=False)
def test_only_the_office_issues_from_a_work_item(client_for, zack, plan, work_list):
    _list, items = work_list
    response = _issue(client_for(zack), "overdue_work_item", items["lufeng"], f"zone:{plan['lufeng'].pk}")
    assert response.status_code == 403
    assert not SupervisionItem.objects.exists()


# --------------------------------------------------------------------------- the dispatch report's page


@time_machine.travel(TODAY, tick=False)
def test_the_office_issues_from_a_reports_problems_and_each_page_links_the_other(client_for, olga, alice, plan, report):
    client = client_for(olga)
    link = f'href="/supervision/new/?source=report_problem&amp;ref={report.pk}"'
    assert link in client.get(report.get_absolute_url()).content.decode()
    form = client.get(f"/supervision/new/?source=report_problem&ref={report.pk}").content.decode()
    assert f'value="department:{plan["ndrc"].pk}" selected' in form
    response = _issue(client, "report_problem", report, f"department:{plan['ndrc'].pk}")
    issued = SupervisionItem.objects.get()
    assert response.status_code == 302 and issued.source_object == report and issued.department == plan["ndrc"]
    assert (
        f'href="{report.get_absolute_url()}" id="item-source"' in client.get(issued.get_absolute_url()).content.decode()
    )
    listed = client.get(report.get_absolute_url()).content.decode().split('id="source-supervision"')[1]
    assert issued.number in listed.split("</section>")[0]

    # The unit reads the item issued to it on its report's page, and may not issue one.
    page = client_for(alice).get(report.get_absolute_url()).content.decode()
    assert issued.number in page and link not in page


@time_machine.travel(TODAY, tick=False)
def test_a_reports_readers_see_only_the_items_they_may_open(client_for, olga, alice, plan, report):
    """An item issued for ndrc's report to 禄丰's committee is not ndrc's to read: the report's page omits it."""
    other = _issue_now(olga, SupervisionItem.Source.REPORT_PROBLEM, report, plan["lufeng"])
    page = client_for(alice).get(report.get_absolute_url()).content.decode()
    assert other.number not in page and 'id="source-supervision"' not in page
    assert other.number in client_for(olga).get(report.get_absolute_url()).content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_report_without_problems_offers_no_issue(client_for, olga, report):
    report.problems = ""
    report.save()
    assert 'id="issue-supervision"' not in client_for(olga).get(report.get_absolute_url()).content.decode()


@time_machine.travel(TODAY, tick=False)
def test_only_the_office_issues_from_a_report(client_for, alice, plan, report):
    response = _issue(client_for(alice), "report_problem", report, f"department:{plan['ndrc'].pk}")
    assert response.status_code == 403
    assert not SupervisionItem.objects.exists()


# --------------------------------------------------------------------------- bad input


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "changes,words",
    [({"deadline": "2026-11-30"}, "早于交办日期"), ({"requirement": "   "}, "请填写督办要求")],
)
def test_bad_input_from_a_row_is_a_clear_400_and_writes_nothing(
    client_for, olga, plan, work_list, report, changes, words
):
    _list, items = work_list
    client = client_for(olga)
    for source, row, body in (
        ("overdue_work_item", items["lufeng"], f"zone:{plan['lufeng'].pk}"),
        ("report_problem", report, f"department:{plan['ndrc'].pk}"),
    ):
        response = _issue(client, source, row, body, **changes)
        page = response.content.decode()
        assert response.status_code == 400 and words in page, source
        # The form comes back still linked to its row, offering that row's source only.
        assert f'name="source_ref" value="{row.pk}"' in page
    assert not SupervisionItem.objects.exists() and not SupervisionStep.objects.exists()
