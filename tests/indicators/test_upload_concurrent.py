"""The same report workbook uploaded several times at once (a double click, two colleagues): one upload is saved, the
others are told why not; never a 500, never a half-written report."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from indicators.models import DispatchReport, IndicatorValue, ReportingPeriod
from tests.concurrency.test_parallel_writes import run_together
from tests.indicators.test_report_excel import GROWTH, OUTPUT, cell, download, excel_url, to_bytes

pytestmark = pytest.mark.django_db(transaction=True)
COPIES = 4


def test_the_same_upload_posted_at_once_is_saved_once_and_the_others_are_told(plan, sam):
    report = DispatchReport.objects.create(
        zone=plan["lufeng"], period=ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)
    )
    client = Client()
    client.force_login(sam)
    book = download(client, report)
    cell(book, OUTPUT, "本期值").value = 250
    cell(book, GROWTH, "本期值").value = 10
    content = to_bytes(book)
    # Signed in before, and each answer's page read after: only the uploads run at once (a session written or a page
    # read in a thread would meet the uploads' lock on SQLite, which is not what is tested here).
    clients = [Client() for _ in range(COPIES)]
    for own in clients:
        own.force_login(sam)

    def post(i: int):
        file = SimpleUploadedFile("调度报告.xlsx", content)
        return clients[i].post(excel_url(report), {"file": file, "version": 1})

    responses = run_together(post, COPIES)
    assert all(not isinstance(response, Exception) for response in responses), responses
    answers = [
        (response.status_code, own.get(response["Location"]).content.decode() if response.status_code == 302 else "")
        for own, response in zip(clients, responses, strict=True)
    ]
    assert {status for status, _page in answers} <= {302, 503}
    saved = [page for status, page in answers if status == 302 and "已从Excel导入" in page]
    told = [page for status, page in answers if status == 302 and re.search(r"已被\w+于.*修改", page)]
    assert len(saved) == 1 and len(saved) + len(told) + sum(s == 503 for s, _p in answers) == COPIES
    report.refresh_from_db()
    assert report.version == 2
    values = IndicatorValue.objects.filter(report=report)
    assert sorted(values.values_list("value", flat=True)) == [10, 250]
    assert IndicatorValue.history.count() == 2  # one write of each value, none repeated
