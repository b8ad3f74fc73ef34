/* 年终考核: score distribution and each unit against its ranking's median (ECharts, data from #zf-assessment-charts). */
(function () {
  "use strict";

  function distribution(el, data) {
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 10, top: 20, bottom: 40 },
      xAxis: { type: "category", data: data.labels, name: "得分" },
      yAxis: { type: "value", minInterval: 1, name: "单位数" },
      series: [{ type: "bar", name: "单位数", data: data.values, itemStyle: { color: "#9b1c1c" } }]
    });
    return chart;
  }

  function medians(el, data) {
    var chart = echarts.init(el);
    var units = [], values = [], marks = [];
    Object.keys(data).forEach(function (key) {
      var r = data[key];
      r.units.forEach(function (u, i) { units.push(u); values.push(r.values[i]); });
      marks.push({ name: r.name + "中位数", yAxis: r.median });
    });
    // About one bar per 28 px fits its rotated name: 20 on a desktop card, 10 on a phone.
    var window_ = Math.max(8, Math.min(20, Math.floor(el.clientWidth / 28)));
    var zoom = units.length > window_;
    chart.setOption({
      tooltip: { trigger: "axis" },
      // containLabel keeps the rotated unit names inside the card and clear of the slider below them.
      grid: { left: 10, right: 10, top: 20, bottom: zoom ? 40 : 10, containLabel: true },
      xAxis: { type: "category", data: units, axisLabel: { rotate: 45, interval: 0, fontSize: 10 } },
      yAxis: { type: "value", min: 0 },
      dataZoom: zoom ? [{ type: "slider", height: 18, bottom: 8, start: 0, end: 100 * window_ / units.length }] : [],
      series: [{
        type: "bar", name: "得分", data: values, itemStyle: { color: "#0d6efd" },
        // The medians are named in a caption under the chart: as line labels they ran off the card or
        // piled on top of each other when two medians are close.
        markLine: { symbol: "none", data: marks, label: { show: false } }
      }]
    });
    var caption = document.createElement("p");
    caption.className = "small text-muted mb-0";
    caption.dataset.testid = "median-caption";
    caption.textContent = "虚线：" + marks.map(function (m) { return m.name + " " + m.yAxis; }).join("；");
    el.after(caption);
    return chart;
  }

  function init() {
    var source = document.getElementById("zf-assessment-charts");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(JSON.parse(source.textContent));
    var makers = { distribution: distribution, medians: medians };
    var charts = [];
    document.querySelectorAll(".zf-chart[data-chart]").forEach(function (el) {
      var make = makers[el.dataset.chart];
      if (make && data[el.dataset.chart]) { charts.push(make(el, data[el.dataset.chart])); }
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  document.addEventListener("DOMContentLoaded", init);
}());
