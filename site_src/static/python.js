/* Python (Pyodide) for the page's worker (worker.js), on every path and in every engine:
 *   http(s)  it loads pyodide/pyodide.js, pyodide/pyodide.asm.js (a classic-script copy of
 *            pyodide.asm.mjs, made at build time) and snapshot.js; Pyodide fetches the wasm
 *            and the standard library itself, the snapshot downloads beside them.
 *   file:    the page hands it Blob URLs of pyodide.js and pyodide.asm.js that the page made
 *            (WebKit imports only those), and the gzip + base64 payloads of everything else,
 *            which it decodes (unpack.js) and gives Pyodide when Pyodide asks for them.
 * pythonStarter(importScripts, appModule).start(init) resolves to {pyodide, started, reason}
 * with the app's files installed, or rejects, saying which file is missing or damaged.
 * A function, so that on file:// the page can put its source into the worker's Blob.
 */
function pythonStarter(importScript, APP_MODULE) {
  "use strict";

  var APP_DIR = "/home/pyodide"; // Pyodide's home and working directory
  var FETCHED_BY_PYODIDE = ["pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"];
  var SNAPSHOT = "snapshot.gz"; // in pyodide/: Python with the app imported (generator/snapshot.py)
  var unpack = unpacking(); // unpack.js
  var TEXT = {
    unpack: "Unpacking Python…",
    download: "Downloading Python…",
    start: "Starting Python…"
  };

  var NEVER = new Promise(function () {});
  var rejectFailure;
  // Rejected by the first failure seen outside loadPyodide's promise: Pyodide reports some
  // missing or damaged files only with console.warn, then waits forever.
  var failure = new Promise(function (resolve, reject) { rejectFailure = reject; });
  failure.catch(function () {});

  function fail(error) {
    rejectFailure(error instanceof Error ? error : new Error(String(error)));
  }

  function status(text, stage) {
    self.postMessage({ kind: "status", text: text, stage: stage });
  }

  function load(urls, shown) {
    try {
      importScript.apply(self, urls);
    } catch (error) {
      throw new Error("the file " + shown + " is missing or could not be read (" + error.message + ")");
    }
  }

  // The page's scripts, given as Blobs and as Blob URLs the page made. Chromium imports
  // only Blob URLs the worker made itself; WebKit only those the page made.
  function loadGiven(scripts, shown) {
    var own = scripts.blobs.map(function (blob) { return URL.createObjectURL(blob); });
    try {
      importScript.apply(self, own);
    } catch (error) {
      load(scripts.urls, shown);
    }
    own.forEach(function (url) { URL.revokeObjectURL(url); });
  }

  // While Pyodide loads, its own files are fetched through `answer(name)`: a Response
  // promise, or null for the real fetch(). A failure is reported once, through `failure`.
  function wrapFetch(indexURL, answer) {
    var original = self.fetch;
    var names = {};
    FETCHED_BY_PYODIDE.forEach(function (name) { names[new URL(name, indexURL).href] = name; });
    self.fetch = function (input) {
      var url = typeof input === "string" || input instanceof URL ? String(input) : input && input.url;
      var name = names[url];
      if (!name) return original.apply(this, arguments);
      var answered = answer(name);
      return (answered || original.apply(this, arguments)).then(function (response) {
        if (response.ok) return response;
        fail(new Error("the file pyodide/" + name + " could not be loaded (HTTP " + response.status + ")"));
        return NEVER;
      }, function (error) {
        fail(answered ? error : new Error("the file pyodide/" + name + " could not be loaded (" + error.message + ")"));
        return NEVER;
      });
    };
    return function () { self.fetch = original; };
  }

  function startFromPayloads(init) {
    if (typeof DecompressionStream !== "function") {
      throw new Error("this browser cannot unpack Python from disk (it has no DecompressionStream); " +
                      "a current Chrome, Edge, Firefox or Safari can, or serve the folder over http");
    }
    status(TEXT.unpack, 0);
    var payloads = init.payloads;
    loadGiven(init.scripts, "pyodide/offline");
    // Bytes, kept until Python is up: a start from the snapshot that fails starts again.
    var types = { "pyodide.asm.wasm": "application/wasm", "python_stdlib.zip": "application/zip",
                  "pyodide-lock.json": "application/json" };
    var bytes = {
      "pyodide.asm.wasm": unpack.payload(payloads["pyodide.asm.wasm"], "pyodide.asm.wasm"),
      "python_stdlib.zip": unpack.payload(payloads["python_stdlib.zip"], "python_stdlib.zip"),
      "pyodide-lock.json": Promise.resolve(new TextEncoder().encode(JSON.stringify(payloads.lock)))
    };
    Object.keys(bytes).forEach(function (name) { bytes[name].catch(fail); });
    var snapshot = payloads.snapshot ? Promise.resolve(unpack.base64(payloads.snapshot)) : null;
    var unwrap = wrapFetch(init.indexURL, function (name) {
      return bytes[name] && bytes[name].then(function (data) {
        return new Response(data, { headers: { "Content-Type": types[name] } });
      });
    });
    return startPython(init, snapshot).finally(unwrap);
  }

  function startOverHttp(init) {
    status(TEXT.download, 0);
    load([init.indexURL + "pyodide.js", init.indexURL + "pyodide.asm.js", init.indexURL + "../snapshot.js"],
         "pyodide/pyodide.js");
    // Fetched beside Pyodide's own files; without it (or if it does not fit) Python starts
    // the ordinary way.
    var snapshot = fetch(init.indexURL + SNAPSHOT).then(function (response) {
      return response.ok ? response.arrayBuffer() : null;
    }, function () { return null; });
    var unwrap = wrapFetch(init.indexURL, function () { return null; });
    return startPython(init, snapshot).finally(unwrap);
  }

  // From the snapshot if there is one that fits, else the ordinary way; either way with the
  // app's files installed. Resolves to {pyodide, started, reason}. `snapshot`: a promise of
  // its bytes (null: none), still downloading while Pyodide fetches and compiles its wasm.
  function startPython(init, snapshot) {
    var factory = self._createPyodideModule;
    return snapshotStarter().start({
      load: function (extra) {
        var pyodide = loadPyodide(Object.assign({
          indexURL: init.indexURL,
          createPyodideModule: factory,
          env: { HOME: APP_DIR },
          fsInit: function () { status(TEXT.start, 1); }
        }, extra));
        return Promise.all([pyodide, init.unpacked]).then(function (both) {
          init.libraries = both[1];
          return both[0];
        });
      },
      install: function (pyodide) {
        installLibraries(pyodide, init.libraries);
        install(pyodide, init.appFiles);
      },
      createPyodideModule: factory,
      snapshot: snapshot,
      digest: init.appFiles.digest
    });
  }

  // Jinja2 and MarkupSafe (pyodide/jinja.js): the JSON of {path: text}, gzip + base64.
  function unpackLibraries(packed) {
    if (!packed || typeof packed.gzip !== "string") return Promise.resolve(null);
    return unpack.payload(packed.gzip, "pyodide/jinja.js").then(function (bytes) {
      return JSON.parse(new TextDecoder().decode(bytes));
    }, function () { return null; });
  }

  // app-files.js: the app's files packed, and the Python that unpacks and installs them into
  // APP_DIR (generator/app_files.py, INSTALLER), run before the app exists.
  function install(pyodide, packed) {
    var installer = null;
    try {
      if (!packed || typeof packed.bz2 !== "string" || typeof packed.install !== "string") throw new Error("none");
      installer = pyodide.runPython(packed.install);
      installer(packed.bz2, APP_DIR, APP_MODULE.replace(/\./g, "/") + ".py");
    } catch (error) {
      throw new Error("the file app-files.js (the page's Python code) is missing, incomplete or damaged");
    } finally {
      if (installer) installer.destroy();
    }
  }

  // Jinja2 and MarkupSafe (pyodide/jinja.js), beside the app: already imported in the
  // snapshot; a start without one imports them when first needed. Without them the page
  // lives on and says so at that moment.
  function installLibraries(pyodide, files) {
    if (!files || typeof files !== "object") return;
    Object.keys(files).forEach(function (path) {
      if (path.split("/").indexOf("..") >= 0 || path.charAt(0) === "/") {
        throw new Error("pyodide/jinja.js names an unsafe path: " + path);
      }
      var full = APP_DIR + "/" + path;
      pyodide.FS.mkdirTree(full.slice(0, full.lastIndexOf("/")));
      pyodide.FS.writeFile(full, files[path]);
    });
  }

  function start(init) {
    // Jinja unpacks while Pyodide downloads; startPython installs it and the app once both are done.
    init.unpacked = unpackLibraries(init.libraries);
    var python = Promise.resolve(init).then(init.path === "file" ? startFromPayloads : startOverHttp);
    return Promise.race([python, failure]);
  }

  return { start: start };
}
