(function () {
  "use strict";
  /* The report's own script: sortable, filterable and grouped tables, and the folder map.
     It reads data only from attributes and text the page escaped, and writes names back
     only as textContent, so no file name is ever parsed as markup or code. */

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  // --- tables: sort, filter by text, expand groups ---------------------------------------------

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var key = cell.getAttribute("data-sort");
    if (key !== null && key !== "" && !isNaN(Number(key))) { return Number(key); }
    return (key !== null ? key : cell.textContent).toLowerCase();
  }
  function grouped(table) { return table.classList.contains("grouped"); }
  function sortTable(table, index, dir) {
    var sign = dir === "asc" ? 1 : -1;
    // a grouped table sorts its groups (one tbody each) by their summary row
    var parent = grouped(table) ? table : table.tBodies[0];
    var list = Array.prototype.slice.call(grouped(table) ? table.tBodies : table.tBodies[0].rows);
    list.sort(function (a, b) {
      var x = cellValue(grouped(table) ? a.rows[0] : a, index), y = cellValue(grouped(table) ? b.rows[0] : b, index);
      if (x === y) { return 0; }
      return (x < y ? -1 : 1) * sign;
    });
    list.forEach(function (r) { parent.appendChild(r); });
    each(table.tHead.rows[0].cells, function (th, i) {
      if (i === index) { th.setAttribute("data-dir", dir); } else { th.removeAttribute("data-dir"); }
    });
  }
  function units(table) { return grouped(table) ? table.tBodies : table.tBodies[0].rows; }
  function visible(el) { return !el.hasAttribute("data-out-text") && !el.hasAttribute("data-out-folder"); }
  function filterTable(table, text) {
    var needle = text.trim().toLowerCase();
    var shown = 0;
    each(units(table), function (u) {
      var hit = !needle || u.textContent.toLowerCase().indexOf(needle) >= 0;
      if (hit) { u.removeAttribute("data-out-text"); } else { u.setAttribute("data-out-text", ""); }
      if (visible(u)) { shown += 1; }
    });
    return shown;
  }
  function toggleGroup(button) {
    var body = button.closest("tbody");
    var open = body.classList.toggle("open");
    button.setAttribute("aria-expanded", String(open));
    button.textContent = open ? "\u25BE" : "\u25B8";
  }
  each(document.querySelectorAll("table.sortable"), function (table) {
    each(table.tHead.rows[0].cells, function (th, i) {
      th.addEventListener("click", function () {
        sortTable(table, i, th.getAttribute("data-dir") === "desc" ? "asc" : "desc");
      });
    });
  });
  each(document.querySelectorAll("input.filter"), function (input) {
    var table = document.getElementById(input.getAttribute("data-table"));
    input.addEventListener("input", function () { filterTable(table, input.value); });
  });
  each(document.querySelectorAll("button.toggle"), function (button) {
    button.addEventListener("click", function (e) { e.stopPropagation(); toggleGroup(button); });
  });

  // --- folder map: drill down, breadcrumb, filter every table to the chosen folder -------------

  var parentOf = {}, labelOf = {};
  each(document.querySelectorAll("figure.foldermap g.view"), function (view) {
    labelOf[view.getAttribute("data-node")] = view.getAttribute("data-label");
  });
  each(document.querySelectorAll("figure.foldermap g.box[data-parent]"), function (box) {
    parentOf[box.getAttribute("data-node")] = box.getAttribute("data-parent");
    labelOf[box.getAttribute("data-node")] = box.getAttribute("data-label");
  });
  function lineage(node) {
    var out = [];
    while (node) { out.unshift(node); node = parentOf[node]; }
    return out;
  }
  function within(node, chosen) {
    while (node) {
      if (node === chosen) { return true; }
      node = parentOf[node];
    }
    return false;
  }
  function filterFolder(chosen, exact) {
    var shown = 0;
    each(document.querySelectorAll("tr[data-at], tbody[data-at]"), function (u) {
      var at = u.getAttribute("data-at");
      var hit = !chosen || (exact ? at === chosen : within(at, chosen));
      if (hit) { u.removeAttribute("data-out-folder"); } else { u.setAttribute("data-out-folder", ""); }
      if (hit && visible(u)) { shown += 1; }
    });
    var banner = document.getElementById("folder-filter");
    banner.hidden = !chosen;
    banner.querySelector("b").textContent = chosen ? lineage(chosen).map(function (n) { return labelOf[n]; }).join(" › ")
      + (exact ? " (its own files)" : "") : "";
    return shown;
  }
  function showView(figure, node, exact) {
    // a folder without sub-folders has no view of its own: it stays marked in its parent's
    var own = figure.querySelector('g.view[data-node="' + node + '"]');
    var target = own || figure.querySelector('g.view[data-node="' + parentOf[node] + '"]');
    if (!target) { return; }
    each(figure.querySelectorAll("g.view"), function (v) { v.classList.toggle("current", v === target); });
    each(figure.querySelectorAll("g.box"), function (b) {
      var mine = b.getAttribute("data-node") === node && (exact ? b.classList.contains("here") : !own);
      b.classList.toggle("chosen", mine);
    });
    var crumbs = figure.querySelector("nav.crumbs");
    crumbs.textContent = "";
    lineage(node).forEach(function (n, i, all) {
      if (i) { crumbs.appendChild(document.createTextNode(" › ")); }
      var el = document.createElement(i === all.length - 1 ? "span" : "button");
      el.textContent = labelOf[n];
      if (i < all.length - 1) {
        el.type = "button";
        el.addEventListener("click", function () { choose(figure, n, false); });
      }
      crumbs.appendChild(el);
    });
  }
  function choose(figure, node, exact) {
    showView(figure, node, exact);
    var root = figure.querySelector("g.view").getAttribute("data-node");
    return filterFolder(node === root && !exact ? null : node, exact);
  }
  each(document.querySelectorAll("figure.foldermap"), function (figure) {
    each(figure.querySelectorAll("g.box.personal"), function (box) {
      function go() { choose(figure, box.getAttribute("data-node"), box.classList.contains("here")); }
      box.addEventListener("click", go);
      box.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
    });
  });
  function opening(figure) { showView(figure, figure.getAttribute("data-start"), false); }
  each(document.querySelectorAll("figure.foldermap"), opening);
  document.querySelector("#folder-filter button").addEventListener("click", function () {
    each(document.querySelectorAll("figure.foldermap"), opening);
    filterFolder(null, false);
  });

  // on paper every entity type is shown, not only the ones opened on screen
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    closedForPrint.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    closedForPrint = [];
  });

  window.piisweepReport = { sortTable: sortTable, filterTable: filterTable, filterFolder: filterFolder };

  /* The page's own checks, written into the DOM for headless tests and support. */
  function selfcheck() {
    var box = document.getElementById("selfcheck");
    var resources = (performance.getEntriesByType ? performance.getEntriesByType("resource") : []);
    box.setAttribute("data-resources", String(resources.length));
    box.setAttribute("data-sections", Array.prototype.map.call(
      document.querySelectorAll("main > section"), function (s) { return s.id; }).join(","));
    if (location.hash === "#selftest") {
      var table = document.querySelector("#entities table.sortable");
      if (table && table.tBodies[0].rows.length) {
        var col = Array.prototype.findIndex.call(table.tHead.rows[0].cells, function (th) { return th.classList.contains("num"); });
        sortTable(table, col, "asc");
        var values = Array.prototype.map.call(table.tBodies[0].rows, function (r) { return cellValue(r, col); });
        var sorted = values.every(function (v, i) { return i === 0 || values[i - 1] <= v; });
        box.setAttribute("data-sort-ok", String(sorted));
        var first = table.tBodies[0].rows[0].cells[0].textContent;
        box.setAttribute("data-filter-term", first);
        box.setAttribute("data-filter-shown", String(filterTable(table, first)));
        filterTable(table, "");
      }
    }
    box.setAttribute("data-problems", JSON.stringify(window.__problems));
    box.setAttribute("data-done", "1");
  }
  if (document.readyState === "complete") { selfcheck(); } else { window.addEventListener("load", selfcheck); }
})();
