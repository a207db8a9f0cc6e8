/* Test worker for tests/test_snapshot.py: starts Python through snapshot.js as the page's
 * worker does over http, then answers with how it started, the trampoline in use and the
 * result of the test's program (posted with the snapshot's name). */
importScripts("../snapshot.js", "../app-files.js"); // this folder is served inside a copy of site/
// Pyodide takes a worker whose importScripts works for a classic worker, and refuses it.
var importClassicScripts = self.importScripts;
self.importScripts = function () { throw new Error("importScripts is switched off"); };
importClassicScripts.call(self, "../pyodide/pyodide.js");

var INDEX_URL = new URL("../pyodide/", location.href).href;

function createPyodideModule(settings) {
  return import(INDEX_URL + "pyodide.asm.mjs").then(function (module) { return module.default(settings); });
}

function install(pyodide) {
  Object.keys(appFiles).forEach(function (path) {
    var full = "/home/pyodide/" + path;
    pyodide.FS.mkdirTree(full.slice(0, full.lastIndexOf("/")));
    pyodide.FS.writeFile(full, appFiles[path]);
  });
  pyodide.runPython("import importlib, sys\nsys.path.insert(0, '/home/pyodide')\nimportlib.invalidate_caches()");
}

function trampoline(module) {
  return module.HEAP32[(module.__PyRuntime + module.HEAP32[module.__PyEM_EMSCRIPTEN_TRAMPOLINE_OFFSET / 4]) / 4];
}

onmessage = function (event) {
  var name = event.data.snapshot;
  pythonStart.start({
    load: function (extra) {
      return loadPyodide(Object.assign({ indexURL: INDEX_URL, createPyodideModule: createPyodideModule }, extra));
    },
    createPyodideModule: createPyodideModule,
    snapshot: name ? fetch(INDEX_URL + name).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.arrayBuffer();
    }) : null,
    install: install,
    digest: appFilesDigest
  }).then(function (result) {
    var program = "import json\nfrom pyodide_app.state import load_seed\nfrom pyodide_app.trace import trace\n" +
      "json.dumps(trace(load_seed()))";
    postMessage({ started: result.started, reason: result.reason, trampoline: trampoline(result.pyodide._module),
                  result: JSON.parse(result.pyodide.runPython(program)) });
  }).catch(function (error) {
    postMessage({ error: String(error && error.stack || error) });
  });
};
