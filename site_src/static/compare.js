/* Compare and Lessons (pyodide_app/features/compare.py and lesson.py decide what they do): the
 * controls become messages; Python's `compare` reply shows the second network (its controls,
 * diagram, plot, the table and the chart of both networks' losses), its `lesson` reply the
 * lesson's two sentences. The second plot paints the points of the first (plot.js) over the
 * second network's output, as Python computed it. Nothing here evaluates a network.
 */
(function () {
  "use strict";

  var send = pageEvents.send;
  var byId = pageDom.byId;
  var HALF = 6; // the plane is [−HALF, HALF]², as plot.js has it
  var POINTS = [[224, 122, 20], [31, 102, 196], [0, 140, 90], [170, 60, 160], [200, 40, 40], [0, 150, 190],
                [130, 100, 0], [90, 90, 90]]; // plot.js's class colours
  var BEHIND = [[250, 210, 160], [165, 200, 245]]; // and the output's, from class 0 to class 1
  var heat = null;
  var layersShown = ""; // the activation selects drawn: their layers' titles and choices

  pageEvents.onClick("compare-toggle", function () { send("compare"); });
  pageEvents.onClick("equal-size", function () { send("equalSize"); });
  pageEvents.onClick("swap", function () { send("swap"); });

  function sendField(target) {
    if (target.id === "second-sizes") send("secondSizes", { text: target.value });
    else if (target.id === "target-loss") send("targetLoss", { text: target.value });
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.id === "lesson") send("lesson", { key: target.value });
    else if (target.hasAttribute("data-second-layer")) {
      send("secondActivation", { layer: Number(target.getAttribute("data-second-layer")), key: target.value });
    } else sendField(target);
  });
  pageEvents.onKey(["Enter"], function (event) { sendField(event.target); });

  // The second network's activation selects, one a layer after the input, labelled as the first's.
  function drawLayers(layers) {
    var box = byId("second-activations");
    box.textContent = "";
    layers.forEach(function (layer, l) {
      var field = document.createElement("div");
      field.className = "field";
      var label = document.createElement("label");
      var select = document.createElement("select");
      select.id = "second-activation-" + l;
      select.setAttribute("data-second-layer", String(l));
      label.htmlFor = select.id;
      label.textContent = "Activation, " + layer.title;
      layer.choices.forEach(function (choice) {
        var option = document.createElement("option");
        option.value = choice[0];
        option.textContent = choice[1];
        select.appendChild(option);
      });
      field.append(label, select);
      box.appendChild(field);
    });
  }

  function showDesign(design) {
    var field = byId("second-sizes");
    if (field !== document.activeElement) field.value = design.sizes;
    byId("second-name").textContent = design.sizes;
    var drawn = JSON.stringify(design.layers.map(function (layer) { return [layer.title, layer.choices]; }));
    if (drawn !== layersShown) drawLayers(design.layers);
    layersShown = drawn;
    design.layers.forEach(function (layer, l) { byId("second-activation-" + l).value = layer.key; });
  }

  var MESSAGES = { compare: "msg-compare", sizes: "msg-second-sizes", activations: "msg-second-activations",
                   equal: "msg-second-equal", swap: "msg-second-swap", target: "msg-second-target" };
  var FIELDS = { sizes: "second-sizes", target: "target-loss" };
  function showErrors(errors) {
    Object.keys(errors).forEach(function (control) {
      byId(MESSAGES[control]).textContent = errors[control];
      var field = FIELDS[control] && byId(FIELDS[control]);
      if (field && errors[control]) field.setAttribute("aria-invalid", "true");
      else if (field) field.removeAttribute("aria-invalid");
    });
  }

  function paintHeat() {
    if (!heat) return;
    var canvas = byId("second-heat");
    var bytes = unpacking().base64(heat.bytes); // unpack.js
    var n = heat.n;
    if (canvas.width !== n) { canvas.width = n; canvas.height = n; }
    var context = canvas.getContext("2d");
    var image = context.createImageData(n, n);
    var discrete = byId("discretize") && byId("discretize").checked;
    for (var k = 0; k < n * n; k++) {
      var b = bytes[k], colour;
      if (heat.classes) colour = POINTS[b] ? POINTS[b].map(function (x) { return Math.round(x + (255 - x) * 0.6); }) : BEHIND[0];
      else {
        var t = discrete ? (b >= 128 ? 1 : 0) : b / 255;
        colour = BEHIND[0].map(function (low, c) { return Math.round(low + (BEHIND[1][c] - low) * t); });
      }
      image.data.set([colour[0], colour[1], colour[2], 255], 4 * k);
    }
    context.putImageData(image, 0, 0);
  }

  function paintPoints() {
    var p = pagePlot.state.points; // plot.js keeps the data's points
    var canvas = byId("second-points");
    if (!p || byId("second-plot").hidden) return;
    var size = canvas.clientWidth || 400, scale = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(size * scale)) { canvas.width = Math.round(size * scale); canvas.height = canvas.width; }
    var context = canvas.getContext("2d");
    context.setTransform(scale, 0, 0, scale, 0, 0);
    context.clearRect(0, 0, size, size);
    var radius = Math.max(2.5, size / 110), showTest = !byId("show-test") || byId("show-test").checked;
    var range = heat || { low: -1, high: 1 };
    for (var k = 0; k < p.x.length; k++) {
      if (p.test[k] && !showTest) continue;
      var x = (p.x[k] + HALF) / (2 * HALF) * size, y = (HALF - p.y[k]) / (2 * HALF) * size;
      var t = Math.min(1, Math.max(0, (p.label[k] - range.low) / (range.high - range.low)));
      var colour = "rgb(" + (p.classes ? POINTS[p.label[k]]
        : POINTS[0].map(function (low, c) { return Math.round(low + (POINTS[1][c] - low) * t); })) + ")";
      context.beginPath();
      if (p.classes && p.label[k] % 2) context.rect(x - radius, y - radius, 2 * radius, 2 * radius);
      else context.arc(x, y, radius, 0, 2 * Math.PI);
      context.lineWidth = p.test[k] ? 1.5 : 0.8;
      if (p.test[k]) { context.strokeStyle = colour; context.stroke(); continue; }
      context.fillStyle = colour;
      context.fill();
      context.strokeStyle = "rgba(255,255,255,.8)";
      context.stroke();
    }
  }

  function turn(on) {
    byId("compare-toggle").setAttribute("aria-pressed", String(on));
    ["second-network", "second-plot", "compare-results"].forEach(function (id) { byId(id).hidden = !on; });
    document.querySelector(".plots").classList.toggle("comparing", on);
  }

  pageEvents.onReply("compare", function (reply) {
    if (reply.on !== undefined) turn(reply.on);
    if (reply.errors) showErrors(reply.errors);
    if (!reply.on) return;
    if (reply.design) showDesign(reply.design);
    if (reply.target !== undefined && byId("target-loss") !== document.activeElement) byId("target-loss").value = reply.target;
    if (reply.table) byId("compare-rows").innerHTML = reply.table;
    if (reply.chart) {
      byId("compare-chart").innerHTML = reply.chart.svg;
      byId("compare-chart-summary").textContent = reply.chart.caption;
    }
    if (reply.diagram) {
      byId("second-diagram").innerHTML = reply.diagram.svg;
      byId("second-diagram").setAttribute("aria-label", reply.diagram.label);
    }
    if (reply.heat) { heat = reply.heat; paintHeat(); paintPoints(); }
    else if (reply.on !== undefined && reply.design) paintPoints();
  });

  pageEvents.onReply("lesson", function (lesson) {
    var text = byId("lesson-instruction");
    text.textContent = lesson.instruction;
    text.hidden = !lesson.instruction;
    byId("lesson").value = lesson.key;
    byId("msg-compare").textContent = lesson.error || "";
  });

  // The points follow the first plot's: painted again when it has new ones.
  var plotApplier = pageEvents.onReply("plot", function (reply) {
    plotApplier(reply);
    if (reply.points) paintPoints();
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "show-test" || event.target.id === "discretize") { paintHeat(); paintPoints(); }
  });
  addEventListener("resize", paintPoints);
})();
