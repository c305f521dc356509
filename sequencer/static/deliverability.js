// Sortable columns on the Deliverability page: click a header to sort by it, again to reverse.
(function () {
  "use strict";
  var table = document.getElementById("deliverability-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var buttons = table.querySelectorAll("th button.sort");
  buttons.forEach(function (button, column) {
    button.addEventListener("click", function () {
      var numeric = button.dataset.sort === "num";
      var ascending = button.getAttribute("aria-sort") !== "ascending";
      buttons.forEach(function (b) { b.removeAttribute("aria-sort"); });
      button.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].dataset.value || "", y = b.cells[column].dataset.value || "";
        var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, document.documentElement.lang || undefined);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
