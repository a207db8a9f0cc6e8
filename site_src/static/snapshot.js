/* Python for the worker from the build's memory snapshot (generator/snapshot.py), or the
 * ordinary way if that fails in any way. snapshotStarter().start({load, install,
 * createPyodideModule, snapshot, digest}) -> {pyodide, started: "snapshot" | "plain", reason};
 * snapshot: its bytes, or a promise of them (null: there is none).
 * see tests/test_snapshot.py.
 * load(extra): the caller's loadPyodide(options + extra), called again after a failed restore
 * (a failed wasm instantiation, which Pyodide leaves hanging, is watched here and ends it);
 * install(pyodide) writes the app's files, whose digest (app-files.js) is `digest`.
 * A function, so that on file:// the page can put its source into the worker's Blob.
 */
function snapshotStarter() {
  "use strict";

  // The file's layout (generator/snapshot.py): MAGIC, the metadata's length (4 bytes,
  // little-endian), the JSON metadata, zeros up to a multiple of ALIGN, Pyodide's snapshot.
  var MAGIC = "PYSNAP01";
  var LENGTH_AT = MAGIC.length;
  var METADATA_AT = LENGTH_AT + 4;
  var ALIGN = 16;
  var GZIP = [0x1f, 0x8b]; // gzip's first bytes

  // gzip unless a server undid it.
  function unpacked(bytes) {
    var view = new Uint8Array(bytes || 0);
    return view[0] === GZIP[0] && view[1] === GZIP[1] ? unpacking().gzip(view) : view;
  }

  function checked(data, digest) {
    if (String.fromCharCode.apply(null, data.subarray(0, LENGTH_AT)) !== MAGIC) throw new Error("not our snapshot");
    var end = METADATA_AT + new DataView(data.buffer, data.byteOffset + LENGTH_AT, 4).getUint32(0, true);
    var metadata = JSON.parse(new TextDecoder().decode(data.subarray(METADATA_AT, end)));
    var body = data.subarray(Math.ceil(end / ALIGN) * ALIGN);
    if (metadata.format !== 1 || metadata.portable !== true) throw new Error("snapshot tied to an engine");
    if (metadata.sources !== digest) throw new Error("snapshot of other sources (stale)");
    if (body.length !== metadata.size) throw new Error("snapshot truncated");
    return { metadata: metadata, body: body };
  }

  // CPython's call trampoline: an index in this engine's function table, or 0 (slower; in
  // the snapshot, see make_snapshot.mjs). The restore overwrites the index Pyodide chose:
  // preRun reads it, and it is written back.
  function trampolineSlot(module) {
    return (module.__PyRuntime + module.HEAP32[module.__PyEM_EMSCRIPTEN_TRAMPOLINE_OFFSET / 4]) / 4;
  }

  // Pyodide catches a failed wasm compilation (a damaged file, a refused snapshot, or a policy
  // without 'wasm-unsafe-eval'), logs a warning and never settles: watch it, so the wait ends.
  function watchingWasm(attempt) {
    var originals = {};
    var failed = new Promise(function (resolve, reject) {
      ["instantiateStreaming", "instantiate"].forEach(function (name) {
        var original = originals[name] = WebAssembly[name];
        if (typeof original !== "function") return;
        WebAssembly[name] = function () {
          var result = original.apply(WebAssembly, arguments);
          result.catch(function (error) {
            reject(new Error("the file pyodide.asm.wasm (Python itself) is damaged or refused (" + error.message + ")"));
          });
          return result;
        };
      });
    });
    function unwatch() { Object.assign(WebAssembly, originals); }
    var result = Promise.race([attempt(), failed]);
    result.then(unwatch, unwatch);
    return result;
  }

  // Pyodide starts at once and awaits the snapshot only to instantiate the wasm: the
  // downloads overlap, and a refused snapshot fails loadPyodide before anything runs.
  function restore(options) {
    var snapshot, seen = {};
    var body = Promise.resolve(options.snapshot).then(function (bytes) {
      if (!bytes) throw new Error("no snapshot"); // not served: the ordinary way
      return unpacked(bytes);
    }).then(function (data) {
      snapshot = checked(data, options.digest);
      return snapshot.body;
    });
    body.catch(function () {}); // reported by loadPyodide, which awaits it
    var extra = { _loadSnapshot: body };
    if (options.createPyodideModule) {
      extra.createPyodideModule = function (settings) {
        settings.preRun.push(function (module) { seen.trampoline = module.HEAP32[trampolineSlot(module)]; });
        return options.createPyodideModule(settings);
      };
    }
    return options.load(extra).then(function (pyodide) {
      if (seen.trampoline) pyodide._module.HEAP32[trampolineSlot(pyodide._module)] = seen.trampoline;
      // The files are not in the snapshot; the random state is, and would be everyone's.
      options.install(pyodide);
      var missing = pyodide.runPython("import random, sys\nrandom.seed()\n' '.join(m for m in " +
                                      JSON.stringify(snapshot.metadata.modules) + " if m not in sys.modules)");
      if (missing) throw new Error("not in the snapshot: " + missing);
      return pyodide;
    });
  }

  // options.load(extra) starts Pyodide with `extra` among its options; a failed wasm ends it.
  function start(options) {
    var load = options.load;
    options.load = function (extra) { return watchingWasm(function () { return load(extra); }); };
    var attempt = options.snapshot ? restore(options) : Promise.reject(new Error("no snapshot"));
    return attempt.then(function (pyodide) {
      return { pyodide: pyodide, started: "snapshot", reason: null };
    }, function (error) {
      return Promise.resolve(options.load({})).then(function (pyodide) {
        options.install(pyodide);
        return { pyodide: pyodide, started: "plain", reason: String(error && error.message || error) };
      });
    });
  }

  return { FILE: "snapshot.gz", start: start };
}
