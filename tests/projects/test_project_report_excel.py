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
    ],
)
def test_a_bad_file_is_refused_with_its_row_and_writes_nothing(report, client_for, alice, values, words):
    client = client_for(alice)
    template = client.get(reverse("project-report-excel", args=[report.pk])).content
    with time_machine.travel(date(2026, 3, 20)):
        response = _upload(client, report, _filled(template, {"image_progress": "x", **values}))
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page and "第" in page
    report.refresh_from_db()
    assert report.version == 1 and report.image_progress == ""


def test_not_an_xlsx_and_another_reports_file_are_refused(report, listed, client_for, alice, olga):
    client = client_for(alice)
    assert "不是有效的Excel" in _upload(client, report, b"not a workbook").content.decode()
    other = ProjectReport.objects.create(
        project=listed,
        period=report.period.__class__.objects.exclude(pk=report.period_id).filter(cadence="biweekly").first(),
        department=report.department,
    )
    foreign = client.get(reverse("project-report-excel", args=[other.pk])).content
    assert "另一份报告" in _upload(client, report, foreign).content.decode()


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
        response = _upload(client, report, _filled(out.getvalue(), {"image_progress": "x", "investment_period": 5}))
    assert response.status_code == 400
    assert "模板的版本信息已被改动" in response.content.decode()
    report.refresh_from_db()
    assert report.version == 1 and report.image_progress == ""


def test_an_english_reader_is_told_the_stages_in_an_english_list(report, client_for, alice, settings):
    client = client_for(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    template = client.get(reverse("project-report-excel", args=[report.pk])).content
    with time_machine.travel(date(2026, 3, 20)):
        response = _upload(client, report, _filled(template, {"image_progress": "x", "stage_reached": "halfway"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please enter one of these stages: " in page
    stages = page.split("Please enter one of these stages: ")[1].split(".")[0]
    assert ", " in stages and "、" not in stages
