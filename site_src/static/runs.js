/* The Runs table (pyodide_app/features/runs.py decides what it holds): the runs are kept in
 * local storage under a key of their own, not in the link; Python gets them once it is live,
 * and sends back the table's texts and what to keep. */
(function () {
  "use strict";

  var KEY = "neural-network-demonstration/runs";
  var byId = pageDom.byId;
  var sent = false;

  function stored() {
    try {
      return localStorage.getItem(KEY);
    } catch (error) {
      return null;
    }
  }

  function store(text) {
    try {
      localStorage.setItem(KEY, text);
    } catch (error) { // storage off or full: saving.js says so once; the table still holds the runs
    }
  }

  function show(runs) {
    if ("store" in runs) store(runs.store);
    if (runs.rows) {
      byId("runs-table").hidden = !runs.rows.length;
      pageDom.fillTable(byId("runs-table").querySelector("table"), runs.head, runs.rows);
    }
    if ("message" in runs) {
      var message = byId("runs-message");
      message.textContent = runs.message;
      message.classList.toggle("message", runs.error);
    }
  }

  // Once live (boot.js), Python is told what was stored: never before, so it never starts without it.
  function report() {
    if (sent || document.body.dataset.state !== "live") return;
    sent = true;
    pageEvents.send("runsStored", { text: stored() });
  }

  new MutationObserver(report).observe(document.body, { attributeFilter: ["data-state"] });
  pageEvents.onClick("runs-export", function () { pageEvents.send("runsExport"); });
  pageEvents.onClick("runs-clear", function () { pageEvents.send("runsClear"); });
  pageEvents.onReply("runs", show);
})();
