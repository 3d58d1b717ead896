/*
 * A link to a row inside a folded year (<details> on a branch page) opens that year first, so that a
 * checklist mark leads to its meeting row however the page was reached: a click on the mark, a link from
 * another page, or the browser's back button (hashchange).
 */
(function () {
  "use strict";
  function reveal(id) {
    var target = id && document.getElementById(id);
    if (!target) return;
    for (var el = target.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) el.open = true;
    }
  }
  function fromHash() {
    reveal(decodeURIComponent(location.hash.slice(1)));
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href*='#']");
    if (link && link.pathname === location.pathname) reveal(decodeURIComponent(link.hash.slice(1)));
  }, true);
  window.addEventListener("hashchange", fromHash);
  if (typeof document$ !== "undefined") document$.subscribe(fromHash);  // Material's instant navigation
  else document.addEventListener("DOMContentLoaded", fromHash);
})();
