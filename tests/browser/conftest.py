"""Browser tests: Playwright's sync API drives Debian's headless Chromium against pytest-django's live server.

Fixtures
--------
browser      session-scoped Chromium (``/usr/bin/chromium``; ``playwright install`` is never used).
page         a fresh context per test (locale zh-CN, ``base_url`` is the live server: ``page.goto("/")``).
             Console errors and uncaught page errors are collected in ``page.js_errors``; any of them fails
             the test at teardown (favicon 404s excepted).
login        ``login(page, user)`` signs a persona in through the real login form.
screenshot   ``screenshot(page, name)`` saves ``test-artifacts/screenshots/<test>--<name>.png``.

Without ``/usr/bin/chromium`` the tests are skipped, unless the ``CI`` variable is set: then they fail.
Every test in this folder is marked ``browser`` (``-m "not browser"`` deselects them).
"""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, sync_playwright

from tests.conftest import PASSWORD
from tools import browser_timing
from tools.demo import demo_load

# The same Chromium, with the same switches, as `manage.py browser_timing` drives.
CHROMIUM = Path(browser_timing.CHROMIUM)
CHROMIUM_ARGS = browser_timing.CHROMIUM_ARGS
TIMEOUT_MS = 15_000
NAVIGATION_TIMEOUT_MS = 30_000

# Playwright's sync API keeps an asyncio loop marked as running in this thread while it is alive, so
# Django's async-safety check would refuse the ORM calls of the test code (fixtures, the flush of
# transactional tests): os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true" while Playwright runs
# (see _Chromium.start), restored once the browser tests are done so the rest of the suite keeps the check.
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


class _Chromium:
    """Playwright plus one Chromium, shared by the session's browser tests.

    While Playwright runs, asyncio.get_running_loop() succeeds in this thread, which breaks
    asyncio.run() and asgiref's async_to_sync() in any other test. So Playwright is stopped as soon as
    no browser test is left to run (pytest_runtest_teardown below), not only at the end of the session.
    """

    def __init__(self):
        self._playwright = None
        self._browser = None
        self._async_unsafe_before = None

    def start(self) -> Browser:
        if self._browser is None:
            self._async_unsafe_before = os.environ.get(ASYNC_UNSAFE)
            os.environ[ASYNC_UNSAFE] = "true"
            self._playwright = sync_playwright().start()
            try:
                self._browser = self._playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, timeout=60_000
                )
            except BaseException:
                self.stop()
                raise
        return self._browser

    def stop(self) -> None:
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        try:
            if browser is not None:
                browser.close()
        finally:
            if playwright is not None:
                playwright.stop()
                if self._async_unsafe_before is None:
                    os.environ.pop(ASYNC_UNSAFE, None)
                else:
                    os.environ[ASYNC_UNSAFE] = self._async_unsafe_before


_chromium = _Chromium()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if _chromium._browser is None:
        return
    items = item.session.items
    try:
        rest = items[items.index(item) + 1 :]
    except ValueError:
        rest = []
    if not any("browser" in getattr(other, "fixturenames", ()) for other in rest):
        _chromium.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"_report_{report.when}", report)


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to run browser tests"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set and {reason}", pytrace=False)
        pytest.skip(reason)
    yield _chromium.start()
    _chromium.stop()


def _is_favicon(url: str) -> bool:
    return url.split("?", 1)[0].endswith("/favicon.ico")


def _safe_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("_")[:120] or "page"


@pytest.fixture
def page(browser, live_server, request) -> Page:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.js_errors = errors

    def on_console(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        where = message.location or {}
        url = where.get("url", "")
        if _is_favicon(url) or ("favicon.ico" in message.text and "404" in message.text):
            return
        errors.append(f"console.error at {url}:{where.get('lineNumber', '?')}: {message.text}")

    def on_page_error(error: Error) -> None:
        errors.append(f"uncaught {error.name or 'error'} on {page.url}: {error.message}\n{error.stack or ''}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    try:
        yield page
        call = getattr(request.node, "_report_call", None)
        if call is not None and call.failed:
            _save(request, page, "FAILED")
    finally:
        context.close()
    if errors:
        pytest.fail("JavaScript errors during the test:\n" + "\n".join(f"- {e}" for e in errors), pytrace=False)


def _save(request, page: Page, name: str) -> Path:
    folder = Path(request.config.rootpath) / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_safe_name(request.node.name)}--{_safe_name(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot(request):
    """screenshot(page, name) -> path of test-artifacts/screenshots/<test>--<name>.png (full page)."""

    def take(page: Page, name: str) -> Path:
        return _save(request, page, name)

    return take


@pytest.fixture
def login(live_server):
    """login(page, user[, password]) fills and submits the real login form.

    With the persona's password (the default) it waits until the browser has left the login page;
    with another password it returns once the form's answer has loaded.
    """

    def sign_in(page: Page, user, password: str | None = None) -> Page:
        page.goto("/accounts/login/")
        page.locator("#id_username").fill(user.get_username())
        page.locator("#id_password").fill(PASSWORD if password is None else password)
        with page.expect_navigation():
            page.locator("button[type=submit]").click()
        if password is None:
            assert "/accounts/login/" not in page.url, f"login of {user.get_username()} failed: still on {page.url}"
        return page

    return sign_in


@pytest.fixture
def demo(plan):
    """The demo's history, its progress computed: the data the page walks read."""
    demo_load()
    call_command("recompute", verbosity=0)
