/* Own data (pyodide_app/features/own_data.py decides what it does): a CSV file imported, dropped
 * on the page or pasted goes to Python as text; the target and input columns, the scaling and
 * points drawn on the plot become messages. Python reads, checks and says what it refused.
 */
(function () {
  "use strict";

  var send = pageEvents.send;
  var byId = pageDom.byId;
  var HALF = 6; // the plot's plane is [−HALF, HALF]² (plot.js)
  var NEAR = 12; // pixels: a click this close to a point takes it away
  var drawing = { on: false, label: null }; // kept when the panel is drawn anew
  // more of a file than Python ever takes: a longer one reaches it long enough to be refused, not cut
  var READ_AT_MOST = 1000001;

  function readFile(file) {
    file.slice(0, READ_AT_MOST).text().then(function (text) { send("ownData", { text: text }); });
  }

  function isCsv(file) {
    return /\.(csv|txt)$/i.test(file.name) || file.type === "text/csv";
  }

  function columns() {
    var inputs = [];
    document.querySelectorAll('[data-own="input"]').forEach(function (box) { if (box.checked) inputs.push(box.value); });
    return { target: byId("own-target").value, inputs: inputs };
  }

  pageEvents.onClick("own-import", function () { byId("own-file").click(); });
  pageEvents.onClick("own-use", function () { send("ownData", { text: byId("own-text").value }); });

  document.addEventListener("change", function (event) {
    var target = event.target, kind = target.getAttribute("data-own");
    if (target.id === "own-file") {
      if (target.files.length) readFile(target.files[0]);
      target.value = "";
    } else if (kind === "scale") send("ownScale", { on: target.checked });
    else if (kind) send("ownColumns", columns());
    else if (target.id === "own-draw") drawing.on = target.checked;
    else if (target.id === "own-class") drawing.label = target.value;
  });

  // A CSV dropped anywhere is own data; any other file is left to the page's Import (events.js).
  document.addEventListener("drop", function (event) {
    var files = event.dataTransfer && event.dataTransfer.files;
    if (!files || !files.length || !isCsv(files[0])) return;
    event.preventDefault();
    event.stopPropagation();
    document.body.classList.remove("import-target");
    readFile(files[0]);
  }, true);

  // While drawing, a click on the plot adds or takes away a point, instead of showing one.
  document.addEventListener("click", function (event) {
    var draw = byId("own-draw");
    if (event.target.id !== "plot-points" || !draw || !draw.checked) return;
    event.stopPropagation();
    var box = event.target.getBoundingClientRect();
    var unit = 2 * HALF / box.width;
    send("ownDraw", { x: (event.clientX - box.left) * unit - HALF, y: HALF - (event.clientY - box.top) * unit,
                      label: byId("own-class").value, near: NEAR * unit });
  }, true);

  var panelApplier = pageEvents.onReply("dataPanel", function (panel) {
    panelApplier(panel);
    var own = panel.own;
    if (!own) return;
    var message = byId("own-message");
    message.textContent = own.text;
    message.classList.toggle("error", !!own.error);
    if (own.open) {
      byId("own-paste").open = true;
      byId("own-import").focus();
    }
  });

  // The panel drawn anew (other columns, a new class): drawing goes on as it was.
  var structureApplier = pageEvents.onReply("structure", function (parts) {
    structureApplier(parts);
    var draw = byId("own-draw"), label = byId("own-class");
    if (draw) draw.checked = drawing.on;
    if (label && drawing.label !== null && label.querySelector('option[value="' + drawing.label + '"]')) {
      label.value = drawing.label;
    }
  });
})();
