"""A recurring duty's goal reads as the plan sets it on the zone, task and target pages: task 1's
每半年…报告1次 work report is owed in each half of the year, not once a year, and 每年初's power-supply
analysis by the end of March."""

from django.urls import reverse

from indicators.models import Target
from pages.dashboards.format import recurring_requirement


def test_it_reads_each_kind_of_requirement():
    assert recurring_requirement(required_count=1, per_half_year=True, due_month=None) == ("per_half_year", {"n": 1})
    assert recurring_requirement(required_count=1, per_half_year=False, due_month=3) == (
        "by_month",
        {"n": 1, "month": 3},
    )
    assert recurring_requirement(required_count=2, per_half_year=False, due_month=None) == ("per_year", {"n": 2})


def _half_yearly_report(zone):
    return Target.objects.select_related("indicator").get(
        indicator__code="zone-work-report", zone=zone, year=2025, per_half_year=True, required_count=1
    )


def test_it_shows_a_half_yearly_duty_as_owed_each_half_year_on_the_zone_page(client_for, olga, plan):
    html = client_for(olga).get(reverse("zone-detail", args=["lufeng"])).content.decode()
    row = html[html.index(_half_yearly_report(plan["lufeng"]).get_absolute_url()) :].split("</tr>", 1)[0]
    assert "每半年1次" in row
    assert "每年1次" not in row


def test_it_shows_a_half_yearly_duty_as_owed_each_half_year_on_the_task_page(client_for, olga, plan):
    html = client_for(olga).get(reverse("task-detail", args=[1])).content.decode()
    row = html[html.index(_half_yearly_report(plan["lufeng"]).get_absolute_url()) :].split("</tr>", 1)[0]
    assert "每半年1次" in row
    assert "每年1次" not in row


def test_it_shows_a_half_yearly_duty_as_owed_each_half_year_on_the_target_page(client_for, olga, plan):
    target = _half_yearly_report(plan["lufeng"])
    html = client_for(olga).get(target.get_absolute_url()).content.decode()
    assert '<span id="target-requirement">每半年1次</span>' in html


def test_it_shows_an_early_in_the_year_duty_with_its_month_on_the_target_page(client_for, olga, plan):
    target = Target.objects.filter(indicator__code="power-supply-analysis", due_month=3).first()
    html = client_for(olga).get(target.get_absolute_url()).content.decode()
    assert '<span id="target-requirement">每年3月底前1次</span>' in html
