"""In English, the overview, zone and task pages show the progress engine's reasons in English.

The reasons are computed sentences (the engine's code and numbers, worded where shown): none of the Chinese
sentences stored with the results may appear inside <main> of an English page, while the same page in
Chinese shows them.
"""

import re

import pytest
from django.urls import reverse

from indicators.models import ProgressResult

PAGES = {
    "overview": ("home", []),
    "zone": ("zone-detail", ["lufeng"]),
    "zone (hitech)": ("zone-detail", ["chuxiong-hitech"]),
    "task 9": ("task-detail", [9]),
    "task 14": ("task-detail", [14]),
}
# Pieces of the engine's sentences (indicators/progress/reasons.py), never part of a name or of the plan's text
# (年均增长 is: 「工业总产值年均增长20%以上」).
FRAGMENTS = [
    "序时进度",
    "目标已实现",
    "完成时限",
    "尚未完成",
    "暂无数据",
    "趋势",
    "最新数据截至",
    "力争目标未达到",
    "汇总数据不完整",
    "本期尚无已提交的数据",
    "完成目标的",
    "达到目标要求",
    "低于目标",
]


def main_of(html: str) -> str:
    found = re.search(r"<main\b.*?</main>", html, re.S)
    assert found, "the page has no <main>"
    return found.group(0)


def page(client, settings, language: str, name: str) -> str:
    url, args = PAGES[name]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse(url, args=args))
    assert response.status_code == 200, (name, response.status_code)
    return main_of(response.content.decode())


@pytest.mark.parametrize("name", list(PAGES))
def test_it_shows_no_computed_chinese_sentence_on_the_english_page(name, client_for, olga, data, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    client = client_for(olga)
    stored = {r for r in ProgressResult.objects.values_list("reason", flat=True) if r}
    chinese = page(client, settings, "zh-hans", name)
    shown = {reason for reason in stored if reason in chinese}
    assert shown, "the Chinese page shows none of the stored reasons: the test would see nothing"

    english = page(client, settings, "en", name)
    assert [reason for reason in stored if reason in english] == []
    assert [fragment for fragment in FRAGMENTS if fragment in english] == []
