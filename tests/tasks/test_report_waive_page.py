"""The office waives an owed report from the report page, with a reason (indicators.reporting.services.report_waive)."""

import pytest
from django.urls import reverse

from indicators.models import DispatchReport, ReportingPeriod
from tasks.models import Task


@pytest.fixture
def owed(plan):
    """州发展改革委's report on task 14 for December 2025, never delivered."""
    return DispatchReport.objects.create(
        department=plan["ndrc"],
        task=Task.objects.get(plan__code="zones-2023-2025", number=14),
        period=ReportingPeriod.objects.get(plan__code="zones-2023-2025", cadence="monthly", year=2025, index=12),
    )


@pytest.mark.django_db
def test_the_office_waives_an_owed_report_with_a_reason_from_its_page(client_for, olga, owed):
    client = client_for(olga)
    page = client.get(owed.get_absolute_url()).content.decode()
    assert 'id="waive-form"' in page and reverse("report-waive", args=[owed.pk]) in page

    response = client.post(
        reverse("report-waive", args=[owed.pk]), {"reason": "  单位已撤并，该期不再报送  "}, follow=True
    )
    owed.refresh_from_db()
    assert (owed.state, owed.waive_reason, owed.waived_by) == (
        DispatchReport.State.WAIVED,
        "单位已撤并，该期不再报送",
        olga,
    )
    page = response.content.decode()
    assert "已免报" in page and "单位已撤并，该期不再报送" in page and 'id="waive-form"' not in page


@pytest.mark.django_db
def test_a_waiver_without_a_reason_is_refused_with_a_clear_message_and_nothing_changes(client_for, olga, owed):
    response = client_for(olga).post(reverse("report-waive", args=[owed.pk]), {"reason": "   "})
    assert response.status_code == 400
    assert "免报时必须填写原因。" in response.content.decode()
    owed.refresh_from_db()
    assert (owed.state, owed.waive_reason, owed.waived_at) == (DispatchReport.State.PENDING, "", None)


@pytest.mark.django_db
def test_only_the_office_waives_and_the_unit_sees_no_waive_form(client_for, alice, owed):
    client = client_for(alice)
    assert 'id="waive-form"' not in client.get(owed.get_absolute_url()).content.decode()
    assert client.post(reverse("report-waive", args=[owed.pk]), {"reason": "不想报"}).status_code == 403
    owed.refresh_from_db()
    assert owed.state == DispatchReport.State.PENDING


@pytest.mark.django_db
def test_a_delivered_report_cannot_be_waived(client_for, olga, owed):
    DispatchReport.objects.filter(pk=owed.pk).update(state=DispatchReport.State.SUBMITTED)
    response = client_for(olga).post(reverse("report-waive", args=[owed.pk]), {"reason": "误报"})
    assert response.status_code == 400 and "只有尚未报送的报告可以免报。" in response.content.decode()
    owed.refresh_from_db()
    assert owed.state == DispatchReport.State.SUBMITTED


@pytest.mark.django_db
def test_a_page_left_open_does_not_waive_a_report_its_unit_saved_since(client_for, olga, alice, owed):
    """The 免报 form carries the report's version its page showed: drawn before the unit saved a draft, it is refused
    in words naming who saved it and the report stays owed with the draft; drawn again, it waives."""
    import re

    from indicators.reporting.services import ReportInput, report_save

    client = client_for(olga)

    def shown() -> str:
        page = client.get(owed.get_absolute_url()).content.decode()
        form = page.split('id="waive-form"', 1)[1].split("</form>", 1)[0]
        return re.search(r'name="version" value="([^"]*)"', form).group(1)

    stale = shown()
    report_save(report=owed, user=alice, data=ReportInput(work_done="已起草"), version=owed.version, submit=False)
    data = {"reason": "单位已撤并", "version": stale}
    refused = client.post(reverse("report-waive", args=[owed.pk]), data)
    assert refused.status_code == 400 and "该报告已被alice于" in refused.content.decode()
    owed.refresh_from_db()
    assert (owed.state, owed.work_done, owed.waive_reason) == (DispatchReport.State.DRAFT, "已起草", "")

    response = client.post(reverse("report-waive", args=[owed.pk]), {**data, "version": shown()})
    assert response.status_code == 302
    owed.refresh_from_db()
    assert (owed.state, owed.waive_reason) == (DispatchReport.State.WAIVED, "单位已撤并")


@pytest.mark.django_db
def test_a_refused_waiver_comes_back_with_its_reason_and_the_version_now_stored_to_send_again(
    client_for, olga, alice, owed
):
    """Refused for a report its unit saved since, the 免报 form comes back with the reason typed and the report's
    current version: pressed again, after the message naming who saved it, it waives."""
    from indicators.reporting.services import ReportInput, report_save
    from tests.resend import form_data

    stale = owed.version
    report_save(report=owed, user=alice, data=ReportInput(work_done="已起草"), version=owed.version, submit=False)
    client = client_for(olga)
    refused = client.post(reverse("report-waive", args=[owed.pk]), {"reason": "单位已撤并", "version": stale})
    page = refused.content.decode()
    assert refused.status_code == 400 and "该报告已被alice于" in page and "您填写的内容已保留" in page
    owed.refresh_from_db()
    assert (owed.state, owed.waive_reason) == (DispatchReport.State.DRAFT, "")

    again = form_data(page, '//form[@id="waive-form"]')
    assert again == {"version": str(owed.version), "reason": "单位已撤并"}
    assert client.post(reverse("report-waive", args=[owed.pk]), again).status_code == 302
    owed.refresh_from_db()
    assert (owed.state, owed.waive_reason) == (DispatchReport.State.WAIVED, "单位已撤并")
