"""The report form reads numbers as the Excel upload does (`number_parse`): thousands separators and full-width
digits are numbers on the page as in the workbook."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from projects import services
from projects.forms import ProjectReportForm

pytestmark = pytest.mark.django_db


def test_it_reads_separators_and_full_width_digits_as_the_excel_upload_does():
    form = ProjectReportForm({"investment_period": "1,000", "investment_to_date": "２０００", "version": "1"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["investment_period"], form.cleaned_data["investment_to_date"]) == (
        Decimal("1000"),
        Decimal("2000"),
    )


@pytest.mark.parametrize("text", ["1,2,3", "abc", "1.234"])
def test_it_refuses_what_the_upload_refuses_too(text):
    assert not ProjectReportForm({"investment_period": text, "version": "1"}).is_valid()


def test_the_report_page_saves_a_figure_typed_with_a_separator(listed, alice, client_for):
    with time_machine.travel(date(2026, 3, 20)):
        report = services.project_report_open(project=listed, user=alice)
        response = client_for(alice).post(
            report.get_absolute_url(),
            {"investment_period": "1,000", "investment_to_date": "1,234.5", "action": "save", "version": "1"},
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.investment_period, report.investment_to_date) == (Decimal("1000"), Decimal("1234.5"))
