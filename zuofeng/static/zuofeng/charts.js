/* 整改工作看板: ECharts from the JSON the page embeds (#zf-chart-data), and client-side table sorting.
   Every clickable point carries the URL of the items behind it, so a chart drills down like a number. */
(function () {
  "use strict";

  var LIGHT_COLOURS = { red: "#dc3545", yellow: "#ffc107", green: "#198754", closed: "#6c757d" };
  var LIGHT_ORDER = { red: 0, yellow: 1, green: 2, none: 3, closed: 4 };

  function drill(chart, urlsOf) {
    chart.on("click", function (params) {
      var url = urlsOf(params);
      if (url) { window.location.href = url; }
    });
  }

  function categoryChart(el, data) {
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 10, top: 20, bottom: 40 },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", name: "问题数", data: data.values, itemStyle: { color: "#9b1c1c" } }]
    });
    drill(chart, function (p) { return data.urls[p.dataIndex]; });
    return chart;
  }

  function lightsChart(el, data) {
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 90, right: 10, top: 30, bottom: 20 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.units, inverse: true },
      dataZoom: data.units.length > 15 ? [{ type: "slider", yAxisIndex: 0, start: 0, end: 100 * 15 / data.units.length }] : [],
      series: data.series.map(function (s) {
        return { type: "bar", stack: "lights", name: s.name, data: s.values, itemStyle: { color: LIGHT_COLOURS[s.key] } };
      })
    });
    drill(chart, function (p) { return data.series[p.seriesIndex].urls[p.dataIndex]; });
    return chart;
  }

  function closuresChart(el, data) {
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 10, top: 20, bottom: 40 },
      xAxis: { type: "category", data: data.weeks },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "line", name: "销号数", data: data.values, smooth: true, itemStyle: { color: "#198754" } }]
    });
    return chart;
  }

  function initCharts() {
    var source = document.getElementById("zf-chart-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var makers = { category: categoryChart, lights: lightsChart, closures: closuresChart };
    var charts = [];
    document.querySelectorAll(".zf-chart[data-chart]").forEach(function (el) {
      var make = makers[el.dataset.chart];
      if (make && data[el.dataset.chart]) { charts.push(make(el, data[el.dataset.chart])); }
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  function cellKey(row, index, kind) {
    var cell = row.cells[index];
    var raw = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
    if (kind === "num") { return parseFloat(raw) || 0; }
    if (kind === "light") { return raw in LIGHT_ORDER ? LIGHT_ORDER[raw] : 9; }
    return raw;
  }

  function initSorting() {
    document.querySelectorAll("table.zf-sortable").forEach(function (table) {
      table.querySelectorAll("th[data-sort]").forEach(function (th, index) {
        th.addEventListener("click", function () {
          var kind = th.dataset.sort;
          var ascending = th.dataset.dir !== "asc";
          table.querySelectorAll("th[data-sort]").forEach(function (other) { delete other.dataset.dir; });
          th.dataset.dir = ascending ? "asc" : "desc";
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = cellKey(a, index, kind), y = cellKey(b, index, kind);
            var order = kind === "text" ? String(x).localeCompare(String(y), "zh-CN") : x - y;
            return ascending ? order : -order;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { initCharts(); initSorting(); });
})();
