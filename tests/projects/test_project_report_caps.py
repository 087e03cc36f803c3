"""A project report's approval never brings the months stored above the project's total, nor writes a month that has
not come: judged on submission and again on approval (the months, the total and the calendar may change between)."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from projects import services
from projects.models import ProjectInvestment, ProjectReport

pytestmark = pytest.mark.django_db


def _input(period, to_date=None):
    return services.ProjectReportInput(
        investment_period=Decimal(period),
        investment_to_date=Decimal(to_date if to_date is not None else period),
        image_progress="进展",
    )


def _month(project, year, month, amount):
    ProjectInvestment.objects.create(project=project, year=year, month=month, amount=Decimal(amount))


@pytest.fixture
def report(listed, alice):
    with time_machine.travel(date(2026, 3, 20)):
        return services.project_report_open(project=listed, user=alice)


def test_it_refuses_a_submission_whose_period_would_bring_the_months_above_the_total(report, alice, listed):
    _month(listed, 2026, 1, "9000")  # total 10000
    with time_machine.travel(date(2026, 3, 20)), pytest.raises(services.ProjectError) as error:
        services.project_report_save(
            report=report, user=alice, data=_input("2000", "2000"), version=report.version, submit=True
        )
    assert "各月合计11000.00万元" in error.value.errors["investment_period"][0]
    assert "10000" in error.value.errors["investment_period"][0]
    report.refresh_from_db()
    assert report.state == ProjectReport.State.PENDING


def test_it_refuses_an_approval_when_the_months_stored_since_would_pass_the_total(report, alice, rita, listed):
    _month(listed, 2026, 1, "9000")
    with time_machine.travel(date(2026, 3, 20)):
        report = services.project_report_save(
            report=report, user=alice, data=_input("800"), version=report.version, submit=True
        )
        _month(listed, 2026, 2, "500")  # the province's figure arrives meanwhile: 9000 + 500 + 800 > 10000
        with pytest.raises(services.ProjectError) as error:
            services.project_report_approve(report=report, user=rita, version=report.version)
    assert "各月合计10300.00万元" in error.value.message
    report.refresh_from_db()
    assert report.state == ProjectReport.State.SUBMITTED
    assert not ProjectInvestment.objects.filter(project=listed, year=2026, month=3).exists()


def test_it_counts_the_month_as_the_approval_makes_it_not_the_figure_it_replaces(report, alice, rita, listed):
    _month(listed, 2026, 1, "9000")
    _month(listed, 2026, 3, "5000")  # replaced by the approved reports' sum: 9000 + 900 ≤ 10000
    with time_machine.travel(date(2026, 3, 20)):
        report = services.project_report_save(
            report=report, user=alice, data=_input("900"), version=report.version, submit=True
        )
        services.project_report_approve(report=report, user=rita, version=report.version)
    assert ProjectInvestment.objects.get(project=listed, year=2026, month=3).amount == Decimal("900")


def test_it_refuses_to_submit_or_approve_a_report_of_a_half_month_not_begun(listed, alice, rita):
    with time_machine.travel(date(2027, 7, 1)):
        ahead = services.project_report_open(project=listed, user=alice)
    with time_machine.travel(date(2026, 12, 7)), pytest.raises(services.ProjectError) as error:
        services.project_report_save(report=ahead, user=alice, data=_input("100"), version=ahead.version, submit=True)
    assert "尚未开始" in error.value.errors["period"][0]
    with time_machine.travel(date(2027, 7, 2)):  # submitted in its half-month, approved with the clock behind it
        ahead = services.project_report_save(
            report=ahead, user=alice, data=_input("100"), version=ahead.version, submit=True
        )
    with time_machine.travel(date(2026, 12, 7)), pytest.raises(services.ProjectError) as error:
        services.project_report_approve(report=ahead, user=rita, version=ahead.version)
    assert "尚未开始" in error.value.message
    assert not ProjectInvestment.objects.filter(project=listed, year=2027).exists()


def test_an_approval_leaves_a_stage_the_project_reached_since_and_says_so(listed, alice, rita, olga, client_for):
    """Submitted with 落地（供地） on 6-01; the committee then moves the project to 落地 (5-01) and 开工 (7-01) on its
    page. The approval does not move it back: the project's dates stand, the month's investment counts."""
    services.project_stage_set(project=listed, user=olga, stage="signed", on=date(2026, 3, 1), today=date(2026, 3, 2))
    with time_machine.travel(date(2026, 6, 10)):
        report = services.project_report_open(project=listed, user=alice)
        report = services.project_report_save(
            report=report,
            user=alice,
            data=services.ProjectReportInput(
                investment_period=Decimal("300"),
                investment_to_date=Decimal("300"),
                image_progress="进展",
                stage_reached="landed",
                stage_reached_on=date(2026, 6, 1),
            ),
            version=report.version,
            submit=True,
        )
    for stage, on in (("landed", date(2026, 5, 1)), ("started", date(2026, 7, 1))):
        services.project_stage_set(project=listed, user=olga, stage=stage, on=on, today=date(2026, 7, 2))
    client = client_for(rita)
    with time_machine.travel(date(2026, 7, 2)):
        response = client.post(
            f"/project-reports/{report.pk}/review/", {"action": "approve", "reason": "", "version": report.version}
        )
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
    assert "达到“落地（供地）”阶段" in page and "未再变更项目；本期完成投资已计入" in page
    listed.refresh_from_db()
    assert (listed.stage, listed.landed_on, listed.started_on) == ("started", date(2026, 5, 1), date(2026, 7, 1))
    assert ProjectInvestment.objects.get(project=listed, year=2026, month=6).amount == Decimal("300")
    report.refresh_from_db()
    assert report.state == ProjectReport.State.APPROVED
