"""`manage.py browser_timing` (tools/browser_timing.py) reads the browser's own timings of real visits."""

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import PASSWORD
from tools import browser_timing

pytestmark = pytest.mark.browser


def test_it_signs_in_and_times_each_page_first_and_again(browser, live_server, olga, demo):
    report = browser_timing.measure(
        browser,
        live_server.url,
        username=olga.get_username(),
        password=PASSWORD,
        pages=["/bulletin/", "/matrix/"],
        viewports={"phone": browser_timing.VIEWPORTS["phone"]},
        rounds=1,
    )

    assert report.login["phone"]["landing"] == "/" and report.login["phone"]["ms"] > 0
    rows = {row.path: row for row in report.pages}
    assert list(rows) == ["/bulletin/", "/matrix/"] and {row.status for row in rows.values()} == {200}
    for row in rows.values():
        for visit in (row.first, row.repeat):
            assert 0 < visit["server"] <= visit["ready"] <= visit["load"]
        # The static files came from the browser's cache the second time.
        assert row.repeat["transferred"] < row.first["transferred"]
    bulletin, matrix = rows["/bulletin/"], rows["/matrix/"]
    # The bulletin's first screen has its chart of the tasks' statuses, drawn; the matrix has no chart.
    assert bulletin.first["charts"] > 0 and bulletin.repeat["charts"] > 0
    assert matrix.first["charts"] is None
    # The chart code is part of the bulletin's first load only.
    assert bulletin.first["transferred"] > matrix.first["transferred"] + 100_000
    text = "\n".join(browser_timing.table(report))
    assert "sign-in → / loaded (phone)" in text and "/matrix/" in text


def test_a_wrong_password_is_said_not_timed(browser, live_server, olga, demo):
    with pytest.raises(RuntimeError, match="sign-in as .* failed"):
        browser_timing.measure(
            browser, live_server.url, username=olga.get_username(), password="wrong", pages=["/"], rounds=1
        )


def test_the_command_says_what_is_missing_when_nothing_serves(monkeypatch):
    monkeypatch.setattr(browser_timing, "CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(CommandError, match="chromium not found"):
        call_command("browser_timing", "--host", "http://127.0.0.1:9")
