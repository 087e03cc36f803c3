"""Workbooks: text users typed never comes back as a live formula, and an uploaded formula is refused."""

import io
from decimal import Decimal

import openpyxl
import pytest
from openpyxl import Workbook
from test_report_excel import OUTPUT, cell, download, narrative, refused, snapshot, text, to_bytes

from chuxiong_portal.spreadsheets import neutralise_formulas
from indicators.models import DispatchReport, ReportingPeriod
from indicators.reporting.services import ReportInput, report_save, report_workbook

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example/","点我")', "=1+1", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def formulas(content: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return [
        f"{ws.title}!{c.coordinate}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


@pytest.fixture
def zone_report(plan):
    return DispatchReport.objects.create(
        zone=plan["lufeng"], period=ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)
    )


@pytest.mark.parametrize("typed", HOSTILE)
def test_a_narrative_that_starts_like_a_formula_comes_back_as_the_same_text(zone_report, sam, typed):
    report = report_save(
        report=zone_report,
        user=sam,
        data=ReportInput(work_done=typed, problems=typed),
        version=zone_report.version,
        submit=False,
    )
    content = report_workbook(report)
    assert formulas(content) == []
    cell = narrative(openpyxl.load_workbook(io.BytesIO(content)), "工作进展")
    assert cell.value in (typed, typed.replace("\r", "\n"))  # XML keeps no lone CR
    assert cell.data_type == "s" and cell.quotePrefix


def test_every_text_cell_of_any_workbook_is_neutralised():
    wb = Workbook()
    wb.active.append(["=1+1", "plain", 5, "-x", "@x"])
    wb.create_sheet("second").append(["+cmd|' /C calc'!A0"])
    assert neutralise_formulas(wb) == 4
    out = io.BytesIO()
    wb.save(out)
    assert formulas(out.getvalue()) == []
    reread = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert [c.value for c in reread.active[1]] == ["=1+1", "plain", 5, "-x", "@x"]


@pytest.fixture
def filled(zone_report, sam):
    return report_save(
        report=zone_report,
        user=sam,
        data=ReportInput(values={OUTPUT: (Decimal("200"), None)}),
        version=zone_report.version,
        submit=False,
    )


@pytest.mark.parametrize("where", ["value", "narrative"])
def test_an_uploaded_formula_cell_is_refused_with_a_message_and_nothing_is_written(filled, sam, client_for, where):
    client = client_for(sam)
    wb = download(client, filled)
    if where == "value":
        cell(wb, OUTPUT, "本期值").value = "=100*3"
    else:
        narrative(wb, "工作进展").value = "=A1"
    before = snapshot(filled)
    response = refused(client, filled, to_bytes(wb))  # back to the report page, which says why
    html = text(response)
    assert "是公式" in html and "粘贴为数值" in html
    assert snapshot(filled) == before
