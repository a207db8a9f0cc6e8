/* The Web Worker that runs Python (Pyodide) for the page, so the page never waits for it:
 * messages in, answers out, training between messages. The messages it speaks are written
 * down once, in pyodide_app/protocol.py; how Python starts is in python.js.
 *
 * A classic worker, on every path and in every engine: over http(s) started from this file,
 * which imports unpack.js and python.js; from file://, where browsers refuse a worker from a
 * file, the page starts it from a Blob of the sources of unpack.js, snapshot.js, python.js and
 * this function.
 */
function pageWorker() {
  "use strict";

  var APP_MODULE = "pyodide_app.worker";
  var DRAW_MODULE = "pyodide_app.drawing"; // the drawing worker's (draw.js starts it)
  var TEXT = { app: "Starting the live network…" };

  var app = null;
  var waiting = []; // messages that arrived while Python was starting

  // Pyodide takes a worker in which importScripts() works for one it cannot run in (it
  // probes with a data: URL when pyodide.js runs), so importScripts is put away first.
  var importScript = self.importScripts;
  self.importScripts = undefined;

  function start(init) {
    pythonStarter(importScript, APP_MODULE).start(init).then(function (started) {
      if (init.role === "draw") {
        var drawing = started.pyodide.pyimport(DRAW_MODULE);
        app = drawing.Drawer();
        drawing.destroy();
        self.postMessage({ kind: "ready", started: started.started });
        return;
      }
      self.postMessage({ kind: "status", text: TEXT.app, stage: 2 });
      var module = started.pyodide.pyimport(APP_MODULE);
      if (init.catalog) module.install_catalog(init.catalog.bz2); // the page's language (its catalog.js)
      app = module.Worker();
      var limits = module.limits().toJs({ dict_converter: Object.fromEntries });
      module.destroy();
      self.postMessage({ kind: "ready", maxFileBytes: limits.maxFileBytes, started: started.started,
                         reason: started.reason });
      waiting.splice(0).forEach(handle);
      setTimeout(warm, WARM_DELAY_MS);
    }).catch(function (error) {
      var message = (error && error.message) || String(error);
      if (error && error.name === "PythonError") {
        // The last line of the traceback says what went wrong ("ValueError: …").
        var lines = message.trim().split("\n");
        message = "Python error, " + lines[lines.length - 1];
      }
      self.postMessage({ kind: "failed", message: message });
    });
  }

  // --- after start: messages in, updates out; training between messages

  var ticking = false;
  var channel = new MessageChannel(); // a task of its own, without setTimeout's clamping
  channel.port1.onmessage = tick;

  var resting = false;
  var REST_DELAY_MS = 16;

  function handle(text) {
    self.postMessage(app.handle(text) || "{}"); // every message is answered: the page counts them
    schedule();
    // The parts off screen, once the answer is on the page: a frame later. The worker sleeps
    // meanwhile, so where cores are few the page's thread has one to take the answer in, write
    // and paint it (started at once, the rest delayed large networks' answers by milliseconds).
    if (app.rest_pending && !resting) {
      resting = true;
      setTimeout(rest, REST_DELAY_MS);
    }
  }

  function rest() {
    resting = false;
    if (app.rest_pending) self.postMessage({ kind: "rest", update: app.rest() });
  }

  // What an edit runs, run in idle time once live, a short round at a time (a message that
  // comes meanwhile waits for one round at most): the first edits then are as fast as the rest.
  var WARM_DELAY_MS = 30;

  function warm() {
    if (app.warm()) setTimeout(warm, WARM_DELAY_MS);
  }

  function schedule() {
    if (ticking || !app.training) return;
    ticking = true;
    var delay = app.next_tick();
    if (delay > 0) setTimeout(tick, delay * 1000);
    else channel.port2.postMessage(null);
  }

  function tick() {
    ticking = false;
    if (!app.training) return;
    var update = app.tick();
    if (update) self.postMessage({ kind: "training", update: update }); // not an answer
    askDrawer();
    schedule();
  }

  // --- the drawing worker beside this one (draw.js): while training on data, this worker
  // sends it the weights, at most one request at a time, and hands the page what it draws,
  // while still training (a picture that comes after Pause is stale: the paused plot is finer).

  var drawer = null;
  var drawerIdle = false;

  function useDrawer(port) {
    drawer = port;
    drawerIdle = true;
    port.onmessage = function (event) {
      drawerIdle = true;
      if (app.training && event.data) self.postMessage({ kind: "drawn", update: event.data });
    };
    app.draw_elsewhere(true);
  }

  function askDrawer() {
    if (!drawer || !drawerIdle) return;
    var request = app.drawing();
    if (!request) return;
    drawerIdle = false;
    drawer.postMessage(request);
  }

  // The drawing worker's side: a request in, the plot's pictures out.
  function drawFor(port) {
    port.onmessage = function (event) { port.postMessage(app.draw(event.data)); };
  }

  self.onmessage = function (event) {
    if (typeof event.data === "string") {
      if (app) handle(event.data);
      else waiting.push(event.data);
    } else if (event.data && event.data.kind === "init") {
      start(event.data);
    } else if (event.data && event.data.kind === "drawer") {
      useDrawer(event.data.port);
    } else if (event.data && event.data.kind === "port") {
      drawFor(event.data.port);
    }
  };
}

if (typeof document === "undefined") { // the worker itself, over http
  importScripts("unpack.js", "python.js");
  pageWorker();
} else {
  globalThis.pageWorker = pageWorker; // the page, on file://: the source of a Blob worker
}
