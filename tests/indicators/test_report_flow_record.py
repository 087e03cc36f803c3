"""A report's flow record (报告流转记录): who did what and when. A draft saved again and again by one person is
one line with its count and time span, not a line per click; the record is bounded however long the history."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from chuxiong_portal.roles import Role
from chuxiong_portal.services import user_create
from indicators import selectors
from indicators.models import DispatchReport, ReportingPeriod
from indicators.selectors import report_slots

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def zone_report(plan):
    with time_machine.travel(at(2, 8, 0), tick=False):
        return DispatchReport.objects.create(
            zone=plan["lufeng"], period=ReportingPeriod.objects.get(cadence="monthly", year=2024, index=12)
        )


@pytest.fixture
def tina(plan):
    """A second statistician of 禄丰."""
    return user_create(
        username="tina", password=None, role=Role.ZONE_STATISTICIAN, zone=plan["lufeng"], full_name="禄丰统计员二"
    )


def post(client, report, action, **fields):
    report.refresh_from_db()
    data = {"action": action, "version": report.version, "work_done": "已完成", "change_reason": ""}
    for slot in report_slots(report):
        data[f"value__{slot.key}"] = ""
    data.update(fields)
    return client.post(reverse("report-detail", args=[report.pk]), data)


def saves(client, report, user, at: list[datetime]):
    client.force_login(user)
    for moment in at:
        with time_machine.travel(moment, tick=False):
            assert post(client, report, "save").status_code == 302


def at(day: int, hour: int, minute: int) -> datetime:
    return datetime(2025, 1, day, hour, minute, tzinfo=SHANGHAI)


def test_a_run_of_saves_by_one_person_is_one_line_with_its_count_and_span(zone_report, sam, tina, client):
    saves(client, zone_report, sam, [at(3, 9, 0), at(3, 9, 20), at(3, 10, 5)])
    saves(client, zone_report, tina, [at(3, 11, 0)])
    saves(client, zone_report, sam, [at(4, 8, 30), at(4, 8, 45)])

    record = selectors.report_history(zone_report)

    assert not record.truncated
    lines = [(e.who, e.state, e.reason, e.count, e.first, e.last) for e in record.entries]
    assert lines == [
        ("sam", "draft", "保存草稿", 2, at(4, 8, 30), at(4, 8, 45)),
        ("禄丰统计员二", "draft", "保存草稿", 1, at(3, 11, 0), at(3, 11, 0)),
        ("sam", "draft", "保存草稿", 3, at(3, 9, 0), at(3, 10, 5)),
        ("", "pending", "", 1, at(2, 8, 0), at(2, 8, 0)),  # the report's creation, by no one
    ]


def test_a_submission_after_saves_is_its_own_line(zone_report, sam, client):
    saves(client, zone_report, sam, [at(3, 9, 0), at(3, 9, 5)])
    # Submitting needs every required value: the state and reason differ from the saves' whatever the outcome.
    with time_machine.travel(at(3, 9, 10), tick=False):
        DispatchReport.objects.filter(pk=zone_report.pk).update(state=DispatchReport.State.SUBMITTED)
        zone_report.refresh_from_db()
        zone_report._history_user = sam
        zone_report._change_reason = "提交"
        zone_report.save()

    entries = selectors.report_history(zone_report).entries

    assert [(e.state, e.reason, e.count) for e in entries[:2]] == [("submitted", "提交", 1), ("draft", "保存草稿", 2)]


def test_the_page_shows_the_runs_in_chinese_and_english(zone_report, sam, client):
    saves(client, zone_report, sam, [at(3, 9, 0), at(3, 9, 20), at(3, 10, 5)])
    client.force_login(sam)

    page = client.get(reverse("report-detail", args=[zone_report.pk])).content.decode()
    record = page[page.index('id="report-history"') :]
    assert "2025年1月3日 09:00 – 2025年1月3日 10:05" in record
    assert "保存草稿 （共 3 次）" in record
    assert record.count("保存草稿") == 1

    with translation.override("en"):
        page = client.get(reverse("report-detail", args=[zone_report.pk]), HTTP_ACCEPT_LANGUAGE="en").content
    record = page.decode()[page.decode().index('id="report-history"') :]
    assert "(3 times)" in record


def test_the_record_is_bounded_and_says_so(zone_report, sam, tina, client, monkeypatch):
    monkeypatch.setattr(selectors, "FLOW_ENTRIES", 3)
    # Alternating people: every save is a line of its own.
    for minute in range(0, 50, 10):
        saves(client, zone_report, sam if minute % 20 == 0 else tina, [at(3, 9, minute)])

    record = selectors.report_history(zone_report)

    assert record.truncated
    assert [e.last for e in record.entries] == [at(3, 9, 40), at(3, 9, 30), at(3, 9, 20)]
    client.force_login(sam)
    page = client.get(reverse("report-detail", args=[zone_report.pk])).content.decode()
    assert "仅显示最近的 3 条记录。" in page


def test_rows_read_are_bounded(zone_report, sam, client, monkeypatch):
    monkeypatch.setattr(selectors, "FLOW_ROWS_READ", 4)
    saves(client, zone_report, sam, [at(3, 9, m) for m in range(0, 60, 10)])  # six saves, one run

    record = selectors.report_history(zone_report)

    # The four latest rows are read: the run shows four saves, and the record says older ones exist.
    assert record.truncated
    assert [(e.count, e.first, e.last) for e in record.entries] == [(4, at(3, 9, 20), at(3, 9, 50))]


def test_the_page_reads_the_record_in_a_fixed_number_of_queries(zone_report, sam, tina, client):
    def queries() -> int:
        client.force_login(sam)
        client.get(reverse("report-detail", args=[zone_report.pk]))  # what a first request caches aside
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("report-detail", args=[zone_report.pk])).status_code == 200
        return len(captured.captured_queries)

    saves(client, zone_report, sam, [at(3, 9, 0)])
    few = queries()
    for minute in range(1, 13):
        saves(client, zone_report, sam if minute % 2 else tina, [at(3, 10, minute)])
    assert queries() == few


def _record(client, report, language: str) -> str:
    client.cookies["django_language"] = language
    page = client.get(reverse("report-detail", args=[report.pk])).content.decode()
    return page[page.index('id="report-history"') :]


def test_the_workflows_words_are_kept_in_chinese_whoever_acts_and_shown_in_the_readers_language(
    zone_report, sam, leo, client
):
    """A statistician saving in English and a reviewer returning in English: the history keeps 保存草稿 and 退回：…,
    and each reader reads them in their own language (the reviewer's own words as written)."""
    client.cookies["django_language"] = "en"
    saves(client, zone_report, sam, [at(3, 9, 0)])
    zone_report.refresh_from_db()
    DispatchReport.objects.filter(pk=zone_report.pk).update(state=DispatchReport.State.SUBMITTED)
    client.force_login(leo)
    with time_machine.travel(at(3, 10, 0), tick=False):
        response = client.post(
            reverse("report-review", args=[zone_report.pk]),
            {"action": "return", "reason": "增速口径有误", "version": zone_report.version},
        )
    assert response.status_code == 302
    kept = list(zone_report.history.order_by("-history_date").values_list("history_change_reason", flat=True)[:2])
    assert kept == ["退回：增速口径有误", "保存草稿"]

    english = _record(client, zone_report, "en")
    assert "Returned: 增速口径有误" in english and "Draft saved" in english and "保存草稿" not in english
    chinese = _record(client, zone_report, "zh-hans")
    assert "退回：增速口径有误" in chinese and "保存草稿" in chinese and "Returned" not in chinese


def test_an_approval_is_kept_in_chinese_and_read_as_approved_in_english(zone_report, leo, client):
    DispatchReport.objects.filter(pk=zone_report.pk).update(state=DispatchReport.State.SUBMITTED)
    zone_report.refresh_from_db()
    client.force_login(leo)
    client.cookies["django_language"] = "en"
    with time_machine.travel(at(3, 10, 0), tick=False):
        client.post(
            reverse("report-review", args=[zone_report.pk]), {"action": "approve", "version": zone_report.version}
        )
    assert zone_report.history.latest().history_change_reason == "审核通过"
    english = _record(client, zone_report, "en")
    assert '<td class="wrap">Approved</td>' in english  # the reason's cell (the state's says Approved too)
