/* Sortable tables: click a header of table.zhibu-sortable to sort by that column (data-sort wins over text). */
(function () {
  "use strict";
  function key(cell) {
    var raw = cell.getAttribute("data-sort");
    var text = raw !== null ? raw : cell.textContent.trim();
    var num = parseFloat(text.replace("%", ""));
    return isNaN(num) ? text : num;
  }
  function init() {
    document.querySelectorAll("table.zhibu-sortable").forEach(function (table) {
      if (table.dataset.sortReady) { return; }
      table.dataset.sortReady = "1";
      table.querySelectorAll("thead th").forEach(function (th, index) {
        th.style.cursor = "pointer";
        th.setAttribute("role", "button");
        th.title = "点击排序";
        th.addEventListener("click", function () {
          var body = table.tBodies[0];
          var asc = th.getAttribute("aria-sort") !== "ascending";
          table.querySelectorAll("thead th").forEach(function (o) { o.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", asc ? "ascending" : "descending");
          Array.prototype.slice.call(body.rows).sort(function (a, b) {
            var x = key(a.cells[index]), y = key(b.cells[index]);
            var r = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y), "zh");
            return asc ? r : -r;
          }).forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }
  if (typeof document$ !== "undefined") { document$.subscribe(init); } else { document.addEventListener("DOMContentLoaded", init); }
})();
