"""The project report's Excel round trip: download, fill offline, upload; a bad file writes nothing."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from projects import services
from projects.models import ProjectReport

pytestmark = pytest.mark.django_db


def _filled(content: bytes, values: dict) -> bytes:
    book = load_workbook(BytesIO(content))
    sheet = book["项目调度报告"]
    for row in sheet.iter_rows(min_row=3):
        if row[2].value in values:
            row[1].value = values[row[2].value]
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def report(listed, alice):
    with time_machine.travel(date(2026, 3, 20)):
        return services.project_report_open(project=listed, user=alice)


def _upload(client, report, content, **extra):
    return client.post(
        reverse("project-report-excel", args=[report.pk]), {"file": SimpleUploadedFile("r.xlsx", content), **extra}
    )


def _refused(client, report, content, **extra) -> str:
    """Upload a file to be refused: post/redirect/get, the problems on the report page the redirect leads to."""
    response = _upload(client, report, content, **extra)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert 'id="excel-errors"' in page
    return page


def test_it_round_trips_and_submits(report, client_for, alice, plan):
    client = client_for(alice)
    template = client.get(reverse("project-report-excel", args=[report.pk])).content
    content = _filled(
        template,
        {
            "investment_period": 80,
            "investment_to_date": "180",
            "image_progress": "主体结构封顶",
            "stage_reached": "签约",
            "stage_reached_on": "2026-03-18",
            "coordination": "请协调用电",
            "coordination_unit": plan["commerce"].name,
        },
    )
    with time_machine.travel(date(2026, 3, 20)):
        response = _upload(client, report, content, action="submit")
    assert response.status_code == 302, response.content.decode()[-2000:]
    report.refresh_from_db()
    assert report.state == ProjectReport.State.SUBMITTED
    assert (report.investment_to_date, report.stage_reached, report.coordination_unit) == (
        Decimal("180"),
        "signed",
        plan["commerce"],
    )


@pytest.mark.parametrize(
    "values,words",
    [
        ({"investment_to_date": "99999"}, "不能超过项目总投资"),
        ({"investment_period": "abc"}, "请输入数字"),
        ({"stage_reached": "开到一半"}, "请填写以下阶段之一"),
        ({"coordination_unit": "不存在的局"}, "未知的单位"),
        # Beyond the fields' 12 digits: refused, not rounded (at 1e28 rounding overflowed: a 500).
        ({"investment_period": 1e30}, "投资额过大"),
        ({"investment_period": 1e13}, "投资额过大"),  # rounded by the cell, refused by the service
        ({"investment_to_date": 1e20, "investment_period": 1e20}, "投资额过大"),
        ({"investment_period": 12.345}, "最多保留2位小数"),  # refused, not rounded to 12.35
        ({"investment_period": "0.001"}, "最多保留2位小数"),
    ],
)
def test_a_bad_file_is_refused_with_its_row_and_writes_nothing(report, client_for, alice, values, words):
    client = client_for(alice)
    template = client.get(reverse("project-report-excel", args=[report.pk])).content
    with time_machine.travel(date(2026, 3, 20)):
        page = _refused(client, report, _filled(template, {"image_progress": "x", **values}))
    assert words in page and "第" in page
    report.refresh_from_db()
    assert report.version == 1 and report.image_progress == ""


def test_not_an_xlsx_and_another_reports_file_are_refused(report, listed, client_for, alice, olga):
    client = client_for(alice)
    assert "不是有效的Excel" in _refused(client, report, b"not a workbook")
    other = ProjectReport.objects.create(
        project=listed,
        period=report.period.__class__.objects.exclude(pk=report.period_id).filter(cadence="biweekly").first(),
        department=report.department,
    )
    foreign = client.get(reverse("project-report-excel", args=[other.pk])).content
    assert "另一份报告" in _refused(client, report, foreign)


@pytest.mark.parametrize("version", ["abc", date(2026, 3, 1), 1.5, None])
def test_a_workbook_whose_hidden_version_was_edited_is_refused_and_writes_nothing(report, client_for, alice, version):
    client = client_for(alice)
    book = load_workbook(BytesIO(_filled(client.get(reverse("project-report-excel", args=[report.pk])).content, {})))
    meta = book["_meta"]
    for row in meta.iter_rows():
        if row[0].value == "version":
            row[1].value = version
    out = BytesIO()
    book.save(out)
    with time_machine.travel(date(2026, 3, 20)):
        page = _refused(client, report, _filled(out.getvalue(), {"image_progress": "x", "investment_period": 5}))
    assert "模板的版本信息已被改动" in page
    report.refresh_from_db()
    assert report.version == 1 and report.image_progress == ""


def test_an_english_reader_is_told_the_stages_in_an_english_list(report, client_for, alice, settings):
    client = client_for(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    template = client.get(reverse("project-report-excel", args=[report.pk])).content
    with time_machine.travel(date(2026, 3, 20)):
        page = _refused(client, report, _filled(template, {"image_progress": "x", "stage_reached": "halfway"}))
    assert "Please enter one of these stages: " in page
    stages = page.split("Please enter one of these stages: ")[1].split(".")[0]
    assert ", " in stages and "、" not in stages


@pytest.mark.parametrize("content", [b"", b"just text, named .xlsx"])
def test_a_refused_upload_redirects_and_its_problems_are_shown_once(report, client_for, alice, content):
    client = client_for(alice)
    page = _refused(client, report, content)
    assert "上次上传未成功" in page
    again = client.get(report.get_absolute_url()).content.decode()  # a refresh: the page, not the file again
    assert 'id="excel-errors"' not in again
    report.refresh_from_db()
    assert report.version == 1


@pytest.mark.parametrize("blanked", [None, {"investment_period"}])
def test_a_workbook_without_its_key_column_is_refused_and_keeps_the_values_stored(report, client_for, alice, blanked):
    """Column C (hidden) names each row's field; without it (all, or one row's) nothing is read as blank."""
    with time_machine.travel(date(2026, 3, 20)):
        report = services.project_report_save(
            report=report,
            user=alice,
            data=services.ProjectReportInput(investment_period=Decimal("1234.50"), investment_to_date=Decimal("2000")),
            version=report.version,
            submit=False,
        )
    client = client_for(alice)
    book = load_workbook(BytesIO(client.get(reverse("project-report-excel", args=[report.pk])).content))
    for row in book["项目调度报告"].iter_rows(min_row=3):
        if blanked is None or row[2].value in blanked:
            row[2].value = None
    out = BytesIO()
    book.save(out)
    with time_machine.travel(date(2026, 3, 20)):
        page = _refused(client, report, out.getvalue())
    assert "不是本报告的模板：隐藏的字段列（C列）缺少“本期完成投资（万元）" in page
    report.refresh_from_db()
    assert (report.investment_period, report.investment_to_date) == (Decimal("1234.50"), Decimal("2000"))
