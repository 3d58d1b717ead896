/*
 * Accessibility fixes for what Material draws at run time (GB/T 37668-2019, WCAG 2.1):
 * - the search dialog gets a name ("搜索"), so a screen reader says what opened;
 * - a table wider than the screen sits in Material's scroll wrapper, which a keyboard could not reach:
 *   while it overflows, the wrapper is a named, focusable region (arrow keys then scroll it).
 * Runs on every page Material's instant navigation shows, and again when the window is resized.
 */
(function () {
  "use strict";
  function apply() {
    var search = document.querySelector(".md-search[role='dialog']");
    if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "搜索");
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap, index) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "表格 " + (index + 1) + "（可左右滚动）");   // each region its own name
      } else if (!scrolls && wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  function soon() { window.requestAnimationFrame(apply); }
  window.addEventListener("resize", soon);
  if (typeof document$ !== "undefined") document$.subscribe(soon);  // Material's instant navigation
  else document.addEventListener("DOMContentLoaded", soon);
})();
