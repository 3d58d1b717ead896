/*
 * zhibu charts — initialise Apache ECharts on the generated pages.
 *
 * Contract with the page templates:
 *   <div class="zhibu-chart" data-chart='{"yAxis": …, "series": …}'></div>   option inline (JSON)
 *   <div class="zhibu-chart" data-src="../data/chart-units.json"></div>       option in a JSON file,
 *                                                                              URL relative to the page
 *   Optional: data-height="480" (pixels) overrides the CSS height of 320 px. Without it, a chart with a
 *   category y axis (horizontal bars) is BAR_PX pixels high per category instead.
 *   Each chart should be followed by a table or text with the same figures (the chart is an aid,
 *   not the only place a number is published).
 *
 * State for tests and styling: the element gets data-chart-state="loading" | "ready" | "error".
 * window.zhibuCharts.instances() lists live ECharts instances.
 *
 * Material's instant navigation replaces the page content without reloading scripts, so charts are
 * (re)initialised on every emission of Material's `document$` observable; instances whose element
 * left the document are disposed. Without Material (document$ undefined) DOMContentLoaded is used.
 */
(function () {
  "use strict";

  var SELECTOR = "div.zhibu-chart[data-chart], div.zhibu-chart[data-src]";
  var live = [];               // [{el, chart}]
  var resizeObserver = null;
  var resizeQueued = false;

  function isObject(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v);
  }

  // Phone-friendly defaults that never overwrite what the option says explicitly.
  function withDefaults(option) {
    if (!isObject(option)) {
      throw new Error("chart option is not a JSON object");
    }
    var grids = option.grid === undefined ? [{}] : [].concat(option.grid);
    grids.forEach(function (g) {
      if (!isObject(g)) { return; }
      if (g.containLabel === undefined) { g.containLabel = true; }
      if (g.left === undefined) { g.left = 8; }
      if (g.right === undefined) { g.right = 40; }   // room for value labels at the bar ends
      if (g.bottom === undefined) { g.bottom = 8; }
    });
    option.grid = Array.isArray(option.grid) ? grids : grids[0];
    if (option.tooltip === undefined) {
      option.tooltip = { trigger: "axis", axisPointer: { type: "shadow" }, confine: true };
    }
    if (option.textStyle === undefined) {
      option.textStyle = {
        fontFamily: "\"Noto Sans CJK SC\", \"PingFang SC\", \"Microsoft YaHei\", sans-serif"
      };
    }
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (option.animation === undefined && (reduce || navigator.webdriver)) {
      option.animation = false;
    }
    // Horizontal bars: list categories top to bottom in data order, like the table beside the chart,
    // and keep long unit and branch names on one line, cut with an ellipsis, instead of pushing the
    // bars off a 390 px screen.
    [].concat(option.yAxis || []).forEach(function (axis) {
      if (!isObject(axis) || axis.type !== "category") { return; }
      if (axis.inverse === undefined) { axis.inverse = true; }
      axis.axisLabel = axis.axisLabel || {};
      if (axis.axisLabel.width === undefined) { axis.axisLabel.width = 140; }
      if (axis.axisLabel.overflow === undefined) { axis.axisLabel.overflow = "truncate"; }
      if (axis.axisLabel.interval === undefined) { axis.axisLabel.interval = 0; }   // every name, none skipped
    });
    return option;
  }

  // Horizontal bars get BAR_PX pixels per category (plus room for the value axis), so that every
  // category name and value label fits however many rules, units or stages there are.
  var BAR_PX = 26;
  function barHeight(option) {
    var most = 0;
    [].concat(option.yAxis || []).forEach(function (axis) {
      if (isObject(axis) && axis.type === "category" && Array.isArray(axis.data)) {
        most = Math.max(most, axis.data.length);
      }
    });
    return most > 0 ? most * BAR_PX + 48 : 0;   // + value axis and grid margins
  }

  function loadOption(el) {
    var inline = el.getAttribute("data-chart");
    if (inline !== null && inline.trim() !== "") {
      return Promise.resolve().then(function () { return JSON.parse(inline); });
    }
    var src = el.getAttribute("data-src");
    var url = new URL(src, window.location.href);
    return fetch(url.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status + " for " + url.href);
      }
      return response.json();
    });
  }

  function fail(el, error) {
    el.setAttribute("data-chart-state", "error");
    el.classList.add("zhibu-chart--error");
    el.textContent = "图表未能加载；相同的数据见本页的表格。";
    if (window.console) { console.error("zhibu chart:", error); }
  }

  function initOne(el) {
    if (el.getAttribute("data-chart-state")) { return; }   // already handled on this page
    el.setAttribute("data-chart-state", "loading");
    if (typeof window.echarts === "undefined") {
      fail(el, new Error("echarts.min.js is not loaded"));
      return;
    }
    var height = parseInt(el.getAttribute("data-height") || "", 10);
    if (height > 0) { el.style.height = height + "px"; }
    loadOption(el).then(function (option) {
      if (!el.isConnected) { return; }                   // the reader navigated away meanwhile
      var old = window.echarts.getInstanceByDom(el);
      if (old) { old.dispose(); }
      if (!(height > 0) && barHeight(option) > 0) { el.style.height = barHeight(option) + "px"; }
      var chart = window.echarts.init(el, null, { renderer: "svg", locale: "ZH" });
      chart.setOption(withDefaults(option));
      live.push({ el: el, chart: chart });
      if (resizeObserver) { resizeObserver.observe(el); }
      el.setAttribute("data-chart-state", "ready");
    }).catch(function (error) { fail(el, error); });
  }

  function disposeDetached() {
    live = live.filter(function (item) {
      if (item.el.isConnected) { return true; }
      if (resizeObserver) { resizeObserver.unobserve(item.el); }
      item.chart.dispose();
      return false;
    });
  }

  function resizeAll() {
    if (resizeQueued) { return; }
    resizeQueued = true;
    window.requestAnimationFrame(function () {
      resizeQueued = false;
      live.forEach(function (item) {
        if (!item.chart.isDisposed()) { item.chart.resize(); }
      });
    });
  }

  function render() {
    disposeDetached();
    var nodes = document.querySelectorAll(SELECTOR);
    for (var i = 0; i < nodes.length; i++) { initOne(nodes[i]); }
  }

  window.addEventListener("resize", resizeAll);
  if (typeof window.ResizeObserver === "function") {
    // Also catches size changes without a window resize (sidebar, tabs, fonts loading).
    resizeObserver = new window.ResizeObserver(resizeAll);
  }

  window.zhibuCharts = {
    render: render,
    instances: function () { return live.map(function (item) { return item.chart; }); }
  };

  if (typeof window.document$ !== "undefined" && window.document$ &&
      typeof window.document$.subscribe === "function") {
    window.document$.subscribe(render);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
