/* Starts Python (Pyodide) under the pre-rendered page, writes the app's sources (from
 * app-files.js) into its file system and hands over to pyodide_app.browser.start().
 * A classic script: the page may be opened from disk, where module scripts are refused.
 *
 *   http(s)  pyodide/pyodide.js, then Pyodide fetches its own files (the wasm is compiled
 *            while it streams).
 *   file:    browsers refuse fetch() and module imports there, so the same files come as
 *            classic scripts (pyodide/offline/*.js from generator/pyodide_bundle.py, gzip +
 *            base64 in globalThis.pyodideOffline; all inline in the single file, pyodide.js
 *            too). pyodide.asm.mjs is imported from a Blob URL, and Pyodide's own fetch() of
 *            the wasm and the stdlib is answered from the payloads.
 * If anything fails the pre-rendered page stays, body[data-state] becomes "error" and
 * #load-error says why.
 */
(function () {
  "use strict";

  var OFFLINE = location.protocol === "file:";
  var INDEX_URL = new URL("pyodide/", location.href).href;
  // Pyodide fetches these itself; on file:// boot.js answers.
  var FETCHED_BY_PYODIDE = ["pyodide.asm.wasm", "python_stdlib.zip"];
  // Payload scripts of the file:// path, and the file each carries.
  var PAYLOADS = {
    "lock.js": "lock",
    "asm.js": "pyodide.asm.mjs",
    "wasm.js": "pyodide.asm.wasm",
    "stdlib.js": "python_stdlib.zip"
  };
  var APP_DIR = "/home/pyodide"; // Pyodide's home and working directory
  var APP_MODULE = "pyodide_app.browser";
  var TEXT = {
    download: "Downloading Python…",
    downloadSize: "Downloading Python (SIZE)…",
    unpack: "Unpacking Python…",
    unpackSize: "Unpacking Python (SIZE)…",
    start: "Starting Python…",
    app: "Starting the live network…",
    live: "Live: every number updates as you change the network",
    failed: "Not live: showing the pre-computed numbers",
    explain: "The interactive part could not start: ",
    keep: " The numbers shown are the pre-computed values for the starting state."
  };

  var failed = false;
  var NEVER = new Promise(function () {});
  var rejectFailure;
  // Rejected by the first failure seen outside loadPyodide's promise: Pyodide reports some
  // missing or damaged files only with console.warn, then waits forever.
  var failure = new Promise(function (resolve, reject) { rejectFailure = reject; });
  failure.catch(function () {});

  function fail(error) {
    rejectFailure(error instanceof Error ? error : new Error(String(error)));
  }

  function whenDom(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback, { once: true });
    } else {
      callback();
    }
  }

  // Status texts move forward only: a late size estimate never replaces "Starting Python…".
  var stage = 0;

  function megabytes(bytes) {
    return (bytes / 1e6).toFixed(1) + " MB";
  }

  function status(text, atStage) {
    if (failed || (atStage || 0) < stage) return;
    stage = atStage || 0;
    whenDom(function () {
      var element = document.getElementById("load-status");
      if (element && !failed) element.textContent = text;
    });
  }

  function showError(error) {
    if (failed) return;
    failed = true;
    console.error(error);
    var reason = (error && error.message) || String(error);
    if (error && error.name === "PythonError") {
      // The last line of the traceback says what went wrong ("ValueError: …").
      var lines = reason.trim().split("\n");
      reason = "Python error, " + lines[lines.length - 1];
    }
    reason = reason.trim().replace(/\.$/, "") + ".";
    whenDom(function () {
      document.body.dataset.state = "error";
      var element = document.getElementById("load-status");
      if (element) element.textContent = TEXT.failed;
      var notice = document.getElementById("load-error");
      if (notice) {
        notice.textContent = TEXT.explain + reason + TEXT.keep;
        notice.hidden = false;
      }
    });
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

  // Pyodide catches a failed wasm compilation, logs a warning and never settles: watch
  // WebAssembly.instantiateStreaming while it loads, so the wait ends.
  function watchWasm() {
    var original = WebAssembly.instantiateStreaming;
    if (typeof original !== "function") return function () {};
    WebAssembly.instantiateStreaming = function () {
      var result = original.apply(WebAssembly, arguments);
      result.catch(function (error) {
        fail(new Error("the file pyodide.asm.wasm (Python itself) is damaged (" + error.message + ")"));
      });
      return result;
    };
    return function () { WebAssembly.instantiateStreaming = original; };
  }

  // While Pyodide loads, its own files are fetched through `answer(name)`: a Response
  // promise, or null for the real fetch().
  function wrapFetch(answer, seen) {
    var original = globalThis.fetch;
    var urls = {};
    FETCHED_BY_PYODIDE.concat(["pyodide-lock.json"]).forEach(function (name) {
      urls[new URL(name, INDEX_URL).href] = name;
    });
    globalThis.fetch = function (input, init) {
      var url = typeof input === "string" || input instanceof URL ? String(input) : input && input.url;
      var name = urls[url];
      if (!name) return original.apply(this, arguments);
      var answered = answer(name);
      // A failure is reported once, through `failure`; Pyodide is left waiting rather than
      // handed a rejection it would notice only later (unhandled meanwhile).
      return (answered || original.apply(this, arguments)).then(function (response) {
        if (response.ok) {
          if (seen) seen(name, response);
          return response;
        }
        fail(new Error("the file pyodide/" + name + " could not be loaded (HTTP " +
                       response.status + ")"));
        return NEVER;
      }, function (error) {
        fail(answered ? error : new Error("the file pyodide/" + name + " could not be loaded (" +
                                          error.message + ")"));
        return NEVER;
      });
    };
    return function () { globalThis.fetch = original; };
  }

  // --- file:// payloads

  var payloads = globalThis.pyodideOffline || (globalThis.pyodideOffline = {});

  function payload(key) {
    if (key in payloads) return Promise.resolve(take(key));
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

  function fromBase64(text) {
    if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  // gzip + base64 -> the original bytes, streamed; gzip's CRC catches a damaged payload.
  function gunzip(text, name) {
    var source;
    try {
      source = new Blob([fromBase64(text)]).stream().pipeThrough(new DecompressionStream("gzip"));
    } catch (error) {
      return Promise.reject(new Error("the copy of " + name + " in pyodide/offline is damaged"));
    }
    var reader = source.getReader();
    return new ReadableStream({
      pull: function (controller) {
        return reader.read().then(function (chunk) {
          if (chunk.done) controller.close();
          else controller.enqueue(chunk.value);
        }, function () {
          var error = new Error("the copy of " + name + " in pyodide/offline is damaged");
          fail(error);
          controller.error(error);
        });
      },
      cancel: function (reason) { return reader.cancel(reason); }
    });
  }

  function bytesOf(key) {
    return payload(key).then(function (text) {
      return new Response(gunzip(text, key)).arrayBuffer();
    });
  }

  function startOffline() {
    if (typeof DecompressionStream !== "function") {
      return Promise.reject(new Error("this browser cannot unpack Python from disk (it has no " +
        "DecompressionStream); a current Chrome, Edge, Firefox or Safari can, or serve the folder over http"));
    }
    status(TEXT.unpack);
    var wasm = payload("pyodide.asm.wasm"); // first: its compilation is the longest step
    var lock = payload("lock");
    lock.then(function (value) {
      var total = Object.keys(value.sizes).reduce(function (sum, file) { return sum + value.sizes[file]; }, 0);
      status(TEXT.unpackSize.replace("SIZE", megabytes(total)), 0);
    }, function () {});
    var factory = bytesOf("pyodide.asm.mjs").then(function (bytes) {
      var url = URL.createObjectURL(new Blob([bytes], { type: "text/javascript" }));
      return import(url).then(function (module) {
        URL.revokeObjectURL(url);
        return module.default;
      });
    });
    var responses = {
      "pyodide.asm.wasm": wasm.then(function (text) {
        // Streams into WebAssembly.instantiateStreaming, which requires this type.
        return new Response(gunzip(text, "pyodide.asm.wasm"),
                            { headers: { "Content-Type": "application/wasm" } });
      }),
      "python_stdlib.zip": bytesOf("python_stdlib.zip").then(function (bytes) {
        return new Response(bytes, { headers: { "Content-Type": "application/zip" } });
      })
    };
    var loader = typeof loadPyodide === "function" ? Promise.resolve()
      : "pyodide.js" in payloads ? bytesOf("pyodide.js").then(function (bytes) {
          // Single file: pyodide.js is a payload too, run from a Blob URL, unchanged.
          var url = URL.createObjectURL(new Blob([bytes], { type: "text/javascript" }));
          return loadScript(url).then(function () { URL.revokeObjectURL(url); });
        })
      : loadScript(INDEX_URL + "pyodide.js", "pyodide/pyodide.js");
    [lock, factory, responses["pyodide.asm.wasm"], responses["python_stdlib.zip"], loader]
      .forEach(function (promise) { promise.catch(fail); });
    var unwrap = wrapFetch(function (name) { return responses[name] || null; });
    return loader.then(function () {
      return loadPyodide({
        indexURL: INDEX_URL,
        lockFileContents: lock.then(function (value) { return value.lock; }, function () { return NEVER; }),
        createPyodideModule: function (settings) {
          return factory.then(function (create) { return create(settings); });
        },
        fsInit: function () { performance.mark("boot:wasm-ready"); status(TEXT.start, 1); }
      });
    }).finally(unwrap);
  }

  // --- http(s)

  function startOnline() {
    status(TEXT.download);
    var sizes = {};
    // Only watches: for failures, and for the download size.
    var unwrap = wrapFetch(function () { return null; }, function (name, response) {
      sizes[name] = Number(response.headers.get("Content-Length")) || 0;
      var total = FETCHED_BY_PYODIDE.reduce(function (sum, file) { return sum + (sizes[file] || 0); }, 0);
      if (FETCHED_BY_PYODIDE.every(function (file) { return sizes[file]; })) {
        status(TEXT.downloadSize.replace("SIZE", megabytes(total)), 0);
      }
    });
    var loader = typeof loadPyodide === "function" ? Promise.resolve()
      : loadScript(INDEX_URL + "pyodide.js", "pyodide/pyodide.js");
    return loader.then(function () {
      return loadPyodide({
        indexURL: INDEX_URL,
        fsInit: function () { performance.mark("boot:wasm-ready"); status(TEXT.start, 1); }
      });
    }).finally(unwrap);
  }

  // --- the app

  function appSources() {
    var files = globalThis.appFiles;
    if (!files || typeof files !== "object" || !(APP_MODULE.replace(/\./g, "/") + ".py" in files)) {
      throw new Error("the file app-files.js (the page's Python code) is missing or incomplete");
    }
    return files;
  }

  function install(pyodide, files) {
    Object.keys(files).forEach(function (path) {
      if (path.split("/").indexOf("..") >= 0 || path.charAt(0) === "/") {
        throw new Error("app-files.js names an unsafe path: " + path);
      }
      var full = APP_DIR + "/" + path;
      pyodide.FS.mkdirTree(full.slice(0, full.lastIndexOf("/")));
      pyodide.FS.writeFile(full, files[path]);
    });
    pyodide.runPython(
      "import importlib, sys\n" +
      "if " + JSON.stringify(APP_DIR) + " not in sys.path:\n" +
      "    sys.path.insert(0, " + JSON.stringify(APP_DIR) + ")\n" +
      "importlib.invalidate_caches()\n");
  }

  function main() {
    performance.mark("boot:start");
    var restoreWasm = watchWasm();
    var python = OFFLINE ? startOffline() : startOnline();
    // Works with `defer` or `async`: by DOMContentLoaded the page is whole and app-files.js
    // (deferred) has run; Pyodide need not wait for either.
    var files = new Promise(whenDom).then(appSources);
    return Promise.race([Promise.all([python, files]), failure]).finally(restoreWasm)
      .then(function (ready) {
        var pyodide = ready[0];
        performance.mark("boot:python-ready");
        status(TEXT.app, 2);
        install(pyodide, ready[1]);
        var module = pyodide.pyimport(APP_MODULE);
        performance.mark("boot:imported");
        var started;
        try {
          started = module.start();
        } finally {
          module.destroy();
        }
        return Promise.resolve(started).then(function (result) {
          if (result && typeof result.destroy === "function") result.destroy();
          if (started && started !== result && typeof started.destroy === "function") started.destroy();
        });
      }).then(function () {
        if (failed) return;
        performance.mark("boot:live");
        document.body.dataset.state = "live";
        status(TEXT.live, 3);
      });
  }

  try {
    main().catch(showError);
  } catch (error) {
    showError(error);
  }
})();
