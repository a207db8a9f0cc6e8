/* Each neuron's map: its activation over the plane, 20 × 20 cells, as Python took it from the
 * pass that draws the plot's boundary (pyodide_app/data/maps.py; one byte a cell, `plot.maps`).
 * Painted in the neuron's circle in the diagram; pointing at, focusing or selecting a neuron
 * shows its map large in the plot, with its name. Nothing here evaluates the network.
 */
(function () {
  "use strict";

  var byId = pageDom.byId;
  var SVG = "http://www.w3.org/2000/svg";
  var CLIP = "node-map-clip";
  var maps = null; // the last maps sent, with their bytes decoded
  var pointed = null; // the neuron pointed at or focused
  var chosen = null; // the neuron selected
  var small = document.createElement("canvas"); // where a circle's map is painted, then read as an image

  // The k-th map's cells into a canvas of the map's size.
  function paintMap(canvas, k) {
    var n = maps.n, colours = pagePlot.palette(false, 0);
    if (canvas.width !== n) { canvas.width = n; canvas.height = n; }
    var context = canvas.getContext("2d");
    var image = context.createImageData(n, n);
    var pixels = new Uint32Array(image.data.buffer);
    for (var c = 0, at = k * n * n; c < n * n; c++) pixels[c] = colours[maps.bytes[at + c]];
    context.putImageData(image, 0, 0);
  }

  // Neuron ids in the maps' order (layer by layer, inputs first) → their index.
  function indexOf(id) {
    var found = /^node-(\d+)-(\d+)$/.exec(id || "");
    if (!maps || !found) return -1;
    var l = Number(found[1]), j = Number(found[2]);
    if (l >= maps.sizes.length || j >= maps.sizes[l]) return -1;
    return maps.sizes.slice(0, l).reduce(function (a, b) { return a + b; }, 0) + j;
  }

  // The circle's clip: its map fills the circle, inside its stroke.
  function clipPath(svg) {
    if (byId(CLIP)) return;
    var defs = document.createElementNS(SVG, "defs"), clip = document.createElementNS(SVG, "clipPath"),
        circle = document.createElementNS(SVG, "circle");
    clip.id = CLIP;
    circle.setAttribute("r", svg.querySelector(".node circle").getAttribute("r") - 1.5);
    clip.appendChild(circle);
    defs.appendChild(clip);
    svg.prepend(defs);
  }

  function paintCircles() {
    var svg = byId("diagram");
    document.querySelectorAll(".node-map").forEach(function (image) {
      if (maps) return;
      URL.revokeObjectURL(image.getAttribute("href"));
      image.remove();
    });
    if (!svg || !maps || !svg.querySelector(".node circle")) return;
    clipPath(svg);
    var r = Number(svg.querySelector(".node circle").getAttribute("r"));
    maps.sizes.forEach(function (size, l) {
      for (var j = 0; j < size; j++) {
        var node = byId("node-" + l + "-" + j);
        if (!node) continue;
        var image = node.querySelector(".node-map");
        if (!image) {
          image = document.createElementNS(SVG, "image");
          image.setAttribute("class", "node-map");
          ["x", "y"].forEach(function (a) { image.setAttribute(a, -r); });
          ["width", "height"].forEach(function (a) { image.setAttribute(a, 2 * r); });
          image.setAttribute("preserveAspectRatio", "none");
          image.setAttribute("clip-path", "url(#" + CLIP + ")");
          node.querySelector("circle").after(image);
        }
        paintMap(small, indexOf(node.id));
        small.toBlob(showIn(image)); // the canvas as it is now, encoded meanwhile
      }
    });
    svg.classList.add("with-maps");
  }

  // An image's new map; its last one's Blob URL is let go.
  function showIn(image) {
    return function (blob) {
      var old = image.getAttribute("href");
      if (blob) image.setAttribute("href", URL.createObjectURL(blob));
      if (old) URL.revokeObjectURL(old);
    };
  }

  // The map of the neuron pointed at, or else of the one selected, large over the plot's boundary.
  function paintLarge() {
    var canvas = byId("plot-map"), label = byId("plot-map-name");
    if (!canvas) return;
    var id = indexOf(pointed) >= 0 ? pointed : chosen;
    var k = indexOf(id);
    canvas.hidden = label.hidden = k < 0;
    if (k < 0) return;
    paintMap(canvas, k);
    var range = maps.ranges[k].map(function (x) { return pagePlot.number(x); });
    var name = byId(id).querySelector(".node-name").textContent;
    label.textContent = label.getAttribute(/^node-0-/.test(id) ? "data-feature" : "data-activation")
      .replace("%(name)s", name).replace("%(low)s", range[0]).replace("%(high)s", range[1]);
    canvas.setAttribute("data-neuron", id);
  }

  var plotReply = pageEvents.onReply("plot", function (reply) {
    plotReply(reply);
    var start = performance.now(), state = pagePlot.state;
    paintReply(reply);
    var took = performance.now() - start; // counted with the plot's paint (make bench)
    state.paintMs += took;
    state.worstPaintMs = Math.max(state.worstPaintMs, state.lastPaintMs + took);
  });

  function paintReply(reply) {
    if (reply.maps) {
      maps = reply.maps;
      maps.bytes = unpacking().base64(maps.bytes); // unpack.js
    } else if (!reply.on) {
      maps = null;
    } else if (!reply.points && document.querySelector(".node-map")) {
      return; // nothing new to paint
    }
    paintCircles();
    paintLarge();
  }
  var structureReply = pageEvents.onReply("structure", function (parts) {
    structureReply(parts);
    paintCircles(); // the diagram is drawn anew: its circles get their maps again
    paintLarge();
  });
  var selectionReply = pageEvents.onReply("selection", function (html) {
    selectionReply(html);
    if (!html) chosen = null;
    paintLarge();
  });

  function neuronOf(event) {
    var node = event.target.closest && event.target.closest(".node");
    return document.body.dataset.state === "live" && node ? node.id : null;
  }

  function point(event) {
    var id = neuronOf(event);
    if (id === pointed) return;
    pointed = id;
    paintLarge();
  }
  document.addEventListener("mouseover", point);
  document.addEventListener("focusin", point);
  document.addEventListener("click", function (event) {
    var on = event.target.closest && event.target.closest(".node, .edge");
    if (!on || document.body.dataset.state !== "live") return;
    chosen = /^node-/.test(on.id) ? on.id : null;
    paintLarge();
  });
  pageEvents.onKey([" "], function (event) {
    var id = neuronOf(event);
    if (id) { chosen = id; paintLarge(); }
  });
})();
