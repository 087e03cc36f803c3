"""What a reader waits for in a real browser: sign-in to landing, and each dashboard's first and repeat load.

`manage.py browser_timing` drives Debian's headless Chromium (Playwright, from the `test` extra) against a
portal that is already serving (the development server of the README's first command, or the production stack),
at a phone's width and at a desktop's. For each page it reads the browser's own Navigation Timing:

- server: from the request sent to the first byte of the answer;
- ready: DOMContentLoaded, when the page can be read and used (the deferred scripts have run);
- load: the load event;
- charts: when the charts of the first screen were drawn (None when it has none: the others are drawn as the
  reader scrolls to them);
- transferred: the bytes that came over the network (HTML and static files; 0 for a file the browser had).

"first" is a reader's first visit, in a browser context of its own (nothing cached, the reader signed in);
"repeat" the same page again in that context (static files from the browser's cache). Each figure is the
median of `rounds` visits. A script, not a test: it reports figures and judges nothing.
"""

import statistics
import time
from dataclasses import dataclass, field

from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Playwright gives every launch a fresh temporary profile itself (it refuses --user-data-dir in args).
]
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 800}}
PAGES = ["/", "/zones/lufeng/", "/tasks/9/", "/departments/ndrc/", "/bulletin/", "/projects/board/", "/matrix/"]
CHARTS = "[data-chart], [data-gantt], [data-lines]"
TIMEOUT_MS = 30_000

# Before the page's scripts: the time each chart says it is drawn (charts.js sets data-chart-ready, gantt.js
# data-rendered), on the page's own clock.
CHART_CLOCK = """
window.__chartsDrawnAt = 0;
new MutationObserver(() => { window.__chartsDrawnAt = performance.now(); })
  .observe(document, { attributes: true, subtree: true, attributeFilter: ["data-chart-ready", "data-rendered"] });
"""
# The charts of the first screen (charts.js draws a chart when it comes near the screen), and whether they are drawn.
IN_VIEW = f"""Array.from(document.querySelectorAll({CHARTS!r}))
  .filter((e) => e.getBoundingClientRect().top < window.innerHeight)"""
CHARTS_DRAWN = f"""() => {IN_VIEW}
  .every((e) => e.hasAttribute("data-chart-ready") || e.hasAttribute("data-rendered"))"""
NAVIGATION = f"""() => {{
  const n = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  const inView = {IN_VIEW}.length;
  return {{
    server: n.responseStart - n.requestStart,
    ready: n.domContentLoadedEventEnd,
    load: n.loadEventEnd,
    charts: inView ? window.__chartsDrawnAt : null,
    transferred: n.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
  }};
}}"""
FIGURES = ("server", "ready", "load", "charts", "transferred")


@dataclass
class PageTiming:
    path: str
    viewport: str
    status: int
    first: dict = field(default_factory=dict)
    repeat: dict = field(default_factory=dict)


@dataclass
class Report:
    host: str
    rounds: int
    login: dict = field(default_factory=dict)  # viewport → {"ms": sign-in to landing loaded, "landing": url}
    pages: list[PageTiming] = field(default_factory=list)


def measure(
    browser: Browser,
    host: str,
    *,
    username: str,
    password: str,
    pages: list[str] = PAGES,
    viewports: dict = VIEWPORTS,
    rounds: int = 3,
) -> Report:
    report = Report(host=host.rstrip("/"), rounds=rounds)
    for name, viewport in viewports.items():
        state, report.login[name] = _sign_in(browser, report.host, viewport, username, password)
        for path in pages:
            firsts, repeats, status = [], [], 0
            for _round in range(rounds):
                context = browser.new_context(
                    base_url=report.host, viewport=viewport, locale="zh-CN", storage_state=state
                )
                context.set_default_timeout(TIMEOUT_MS)
                try:
                    page = context.new_page()
                    page.add_init_script(CHART_CLOCK)
                    status, first = _visit(page, path)
                    _status, repeat = _visit(page, path)
                finally:
                    context.close()
                firsts.append(first)
                repeats.append(repeat)
            report.pages.append(PageTiming(path, name, status, _medians(firsts), _medians(repeats)))
    return report


def _sign_in(browser: Browser, host: str, viewport: dict, username: str, password: str) -> tuple[dict, dict]:
    """Through the real form: the time from the click to the landing page's load event, and the session."""
    context = browser.new_context(base_url=host, viewport=viewport, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        started = time.perf_counter()
        with page.expect_navigation(wait_until="load"):
            page.locator("button[type=submit]").click()
        elapsed = (time.perf_counter() - started) * 1000
        if "/accounts/login/" in page.url:
            raise RuntimeError(f"sign-in as {username} failed at {host}")
        return context.storage_state(), {"ms": elapsed, "landing": page.url.removeprefix(host)}
    finally:
        context.close()


def _visit(page: Page, path: str) -> tuple[int, dict]:
    response = page.goto(path, wait_until="load")
    status = response.status if response is not None else 0
    page.wait_for_function(CHARTS_DRAWN)
    page.wait_for_load_state("networkidle")  # what charts.js fetches after the load event counts as transferred
    return status, page.evaluate(NAVIGATION)


def _medians(visits: list[dict]) -> dict:
    return {
        key: None if any(v[key] is None for v in visits) else statistics.median(v[key] for v in visits)
        for key in FIGURES
    }


def table(report: Report) -> list[str]:
    """The report as text: a line per viewport's sign-in, then a row per page and viewport."""
    lines = [f"Browser timing — {report.host}, Chromium headless, median of {report.rounds} visits each"]
    for viewport, login in report.login.items():
        lines.append(f"  sign-in → {login['landing']} loaded ({viewport}): {login['ms']:.0f} ms")
    header = (
        f"  {'page':<20} {'width':<8} {'HTTP':>4}  first: {'server':>6} {'ready':>6} {'load':>6} {'charts':>6} "
        f"{'KB':>6}   repeat: {'server':>6} {'ready':>6} {'load':>6} {'charts':>6} {'KB':>5}"
    )
    lines += [header, "  " + "-" * (len(header) - 2)]
    for row in report.pages:
        lines.append(
            f"  {row.path:<20} {row.viewport:<8} {row.status:>4}  first: {_cells(row.first, 6)}   "
            f"repeat: {_cells(row.repeat, 5)}"
        )
    lines.append(
        "  ms from the navigation's start: server = request sent → first byte; ready = DOMContentLoaded; "
        "charts = the first screen's charts drawn; KB = transferred (HTML + static files, compressed)"
    )
    return lines


def _cells(figures: dict, kb_width: int) -> str:
    times = " ".join("     -" if figures[key] is None else f"{figures[key]:6.0f}" for key in FIGURES[:-1])
    return f"{times} {figures['transferred'] / 1024:{kb_width}.0f}"
