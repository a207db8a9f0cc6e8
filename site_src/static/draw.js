/* The drawing worker: a second Python beside the page's worker (worker.js in its "draw" role,
 * restored from the same snapshot) that draws the plot while the page trains on data. The
 * page's worker sends it the networks' weights through a channel of their own and hands the
 * page each network's picture, the boundary and every neuron's map (pyodide_app/drawing.py),
 * so training never stops to draw. Started the first time the plot is on, over http(s); until
 * it is ready, and from file:// (where a worker needs Python's files handed to it again), the
 * page's worker draws the plot itself.
 */
(function () {
  "use strict";

  var started = false;
  var others = []; // who paints each other network's plot (Compare's second network: others[0])
  var drawing = { connected: false, pictures: 0 }; // what tests and make bench read

  function start() {
    if (started || location.protocol === "file:" || typeof Worker !== "function" || !globalThis.appFiles ||
        globalThis.pageOneWorker) return; // make bench measures the page without it too
    started = true;
    var drawer = new Worker("worker.js");
    drawer.addEventListener("error", function (event) { event.preventDefault(); }); // the page's worker draws on
    drawer.addEventListener("message", function (event) {
      if (event.data.kind !== "ready") return;
      var channel = new MessageChannel();
      drawer.postMessage({ kind: "port", port: channel.port2 }, [channel.port2]);
      pageEvents.hand({ kind: "drawer", port: channel.port1 }, [channel.port1]);
      drawing.connected = true;
    });
    drawer.postMessage({ kind: "init", role: "draw", path: "http", indexURL: new URL("pyodide/", location.href).href,
                         appFiles: globalThis.appFiles });
  }

  var plotReply = pageEvents.onReply("plot", function (reply) {
    plotReply(reply);
    if (reply.on) start();
  });
  // The drawing worker's pictures, as the page's worker hands them on (pyodide_app/drawing.py).
  pageEvents.onReply("drawn", function (text) {
    var reply = JSON.parse(text);
    drawing.pictures++;
    if (reply.plot) pageEvents.show("plot", reply.plot);
    (reply.otherPlots || []).forEach(function (plot, k) { if (others[k]) others[k](plot); });
  });

  // The k-th other network's plot (0: Compare's second network) is painted by `paint(picture)`.
  drawing.onPlot = function (k, paint) { others[k] = paint; };
  globalThis.pageDrawing = drawing;
})();
