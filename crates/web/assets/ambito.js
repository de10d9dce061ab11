/*
 * ambito — progressive enhancement only. Pages work without it.
 * Loaded as an external file (CSP script-src 'self'; no inline scripts),
 * before the Bootstrap Italia bundle.
 *
 * Entry grids (<table class="entry-grid">):
 *  - ArrowUp / ArrowDown, Enter / Shift+Enter: previous / next row, same column;
 *  - ArrowLeft / ArrowRight: previous / next field when the caret is at the
 *    start / end of the text (always, for fields without a caret);
 *  - Enter never submits the form from inside the grid;
 *  - a row whose fields differ from their initial values gets the class
 *    `is-modified` (and data-modified="true");
 *  - leaving the page with unsaved modified rows asks for confirmation.
 */
(function () {
  "use strict";

  // Must run BEFORE bootstrap-italia.bundle.min.js (base.html loads this file
  // first): the bundled video.js otherwise injects <style> elements, which
  // the CSP (style-src 'self') blocks and reports as violations.
  window.VIDEOJS_NO_DYNAMIC_STYLE = true;

  var FIELD = "input:not([type=hidden]):not([type=button]):not([type=submit])" +
    ":not([type=reset]):not([disabled]), select:not([disabled]), textarea:not([disabled])";

  function fieldsOf(row) {
    return Array.prototype.filter.call(row.querySelectorAll(FIELD), function (el) {
      return !el.closest("[hidden]");
    });
  }

  function rowsOf(table) {
    return Array.prototype.filter.call(table.querySelectorAll("tbody tr"), function (tr) {
      return tr.closest("table") === table && fieldsOf(tr).length > 0;
    });
  }

  // Column of a field: the index of its cell, counting colspans.
  function columnOf(el) {
    var cell = el.closest("td, th");
    if (!cell) return 0;
    var col = 0;
    for (var c = cell.parentElement.firstElementChild; c && c !== cell; c = c.nextElementSibling) {
      col += c.colSpan || 1;
    }
    return col;
  }

  function fieldAtColumn(row, col) {
    var fields = fieldsOf(row);
    var best = null;
    var bestDist = Infinity;
    fields.forEach(function (f) {
      var d = Math.abs(columnOf(f) - col);
      if (d < bestDist) {
        best = f;
        bestDist = d;
      }
    });
    return best;
  }

  function focusField(el) {
    if (!el) return false;
    el.focus();
    if (typeof el.select === "function" && el.tagName === "INPUT") {
      try { el.select(); } catch (e) { /* some input types can't select */ }
    }
    return true;
  }

  // Caret helpers: number/email inputs have no selection API (null / throws).
  function caret(el) {
    try {
      if (typeof el.selectionStart === "number") {
        return { start: el.selectionStart, end: el.selectionEnd, len: el.value.length };
      }
    } catch (e) { /* fall through */ }
    return null;
  }

  function moveVertical(table, el, delta) {
    var rows = rowsOf(table);
    var row = el.closest("tr");
    var i = rows.indexOf(row);
    if (i < 0) return false;
    var target = rows[i + delta];
    if (!target) return false;
    return focusField(fieldAtColumn(target, columnOf(el)));
  }

  function moveHorizontal(table, el, delta) {
    var all = [];
    rowsOf(table).forEach(function (r) { all = all.concat(fieldsOf(r)); });
    var i = all.indexOf(el);
    if (i < 0) return false;
    return focusField(all[i + delta]);
  }

  function onKeydown(event) {
    var table = event.currentTarget;
    var el = event.target;
    if (!el.matches || !el.matches(FIELD)) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var isSelect = el.tagName === "SELECT";
    var isArea = el.tagName === "TEXTAREA";

    switch (event.key) {
      case "ArrowUp":
      case "ArrowDown":
        if (isSelect || isArea) return; // keep native behaviour
        moveVertical(table, el, event.key === "ArrowUp" ? -1 : 1);
        event.preventDefault(); // also stops number inputs from stepping
        break;
      case "Enter":
        if (isArea) return;
        moveVertical(table, el, event.shiftKey ? -1 : 1);
        event.preventDefault(); // never submit from inside the grid
        break;
      case "ArrowLeft":
      case "ArrowRight":
        if (event.shiftKey) return;
        var c = isSelect ? null : caret(el);
        var left = event.key === "ArrowLeft";
        // Move when the caret is at the edge or the whole value is selected
        // (as after arriving in the cell); otherwise edit text natively.
        var whole = c && c.len > 0 && c.start === 0 && c.end === c.len;
        if (c && !whole && (c.start !== c.end || (left ? c.start > 0 : c.end < c.len))) return;
        if (moveHorizontal(table, el, left ? -1 : 1)) event.preventDefault();
        break;
      default:
        return;
    }
  }

  function isChanged(el) {
    if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
    if (el.tagName === "SELECT") {
      return Array.prototype.some.call(el.options, function (o) {
        return o.selected !== o.defaultSelected;
      });
    }
    return el.value !== el.defaultValue;
  }

  function refreshRow(row) {
    var modified = fieldsOf(row).some(isChanged);
    row.classList.toggle("is-modified", modified);
    if (modified) row.setAttribute("data-modified", "true");
    else row.removeAttribute("data-modified");
  }

  function onEdit(event) {
    var el = event.target;
    if (!el.matches || !el.matches(FIELD)) return;
    var row = el.closest("tr");
    if (row) refreshRow(row);
  }

  var submitting = false;

  function enhance(table) {
    if (table.getAttribute("data-grid-ready")) return;
    table.setAttribute("data-grid-ready", "true");
    table.addEventListener("keydown", onKeydown);
    table.addEventListener("input", onEdit);
    table.addEventListener("change", onEdit);
    var form = table.closest("form");
    if (form) {
      form.addEventListener("submit", function () { submitting = true; });
      form.addEventListener("reset", function () {
        window.setTimeout(function () {
          rowsOf(table).forEach(refreshRow);
        }, 0);
      });
    }
  }

  function init() {
    document.querySelectorAll("table.entry-grid").forEach(enhance);
    window.addEventListener("beforeunload", function (event) {
      if (submitting) return;
      if (document.querySelector("table.entry-grid tr.is-modified")) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
