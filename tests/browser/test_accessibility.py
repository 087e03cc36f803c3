"""WCAG 2.1 A/AA checks with axe-core (vendored: tests/browser/vendor/axe-core, MPL-2.0) on every page shape a reader
reaches from the landing page, on the demo history, in Chinese and in English.

The rules checked are the ones the portal keeps: text contrast (status badges, muted text, task tiles), form
fields and selects with a label, links told apart from running text by more than their colour, scrolling table
boxes the keyboard reaches, no link inside a <summary>, one <main>, named table headers, unique ids of labelled
fields. Each page's violations are listed with the offending markup."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.walking import walk

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
RULES = [
    "color-contrast",
    "label",
    "select-name",
    "link-in-text-block",
    "scrollable-region-focusable",
    "nested-interactive",
    "landmark-one-main",
    "empty-table-header",
    "th-has-data-cells",
    "duplicate-id-aria",
    "button-name",
    "link-name",
    "html-has-lang",
    "document-title",
]
RUN = """(rules) => axe.run(document, {runOnly: {type: "rule", values: rules}, resultTypes: ["violations"]})
  .then((result) => result.violations.map((v) => ({
      rule: v.id, nodes: v.nodes.slice(0, 3).map((n) => n.html.slice(0, 160)), count: v.nodes.length})))"""


# Every rule of WCAG 2.0/2.1/2.2 A and AA and axe's best practices: on a phone and on a desktop the walk finds none
# broken, of any impact (among them a named region for every part of a page, landmarks told apart by their names,
# 24 px targets).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
RUN_TAGS = """(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then((result) => result.violations.map((v) => ({
      rule: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.html.slice(0, 160)),
      count: v.nodes.length})))"""


def violations(page: Page, tags: list[str] | None = None) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_TAGS, tags) if tags else page.evaluate(RUN, RULES)


@pytest.fixture
def axe_page(browser, live_server, page):
    """The test's page in a context that lets axe's script in (the portal's Content-Security-Policy refuses it)."""
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    axe = context.new_page()
    axe.set_viewport_size({"width": 1280, "height": 900})
    yield axe
    context.close()


def test_axe_finds_what_it_is_asked_to_find(axe_page):
    """The check itself sees the defects it guards against: a light badge, an unlabelled field, a link in a
    summary."""
    axe_page.set_content(
        "<html lang='zh-hans'><title>t</title><body><main><p>文字 "
        "<span style='background:#ef8f00;color:#fff'>略低</span></p><input name='v'>"
        "<details><summary><a href='/x'>链接</a></summary></details></main></body></html>"
    )
    found = {v["rule"] for v in violations(axe_page)}
    assert {"color-contrast", "label", "nested-interactive"} <= found


def test_axe_on_every_wcag_rule_finds_text_outside_a_region_twin_regions_and_small_targets(axe_page):
    """The full check sees what the walk below guards: a notice outside every landmark, two regions of one name,
    links of a few px a few px apart."""
    axe_page.set_content(
        "<html lang='zh-hans'><title>t</title><body><p>演示数据</p><main><h1>t</h1>"
        "<section aria-label='问责提示'><div role='region' aria-label='问责提示' tabindex='0'>表</div></section>"
        "<p><a href='/1' style='font-size:8px'>1</a><a href='/2' style='font-size:8px'>2</a></p></main></body></html>"
    )
    found = {v["rule"] for v in violations(axe_page, TAGS)}
    assert {"region", "landmark-unique", "target-size"} <= found


@pytest.mark.parametrize(
    "reader, language", [("olga", "zh-hans"), ("olga", "en"), ("alice", "zh-hans"), ("leo", "zh-hans")]
)
def test_every_page_a_reader_reaches_passes_the_portals_accessibility_rules(
    axe_page, login, request, demo, reader, language
):
    login(axe_page, request.getfixturevalue(reader))
    axe_page.context.add_cookies([{"name": "django_language", "value": language, "url": axe_page.url}])
    found, shapes = [], 0
    for path in walk(axe_page):
        shapes += 1
        found += [f"{path} {v['rule']} ×{v['count']}: {v['nodes']}" for v in violations(axe_page)]
    assert shapes > 20
    assert not found, f"{len(found)} violations:\n" + "\n".join(found)


@pytest.mark.parametrize("reader, width", [("olga", 375), ("olga", 1280), ("sam", 375)])
def test_on_a_phone_and_a_desktop_every_page_passes_every_wcag_aa_rule(axe_page, login, request, demo, reader, width):
    """All of WCAG 2.2 A/AA and axe's best practices, at a phone's width (375 px: tables scroll in their boxes, the
    menu folds) and a desktop's."""
    axe_page.set_viewport_size({"width": width, "height": 900})
    login(axe_page, request.getfixturevalue(reader))
    found, shapes = [], 0
    for path in walk(axe_page):
        shapes += 1
        found += [f"{path} {v['rule']} ({v['impact']}) ×{v['count']}: {v['nodes']}" for v in violations(axe_page, TAGS)]
    assert shapes > 20
    assert not found, f"{len(found)} violations:\n" + "\n".join(found)
