"""The portal's own ECharts build (tools/echarts/) draws everything the pages ask of it.

The build holds only the chart types and components the pages use. A page asking for one it left out would
lose it without a word in a production build (no tooltip, no zoom bar, no legend colours). So every option the
pages pass to `setOption` is recorded (an init script wraps `echarts.init`), and each component and series type
asked for must be in the option the chart then holds (`getOption()`), on every page that draws charts.
"""

import pytest

pytestmark = pytest.mark.browser

# Before the page's scripts run: `echarts` is wrapped as the build sets it, and each chart's options recorded.
RECORD_OPTIONS = """
(() => {
  let wrapped;
  window.__chartOptions = [];
  Object.defineProperty(window, "echarts", {
    configurable: true,
    get() { return wrapped; },
    set(real) {
      const init = function () {
        const chart = real.init.apply(real, arguments);
        const setOption = chart.setOption;
        chart.setOption = function (option) {
          window.__chartOptions.push({ dom: chart.getDom(), asked: option });
          return setOption.apply(chart, arguments);
        };
        return chart;
      };
      wrapped = new Proxy(real, { get: (target, key) => (key === "init" ? init : target[key]) });
    }
  });
})();
"""

# For each chart drawn: the components asked for and not held, the series types asked for and held.
COMPARE = """
() => window.__chartOptions.map(({ dom, asked }) => {
  const held = window.echarts.getInstanceByDom(dom).getOption();
  // Object-valued options are components (textStyle, a global option, excepted).
  const components = Object.keys(asked).filter(
    (key) => key !== "series" && key !== "textStyle" && asked[key] && typeof asked[key] === "object"
  );
  // A series' mark lines are drawn by the markLine component, which the chart then holds at its top level.
  if ((asked.series || []).some((one) => one.markLine)) { components.push("markLine"); }
  const missing = components.filter((key) => !(Array.isArray(held[key]) && held[key].length));
  const series = (list) => (list || []).map((one) => one.type + (one.markLine ? "+markLine" : ""));
  const name = dom.id || dom.getAttribute("data-chart") || "";
  return { name, asked: components, missing, askedSeries: series(asked.series), heldSeries: series(held.series) };
})
"""

CHART_PAGES = [
    "/",
    "/zones/lufeng/",
    "/tasks/9/",
    "/departments/ndrc/",
    "/bulletin/",
    "/projects/board/",
    "/projects/figures/",
]
# What the build holds (tools/echarts/entry.js): every one of them is drawn by some page of the demo.
BUILT_SERIES = {"bar", "custom", "heatmap", "line", "pie", "scatter"}
BUILT_COMPONENTS = {"dataZoom", "grid", "legend", "tooltip", "visualMap", "xAxis", "yAxis"}


def test_every_chart_holds_the_components_and_series_its_page_asked_for(page, login, olga, demo):
    page.add_init_script(RECORD_OPTIONS)
    login(page, olga)
    series_drawn, components_drawn, charts = set(), set(), 0
    for path in CHART_PAGES:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        page.wait_for_function("() => window.echarts !== undefined")  # charts.js loads it once the page has loaded
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # every chart drawn, as for the printout
        page.wait_for_function("() => window.__chartOptions.length > 0")
        for chart in page.evaluate(COMPARE):
            charts += 1
            assert chart["missing"] == [], f"{path} {chart['name']}: not drawn {chart['missing']}"
            assert chart["heldSeries"] == chart["askedSeries"], f"{path} {chart['name']}"
            series_drawn.update(kind.split("+")[0] for kind in chart["askedSeries"])
            components_drawn.update(chart["asked"])
    assert charts >= 20
    assert series_drawn == BUILT_SERIES
    assert BUILT_COMPONENTS | {"markLine"} <= components_drawn
