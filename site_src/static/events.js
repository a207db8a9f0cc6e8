/* The page's side of the live network: what the reader does goes to Python (in the worker)
 * as a message, and what comes back is applied to the page. Nothing here computes a number.
 * The messages are written down once, in pyodide_app/protocol.py.
 *
 * Only what needs the page stays here: listeners, focus, the address bar. Local storage,
 * links and files are in saving.js; each feature's buttons, keys and replies in a script of
 * its own (the Network panel's in panel.js).
 */
(function () {
  "use strict";

  var byId = pageDom.byId;
  var KINDS = pageProtocol.kinds; // protocol.js, written by the build from pyodide_app/protocol.py
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
    if (KINDS.indexOf(kind) < 0) throw new Error(kind + " is not a message of pyodide_app/protocol.py");
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

  // --- updates from Python

  var apply = {
    structure: function (parts) { pageDom.replace(parts); }, // parts re-drawn from the templates
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
    // Elements lit (diagram nodes and lines, formula cards, table rows); the rest of the diagram
    // dims. The walk brings its step's element (`scroll`) into view (walk.js). Only the elements
    // whose light changes are touched: each one touched is styled and painted again.
    highlight: function (highlight) {
      var lit = {};
      highlight.ids.forEach(function (id) { lit[id] = true; });
      document.querySelectorAll(".lit").forEach(function (el) { if (!lit[el.id]) el.classList.remove("lit"); });
      highlight.ids.forEach(function (id) { var el = byId(id); if (el && !el.classList.contains("lit")) el.classList.add("lit"); });
      byId("diagram").classList.toggle("dimmed", highlight.ids.length > 0);
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
  // The applier it replaces is returned, for one that does more with a key this script applies.
  function onReply(key, applier) {
    var before = apply[key];
    apply[key] = applier;
    return before;
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
    "notebook": function () { send("notebook"); },
    "script": function () { send("script"); },
    "import": function () { byId("import-file").click(); }
  };

  function isEdge(target) {
    return target.classList && target.classList.contains("edge");
  }

  // The diagram's lines and nodes carry no data-edit (bytes): edge-2-1-0 edits field-w-2-1-0,
  // node-0-1 field-inputs-1, node-2-1 field-b-2-1.
  function fieldOf(id) {
    var part = id.split("-"); // kind, layer, neuron (, neuron before)
    if (part[0] === "edge") return id.replace("edge", "field-w");
    return part[1] === "0" ? "field-inputs-" + part[2] : id.replace("node", "field-b");
  }

  // The page's one keydown listener: each script names the keys it handles, and every handler
  // of the key pressed gets the event, in the order they were named.
  var keys = {};

  function onKey(names, handler) {
    names.forEach(function (name) { (keys[name] || (keys[name] = [])).push(handler); });
  }

  onKey(["Enter"], function (event) { // Space selects (linked.js)
    if (!/^(edge|node)-/.test(event.target.id)) return;
    event.preventDefault();
    openEditor(event.target);
  });

  onKey(Object.keys(NUDGES), function (event) {
    if (!isEdge(event.target)) return;
    event.preventDefault();
    send("nudge", { edge: event.target.id, amount: NUDGES[event.key] * (event.shiftKey ? 0.01 : 0.1) });
  });

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
      }
    },
    click: function (event) {
      var target = event.target.closest("button, [data-edit]");
      if (!target) return;
      if (clicks[target.id]) clicks[target.id]();
      else if (target.hasAttribute("data-edit")) openEditor(target);
    },
    keydown: function (event) {
      (keys[event.key] || []).forEach(function (handler) { handler(event); });
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
      if (event.data.kind === "drawn") return show("drawn", event.data.update); // the drawing worker's plot (draw.js)
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
        pageDom.drawOnce(document);
        onUpdate();
      }
    });
    send("start", { fragment: location.hash, stored: pageSaving.stored(), starting: pageSaving.starting() });
    Object.keys(listeners).forEach(function (name) {
      document.addEventListener(name, listeners[name], name === "toggle");
    });
    addEventListener("hashchange", function () { send("hash", { fragment: location.hash }); });
    pageDom.watch(pageProtocol.parts, report); // the sections written while training
  }

  // A message that is not Python's, with objects to transfer (draw.js hands the worker a port).
  function hand(message, transfer) {
    worker.postMessage(message, transfer);
  }

  globalThis.pageEvents = { start: start, settled: settled, send: send, onReply: onReply, onClick: onClick,
                          onKey: onKey, show: show, hand: hand };
})();
