// Dashboard charts: ECharts (vendored) drawn from the page's JSON data block
// (<script type="application/json" id="dash-data">), never from inline script (CSP).
// Every data point may carry a drill-down link; clicking it opens the list it counts.
(function () {
  "use strict";
  function init() {
    var block = document.getElementById("dash-data");
    if (!block || typeof echarts === "undefined") return;
    var charts;
    try { charts = JSON.parse(block.textContent); } catch (e) { return; }
    var font = '"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC",sans-serif';
    var made = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var spec = charts[el.getAttribute("data-chart")];
      if (!spec) return;
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option(spec, font, el.clientWidth < 500));
      chart.on("click", function (p) {
        var s = spec.series[p.seriesIndex || 0];
        var href = s && s.hrefs && s.hrefs[p.dataIndex];
        if (href) window.location.href = href;
      });
      el.setAttribute("data-rendered", "1");
      made.push(chart);
    });
    window.addEventListener("resize", function () { made.forEach(function (c) { c.resize(); }); });
  }

  function option(spec, font, narrow) {
    var base = { textStyle: { fontFamily: font }, tooltip: { trigger: spec.kind === "pie" ? "item" : "axis" },
      animation: false, color: ["#60a5fa", "#1d4ed8", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6"] };
    if (spec.kind === "pie") {
      base.legend = { bottom: 0, textStyle: { fontFamily: font } };
      base.series = [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], label: { formatter: "{b}\n{c}" },
        data: spec.categories.map(function (c, i) { return { name: c, value: spec.series[0].data[i] }; }) }];
      return base;
    }
    var cat = { type: "category", data: spec.categories, axisLabel: { fontFamily: font, interval: 0, fontSize: narrow ? 10 : 12 } };
    var val = { type: "value", axisLabel: { fontFamily: font } };
    base.grid = { left: spec.horizontal ? (narrow ? 64 : 96) : 48, right: 16, top: spec.series.length > 1 ? 36 : 16, bottom: 32, containLabel: false };
    if (!spec.horizontal && !narrow) base.grid.bottom = 48;
    if (spec.series.length > 1) base.legend = { top: 0, textStyle: { fontFamily: font } };
    base.xAxis = spec.horizontal ? val : cat;
    base.yAxis = spec.horizontal ? cat : val;
    if (!spec.horizontal && narrow) cat.axisLabel.rotate = 30;
    base.series = spec.series.map(function (s) {
      return { name: s.name, type: spec.kind === "line" ? "line" : "bar", stack: spec.kind === "stack" ? "all" : undefined,
        data: s.data, cursor: s.hrefs ? "pointer" : "default", label: { show: spec.kind === "bar", position: "top" } };
    });
    return base;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
