/* Starts Python (Pyodide) in a Web Worker under the pre-rendered page, then hands over to
 * events.js. The page never runs Python itself, so it answers the reader while Python starts.
 * A classic script: the page may be opened from disk, where module scripts are refused.
 *
 *   http(s)  the worker is worker.js, and loads Pyodide's files itself.
 *   file:    browsers refuse workers from files, so the worker is started from a Blob URL of
 *            its own source (worker.js defines `pageWorker` when the page loads it). The
 *            page loads Pyodide's files as classic scripts (pyodide/offline/*.js, gzip +
 *            base64 in globalThis.pyodideOffline; JSON data blocks in the single file), unpacks
 *            pyodide.js and pyodide.asm.js into Blob URLs for the worker to import (WebKit's
 *            worker can import only those), and posts the rest for the worker to unpack.
 * If anything fails the pre-rendered page stays, body[data-state] becomes "error" and
 * #load-error says why.
 */
(function () {
  "use strict";

  var OFFLINE = location.protocol === "file:";
  var unpack = unpacking(); // unpack.js
  // A page in another language (de/index.html) shares the site's scripts and Pyodide: <html data-root="../">
  var ROOT = new URL(document.documentElement.dataset.root || "./", location.href).href;
  var INDEX_URL = new URL("pyodide/", ROOT).href;
  // Payload scripts of the file:// path, and the file each carries.
  var PAYLOADS = {
    "snapshot.js": "snapshot",
    "loader.js": "pyodide.js",
    "lock.js": "lock",
    "asm.js": "pyodide.asm.js",
    "wasm.js": "pyodide.asm.wasm",
    "stdlib.js": "python_stdlib.zip"
  };
  var TEXT = {
    live: "Live: every number updates as you change the network",
    failed: "Not live: showing the pre-computed numbers",
    explain: "The interactive part could not start: ",
    keep: " The numbers shown are the pre-computed values for the starting state.",
    noWorker: "this browser cannot run Python beside the page (it has no Web Workers); " +
              "a current Chrome, Edge, Firefox or Safari can"
  };

  var failed = false;
  var stage = 0; // status texts move forward only

  function status(text, atStage) {
    if (failed || (atStage || 0) < stage) return;
    stage = atStage || 0;
    document.getElementById("load-status").textContent = text;
  }

  function showError(error) {
    if (failed) return;
    failed = true;
    console.error(error);
    var reason = ((error && error.message) || String(error)).trim().replace(/\.$/, "") + ".";
    document.body.dataset.state = "error";
    document.getElementById("load-status").textContent = TEXT.failed;
    var notice = document.getElementById("load-error");
    notice.textContent = TEXT.explain + reason + TEXT.keep;
    notice.hidden = false;
  }

  function loadScript(src, shown) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () { resolve(); };
      script.onerror = function () {
        reject(new Error("the file " + (shown || src) + " is missing or could not be read"));
      };
      document.head.appendChild(script);
    });
  }

  // --- file:// payloads

  var payloads = globalThis.pyodideOffline || (globalThis.pyodideOffline = {});

  function payload(key) {
    if (key in payloads) return Promise.resolve(take(key));
    // The single file: the payload's JSON in pieces, joined and read by whoever needs it
    // (the worker, for the large ones: never on the page's thread).
    var blocks = document.querySelectorAll('script[data-payload="' + key + '"]');
    if (!blocks.length && document.querySelector("script[data-payload]")) {
      return Promise.reject(new Error("this file carries no " + key)); // it loads no other file
    }
    if (blocks.length) {
      var pieces = [];
      blocks.forEach(function (block) { pieces.push(block.textContent); block.remove(); });
      return Promise.resolve({ json: pieces });
    }
    var script = Object.keys(PAYLOADS).filter(function (name) { return PAYLOADS[name] === key; })[0];
    return loadScript(INDEX_URL + "offline/" + script, "pyodide/offline/" + script).then(function () {
      if (!(key in payloads)) throw new Error("the file pyodide/offline/" + script + " is damaged");
      return take(key);
    });
  }

  function take(key) {
    var value = payloads[key];
    delete payloads[key]; // the base64 text is not needed twice
    return value;
  }

  // gzip + base64 → a Blob of the script it carries (decompressed off the main thread).
  function scriptBlob(name) {
    return payload(name).then(function (value) { return unpack.payload(value, name); }).then(function (bytes) {
      return new Blob([bytes], { type: "text/javascript" });
    });
  }

  function offlineInit() {
    if (typeof DecompressionStream !== "function") {
      return Promise.reject(new Error("this browser cannot unpack Python from disk (it has no " +
        "DecompressionStream); a current Chrome, Edge, Firefox or Safari can, or serve the folder over http"));
    }
    // In the order the worker needs them: the wasm's compilation is the longest step.
    // The snapshot is optional: without it (the single file may leave it out) Python starts
    // the ordinary way.
    var files = Promise.all([payload("pyodide.asm.wasm"), payload("lock"), payload("python_stdlib.zip"),
                             payload("snapshot").then(unpack.read, function () { return null; })]);
    var blobs = Promise.all([scriptBlob("pyodide.js"), scriptBlob("pyodide.asm.js")]);
    return Promise.all([files, blobs]).then(function (both) {
      var file = both[0];
      return {
        payloads: { "pyodide.asm.wasm": file[0], lock: unpack.read(file[1]).lock, "python_stdlib.zip": file[2],
                    snapshot: file[3] },
        // Both: Chromium's worker imports only Blob URLs it made, WebKit's only the page's.
        scripts: { blobs: both[1], urls: both[1].map(function (blob) { return URL.createObjectURL(blob); }) }
      };
    });
  }

  function newWorker() {
    if (typeof Worker !== "function") throw new Error(TEXT.noWorker);
    if (!OFFLINE) return new Worker(ROOT + "worker.js");
    var sources = [globalThis.unpacking, globalThis.snapshotStarter, globalThis.pythonStarter,
                   "(" + globalThis.pageWorker + ")();"];
    var source = new Blob([sources.join("\n") + "\n"], { type: "text/javascript" });
    return new Worker(URL.createObjectURL(source));
  }

  function main() {
    var files = globalThis.appFiles;
    if (!files || typeof files !== "object") {
      throw new Error("the file app-files.js (the page's Python code) is missing or incomplete");
    }
    var worker = newWorker();
    worker.addEventListener("error", function (event) {
      event.preventDefault();
      showError(new Error("Python's worker stopped" + (event.message ? " (" + event.message + ")" : "")));
    });
    worker.addEventListener("message", function (event) {
      var message = event.data;
      if (typeof message === "string") return; // an answer: events.js applies it
      if (message.kind === "status") status(message.text, message.stage);
      else if (message.kind === "failed") showError(new Error(message.message));
      else if (message.kind === "ready") {
        performance.mark("boot:python-ready");
        document.body.dataset.python = message.started; // "snapshot" or "plain": how Python started
        pageEvents.start(worker, message, function () {
          if (failed) return;
          performance.mark("boot:live");
          document.body.dataset.state = "live";
          status(TEXT.live, 3);
        });
      }
    });
    var init = { kind: "init", path: OFFLINE ? "file" : "http", indexURL: INDEX_URL, appFiles: files,
                 libraries: globalThis.templateLibrary, // Jinja, for re-drawing the page's structure
                 catalog: globalThis.pageCatalog }; // the page's language, unless English (its catalog.js)
    var ready = OFFLINE ? offlineInit() : Promise.resolve({});
    ready.then(function (parts) {
      init.payloads = parts.payloads;
      init.scripts = parts.scripts;
      worker.postMessage(init);
    }).catch(function (error) {
      worker.terminate();
      showError(error);
    });
  }

  try {
    performance.mark("boot:start");
    main();
  } catch (error) {
    showError(error);
  }
})();
