"""A dispatch report as Excel: download it pre-filled, fill it offline, upload it back.

The upload obeys the browser form's rules. Every refusal is checked twice: the Chinese message
the user sees, and that the database did not change at all.
"""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import DispatchReport, IndicatorValue, ReportingPeriod
from indicators.reporting.services import ExcelImportError, ReportInput, report_import, report_save, report_workbook
from indicators.reporting.services.excel import META_SHEET, REPORT_SHEET, VALUES_SHEET, XLSX_CONTENT_TYPE
from tasks.models import Task

OUTPUT = "industrial-output__zone__lufeng"  # 工业总产值, 亿元, ≥ 0
GROWTH = "industrial-output-growth__zone__lufeng"  # 工业总产值增速, %
SHARE = "leading-industry-share__zone__lufeng"  # 主导产业营业收入占比, %, 0..100, quarterly
MILESTONE = "seven-connections__zone__lufeng"  # 七通一平, a milestone of task 14 (州发展改革委)


# --- set-up ----------------------------------------------------------------------------------


@pytest.fixture
def zone_report(plan):
    """禄丰产业园区's values for March 2024."""
    return DispatchReport.objects.create(
        zone=plan["lufeng"], period=ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)
    )


@pytest.fixture
def filled_zone_report(zone_report, sam):
    """The zone report with a saved draft, so that refusals have stored values to leave alone."""
    values = {OUTPUT: (Decimal("200"), None), GROWTH: (Decimal("10.5"), None), SHARE: (Decimal("40"), None)}
    return report_save(
        report=zone_report,
        user=sam,
        data=ReportInput(work_done="一季度数据", values=values),
        version=zone_report.version,
        submit=False,
    )


@pytest.fixture
def dept_report(plan):
    """州发展改革委's report on task 14 for March 2023: milestone slots for the zones."""
    return DispatchReport.objects.create(
        department=plan["ndrc"],
        task=Task.objects.get(number=14),
        period=ReportingPeriod.objects.get(cadence="monthly", year=2023, index=3),
    )


def excel_url(report):
    return reverse("report-excel", args=[report.pk])


def download(client, report) -> openpyxl.Workbook:
    response = client.get(excel_url(report))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def to_bytes(wb: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, report, content: bytes, *, version=None, action=None, name="调度报告.xlsx"):
    report.refresh_from_db()
    data = {
        "file": SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE),
        "version": report.version if version is None else version,
    }
    if action:
        data["action"] = action
    return client.post(excel_url(report), data)


def refused(client, report, content: bytes, **kwargs):
    """An upload refused for its content: post/redirect/get back to the report page; that page, as shown next."""
    response = upload(client, report, content, **kwargs)
    assert (response.status_code, response.url) == (302, report.get_absolute_url())
    return client.get(response.url)


def header(ws) -> list[str]:
    return [cell.value for cell in ws[1]]


def append_row(ws, **by_column):
    """A row added by hand, each value under its header (指标代码="…", 范围="…", 本期值=…)."""
    columns = header(ws)
    ws.append([by_column.get(name) for name in columns])


def row_of(wb, key: str) -> int:
    ws = wb[VALUES_SHEET]
    key_column = header(ws).index("行键") + 1
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, key_column).value == key:
            return row
    raise AssertionError(f"no row for {key}")


def cell(wb, key: str, column: str):
    ws = wb[VALUES_SHEET]
    return ws.cell(row_of(wb, key), header(ws).index(column) + 1)


def narrative(wb, label: str):
    ws = wb[REPORT_SHEET]
    for row in range(1, ws.max_row + 1):
        if ws.cell(row, 1).value == label:
            return ws.cell(row, 2)
    raise AssertionError(f"no row {label}")


def value_of(key: str, period=None) -> IndicatorValue:
    indicator, scope, zone = key.split("__")
    values = IndicatorValue.objects.filter(indicator__code=indicator, scope=scope, zone__code=zone)
    if period is not None:
        values = values.filter(period=period)
    return values.get()


def snapshot(report):
    """Everything a refused upload must leave untouched."""
    r = DispatchReport.objects.get(pk=report.pk)
    return {
        "report": (
            r.state,
            r.version,
            r.progress,
            r.progress_pct,
            r.work_done,
            r.problems,
            r.next_steps,
            r.delay_reason,
            r.submitted_at,
            r.updated_by_id,
            r.updated_at,
        ),
        "value_count": IndicatorValue.objects.count(),
        "values": sorted(
            IndicatorValue.objects.values_list("pk", "value", "done_on", "version", "report_id", "updated_at")
        ),
        "report_history": DispatchReport.history.count(),
        "value_history": IndicatorValue.history.count(),
    }


def text(response) -> str:
    return response.content.decode()


# --- download ----------------------------------------------------------------------------------


def test_it_downloads_a_prefilled_workbook_with_a_chinese_filename(filled_zone_report, sam, client_for):
    response = client_for(sam).get(excel_url(filled_zone_report))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('调度报告')}" in disposition
    assert quote("禄丰产业园区") in disposition
    disposition.encode("latin-1")  # a header must be ASCII-safe
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[:2] == [REPORT_SHEET, VALUES_SHEET]
    assert wb[META_SHEET].sheet_state == "hidden"
    # The Chinese names first, then what is filled; the machine keys last and hidden (the upload needs them).
    assert header(wb[VALUES_SHEET]) == [
        "指标名称",
        "范围名称",
        "期别",
        "计量单位",
        "本期值",
        "完成日期",
        "上期值",
        "指标代码",
        "范围",
        "行键",
    ]
    hidden = {letter for letter, dim in wb[VALUES_SHEET].column_dimensions.items() if dim.hidden}
    assert hidden == {"H", "I", "J"}
    assert wb[VALUES_SHEET].column_dimensions["A"].width >= 30
    assert cell(wb, OUTPUT, "指标名称").value == "工业总产值" and cell(wb, OUTPUT, "范围名称").value == "禄丰产业园区"
    assert narrative(wb, "报告编号").value == filled_zone_report.pk
    assert narrative(wb, "版本").value == filled_zone_report.version
    assert narrative(wb, "调度期").value == "2024年3月"
    assert narrative(wb, "工作进展").value == "一季度数据"
    assert cell(wb, OUTPUT, "指标代码").value == "industrial-output"
    assert cell(wb, OUTPUT, "范围").value == "lufeng"
    assert cell(wb, OUTPUT, "计量单位").value == "亿元"
    assert cell(wb, OUTPUT, "本期值").value == 200
    assert cell(wb, GROWTH, "本期值").value == 10.5
    assert cell(wb, SHARE, "本期值").value == 40
    assert cell(wb, SHARE, "期别").value == "2024年第一季度"
    assert not wb[REPORT_SHEET].protection.sheet and not wb[VALUES_SHEET].protection.sheet


def test_it_offers_the_progress_choices_as_a_drop_down_list_on_a_task_report(dept_report, alice, client_for):
    wb = download(client_for(alice), dept_report)

    ws = wb[REPORT_SHEET]
    progress = narrative(wb, "推进情况")
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1
    assert lists[0].formula1 == '"未启动,推进中,已完成,滞后"'
    assert progress.coordinate in lists[0].sqref
    for label in ("完成进度（%）", "工作进展", "存在问题", "下步措施", "滞后原因"):
        assert narrative(wb, label) is not None
    assert cell(wb, MILESTONE, "指标代码").value == "seven-connections"
    assert cell(wb, MILESTONE, "完成日期").value is None


OLD_LAYOUT = ["指标代码", "范围", "指标名称", "范围名称", "期别", "计量单位", "本期值", "完成日期", "上期值", "行键"]


def test_it_still_reads_a_file_of_the_earlier_layout_with_the_codes_first(filled_zone_report, sam, client_for):
    """Templates downloaded before the names came first (codes in columns A and B) are still accepted."""
    client = client_for(sam)
    wb = download(client, filled_zone_report)
    ws = wb[VALUES_SHEET]
    columns = header(ws)
    rows = [{name: ws.cell(r, columns.index(name) + 1).value for name in columns} for r in range(2, ws.max_row + 1)]
    old = openpyxl.Workbook()
    old.active.title = REPORT_SHEET
    for line in wb[REPORT_SHEET].iter_rows(values_only=True):
        old[REPORT_SHEET].append(list(line))
    sheet = old.create_sheet(VALUES_SHEET)
    sheet.append(OLD_LAYOUT)
    for row in rows:
        if row["行键"] == OUTPUT:
            row["本期值"] = 321.5
        sheet.append([row[name] for name in OLD_LAYOUT])
    assert header(old[VALUES_SHEET])[:2] == ["指标代码", "范围"]

    response = upload(client, filled_zone_report, to_bytes(old))

    assert (response.status_code, response.url) == (302, filled_zone_report.get_absolute_url())
    assert value_of(OUTPUT).value == Decimal("321.5")


def test_it_lets_a_viewer_download_but_sends_anonymous_users_to_the_login_page(dept_report, bob, client, client_for):
    assert client.get(excel_url(dept_report)).status_code == 302
    assert client_for(bob).get(excel_url(dept_report)).status_code == 200


# --- round trips ----------------------------------------------------------------------------


def test_it_saves_values_filled_in_excel_and_records_who_changed_them(filled_zone_report, sam, client_for):
    client = client_for(sam)
    wb = download(client, filled_zone_report)
    cell(wb, OUTPUT, "本期值").value = 123.45
    cell(wb, GROWTH, "本期值").value = -3.5
    cell(wb, SHARE, "本期值").value = "45.1"
    narrative(wb, "工作进展").value = "3月新增规上企业2户"

    response = upload(client, filled_zone_report, to_bytes(wb))

    assert response.status_code == 302
    assert response["Location"] == filled_zone_report.get_absolute_url()
    report = DispatchReport.objects.get(pk=filled_zone_report.pk)
    assert (report.state, report.version, report.work_done) == ("draft", 3, "3月新增规上企业2户")
    output = value_of(OUTPUT)
    assert output.value == Decimal("123.45")
    assert (value_of(GROWTH).value, value_of(SHARE).value) == (Decimal("-3.5"), Decimal("45.1"))
    assert output.report_id == report.pk and output.updated_by == sam and output.version == 2
    latest = output.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == sam
    assert latest.history_change_reason == "通过Excel导入"
    assert latest.value == Decimal("123.45")
    page = text(client.get(report.get_absolute_url()))
    assert "已从Excel导入，草稿已保存（更新3项指标数据）" in page


def test_it_round_trips_a_first_upload_into_new_values(zone_report, sam, client_for):
    client = client_for(sam)
    before = IndicatorValue.objects.count()
    wb = download(client, zone_report)
    assert cell(wb, OUTPUT, "本期值").value is None
    cell(wb, OUTPUT, "本期值").value = 201.8
    cell(wb, GROWTH, "本期值").value = 19.56

    response = upload(client, zone_report, to_bytes(wb))

    assert response.status_code == 302
    assert IndicatorValue.objects.count() == before + 2
    assert value_of(OUTPUT).value == Decimal("201.8")
    assert value_of(OUTPUT).history.get().history_user == sam
    # the downloaded workbook now shows the stored values
    again = download(client, zone_report)
    assert cell(again, OUTPUT, "本期值").value == 201.8
    assert narrative(again, "版本").value == 2


def test_it_submits_a_department_report_with_milestone_dates_when_asked(dept_report, alice, client_for):
    client = client_for(alice)
    wb = download(client, dept_report)
    narrative(wb, "推进情况").value = "推进中"
    narrative(wb, "完成进度（%）").value = 40
    narrative(wb, "工作进展").value = "完成路网规划编制"
    narrative(wb, "存在问题").value = "资金缺口"
    narrative(wb, "下步措施").value = "争取专项债"
    cell(wb, MILESTONE, "完成日期").value = datetime(2023, 3, 20)
    cell(wb, "seven-connections__zone__wuding", "完成日期").value = "2023/3/28"

    response = upload(client, dept_report, to_bytes(wb), action="submit")

    assert response.status_code == 302
    report = DispatchReport.objects.get(pk=dept_report.pk)
    assert (report.state, report.progress, report.progress_pct) == ("submitted", "in_progress", 40)
    assert (report.work_done, report.problems, report.next_steps) == ("完成路网规划编制", "资金缺口", "争取专项债")
    assert report.submitted_at is not None and report.updated_by == alice
    lufeng = value_of(MILESTONE)
    assert (lufeng.done_on, lufeng.value) == (date(2023, 3, 20), Decimal(1))
    assert value_of("seven-connections__zone__wuding").done_on == date(2023, 3, 28)
    assert value_of("seven-connections__zone__mouding").value == Decimal(0)  # left empty: not done
    assert report.history.order_by("-history_date").first().history_change_reason == "通过Excel导入并提交"


def test_it_reads_excel_floats_as_excel_shows_them_and_percent_formatted_cells(zone_report, sam, client_for):
    client = client_for(sam)
    wb = download(client, zone_report)
    cell(wb, OUTPUT, "本期值").value = 1397.1  # a binary float near 1397.1: read as typed, not refused for its noise
    cell(wb, GROWTH, "本期值").value = 0.1 + 0.2  # 0.30000000000000004, shown by Excel as 0.3
    share = cell(wb, SHARE, "本期值")
    share.value, share.number_format = 0.451, "0.0%"  # shown as 45.1%

    assert upload(client, zone_report, to_bytes(wb)).status_code == 302

    assert value_of(OUTPUT).value == Decimal("1397.1000")
    assert value_of(GROWTH).value == Decimal("0.3000")
    assert value_of(SHARE).value == Decimal("45.1000")


@pytest.mark.parametrize("typed", [1397.123456, 0.00001, "1.123456", 12.3456789])
def test_it_refuses_more_decimals_than_the_form_allows_naming_the_cell(typed, filled_zone_report, sam, client_for):
    """The form refuses 1.123456 with 最多保留4位小数; the upload used to round it (0.00001 to 0) without a word."""
    client = client_for(sam)
    wb = download(client, filled_zone_report)
    cell(wb, OUTPUT, "本期值").value = typed
    before = snapshot(filled_zone_report)

    with pytest.raises(ExcelImportError) as refused:
        report_import(report=filled_zone_report, user=sam, content=to_bytes(wb), version=before["report"][1])

    assert [(e["sheet"], e["row"], e["column"], e["message"]) for e in refused.value.errors] == [
        (VALUES_SHEET, row_of(wb, OUTPUT), "本期值", "最多保留4位小数。")
    ]
    assert snapshot(filled_zone_report) == before


def test_it_refuses_a_row_with_a_value_but_no_indicator_code_naming_the_row(filled_zone_report, sam, client_for):
    """A value in a row of its own (no 指标代码, 范围 or 行键) used to vanish while the upload said 草稿已保存."""
    client = client_for(sam)
    wb = download(client, filled_zone_report)
    cell(wb, OUTPUT, "本期值").value = 250
    ws = wb[VALUES_SHEET]
    append_row(ws, 本期值=5)
    row = ws.max_row
    before = snapshot(filled_zone_report)

    with pytest.raises(ExcelImportError) as refused:
        report_import(report=filled_zone_report, user=sam, content=to_bytes(wb), version=before["report"][1])

    assert [(e["sheet"], e["row"], e["column"]) for e in refused.value.errors] == [(VALUES_SHEET, row, "指标代码")]
    assert "没有指标代码和范围" in refused.value.errors[0]["message"]
    assert snapshot(filled_zone_report) == before


def test_it_still_ignores_an_empty_row_between_the_values(filled_zone_report, sam, client_for):
    client = client_for(sam)
    wb = download(client, filled_zone_report)
    cell(wb, OUTPUT, "本期值").value = 250
    ws = wb[VALUES_SHEET]
    ws.insert_rows(row_of(wb, OUTPUT))  # a blank row in the middle
    append_row(ws, 本期值="  ", 指标名称="")  # only blanks: nothing was typed

    assert upload(client, filled_zone_report, to_bytes(wb)).status_code == 302

    assert value_of(OUTPUT).value == Decimal("250")


def test_it_leaves_values_alone_whose_rows_were_deleted(filled_zone_report, sam, client_for):
    client = client_for(sam)
    wb = download(client, filled_zone_report)
    cell(wb, OUTPUT, "本期值").value = 250
    wb[VALUES_SHEET].delete_rows(row_of(wb, GROWTH))

    assert upload(client, filled_zone_report, to_bytes(wb)).status_code == 302

    assert value_of(OUTPUT).value == Decimal("250")
    assert value_of(GROWTH).value == Decimal("10.5")


# --- refusals: nothing written, a Chinese message --------------------------------------------


def _set(key, column, value):
    def change(wb, report, client):
        cell(wb, key, column).value = value
        return to_bytes(wb)

    return change


def _raw(content):
    return lambda wb, report, client: content


def _truncated(wb, report, client):
    content = to_bytes(wb)
    return content[: len(content) // 2]


def _zip_of_text(wb, report, client):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("data.txt", "工业总产值,123")
    return out.getvalue()


def _damaged_workbook_xml(wb, report, client):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<<<not xml")
    return out.getvalue()


def _too_big(wb, report, client):
    return to_bytes(wb) + b"\0" * (5 * 1024 * 1024)


def _without_values_sheet(wb, report, client):
    del wb[VALUES_SHEET]
    return to_bytes(wb)


def _renamed_value_column(wb, report, client):
    ws = wb[VALUES_SHEET]
    ws.cell(1, header(ws).index("本期值") + 1).value = "数值"
    return to_bytes(wb)


def _without_narrative_row(wb, report, client):
    narrative(wb, "工作进展").value = None
    cell_a = wb[REPORT_SHEET].cell(narrative(wb, "工作进展").row, 1)
    cell_a.value = "进展"
    return to_bytes(wb)


def _other_reports_workbook(wb, report, client):
    other = DispatchReport.objects.create(
        zone=report.zone, period=ReportingPeriod.objects.get(cadence="monthly", year=2024, index=2)
    )
    return report_workbook(other)


def _unknown_indicator(wb, report, client):
    ws = wb[VALUES_SHEET]
    append_row(
        ws,
        指标代码="no-such-indicator",
        范围="lufeng",
        指标名称="不存在的指标",
        范围名称="禄丰产业园区",
        期别="2024年3月",
        计量单位="亿元",
        本期值=5,
    )
    return to_bytes(wb)


def _value_without_code(wb, report, client):
    append_row(wb[VALUES_SHEET], 本期值=5)
    return to_bytes(wb)


def _other_zone(wb, report, client):
    cell(wb, OUTPUT, "范围").value = "wuding"
    cell(wb, OUTPUT, "行键").value = None
    return to_bytes(wb)


def _duplicate_row(wb, report, client):
    ws = wb[VALUES_SHEET]
    ws.append([c.value for c in ws[row_of(wb, OUTPUT)]])
    return to_bytes(wb)


def _stale_file(wb, report, client):
    """Downloaded at one version; somebody else has saved since."""
    from chuxiong_portal.roles import Role
    from chuxiong_portal.services import user_create

    other = user_create(
        username="sue", password="Test-Password-2025", role=Role.ZONE_STATISTICIAN, full_name="sue", zone=report.zone
    )
    report.refresh_from_db()
    report_save(
        report=report, user=other, data=ReportInput(work_done="同事先保存"), version=report.version, submit=False
    )
    cell(wb, OUTPUT, "本期值").value = 999
    return to_bytes(wb)


ZONE_CASES = {
    "pdf-renamed": (_raw(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"), "不是有效的Excel工作簿"),
    "text-renamed": (_raw("指标,本期值\n工业总产值,123\n".encode()), "不是有效的Excel工作簿"),
    "empty-file": (_raw(b""), "文件为空"),
    "old-xls": (_raw(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512), "另存为”.xlsx"),
    "corrupt-zip": (_truncated, "不是有效的Excel工作簿"),
    "zip-but-not-a-workbook": (_zip_of_text, "不是有效的Excel工作簿"),
    "damaged-workbook": (_damaged_workbook_xml, "文件已损坏"),
    "too-big": (_too_big, "不能超过5 MB"),
    "missing-sheet": (_without_values_sheet, "缺少工作表“指标数据”"),
    "missing-column": (_renamed_value_column, "缺少“本期值”列"),
    "missing-narrative-row": (_without_narrative_row, "缺少“工作进展”一行"),
    "other-report": (_other_reports_workbook, "该文件属于报告（编号"),
    "unknown-indicator": (_unknown_indicator, "本报告不包含指标“no-such-indicator”"),
    "other-zone": (_other_zone, "本报告不包含指标“industrial-output”（范围“wuding”）"),
    "text-in-number": (_set(OUTPUT, "本期值", "abc"), "请输入数字，例如 123.45。"),
    "percent-on-an-amount": (_set(OUTPUT, "本期值", "12%"), "该项的单位是“亿元”，不是百分比：请去掉“%”，只填数字。"),
    "word-for-none": (_set(OUTPUT, "本期值", "无"), "没有数据请留空，不要填写“无”。"),
    "unit-after-number": (_set(OUTPUT, "本期值", "12亿元"), "请只填数字，不要带单位或文字（“12亿元”）。"),
    "five-decimals": (_set(OUTPUT, "本期值", 1397.123456), "最多保留4位小数。"),
    "row-without-code": (_value_without_code, "没有指标代码和范围"),
    "negative": (_set(OUTPUT, "本期值", -5), "“工业总产值”不能为负数。"),
    "share-above-100": (_set(SHARE, "本期值", 120), "“主导产业营业收入占比”不能大于100%。"),
    "wrong-unit": (_set(OUTPUT, "计量单位", "万元"), "计量单位应为“亿元”，不能改为“万元”"),
    "date-on-a-value": (_set(OUTPUT, "完成日期", "2024-03-31"), "该指标不是节点指标"),
    "duplicate-row": (_duplicate_row, "重复：同一指标、同一范围只能填写一行"),
    "stale-file": (_stale_file, "请重新下载最新模板"),
}


@pytest.mark.parametrize("case", list(ZONE_CASES))
def test_it_refuses_a_bad_upload_with_a_message_and_writes_nothing(case, filled_zone_report, sam, client_for):
    change, message = ZONE_CASES[case]
    client = client_for(sam)
    wb = download(client, filled_zone_report)
    content = change(wb, filled_zone_report, client)
    before = snapshot(filled_zone_report)
    filled_zone_report.refresh_from_db()
    version = filled_zone_report.version if case != "stale-file" else before["report"][1] - 1

    response = refused(client, filled_zone_report, content, version=version)

    html = text(response)
    assert "上传未成功，没有写入任何数据" in html
    assert message in html
    assert snapshot(filled_zone_report) == before
    assert response.context["excel_errors"]


def test_a_refused_upload_sends_the_browser_back_so_a_refresh_does_not_post_the_file_again(
    filled_zone_report, sam, client_for
):
    client = client_for(sam)
    wb = download(client, filled_zone_report)
    cell(wb, OUTPUT, "本期值").value = "abc"
    before = snapshot(filled_zone_report)

    response = upload(client, filled_zone_report, to_bytes(wb))

    assert (response.status_code, response.url) == (302, filled_zone_report.get_absolute_url())  # not a page to re-post
    shown = text(client.get(response.url))
    problems = shown[shown.index('id="excel-errors"') :].split("</div>", 1)[0]
    assert f"“指标数据”第{row_of(wb, OUTPUT)}行“本期值”：请输入数字，例如 123.45。" in problems
    assert "上传未成功，没有写入任何数据" in shown
    refreshed = text(client.get(response.url))  # a refresh: the page again, the problems said once, nothing posted
    assert 'id="excel-errors"' not in refreshed and "上传未成功" not in refreshed
    assert snapshot(filled_zone_report) == before


def test_it_refuses_a_stale_page_version_with_the_browser_message(filled_zone_report, sam, client_for):
    client = client_for(sam)
    wb = download(client, filled_zone_report)
    cell(wb, OUTPUT, "本期值").value = 999
    before = snapshot(filled_zone_report)

    response = refused(client, filled_zone_report, to_bytes(wb), version=filled_zone_report.version - 1)

    page = text(response)
    assert "该报告已被sam于" in page
    assert "修改。请核对本页显示的最新内容后再上传。" in page  # the page it lands on is the fresh one: no refresh asked
    assert snapshot(filled_zone_report) == before


def test_it_refuses_a_date_that_is_not_a_date_for_a_milestone(dept_report, alice, client_for):
    client = client_for(alice)
    wb = download(client, dept_report)
    cell(wb, MILESTONE, "完成日期").value = "明天"
    cell(wb, "seven-connections__zone__wuding", "完成日期").value = datetime(2023, 3, 1)
    before = snapshot(dept_report)

    response = refused(client, dept_report, to_bytes(wb))

    html = text(response)
    assert f"“指标数据”第{row_of(wb, MILESTONE)}行“完成日期”：请输入有效日期，例如 2024-06-30。" in html
    assert snapshot(dept_report) == before


def test_it_refuses_an_approved_report_with_403_and_writes_nothing(filled_zone_report, sam, client_for):
    client = client_for(sam)
    wb = download(client, filled_zone_report)
    cell(wb, OUTPUT, "本期值").value = 1
    DispatchReport.objects.filter(pk=filled_zone_report.pk).update(state=DispatchReport.State.APPROVED)
    before = snapshot(filled_zone_report)

    response = upload(client, filled_zone_report, to_bytes(wb))

    assert response.status_code == 403
    assert "该报告已审核锁定，如需修改请联系州开发区办重新开放。" in text(response)
    assert snapshot(filled_zone_report) == before
    with pytest.raises(ExcelImportError) as refused:
        report_import(report=filled_zone_report, user=sam, content=to_bytes(wb), version=before["report"][1])
    assert "已审核锁定" in refused.value.errors[0]["message"]
    assert snapshot(filled_zone_report) == before


def test_it_forbids_another_units_staff_to_upload_and_writes_nothing(dept_report, alice, bob, client_for):
    wb = download(client_for(alice), dept_report)
    cell(wb, MILESTONE, "完成日期").value = datetime(2023, 3, 20)
    narrative(wb, "工作进展").value = "bob 的改动"
    before = snapshot(dept_report)

    response = upload(client_for(bob), dept_report, to_bytes(wb))

    assert response.status_code == 403
    assert "您没有修改该报告的权限。" in text(response)
    assert snapshot(dept_report) == before


def test_it_places_every_bad_row_in_one_answer_without_writing(filled_zone_report, sam, client_for):
    client = client_for(sam)
    wb = download(client, filled_zone_report)
    cell(wb, OUTPUT, "本期值").value = "abc"
    cell(wb, GROWTH, "本期值").value = -150
    cell(wb, SHARE, "计量单位").value = "‰"
    before = snapshot(filled_zone_report)

    with pytest.raises(ExcelImportError) as refused:
        report_import(report=filled_zone_report, user=sam, content=to_bytes(wb), version=before["report"][1])

    errors = {(e["sheet"], e["row"], e["column"]): e["message"] for e in refused.value.errors}
    assert errors == {
        (VALUES_SHEET, row_of(wb, OUTPUT), "本期值"): "请输入数字，例如 123.45。",
        (VALUES_SHEET, row_of(wb, GROWTH), "本期值"): "“工业总产值增速”不能小于-100。",
        (
            VALUES_SHEET,
            row_of(wb, SHARE),
            "计量单位",
        ): "计量单位应为“%”，不能改为“‰”。请按%换算后填写本期值，并把计量单位改回“%”。",
    }
    assert snapshot(filled_zone_report) == before


def test_it_reports_the_submit_rules_on_the_rows_of_the_report_sheet(dept_report, alice, client_for):
    client = client_for(alice)
    wb = download(client, dept_report)
    narrative(wb, "推进情况").value = "滞后"
    work_done_row = narrative(wb, "工作进展").row
    before = snapshot(dept_report)

    response = refused(client, dept_report, to_bytes(wb), action="submit")

    html = text(response)
    assert f"“调度报告”第{work_done_row}行“工作进展”：提交前请填写工作进展。" in html
    assert "推进情况为“滞后”时，必须说明滞后原因。" in html
    assert snapshot(dept_report) == before


def test_it_refuses_an_unknown_progress_and_a_bad_percentage(dept_report, alice, client_for):
    client = client_for(alice)
    wb = download(client, dept_report)
    narrative(wb, "推进情况").value = "差不多"
    narrative(wb, "完成进度（%）").value = 150
    before = snapshot(dept_report)

    response = refused(client, dept_report, to_bytes(wb))

    html = text(response)
    assert "请选择有效的推进情况（未启动、推进中、已完成、滞后）。" in html
    assert "完成进度不能大于100。" in html
    assert snapshot(dept_report) == before


def test_it_caps_the_listed_errors_at_fifty(filled_zone_report, sam, client_for):
    client = client_for(sam)
    wb = download(client, filled_zone_report)
    for n in range(60):
        append_row(wb[VALUES_SHEET], 指标代码=f"made-up-{n}", 范围="lufeng", 计量单位="亿元", 本期值=1)
    before = snapshot(filled_zone_report)

    response = refused(client, filled_zone_report, to_bytes(wb))

    html = text(response)
    assert len(response.context["excel_errors"]["lines"]) == 50 and response.context["excel_errors"]["more"] == 10
    assert "made-up-49" in html and "made-up-50" not in html
    assert "另有10处错误未列出" in html
    assert snapshot(filled_zone_report) == before


def test_it_asks_for_a_file_and_a_version_instead_of_failing(filled_zone_report, sam, client_for):
    client = client_for(sam)
    url = excel_url(filled_zone_report)
    before = snapshot(filled_zone_report)

    no_file = client.post(url, {"version": filled_zone_report.version}, follow=True)
    no_version = client.post(
        url, {"file": SimpleUploadedFile("a.xlsx", report_workbook(filled_zone_report))}, follow=True
    )

    for response in (no_file, no_version):
        assert response.redirect_chain == [(filled_zone_report.get_absolute_url(), 302)]
    assert "请选择要上传的Excel文件" in text(no_file)
    assert "页面已过期" in text(no_version)
    assert snapshot(filled_zone_report) == before
