/*
 * Chart glue for the dashboards (ECharts 5, vendored in static/vendor/echarts/).
 *
 * No inline scripts anywhere (a Content-Security-Policy will forbid them): every element with
 * data-chart="<id>" reads its spec from <script type="application/json" id="<id>"> (Django's
 * json_script) and becomes a chart. The spec says what to draw (kind, series and their roles);
 * this file decides how (colours, axes, number formats). Each chart has a <details> table with
 * the same numbers next to it, rendered by the server.
 *
 * Kinds: trend (values over time against a target path), bars (latest / projection / goal),
 * stacked (counts per unit or year), rank (rank by year, inverted axis, bottom-five band),
 * donut (status counts), heatmap (reports: units x periods, click opens the report).
 *
 * Also: [data-action="print"] prints the page (select[data-autosubmit] lives in portal.js, on every page).
 */
(function () {
  "use strict";

  var COLORS = {
    green: "#2e7d32", amber: "#c77700", red: "#c62828", grey: "#7b8794",
    actual: "#1459a8", partial: "#7fb3e8", target: "#37474f", stretch: "#8e24aa", projection: "#00897b",
    neutral: "#b0bec5"
  };
  // The page's own fonts (portal.css), for the text drawn on the canvas.
  function font() { return window.getComputedStyle(document.body).fontFamily; }
  var charts = [];

  function number(value, decimals) {
    return Number(value).toLocaleString("zh-CN", {
      minimumFractionDigits: decimals, maximumFractionDigits: decimals
    });
  }

  function formatter(spec) {
    var decimals = spec.decimals == null ? 1 : spec.decimals;
    return function (value) {
      if (value === null || value === undefined || value === "-" || isNaN(value)) { return "—"; }
      return number(value, decimals) + (spec.unit || "");
    };
  }

  function axisLabel(spec) {
    var decimals = spec.decimals == null ? 1 : spec.decimals;
    return function (value) {
      return Number(value).toLocaleString("zh-CN", { maximumFractionDigits: decimals });
    };
  }

  function legendRows(names, width) {
    // The legend wraps: estimate its rows so that the plot starts below it.
    var used = 0, rows = 1, room = Math.max(width - 40, 200);
    names.forEach(function (name) {
      var item = 40 + 12.5 * String(name).length;
      if (used + item > room) { rows += 1; used = 0; }
      used += item;
    });
    return rows;
  }

  function baseOption(spec, width) {
    var names = (spec.series || []).concat(spec.status_legend || []).map(function (s) { return s.name; });
    var rows = legendRows(names, width || 600);
    return {
      textStyle: { fontFamily: font() },
      animationDuration: 400,
      legend: { top: 0, type: "plain" },
      grid: { left: 8, right: 20, top: 26 + 22 * rows, bottom: 16, containLabel: true }
    };
  }

  function longAxis(option, count, visible) {
    // Many periods: show the latest ones, with a slider to scroll back.
    if (count > visible) {
      option.dataZoom = [
        { type: "inside", startValue: count - visible, endValue: count - 1 },
        { type: "slider", startValue: count - visible, endValue: count - 1, height: 16, bottom: 6 }
      ];
      option.grid.bottom = 40;
    }
    return option;
  }

  function withStatus(values, statuses, fallback) {
    if (!statuses) { return values; }
    return values.map(function (value, i) {
      return { value: value, itemStyle: { color: COLORS[statuses[i]] || fallback } };
    });
  }

  function trend(spec, width) {
    var fmt = formatter(spec);
    var option = baseOption(spec, width);
    option.tooltip = { trigger: "axis", valueFormatter: fmt };
    // The first and last labels kept inside the chart: centred under a narrow phone's first band, a long one
    // ("2023年第一季度") would start left of the canvas.
    option.xAxis = { type: "category", data: spec.x, boundaryGap: true,
                     axisLabel: { hideOverlap: true, alignMinLabel: "left", alignMaxLabel: "right" } };
    option.yAxis = { type: "value", scale: true, axisLabel: { formatter: axisLabel(spec) },
                     minInterval: spec.decimals === 0 ? 1 : null };
    option.series = spec.series.map(function (s) {
      var line = { name: s.name, type: "line", data: s.data, symbolSize: 7, z: 2 };
      if (s.role === "actual") {
        line.data = withStatus(s.data, s.status, COLORS.actual);
        line.symbol = "circle";
        line.itemStyle = { color: COLORS.actual, borderColor: "#fff", borderWidth: 1 };
        line.lineStyle = { width: 2.5, color: COLORS.actual };
        line.symbolSize = 9;
        line.z = 4;
      } else if (s.role === "partial") {
        line.type = "scatter";
        line.symbol = "diamond";
        line.symbolSize = 15;
        line.itemStyle = { color: COLORS.partial, borderColor: COLORS.actual, borderWidth: 1 };
        line.z = 5;
      } else if (s.role === "projection") {
        line.connectNulls = true;
        line.symbol = "triangle";
        line.itemStyle = { color: COLORS.projection };
        line.lineStyle = { type: "dotted", width: 2, color: COLORS.projection };
      } else {
        line.itemStyle = { color: COLORS[s.role] || COLORS.target };
        line.lineStyle = { type: s.role === "stretch" ? "dotted" : "dashed", width: 2, color: COLORS[s.role] };
        line.symbol = s.step ? "none" : "emptyCircle";
        if (s.step) { line.step = "middle"; }
      }
      return line;
    });
    return longAxis(option, spec.x.length, 24);
  }

  function bars(spec, width) {
    var fmt = formatter(spec);
    var option = baseOption(spec, width);
    option.tooltip = { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: fmt };
    option.xAxis = { type: "category", data: spec.categories, axisLabel: { interval: 0, hideOverlap: true } };
    option.yAxis = { type: "value", axisLabel: { formatter: axisLabel(spec) },
                     name: spec.unit || "", nameTextStyle: { align: "left" } };
    option.series = spec.series.map(function (s) {
      // A series coloured bar by bar by status shows a neutral swatch; the statuses' colours get their own.
      var colour = s.status ? COLORS.neutral : (COLORS[s.role] || COLORS.actual);
      return {
        name: s.name, type: "bar", barMaxWidth: 26, data: withStatus(s.data, s.status, colour),
        itemStyle: { color: colour, opacity: s.role === "stretch" ? 0.55 : 1 }
      };
    });
    (spec.status_legend || []).forEach(function (entry) {
      // A series without data, named in the legend only: a scatter, which takes no bar's room in the groups.
      option.series.push({ name: entry.name, type: "scatter", symbol: "roundRect", data: [],
                           itemStyle: { color: COLORS[entry.role], opacity: 1 } });
    });
    return option;
  }

  function stacked(spec, width) {
    var fmt = formatter(spec);
    var option = baseOption(spec, width);
    var category = { type: "category", data: spec.categories, inverse: !!spec.horizontal,
                     axisLabel: { interval: 0 } };
    var value = { type: "value", minInterval: 1 };
    option.tooltip = { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: fmt };
    option.xAxis = spec.horizontal ? value : category;
    option.yAxis = spec.horizontal ? category : value;
    option.series = spec.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "total", barMaxWidth: 30, data: s.data,
               itemStyle: { color: COLORS[s.role] || COLORS.grey } };
    });
    return option;
  }

  function rank(spec, width) {
    var words = spec.words;  // in the reader's language (pages/dashboards/zone.py: rank_chart)
    var option = baseOption({ series: [{ name: spec.name }, { name: spec.bandName }] }, width);
    var most = Math.max.apply(null, spec.totals.concat([1]));
    option.legend.data = spec.band ? [spec.name, spec.bandName] : [spec.name];
    option.tooltip = {
      trigger: "axis",
      formatter: function (items) {
        var i = items[0].dataIndex;
        var text = words.tooltip.replace("{year}", spec.x[i]).replace("{rank}", spec.ranks[i])
          .replace("{total}", spec.totals[i]);
        if (spec.band && spec.ranks[i] > spec.totals[i] - 5) { text += words.bottomFive; }
        return text;
      }
    };
    option.xAxis = { type: "category", data: spec.x, boundaryGap: true };
    option.yAxis = { type: "value", inverse: true, min: 1, max: most, name: words.axis, minInterval: 1 };
    option.series = [];
    if (spec.band) {
      // The band from rank N-4 to N, year by year: an invisible base line plus a stacked filled line.
      option.series.push({ name: "base", type: "line", stack: "band", symbol: "none", silent: true,
                           lineStyle: { opacity: 0 }, data: spec.totals.map(function (n) { return n - 4; }) });
      option.series.push({ name: spec.bandName, type: "line", stack: "band", symbol: "none", silent: true,
                           lineStyle: { opacity: 0 }, itemStyle: { color: COLORS.red },
                           areaStyle: { color: COLORS.red, opacity: 0.18 },
                           data: spec.totals.map(function () { return 4; }) });
    }
    option.series.push({
      name: spec.name, type: "line", data: spec.ranks, symbolSize: 9, z: 5,
      itemStyle: { color: COLORS.actual }, lineStyle: { width: 2.5, color: COLORS.actual },
      label: { show: true, position: "top", formatter: words.point }
    });
    return option;
  }

  function donut(spec) {
    return {
      textStyle: { fontFamily: font() },
      tooltip: { trigger: "item", formatter: spec.tooltip },  // in the reader's language (pages/dashboards)
      legend: { bottom: 0 },
      series: [{
        type: "pie", radius: ["42%", "68%"], center: ["50%", "44%"], avoidLabelOverlap: true,
        label: { position: "inside", formatter: "{c}", color: "#fff", fontWeight: "bold" },
        data: spec.items.filter(function (item) { return item.value > 0; }).map(function (item) {
          return { name: item.name, value: item.value, itemStyle: { color: COLORS[item.role] || COLORS.grey } };
        })
      }]
    };
  }

  function heatmap(spec) {
    var option = {
      textStyle: { fontFamily: font() },
      tooltip: { formatter: function (p) { return p.data && p.data.tip ? p.data.tip : ""; } },
      grid: { left: 8, right: 16, top: 8, bottom: 64, containLabel: true },
      xAxis: { type: "category", data: spec.x, splitArea: { show: false },
               axisLabel: { rotate: spec.x.length > 8 ? 40 : 0, fontSize: 11 } },
      yAxis: { type: "category", data: spec.y, inverse: true, axisLabel: { fontSize: 12 } },
      visualMap: {
        type: "piecewise", dimension: 2, orient: "horizontal", left: "center", bottom: 0, itemWidth: 14,
        itemHeight: 10, textStyle: { fontSize: 11 },
        pieces: spec.legend.map(function (l) { return { value: l.code, label: l.label, color: l.color }; })
      },
      series: [{ type: "heatmap", data: spec.cells, itemStyle: { borderColor: "#fff", borderWidth: 1 },
                 emphasis: { itemStyle: { borderColor: "#1f2933", borderWidth: 1 } } }]
    };
    if (spec.x.length > 24) {
      option.dataZoom = [{ type: "slider", xAxisIndex: 0, startValue: spec.x.length - 24,
                           endValue: spec.x.length - 1, height: 14, bottom: 28 }];
      option.grid.bottom = 96;
    }
    return option;
  }

  var BUILDERS = { trend: trend, bars: bars, stacked: stacked, rank: rank, donut: donut, heatmap: heatmap };

  // ECharts is not one of the page's scripts: it is loaded (portal.js) once the page has loaded, or sooner when a
  // chart comes near the screen, so that the page can be read before the browser has run a 643 KB library.
  function loadECharts() { window.portal.withECharts(); }

  // Every chart is drawn once, when it comes near the screen (or before printing): a page of a dozen charts
  // draws the one or two a reader sees first, not all of them before it can be read.
  var resized = window.ResizeObserver ? new window.ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var chart = window.echarts.getInstanceByDom(entry.target);
      if (chart) { chart.resize(); }
    });
  }) : null;

  function draw(element) {
    if (element.hasAttribute("data-chart-ready")) { return; }
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source || !window.echarts) { return; }
    var spec = JSON.parse(source.textContent);
    var build = BUILDERS[spec.kind];
    if (!build) { return; }
    if (spec.height) { element.style.height = spec.height + "px"; }
    var ratio = Math.max(window.devicePixelRatio || 1, element.hasAttribute("data-print-sharp") ? 2 : 1);
    var chart = window.echarts.init(element, null, { renderer: "canvas", devicePixelRatio: ratio, locale: "ZH" });
    var option = build(spec, element.clientWidth);
    // HTML tooltips carry inline style attributes, which the Content-Security-Policy blocks: draw them on the canvas.
    if (option.tooltip) { option.tooltip.renderMode = "richText"; }
    chart.setOption(option);
    if (spec.kind === "heatmap") {
      chart.on("click", function (p) { if (p.data && p.data.url) { window.location.href = p.data.url; } });
    }
    charts.push(chart);
    if (resized) { resized.observe(element); }
    element.setAttribute("data-chart-ready", "true");
  }

  function all() { return Array.prototype.slice.call(document.querySelectorAll("[data-chart]")); }

  function resizeAll() { charts.forEach(function (chart) { chart.resize(); }); }

  function start() {
    if (window.IntersectionObserver) {
      var near = new window.IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            near.unobserve(entry.target);
            window.portal.withECharts(function () { draw(entry.target); });
          }
        });
      }, { rootMargin: "400px 0px" });  // half a phone screen ahead: drawn before the reader reaches it
      all().forEach(function (element) { near.observe(element); });
    } else {
      window.portal.withECharts(function () { all().forEach(draw); });
    }
    // Loaded in any case once the page has, for the charts further down and for printing.
    if (document.readyState === "complete") { loadECharts(); } else { window.addEventListener("load", loadECharts); }
    if (!resized) { window.addEventListener("resize", resizeAll); }
    // The printout has every chart, at the paper's width (a page printed before ECharts came has its tables).
    window.addEventListener("beforeprint", function () { all().forEach(draw); resizeAll(); });
    window.addEventListener("afterprint", resizeAll);
    Array.prototype.forEach.call(document.querySelectorAll("[data-action='print']"), function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
