"""The report form as people use it: required fields on submit for zone reports too, an explicit "清除"
to remove a stored value (and the change log showing it as 已删除 with the old value), stated length
limits with a clear server message and nothing cut, numbers typed with thousands separators or in
full-width digits, values shown in the indicator's own precision, milestones in words, and the error
banner naming the action that failed (提交 vs 保存).
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import DispatchReport, IndicatorValue, ReportingPeriod
from indicators.selectors import report_slots

OUTPUT = "industrial-output__zone__lufeng"  # 工业总产值, 亿元
GROWTH = "industrial-output-growth__zone__lufeng"  # %
WORK_REPORT = "zone-work-report__zone__lufeng"  # 向州、县市党委全面报告工作, 次 (a count)


@pytest.fixture
def zone_report(plan):
    """禄丰产业园区's value set for December 2024: the plan's numbers for a zone, among them a count in 次."""
    return DispatchReport.objects.create(
        zone=plan["lufeng"], period=ReportingPeriod.objects.get(cadence="monthly", year=2024, index=12)
    )


def post(client, report, action, values=None, **fields):
    report.refresh_from_db()
    data = {"action": action, "version": report.version, "work_done": "", "change_reason": ""}
    data.update(fields)
    for slot in report_slots(report):
        data[f"value__{slot.key}"] = (values or {}).get(slot.key, "")
    return client.post(reverse("report-detail", args=[report.pk]), data)


def full(**overrides):
    values = {
        OUTPUT: "1129.61",
        GROWTH: "12.5",
        "leading-industry-share__zone__lufeng": "52",
        "labour-productivity__zone__lufeng": "150",
        "land-output__zone__lufeng": "365.25",
        WORK_REPORT: "2",
    }
    return {**values, **overrides}


def text(response):
    return response.content.decode()


def test_it_refuses_to_submit_an_empty_zone_report_naming_the_fields(zone_report, sam, client_for):
    response = post(client_for(sam), zone_report, "submit")
    assert response.status_code == 400
    page = text(response)
    assert "提交前请填写工作进展" in page
    assert "提交前请填写“工业总产值”" in page
    assert "请按提示修改后再提交" in page and "修改后再保存" not in page
    zone_report.refresh_from_db()
    assert zone_report.state == DispatchReport.State.PENDING


def test_it_states_the_required_fields_in_the_form(zone_report, sam, client_for):
    page = text(client_for(sam).get(reverse("report-detail", args=[zone_report.pk])))
    assert "带 * 的项目提交审核时必填" in page
    # 工作进展 and the eight numbers; the part of a rate (主导产业营业收入) is optional: the rate may be typed in
    assert page.count('<abbr class="required"') == 1 + 8


def test_it_refuses_a_silent_erasure_and_logs_an_explicit_one_as_removed(zone_report, sam, client_for):
    client = client_for(sam)
    assert post(client, zone_report, "save", full(), work_done="已核实").status_code == 302
    assert IndicatorValue.objects.get(report=zone_report, indicator__code="industrial-output").value == Decimal(
        "1129.61"
    )

    response = post(client, zone_report, "save", full(**{OUTPUT: ""}), work_done="已核实")
    assert response.status_code == 400
    assert "“工业总产值”原有数据，不能直接留空" in text(response)
    assert IndicatorValue.objects.get(report=zone_report, indicator__code="industrial-output").value is not None

    response = post(client, zone_report, "save", full(**{OUTPUT: ""}), work_done="已核实", **{f"clear__{OUTPUT}": "on"})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(report=zone_report, indicator__code="industrial-output").value is None
    page = text(client.get(reverse("report-detail", args=[zone_report.pk])))
    history = page[page.index('id="value-history"') : page.index('id="report-history"')]
    row = next(r for r in history.split("<tr>") if "工业总产值（" in r and "已删除" in r)
    assert "1129.61" in row


def test_it_states_the_length_limit_and_refuses_too_long_text_in_chinese_without_cutting(zone_report, sam, client_for):
    client = client_for(sam)
    page = text(client.get(reverse("report-detail", args=[zone_report.pk])))
    assert 'maxlength="5000"' not in page  # the browser would cut a long paste without a word
    assert 'data-counter-for="id_work_done"' in page and "最多5000字" in page
    response = post(client, zone_report, "save", full(), work_done="进" * 10_000)
    assert response.status_code == 400
    assert "“工作进展”最多5000字，现有10000字" in text(response)
    assert "确保该变量" not in text(response)
    assert ("进" * 10_000) in text(response)  # given back whole, for the user to shorten
    zone_report.refresh_from_db()
    assert zone_report.work_done == ""


def test_a_reader_who_cannot_edit_sees_the_text_without_a_length_counter(zone_report, leo, client_for):
    """The counter is for typing: on a report the reader may only read, the boxes are read-only and count nothing."""
    page = text(client_for(leo).get(reverse("report-detail", args=[zone_report.pk])))
    assert 'id="id_work_done"' in page and "disabled" in page.split('id="id_work_done"')[0].rsplit("<textarea", 1)[1]
    assert "data-counter-for" not in page and "最多5000字" not in page


def test_it_reads_numbers_as_people_type_them_and_shows_them_in_the_units_precision(zone_report, sam, client_for):
    client = client_for(sam)
    typed = full(**{OUTPUT: "1,129.61", "land-output__zone__lufeng": "３６５．２５"})
    response = post(client, zone_report, "save", typed)
    assert response.status_code == 302
    stored = {v.indicator.code: v.value for v in IndicatorValue.objects.filter(report=zone_report)}
    assert stored["industrial-output"] == Decimal("1129.61")
    assert stored["land-output"] == Decimal("365.25")
    page = text(client.get(reverse("report-detail", args=[zone_report.pk])))
    assert f'name="value__{WORK_REPORT}" value="2"' in page  # a count of 次: no "2.0000"
    assert f'name="value__{OUTPUT}" value="1129.61"' in page
    assert "1129.6100" not in page and "2.0000" not in page


@pytest.mark.parametrize("typed", ["1,2,3", "12,34", "1.234,5"])
def test_it_refuses_commas_out_of_place(zone_report, sam, client_for, typed):
    response = post(client_for(sam), zone_report, "save", full(**{OUTPUT: typed}))
    assert response.status_code == 400
    assert "请输入数字" in text(response)


def test_it_names_the_save_in_the_banner_when_a_draft_is_refused(zone_report, sam, client_for):
    response = post(client_for(sam), zone_report, "save", full(**{OUTPUT: "-5"}))
    assert response.status_code == 400
    assert "请按提示修改后再保存" in text(response)


def test_it_shows_milestones_in_the_change_log_in_words(plan, alice, client_for):
    from tasks.models import Task

    report = DispatchReport.objects.create(
        department=plan["ndrc"],
        task=Task.objects.get(number=14),
        period=ReportingPeriod.objects.get(cadence="monthly", year=2023, index=3),
    )
    client = client_for(alice)
    url = reverse("report-detail", args=[report.pk])
    key = "seven-connections__zone__lufeng"
    base = {
        "action": "save",
        "progress": "",
        "progress_pct": "",
        "work_done": "",
        "problems": "",
        "next_steps": "",
        "delay_reason": "",
        "change_reason": "",
    }
    assert client.post(url, {**base, "version": report.version, f"done__{key}": "2023-03-20"}).status_code == 302
    report.refresh_from_db()
    assert (
        client.post(url, {**base, "version": report.version, f"done__{key}": "", f"clear__{key}": "on"}).status_code
        == 302
    )
    page = text(client.get(url))
    history = page[page.index('id="value-history"') : page.index('id="report-history"')]
    assert "已完成 2023年3月20日" in history and "未完成" in history
    assert ">1 " not in history and ">0<" not in history


@pytest.mark.parametrize("typed", ["99999999999999.9999", "10000000000000", "-10000000000000"])
def test_a_value_too_big_to_read_back_is_refused_and_the_page_still_opens(zone_report, sam, client_for, typed):
    """99999999999999.9999 was saved, then SQLite's double read back as 1e14, beyond the column: every view of the
    report failed (a 500), and no page could mend it."""
    client = client_for(sam)
    refused = post(client, zone_report, "save", full(**{OUTPUT: typed}))
    assert refused.status_code == 400
    assert "“工业总产值”的数值过大，请检查计量单位" in text(refused)
    assert not IndicatorValue.objects.filter(report=zone_report).exists()
    taken = post(client, zone_report, "save", full(**{OUTPUT: "9999999999999.99"}))
    assert taken.status_code == 302
    assert client.get(reverse("report-detail", args=[zone_report.pk])).status_code == 200
    stored = IndicatorValue.objects.get(report=zone_report, indicator__code="industrial-output").value
    assert abs(stored - Decimal("9999999999999.99")) < 1
