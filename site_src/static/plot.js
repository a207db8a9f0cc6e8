/* The plot of the data: the points on the plane [−6, 6]² and, behind them, the network's
 * output as Python computed it over a grid (one byte a cell, `plot.heat`), painted with
 * putImageData. Nothing here evaluates the network. A click or tap on a point makes it the
 * shown sample; ← and → on the plot step through the batch.
 */
(function () {
  "use strict";

  var byId = pageDom.byId;
  var HALF = 6; // the plane is [−HALF, HALF]²
  var COLOURS = [[224, 122, 20], [31, 102, 196], [0, 140, 90], [170, 60, 160], [200, 40, 40], [0, 150, 190],
                 [130, 100, 0], [90, 90, 90]]; // class 0 orange, class 1 blue, …: points
  var LIGHT = COLOURS.map(function (c) { return c.map(function (x) { return Math.round(x + (255 - x) * 0.6); }); });
  LIGHT[0] = [250, 210, 160]; LIGHT[1] = [165, 200, 245]; // and the output behind them
  var plot = { points: null, heat: null, shown: 0, batch: [], outputs: null, predicted: null,
              heatPaints: 0, paintMs: 0, paints: 0, worstPaintMs: 0, lastPaintMs: 0 }; // the last five: what painting costs

  function colourAt(byte, discrete, classes) {
    if (classes) return LIGHT[byte] || LIGHT[0]; // more than two classes: the class a cell is given
    var t = discrete ? (byte >= 128 ? 1 : 0) : byte / 255;
    return LIGHT[0].map(function (low, k) { return Math.round(low + (LIGHT[1][k] - low) * t); });
  }

  // The 256 colours a cell's byte can give, as the canvas's 32-bit pixels (RGBA in memory
  // order): made once per Discretize setting (and once for classes, where a byte is a class),
  // so painting a cell is one array read and write.
  var palettes = {};
  function palette(discrete, classes) {
    var key = classes ? "classes" : String(discrete);
    if (palettes[key]) return palettes[key];
    var bytes = new Uint8ClampedArray(256 * 4);
    for (var b = 0; b < 256; b++) bytes.set(colourAt(b, discrete, classes).concat(255), 4 * b);
    return (palettes[key] = new Uint32Array(bytes.buffer));
  }

  var image = null; // the ImageData painted last, used again while the grid keeps its size
  function paintHeat() {
    var heat = plot.heat;
    var canvas = byId("plot-heat");
    if (!heat) return;
    var bytes = unpacking().base64(heat.bytes); // unpack.js
    var n = heat.n;
    if (canvas.width !== n) { canvas.width = n; canvas.height = n; }
    var context = canvas.getContext("2d");
    if (!image || image.width !== n) image = context.createImageData(n, n);
    var pixels = new Uint32Array(image.data.buffer);
    var colours = palette(byId("discretize").checked, heat.classes);
    for (var k = 0; k < n * n; k++) pixels[k] = colours[bytes[k]];
    context.putImageData(image, 0, 0);
    plot.heatPaints++;
  }

  // A point's colour: its class's, or for a regression its value's between the two.
  function pointColour(k) {
    var p = plot.points;
    var range = plot.heat || { low: -1, high: 1 };
    if (p.classes) return "rgb(" + COLOURS[p.label[k]] + ")";
    var t = Math.min(1, Math.max(0, (p.label[k] - range.low) / (range.high - range.low)));
    return "rgb(" + COLOURS[0].map(function (low, c) { return Math.round(low + (COLOURS[1][c] - low) * t); }) + ")";
  }

  function place(k, size) {
    return [(plot.points.x[k] + HALF) / (2 * HALF) * size, (HALF - plot.points.y[k]) / (2 * HALF) * size];
  }

  function paintPoints() {
    var canvas = byId("plot-points");
    var p = plot.points;
    if (!p) return;
    var size = canvas.clientWidth || 400;
    var scale = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(size * scale)) { canvas.width = Math.round(size * scale); canvas.height = canvas.width; }
    var context = canvas.getContext("2d");
    context.setTransform(scale, 0, 0, scale, 0, 0);
    context.clearRect(0, 0, size, size);
    var showTest = byId("show-test").checked;
    var radius = Math.max(2.5, size / 110);
    context.lineWidth = 1.5;
    for (var k = 0; k < p.x.length; k++) {
      if (p.test[k] && !showTest) continue;
      var at = place(k, size);
      context.beginPath();
      if (p.classes && p.label[k] % 2) context.rect(at[0] - radius, at[1] - radius, 2 * radius, 2 * radius);
      else context.arc(at[0], at[1], radius, 0, 2 * Math.PI);
      var colour = pointColour(k);
      if (p.test[k]) {
        context.strokeStyle = colour;
        context.stroke();
      } else {
        context.fillStyle = colour;
        context.fill();
        context.strokeStyle = "rgba(255,255,255,.8)";
        context.lineWidth = 0.8;
        context.stroke();
        context.lineWidth = 1.5;
      }
    }
    var shown = place(plot.shown, size); // the shown sample: a ring round it
    context.beginPath();
    context.arc(shown[0], shown[1], radius * 2.6, 0, 2 * Math.PI);
    context.strokeStyle = "#111";
    context.lineWidth = 2.5;
    context.stroke();
  }

  function paint() {
    paintHeat();
    paintPoints();
  }

  // The point nearest a click or tap, if it is close enough to mean it.
  function pointAt(event) {
    var canvas = byId("plot-points");
    var box = canvas.getBoundingClientRect();
    var x = event.clientX - box.left, y = event.clientY - box.top;
    var p = plot.points, best = -1, nearest = Infinity, showTest = byId("show-test").checked;
    for (var k = 0; p && k < p.x.length; k++) {
      if (p.test[k] && !showTest) continue;
      var at = place(k, box.width);
      var d = (at[0] - x) * (at[0] - x) + (at[1] - y) * (at[1] - y);
      if (d < nearest) { nearest = d; best = k; }
    }
    return nearest <= 16 * 16 ? best : -1;
  }

  function tableRows() {
    var p = plot.points, rows = [];
    if (!p) return "";
    for (var k = 0; k < p.x.length; k++) {
      var output = plot.outputs ? plot.outputs[k] : "";
      var right = plot.predicted && plot.predicted.length ? (plot.predicted[k] === p.label[k] ? " (right)" : " (wrong)") : "";
      rows.push("<tr><th scope=\"row\">" + (k + 1) + "</th><td>" + (p.tx || p.x)[k] + "</td><td>" + (p.ty || p.y)[k] + "</td><td>" +
                (p.classes ? "class " + p.label[k] : p.label[k]) + "</td><td>" + output + right + "</td><td>" +
                (p.test[k] ? "test" : "training") + "</td></tr>");
    }
    return rows.join("");
  }

  function fillTable() {
    if (byId("plot-table").open) byId("plot-rows").innerHTML = tableRows();
  }

  var pointsDrawn = -1; // the shown point the points were last painted with
  pageEvents.onReply("plot", function (reply) {
    byId("data-readout").hidden = !reply.on; // the plot itself is drawn only while data is on
    byId("sample-readout").hidden = reply.on; // on data the status bar gives the sets' losses instead
    byId("loss-label").textContent = reply.on ? "Shown point's loss" : "Loss"; // and the panel, the shown point's
    if (!reply.on) {
      plot.points = plot.heat = null;
      return;
    }
    ["points", "heat", "outputs", "predicted"].forEach(function (key) { if (reply[key]) plot[key] = reply[key]; });
    if ("shown" in reply) plot.shown = reply.shown; // the drawing worker's pictures come without them
    if (reply.batch) plot.batch = reply.batch;
    if (reply.summary) byId("plot-summary").textContent = reply.summary;
    if (reply.readout) byId("data-readout").textContent = reply.readout;
    var start = performance.now();
    if (reply.heat) paintHeat();
    // The points change only with the data or the shown point: while training,
    // most replies bring a new heatmap and nothing else to paint.
    var drawn = plot.shown;
    if (reply.points || drawn !== pointsDrawn) paintPoints();
    pointsDrawn = drawn;
    var took = performance.now() - start;
    plot.paints++;
    plot.paintMs += took;
    plot.worstPaintMs = Math.max(plot.worstPaintMs, took);
    plot.lastPaintMs = took;
    if (reply.outputs || reply.points) fillTable();
  });

  document.addEventListener("click", function (event) {
    if (event.target.id !== "plot-points") return;
    var k = pointAt(event);
    if (k >= 0) pageEvents.send("shown", { text: String(k + 1) });
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "show-test" || event.target.id === "discretize") paint();
  });
  document.addEventListener("toggle", function (event) {
    if (event.target.id === "plot-table") fillTable();
  }, true);
  pageEvents.onKey(["ArrowLeft", "ArrowRight"], function (event) {
    if (event.target.id !== "plot-points") return;
    event.preventDefault();
    pageEvents.send("shownStep", { amount: event.key === "ArrowRight" ? 1 : -1 });
  });
  addEventListener("resize", paintPoints);

  // A map's range as its label writes it: a true minus, at most two decimals.
  function number(x) {
    return String(Math.round(x * 100) / 100).replace("-", "\u2212");
  }

  globalThis.pagePlot = { state: plot, palette: palette, number: number };
})();
