// Sorting and filtering of the report's tables, from a file, without a server. The state can
// be given in the address (#business=…&rule=…&severity=…&class=…&sort=table-files:3:desc),
// so a filtered view can be shared as a link.
(function () {
  "use strict";
  var filters = ["business", "rule", "severity", "class"];
  function cellValue(row, i) {
    var c = row.cells[i];
    if (!c) return "";
    var t = c.textContent.trim();
    var n = parseFloat(t.replace(",", "."));
    return c.classList.contains("n") && !isNaN(n) ? n : t.toLowerCase();
  }
  function sort(table, col, dir) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, col), y = cellValue(b, col);
      var r = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "nb");
      return dir === "descending" ? -r : r;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      if (i === col) th.setAttribute("aria-sort", dir); else th.removeAttribute("aria-sort");
    });
  }
  function filter() {
    var want = {};
    filters.forEach(function (f) {
      var s = document.getElementById("filter-" + f);
      if (s && s.value) want[f] = s.value;
    });
    var table = document.getElementById("table-files");
    if (!table) return;
    var shown = 0, rows = table.tBodies[0].rows;
    Array.prototype.forEach.call(rows, function (r) {
      var ok = filters.every(function (f) { return !want[f] || r.getAttribute("data-" + f) === want[f]; });
      r.hidden = !ok;
      if (ok) shown++;
    });
    var out = document.getElementById("shown");
    if (out) out.textContent = shown + " / " + rows.length;
  }
  function fromHash() {
    var state = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) state[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1));
    });
    filters.forEach(function (f) {
      var s = document.getElementById("filter-" + f);
      if (s && state[f] !== undefined) s.value = state[f];
    });
    if (state.sort) {
      var p = state.sort.split(":"), t = document.getElementById(p[0]);
      if (t) sort(t, parseInt(p[1], 10) || 0, p[2] === "desc" ? "descending" : "ascending");
    }
    filter();
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.addEventListener("click", function () {
        sort(table, i, th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending");
      });
    });
  });
  filters.forEach(function (f) {
    var s = document.getElementById("filter-" + f);
    if (s) s.addEventListener("change", filter);
  });
  Array.prototype.forEach.call(document.querySelectorAll("button.suppress"), function (b) {
    b.addEventListener("click", function () {
      var pre = b.nextElementSibling;
      pre.hidden = !pre.hidden;
    });
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
  document.documentElement.setAttribute("data-ready", "1");
})();
