// Sort a table.sortable by a column when its header button is pressed (numbers by data-v, text by name).
(function () {
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th[data-col]").forEach(function (th) {
      var button = document.createElement("button");
      button.type = "button"; button.className = "sort"; button.textContent = th.textContent;
      th.textContent = ""; th.appendChild(button);
      button.addEventListener("click", function () {
        var col = th.getAttribute("data-col");
        var up = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.querySelector('[data-col="' + col + '"]').getAttribute("data-v");
          var y = b.querySelector('[data-col="' + col + '"]').getAttribute("data-v");
          var nx = parseFloat(x), ny = parseFloat(y);
          var cmp = (isNaN(nx) || isNaN(ny)) ? (isNaN(nx) - isNaN(ny) || String(x).localeCompare(String(y)))
                                             : nx - ny;
          return up ? cmp : -cmp;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
