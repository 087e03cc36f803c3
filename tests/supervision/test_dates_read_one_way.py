"""The pages a walk on a phone found mixing 2026-08-31 with 2026年1月10日 show every day one way: the to-do page
(reports, supervision items, work items) and the supervision and work-item lists, in Chinese and in English."""

import re
from datetime import date

import pytest
import time_machine

ISO = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")
CHINESE_DAY = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def _text(response) -> str:
    """What the reader sees: the page without its scripts, tags and attribute values (a date box's ISO value)."""
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def issued_beside_the_list(issued, work_list):
    """The supervision item (due 2026-12-10) beside the list's work items (禄丰's due 2026-09-30)."""
    return issued


@time_machine.travel(date(2026, 12, 11), tick=False)
def test_the_todo_page_shows_every_day_one_way(client_for, zack, issued_beside_the_list, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    text = _text(client_for(zack).get("/todo/"))
    assert "2026年12月10日" in text and "2026年9月30日" in text  # the item's deadline, the work item's due date
    assert ISO.findall(text) == []


@time_machine.travel(date(2026, 12, 11), tick=False)
@pytest.mark.parametrize("path", ["/supervision/", "/work-items/"])
def test_the_supervision_lists_show_every_day_one_way(client_for, olga, issued_beside_the_list, path):
    text = _text(client_for(olga).get(path))
    assert len(CHINESE_DAY.findall(text)) >= 1
    assert ISO.findall(text) == []


@time_machine.travel(date(2026, 12, 11), tick=False)
def test_the_todo_page_in_english_reads_english_days(client_for, zack, issued_beside_the_list, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    client = client_for(zack)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = _text(client.get("/todo/"))
    assert "10 Dec 2026" in text and "30 Sep 2026" in text
    assert ISO.findall(text) == [] and CHINESE_DAY.findall(text) == []
