/*
 * ambito — progress of a running import (page /ambiti/{code}/importa/lavori/{id}).
 * Polls the JSON status named by data-status-url once a second, moves the <progress> bar and
 * writes rows, rows/s and the estimated time left; when the job is over, reloads the page,
 * which then shows the outcome. Without this file the page refreshes itself (<noscript> meta).
 */
(function () {
  "use strict";
  var box = document.getElementById("lavoro");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("avanzamento");
  var phase = document.getElementById("fase");
  var detail = document.getElementById("dettaglio");
  var number = new Intl.NumberFormat("it-IT");

  function duration(s) {
    if (s < 60) { return s + " s"; }
    var m = Math.floor(s / 60);
    return m + " min " + (s % 60) + " s";
  }

  function show(st) {
    phase.textContent = st.fase;
    if (st.totale > 0) {
      bar.max = st.totale;
      bar.value = Math.min(st.righe, st.totale);
    } else {
      bar.removeAttribute("value"); // a phase without a row count (the aggregates): indeterminate
    }
    var text = st.totale > 0 ? number.format(st.righe) + " di " + number.format(st.totale) + " righe" : "";
    if (st.totale > 0 && st.righe_al_secondo) { text += " · " + number.format(st.righe_al_secondo) + " righe/s"; }
    if (st.secondi_alla_fine !== null && st.secondi_alla_fine !== undefined) {
      text += " · fine stimata tra " + duration(st.secondi_alla_fine);
    }
    detail.textContent = text || "calcolo dei totali esatti…";
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (st) {
        show(st);
        if (st.finito) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
