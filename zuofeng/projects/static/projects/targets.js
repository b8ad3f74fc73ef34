/* 攻坚项目: one small ECharts chart per target, baseline → now → target, from #zf-target-data.
   A lower-is-better target is drawn with its numbers as they are (3 → 2 → 1); the arrow in the
   caption and the bar colours say which way is good. */
(function () {
  "use strict";

  function label(values, unit) {
    return ["基数", "当前", "目标"].map(function (name, i) {
      return name + " " + (values[i] === null ? "未报告" : values[i] + " " + unit);
    }).join(" → ");
  }

  function draw(el, data) {
    el.setAttribute("aria-label", data.name + "：" + label(data.values, data.unit));
    el.setAttribute("role", "img");
    el.dataset.values = data.values.map(function (v) { return v === null ? "" : v; }).join(",");
    if (typeof echarts === "undefined") { return null; }
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 50, right: 10, top: 16, bottom: 24 },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", name: data.unit, nameTextStyle: { align: "left" } },
      series: [{
        type: "bar",
        barMaxWidth: 40,
        label: { show: true, position: "top" },
        data: data.values.map(function (v, i) {
          return { value: v, itemStyle: { color: ["#6c757d", "#0d6efd", "#198754"][i] } };
        })
      }, {
        type: "line",
        data: data.values,
        connectNulls: true,
        symbol: "none",
        lineStyle: { type: "dashed", color: "#9b1c1c" }
      }]
    });
    return chart;
  }

  function init() {
    var source = document.getElementById("zf-target-data");
    if (!source) { return; }
    var byId = {};
    JSON.parse(source.textContent).forEach(function (d) { byId[d.id] = d; });
    var charts = [];
    document.querySelectorAll(".zf-target-chart[data-target]").forEach(function (el) {
      var data = byId[el.dataset.target];
      if (data) {
        var chart = draw(el, data);
        if (chart) { charts.push(chart); }
        el.dataset.rendered = "1";
      }
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
