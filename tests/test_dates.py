"""A day and a moment read one way in each language (`chuxiong_portal.dates` and its template filters)."""

from datetime import UTC, date, datetime

import pytest
from django.template import engines
from django.utils import translation

from chuxiong_portal import dates

DAY = date(2026, 1, 10)
SAVED = datetime(2026, 1, 10, 6, 5, tzinfo=UTC)  # 14:05 in Chuxiong (Asia/Shanghai)
LATE_EVENING = datetime(2026, 1, 10, 17, 30, tzinfo=UTC)  # already 11 January in Chuxiong


def _render(text: str, **context) -> str:
    return engines["django"].from_string("{% load portal_dates %}" + text).render(context)


@pytest.mark.parametrize(
    "language,day,moment,short",
    [
        ("zh-hans", "2026年1月10日", "2026年1月10日 14:05", "1月10日"),
        ("en", "10 Jan 2026", "10 Jan 2026 14:05", "10 Jan"),
    ],
)
def test_it_words_a_day_a_moment_and_a_short_day_in_the_readers_language(language, day, moment, short):
    with translation.override(language):
        assert (dates.day(DAY), dates.moment(SAVED), dates.short_day(DAY)) == (day, moment, short)
        assert _render("{{ d|day }}|{{ m|moment }}|{{ d|short_day }}", d=DAY, m=SAVED) == f"{day}|{moment}|{short}"


def test_it_shows_a_moment_and_its_day_in_local_time():
    assert dates.moment(LATE_EVENING) == "2026年1月11日 01:30"
    assert dates.day(LATE_EVENING) == "2026年1月11日"


def test_a_missing_date_reads_empty_so_a_default_can_stand_in():
    assert (dates.day(None), dates.moment(None), dates.short_day(None)) == ("", "", "")
    assert _render('{{ d|day|default:"—" }} {{ m|moment|default:"—" }} {{ nothing|day }}.', d=None, m=None) == "— — ."


def test_a_plain_date_shown_as_a_moment_reads_as_a_day():
    assert dates.moment(DAY) == "2026年1月10日"
