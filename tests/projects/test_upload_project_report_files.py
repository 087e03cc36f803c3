"""A project report's upload with a damaged sheet or a formula: refused in words, nothing written, never a 500."""

import zipfile
from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse

from projects import services
from tests.projects.test_project_report_excel import _filled, _refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(listed, alice):
    with time_machine.travel(date(2026, 3, 20)):
        return services.project_report_open(project=listed, user=alice)


def damaged_sheet(content: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The workbook with one sheet cut in half: the zip and the workbook part are whole, so the file opens, and the
    damage shows only when the sheet is read."""
    source = zipfile.ZipFile(BytesIO(content))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data[: len(data) // 2] if info.filename == part else data)
    return out.getvalue()


def _template(client, report) -> bytes:
    return client.get(reverse("project-report-excel", args=[report.pk])).content


@time_machine.travel(date(2026, 3, 20))
def test_it_refuses_a_workbook_with_a_damaged_sheet_in_words(report, client_for, alice):
    client = client_for(alice)
    content = damaged_sheet(_filled(_template(client, report), {"image_progress": "主体封顶", "investment_period": 5}))
    assert "文件已损坏或格式不受支持" in _refused(client, report, content)
    report.refresh_from_db()
    assert report.version == 1 and report.image_progress == ""


@time_machine.travel(date(2026, 3, 20))
def test_it_refuses_formulas_naming_their_cells_instead_of_storing_their_text(report, client_for, alice):
    client = client_for(alice)
    content = _filled(_template(client, report), {"image_progress": "=A1&B1", "investment_period": 5})
    page = _refused(client, report, content)
    assert "单元格 B5 是公式，系统不读取公式" in page
    report.refresh_from_db()
    assert report.version == 1 and report.image_progress == ""
