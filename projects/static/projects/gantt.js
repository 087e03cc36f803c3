/*
 * 挂图作战 Gantt and the investment lines of the key-project pages (ECharts 5, vendored).
 *
 * No inline script (CSP): [data-gantt="<id>"] and [data-lines="<id>"] read their spec from the
 * <script type="application/json" id="<id>"> that Django's json_script wrote (projects/board.py).
 * Gantt: a custom series draws, per milestone, a bar from its planned date to its actual date (or to
 * today while overdue) in its status colour; a hollow diamond marks the plan, a filled dot the actual date.
 * [data-action="print"] prints the page.
 */
(function () {
  "use strict";
  var COLORS = { green: "#2e7d32", amber: "#c77700", red: "#c62828", grey: "#7b8794" };
  var charts = [];

  function spec(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function day(text) { return new Date(text + "T00:00:00").getTime(); }

  // Each project's row is ROW px high below a TOP px band of months, as the page's list of names beside the chart
  // (.gantt-names in portal.css): the names stay in view while the chart scrolls sideways on a phone.
  var ROW = 28, TOP = 30, BOTTOM = 24;

  function gantt(element, data) {
    element.style.height = (TOP + ROW * data.rows.length + BOTTOM) + "px";
    var names = data.rows.map(function (row) { return row.name; });
    var chart = echarts.init(element, null, { renderer: "canvas" });
    var items = data.items.map(function (item) {
      return { value: [item.row, day(item.planned), day(item.end), item.actual ? day(item.actual) : null],
               item: item, itemStyle: { color: COLORS[item.status] } };
    });
    chart.setOption({
      animation: false,
      grid: { left: 20, right: 24, top: TOP, bottom: BOTTOM, containLabel: false },
      tooltip: {
        formatter: function (p) {
          var it = p.data.item;
          return echarts.format.encodeHTML(names[it.row]) + "<br>" + it.label + "<br>" +
            data.labels.planned + " " + it.planned_shown +
            (it.actual ? "<br>" + data.labels.actual + " " + it.actual_shown : "") + "<br>" + it.state +
            (it.days ? " " + data.labels.days.replace("%(n)s", it.days) : "");
        }
      },
      xAxis: { type: "time", min: day(data.start), max: day(data.end), position: "top" },
      yAxis: { type: "category", inverse: true, data: names, axisLabel: { show: false }, axisTick: { show: false } },
      series: [{
        type: "custom",
        encode: { x: [1, 2], y: 0 },
        data: items,
        renderItem: function (params, api) {
          var row = api.value(0), start = api.coord([api.value(1), row]), end = api.coord([api.value(2), row]);
          var height = api.size([0, 1])[1] * 0.5, color = api.visual("color");
          var children = [{
            type: "rect", shape: { x: Math.min(start[0], end[0]), y: start[1] - height / 4,
                                   width: Math.max(Math.abs(end[0] - start[0]), 2), height: height / 2 },
            style: { fill: color, opacity: 0.55 }
          }, {
            type: "polygon", shape: { points: [[start[0], start[1] - 6], [start[0] + 6, start[1]],
                                               [start[0], start[1] + 6], [start[0] - 6, start[1]]] },
            style: { fill: "#fff", stroke: color, lineWidth: 2 }
          }];
          if (api.value(3)) {
            var done = api.coord([api.value(3), row]);
            children.push({ type: "circle", shape: { cx: done[0], cy: done[1], r: 5 }, style: { fill: color } });
          }
          // Dates before the year's first day (a project begun earlier) stop at the plot's edge, not over the names.
          var plot = params.coordSys;
          return { type: "group", children: children,
                   clipPath: { type: "rect", shape: { x: plot.x - 7, y: plot.y, width: plot.width + 14,
                                                      height: plot.height } } };
        }
      }, {
        type: "line", data: [], markLine: {
          symbol: "none", silent: true, lineStyle: { color: "#37474f", type: "dashed" },
          label: { formatter: data.labels.today }, data: [{ xAxis: day(data.today) }]
        }
      }]
    });
    return chart;
  }

  function lines(element, data) {
    element.style.height = "320px";
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      legend: { top: 0 },
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 40, bottom: 16, containLabel: true },
      xAxis: { type: "category", data: data.categories },
      yAxis: { type: "value" },
      series: data.series.map(function (s, index) {
        var plan = data.plans[index];
        return { name: s.name, type: "line", data: s.data, connectNulls: false,
                 markLine: plan && plan.value ? { symbol: "none", label: { formatter: plan.name + " {c}" },
                                                  data: [{ yAxis: plan.value }] } : undefined };
      })
    });
    return chart;
  }

  function draw() {
    document.querySelectorAll("[data-gantt]").forEach(function (el) {
      var data = spec(el.getAttribute("data-gantt"));
      if (data) { charts.push(gantt(el, data)); el.setAttribute("data-rendered", "1"); }
    });
    document.querySelectorAll("[data-lines]").forEach(function (el) {
      var data = spec(el.getAttribute("data-lines"));
      if (data) { charts.push(lines(el, data)); el.setAttribute("data-rendered", "1"); }
    });
  }

  function start() {
    // ECharts is not one of the page's scripts (portal.js loads it, from this script's data-echarts): the page can be
    // read before the browser has run it, and the charts are drawn once it has come.
    if (document.querySelector("[data-gantt], [data-lines]")) { window.portal.withECharts(draw); }
    document.querySelectorAll("[data-action='print']").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
}());
