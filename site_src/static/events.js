/* The page's side of the live network: what the reader does goes to Python (in the worker)
 * as a message, and what comes back is applied to the page. Nothing here computes a number.
 * The messages are written down once, in pyodide_app/protocol.py.
 *
 * Only what needs the page stays here: listeners, focus, the address bar. Local storage,
 * links and files are in saving.js; each feature's buttons and replies in a script of its own.
 */
(function () {
  "use strict";

  var PARTS = ["forward", "loss", "backprop", "updates"]; // sections written while training
  var NUDGES = { ArrowUp: 1, ArrowRight: 1, ArrowDown: -1, ArrowLeft: -1 }; // arrow keys on a line
  var worker = null;
  var maxFileBytes = 0;
  var drawnPending = false;
  var shown = null; // what Python was last told is on screen; until told, it assumes everything
  var unanswered = 0;
  var later = false; // the last answer held only the parts on screen: the rest follows
  var whenSettled = [];
  var fieldToFocus = null; // the id of a field to focus once it is drawn

  function send(kind, fields) {
    var message = fields || {};
    message.kind = kind;
    unanswered++;
    worker.postMessage(JSON.stringify(message));
  }

  // Resolves once Python has answered every message sent so far, and the answers are shown.
  function settled() {
    return new Promise(function (resolve) {
      if (unanswered === 0 && !later) resolve();
      else whenSettled.push(resolve);
    });
  }

  function byId(id) {
    return document.getElementById(id);
  }

  // --- updates from Python

  var apply = {
    structure: function (parts) { pageDom.replace(parts); }, // parts re-drawn from the templates
    design: function (values) {
      Object.keys(values).forEach(function (name) {
        var field = document.querySelector('[data-design="' + name + '"]');
        if (field !== document.activeElement) field.value = values[name];
      });
    },
    batch: function (batch) { pageDom.write(batch); },
    fieldErrors: function (errors) {
      Object.keys(errors).forEach(function (name) { fieldError(name, errors[name]); });
    },
    ranges: function (ranges) {
      Object.keys(ranges).forEach(function (name) {
        document.querySelector('[data-range="' + name + '"]').value = ranges[name];
      });
    },
    notice: function (notice) {
      var element = byId("notice");
      element.textContent = notice.text;
      element.classList.toggle("error", notice.error);
      element.hidden = !notice.text;
    },
    training: function (line) {
      var element = byId("training-message");
      element.textContent = line.text;
      element.classList.toggle("warning", line.warning);
    },
    // Elements lit (diagram nodes and lines, formula cards, table rows); the rest of the diagram dims.
    highlight: function (highlight) {
      document.querySelectorAll(".lit").forEach(function (el) { el.classList.remove("lit"); });
      highlight.ids.forEach(function (id) { var el = byId(id); if (el) el.classList.add("lit"); });
      byId("diagram").classList.toggle("dimmed", highlight.ids.length > 0);
      if (highlight.scroll && byId(highlight.scroll)) {
        var still = matchMedia("(prefers-reduced-motion: reduce)").matches;
        byId(highlight.scroll).scrollIntoView({ block: "nearest", behavior: still ? "auto" : "smooth" });
      }
    },
    later: function (value) { later = value; },
    trainButton: function (label) { byId("train").textContent = label; },
    speed: function (value) { byId("field-speed").value = value; },
    readout: function (text) { byId("edge-readout").textContent = text; },
    share: function (text) { byId("share-message").textContent = text; },
    warning: function (text) { console.warn(text); }
  };

  function update(json) {
    var reply = JSON.parse(json);
    if (reply.structure) {
      apply.structure(reply.structure); // first: the rest writes into it
      focusField();
    }
    Object.keys(reply).forEach(function (key) { if (key !== "structure") apply[key](reply[key]); });
  }

  // A feature in a script of its own applies its reply key, and handles its buttons' clicks.
  function onReply(key, applier) {
    apply[key] = applier;
  }

  function onClick(id, handler) {
    clicks[id] = handler;
  }

  // A reply key applied from another script, as if Python had sent it.
  function show(key, value) {
    apply[key](value);
  }

  // The field's message ("msg-" and the field's id), made when first needed: the page is
  // smaller without an empty one for every field.
  function messageOf(field) {
    var id = field.getAttribute("aria-describedby");
    if (id) return byId(id);
    var text = document.createElement("p");
    text.id = "msg-" + field.id;
    field.after(text);
    field.setAttribute("aria-describedby", text.id);
    return text;
  }

  function fieldError(name, message) {
    var field = document.querySelector('[data-field="' + name + '"], [data-design="' + name + '"]');
    if (!field) return; // a weight's, while the editor is not drawn: it is drawn without errors
    if (!message && field.getAttribute("aria-invalid") !== "true") return;
    var text = messageOf(field);
    if (message) {
      field.setAttribute("aria-invalid", "true");
      text.textContent = message;
    } else if (field.getAttribute("aria-invalid") === "true") {
      field.removeAttribute("aria-invalid");
      text.textContent = "";
    }
  }

  // --- what the reader does

  // A diagram line or node, or a button naming its field (data-edit): jump to the number field.
  // The editor's fields are drawn by Python when it is first opened: focus waits for them.
  function openEditor(opener) {
    fieldToFocus = opener.getAttribute("data-edit") || fieldOf(opener.id);
    byId("parameters").open = true;
    focusField();
  }

  function focusField() {
    var field = fieldToFocus && byId(fieldToFocus);
    if (!field) return;
    fieldToFocus = null;
    field.focus();
    field.select();
  }

  var clicks = {
    step: function () { send("step"); },
    train: function () { send("train"); },
    reset: function () { send("reset"); },
    "copy-link": function () { send("copyLink"); },
    "export": function () { send("export"); },
    "import": function () { byId("import-file").click(); },
    randomise: function () { send("randomise"); }
  };

  // The Network panel: each control by its data-design name.
  function sendDesign(target) {
    var name = target.getAttribute("data-design");
    if (name === "sizes") send("sizes", { text: target.value });
    else if (name === "random_seed") send("seed", { text: target.value });
    else if (name === "loss") send("loss", { key: target.value });
    else if (name === "preset") send("preset", { key: target.value });
    else send("activation", { layer: Number(name.slice(12, -1)), key: target.value }); // activations[l]
  }

  function isEdge(target) {
    return target.classList && target.classList.contains("edge");
  }

  // The diagram's lines and nodes carry no data-edit (bytes): edge-2-1-0 edits field-w-2-1-0,
  // node-0-1 field-inputs-1, node-2-1 field-b-2-1.
  function fieldOf(id) {
    var part = id.split("-");
    return part[0] === "edge" ? "field-w" + id.slice(4) : part[1] === "0" ? "field-inputs-" + part[2] : "field-b" + id.slice(4);
  }

  var listeners = {
    input: function (event) {
      var target = event.target;
      if (target.hasAttribute("data-field")) {
        send("field", { field: target.getAttribute("data-field"), text: target.value });
      } else if (target.hasAttribute("data-range")) {
        send("range", { field: target.getAttribute("data-range"), text: target.value });
      }
    },
    change: function (event) {
      var target = event.target;
      if (target.id === "field-speed") {
        send("speed", { value: target.value });
      } else if (target.id === "import-file") {
        if (target.files.length) pageSaving.importFile(target.files[0], maxFileBytes);
        target.value = "";
      } else if (target.hasAttribute("data-field")) {
        send("field", { field: target.getAttribute("data-field"), text: target.value });
      } else if (target.hasAttribute("data-design")) {
        sendDesign(target);
      }
    },
    click: function (event) {
      var target = event.target.closest("button, [data-edit]");
      if (!target) return;
      if (clicks[target.id]) clicks[target.id]();
      else if (target.hasAttribute("data-edit")) openEditor(target);
    },
    keydown: function (event) {
      var target = event.target;
      if (target.hasAttribute("data-design") && target.tagName === "INPUT" && event.key === "Enter") {
        sendDesign(target); // a text field's change event waits for the field to be left
      } else if (/^(edge|node)-/.test(target.id) && event.key === "Enter") { // Space selects (linked.js)
        event.preventDefault();
        openEditor(target);
      } else if (isEdge(target) && event.key in NUDGES) {
        event.preventDefault();
        send("nudge", { edge: target.id, amount: NUDGES[event.key] * (event.shiftKey ? 0.01 : 0.1) });
      }
    },
    focusin: pointAt,
    mouseover: pointAt,
    dragover: function (event) {
      event.preventDefault();
      document.body.classList.add("import-target");
    },
    dragleave: function () { document.body.classList.remove("import-target"); },
    drop: function (event) {
      event.preventDefault();
      document.body.classList.remove("import-target");
      var files = event.dataTransfer && event.dataTransfer.files;
      if (files && files.length) pageSaving.importFile(files[0], maxFileBytes);
    },
    toggle: function (event) {
      if (event.target.id === "parameters") report(shown ? shown.parts : [], false);
    }
  };

  // Focus on or pointer over a line: its weight in words under the diagram.
  function pointAt(event) {
    if (isEdge(event.target)) send("edge", { edge: event.target.id });
  }

  function report(parts, revealed) {
    var editorOpen = byId("parameters").open;
    if (!shown || parts.join() !== shown.parts.join() || editorOpen !== shown.editorOpen) {
      shown = { parts: parts, editorOpen: editorOpen };
      send("visible", { parts: parts, editorOpen: editorOpen });
    }
    if (revealed) send("reveal");
  }

  // Python is ready in `pythonWorker`: open the network, then listen.
  function start(pythonWorker, limits, onUpdate) {
    worker = pythonWorker;
    maxFileBytes = limits.maxFileBytes;
    var started = false;
    worker.addEventListener("message", function (event) {
      if (event.data.kind === "training") {
        update(event.data.update);
        if (!drawnPending) { // the worker sends the next training frame once this one is drawn
          drawnPending = true;
          requestAnimationFrame(function () { drawnPending = false; send("drawn"); });
        }
        return;
      }
      var answer = typeof event.data === "string";
      if (!answer && event.data.kind !== "rest") return;
      later = false;
      if (answer) unanswered--;
      try {
        update(answer ? event.data : event.data.update);
      } finally { // a reply that failed to apply must not leave settled() waiting for ever
        if (unanswered === 0 && !later) whenSettled.splice(0).forEach(function (resolve) { resolve(); });
      }
      if (!started) {
        started = true;
        pageDom.enable(document);
        onUpdate();
      }
    });
    send("start", { fragment: location.hash, stored: pageSaving.stored(), starting: pageSaving.starting() });
    Object.keys(listeners).forEach(function (name) {
      document.addEventListener(name, listeners[name], name === "toggle");
    });
    addEventListener("hashchange", function () { send("hash", { fragment: location.hash }); });
    pageDom.watch(PARTS, report);
  }

  globalThis.pageEvents = { start: start, settled: settled, send: send, onReply: onReply, onClick: onClick,
                          show: show };
})();
