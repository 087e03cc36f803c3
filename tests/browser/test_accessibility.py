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


def violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN, RULES)


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
