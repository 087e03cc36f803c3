"""The dashboards in a real browser, on the demo history: the office's and a zone leader's views.

Every chart container must hold a drawn canvas (or svg) of non-zero size, and the harness fails the
test on any JavaScript error. Screenshots of each page go to test-artifacts/screenshots/.
"""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def assert_charts_drawn(page: Page, *, at_least: int) -> None:
    charts = page.locator("[data-chart]")
    expect(charts.first).to_be_attached()
    count = charts.count()
    assert count >= at_least, f"{count} charts on {page.url}"
    for index in range(count):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()  # each chart is drawn as it comes near the screen
        expect(chart).to_have_attribute("data-chart-ready", "true")
        drawing = chart.locator("canvas, svg").first
        expect(drawing).to_be_attached()
        box = drawing.bounding_box()
        assert box and box["width"] > 50 and box["height"] > 50, (chart.get_attribute("id"), box)


def forget_expected_403(page: Page) -> None:
    # Chromium reports the refused page's status on the console; that 403 is what the test expects.
    page.js_errors[:] = [e for e in page.js_errors if "status of 403" not in e]


def test_the_office_sees_the_overview_a_zone_and_the_bulletin(page, login, screenshot, live_server, olga, demo):
    login(page, olga)
    assert page.url == f"{live_server.url}/"
    expect(page.locator("h1")).to_have_text("三年行动总览")
    expect(page.locator("a.tile")).to_have_count(26)
    expect(page.get_by_role("heading", name="待处理问责提示")).to_be_visible()
    assert_charts_drawn(page, at_least=4)
    screenshot(page, "overview")

    page.goto("/zones/chuxiong-hitech/")
    expect(page.locator("h1")).to_have_text("楚雄国家高新区")
    expect(page.locator("#chart-industrial-output")).to_be_visible()
    expect(page.locator("#chart-rank-national")).to_be_visible()
    assert_charts_drawn(page, at_least=6)
    page.locator("#indicators details.chart-table").first.locator("summary").click()
    expect(page.locator("#indicators details.chart-table table").first).to_contain_text("2022")
    screenshot(page, "zone-hitech")

    page.goto("/tasks/9/")
    assert_charts_drawn(page, at_least=2)
    screenshot(page, "task-9")

    page.goto("/bulletin/")
    expect(page.locator(".mainnav")).to_have_count(0)
    expect(page.get_by_role("button", name="打印")).to_be_visible()
    expect(page.get_by_role("link", name="下载Excel")).to_have_attribute("href", re.compile(r"/bulletin/\d+\.xlsx$"))
    assert_charts_drawn(page, at_least=1)
    screenshot(page, "bulletin")
    page.emulate_media(media="print")
    expect(page.locator(".bulletin-toolbar")).to_be_hidden()
    screenshot(page, "bulletin-print")


# The bulletin's tables wider than its sheet, each as (its section, its width, the sheet's).
TABLES_WIDER_THAN_THE_SHEET = """() => {
  const sheet = document.querySelector(".bulletin").getBoundingClientRect().width;
  return Array.from(document.querySelectorAll(".bulletin table"))
    .map((t) => [(t.closest("section") || {}).className, t.getBoundingClientRect().width, sheet])
    .filter(([_section, width]) => width > sheet + 1); }"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_printed_bulletins_tables_fit_the_page(page, login, olga, demo, language, live_server):
    """Printed, a table wider than the page is cut off at its edge: the flags', the projects' slippage and the late
    督办 ran to twice an A4 page's width, their cells kept on one line. Each table now wraps to the sheet."""
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.set_viewport_size({"width": 760, "height": 1000})  # an A4 page's printable width, about
    login(page, olga)
    page.goto("/bulletin/")
    page.emulate_media(media="print")
    assert page.locator(".bulletin table").count() >= 6
    expect(page.locator("html")).to_have_attribute("lang", "en" if language == "en" else "zh-hans")
    assert page.evaluate(TABLES_WIDER_THAN_THE_SHEET) == []


def test_a_zone_leader_sees_only_their_zone(page, login, screenshot, live_server, leo, demo):
    login(page, leo)
    expect(page).to_have_url(f"{live_server.url}/zones/lufeng/")
    expect(page.locator("h1")).to_have_text("禄丰产业园区")
    assert_charts_drawn(page, at_least=5)
    expect(page.locator("#flags")).to_contain_text("获省级资金补助")
    screenshot(page, "zone-lufeng")

    response = page.goto("/zones/wuding/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("您只能查看本园区的页面")
    screenshot(page, "other-zone-403")

    response = page.goto("/bulletin/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("调度通报仅供州开发区办和部门审核员查阅")
    forget_expected_403(page)


def test_the_office_follows_the_overviews_changes_to_the_full_list(
    page, login, screenshot, live_server, olga, demo, monkeypatch
):
    """The overview lists the first status changes and links to all of them; the changes page filters them by
    direction and pages through them. The lists are made short here so that the demo history fills several pages."""
    from pages.dashboards import overview

    monkeypatch.setattr(overview, "OVERVIEW_CHANGES", 2)
    monkeypatch.setattr(overview, "CHANGES_PER_PAGE", 2)
    login(page, olga)
    expect(page.locator("#changes table.changes tbody tr")).to_have_count(2)
    page.locator("#all-changes").click()
    expect(page.locator("h1")).to_have_text("目标状态变化")
    expect(page.locator("table.changes tbody tr")).to_have_count(2)
    total = int(re.search(r"共(\d+)项", page.locator(".stat-line").inner_text()).group(1))
    assert total > 2

    page.get_by_label("变化方向").select_option("worse")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"direction=worse"))
    expect(page.locator("table.changes tbody tr.worse").first).to_be_visible()
    expect(page.locator("table.changes tbody tr:not(.worse)")).to_have_count(0)
    if page.locator("a[rel=next]").count():
        page.locator("a[rel=next]").click()
        expect(page).to_have_url(re.compile(r"page=2"))
        expect(page.locator("table.changes tbody tr:not(.worse)")).to_have_count(0)

    page.get_by_label("开发区").select_option("lufeng")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"zone=lufeng"))
    scopes = page.locator("table.changes tbody tr td:first-of-type")
    expect(scopes.first).to_be_visible()
    assert set(scopes.all_inner_texts()) == {"禄丰产业园区"}
    expect(page.locator("table.changes tbody tr:not(.worse)")).to_have_count(0)  # the direction is kept
    screenshot(page, "changes")


def test_a_chart_is_drawn_as_it_comes_near_the_screen_and_every_one_before_printing(page, login, leo, demo):
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, leo)  # the zone's page: a dozen charts, one under the other on a phone
    charts = page.locator("[data-chart]")
    expect(charts.first).to_have_attribute("data-chart-ready", "true")
    count = charts.count()
    assert count >= 10
    last = charts.nth(count - 1)
    page.wait_for_timeout(300)  # the charts near the screen have had their frame
    assert last.get_attribute("data-chart-ready") is None  # far below the first screen: not drawn yet
    drawn = page.locator("[data-chart][data-chart-ready]").count()
    assert 1 <= drawn < count

    last.scroll_into_view_if_needed()
    expect(last).to_have_attribute("data-chart-ready", "true")
    assert last.locator("canvas").first.bounding_box()["height"] > 50

    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    expect(page.locator("[data-chart]:not([data-chart-ready])")).to_have_count(0)


# Every text a chart draws (axis labels, legend, titles) with its box in the chart's own pixels, from zrender's
# display list (a canvas chart's texts are its `tspan` shapes).
_CHART_TEXTS = """(element) => {
  const chart = window.echarts.getInstanceByDom(element.querySelector('[_echarts_instance_]') || element);
  const texts = [];
  chart.getZr().storage.getDisplayList(true).forEach((shape) => {
    const drawsText = (shape.type === 'tspan' || shape.type === 'text') && shape.style && shape.style.text;
    if (!drawsText || shape.invisible) return;
    const box = shape.getBoundingRect().clone();
    const transform = shape.getComputedTransform();
    if (transform) box.applyTransform(transform);
    texts.push({text: String(shape.style.text), left: box.x, right: box.x + box.width});
  });
  return {width: chart.getWidth(), texts: texts};
}"""


def test_no_chart_text_is_cut_at_the_charts_edges_on_a_phone(page, login, leo, demo):
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, leo)  # the zone's page: trends with quarters and months along their axes
    charts = page.locator("[data-chart]")
    expect(charts.first).to_have_attribute("data-chart-ready", "true")
    cut = []
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        expect(chart).to_have_attribute("data-chart-ready", "true")
        drawn = chart.evaluate(_CHART_TEXTS)
        assert drawn["texts"], chart.get_attribute("id")
        cut += [
            (chart.get_attribute("id"), text["text"])
            for text in drawn["texts"]
            if text["left"] < -0.5 or text["right"] > drawn["width"] + 0.5
        ]
    assert cut == []


# The scrolling boxes on the page whose table is wider than the box: (the table's id, its section's or its headings,
# its width, the box's). A chart's data table (closed under 查看数据表) and a task's timeline (a column per period)
# may scroll.
BOXES_WIDER_THAN_THEIR_TABLES_ROOM = """() => [...document.querySelectorAll(".scroll")]
    .filter((box) => box.querySelector("table") && !box.closest("details.chart-table, #timeline"))
    .filter((box) => box.scrollWidth > box.clientWidth + 1)
    .map((box) => [box.querySelector("table").id || (box.closest("section, main") || {}).id
                   || box.querySelector("thead").textContent.trim(), box.scrollWidth, box.clientWidth])"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_on_a_desktop_the_lists_fit_the_screen(page, login, olga, demo, language, live_server):
    """At 1,280 px the key-project pool (1,360 px wide in English), the flags' list (1,294), a zone's flags (1,406 in
    a half-width column), its targets (1,280 in English), the data-quality warnings (1,907), the year's task list
    (1,275), the final evaluation's tables (its flags 2,858, a consequence 961 px on one line), the province's
    evaluation results (1,348), a task's targets (1,661) and the bulletin's programmes (485 in a 424 px box) scrolled
    sideways: their headings, names, rules and texts stayed on one line, or each long text took 12rem. They now wrap
    (names between their words), and a zone's flags have the row to themselves."""
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, olga)
    for path, table in [
        ("/projects/", "#project-pool"),
        ("/projects/board/", "#board-table"),
        ("/flags/", "table"),
        ("/zones/lufeng/", "#flags table"),
        ("/bulletin/", ".bulletin table"),
        ("/tasks/", "table"),
        ("/work-items/", "table"),
        ("/data-quality/", "#data-quality"),
        ("/task-lists/2026/", "#task-list-items"),
        ("/plans/zones-2023-2025/evaluation/", "#flags table.evaluation"),
        ("/evaluations/provincial/2025/", "#results"),
        ("/tasks/1/", "#targets table"),
    ]:
        page.goto(path)
        expect(page.locator(table).first).to_be_visible()
        assert page.evaluate(BOXES_WIDER_THAN_THEIR_TABLES_ROOM) == [], path
