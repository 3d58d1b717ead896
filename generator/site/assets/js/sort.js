/*
 * Sortable tables: each header of table.zhibu-sortable becomes a <button> (keyboard and mouse) that sorts
 * the rows by that column; a second press reverses the order. The sorted header carries
 * aria-sort="ascending" | "descending" (read by screen readers, drawn as ▲/▼ by zhibu.css).
 * A cell's data-sort attribute wins over its text; numbers sort as numbers, text in Chinese order.
 */
(function () {
  "use strict";
  function key(cell) {
    var raw = cell.getAttribute("data-sort");
    var text = raw !== null ? raw : cell.textContent.trim();
    var num = parseFloat(text.replace("%", ""));
    return isNaN(num) ? text : num;
  }
  function sortBy(table, th, index) {
    var body = table.tBodies[0];
    var asc = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach(function (o) { o.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    Array.prototype.slice.call(body.rows).sort(function (a, b) {
      var x = key(a.cells[index]), y = key(b.cells[index]);
      var r = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y), "zh");
      return asc ? r : -r;
    }).forEach(function (row) { body.appendChild(row); });
  }
  function init() {
    document.querySelectorAll("table.zhibu-sortable").forEach(function (table) {
      if (table.dataset.sortReady) { return; }
      table.dataset.sortReady = "1";
      table.querySelectorAll("thead th").forEach(function (th, index) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "zhibu-sort";
        button.title = "按“" + th.textContent.trim() + "”排序，再按一次反向";
        while (th.firstChild) { button.appendChild(th.firstChild); }
        th.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, th, index); });
      });
    });
  }
  if (typeof document$ !== "undefined") { document$.subscribe(init); } else { document.addEventListener("DOMContentLoaded", init); }
})();
