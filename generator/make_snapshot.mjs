// Makes Pyodide's memory snapshot for the page: run by generator/snapshot.py as
//   node generator/make_snapshot.mjs < request.json
// request: {"pyodide": dir of the npm package, "out": file to write Pyodide's snapshot to,
//           "home": dir, "env": {...}, "files": {path relative to home: text},
//           "modules": [names to import], "prepare": Python run after the imports}
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const request = JSON.parse(readFileSync(0, "utf8"));
// Emscripten takes argv[0] (and the `_` variable) from process.argv[1], the path of this
// script on the build machine, and both end up in the snapshot. Without it they read
// "./this.program", as in a browser.
process.argv.splice(1);

// One snapshot for every browser engine. Pyodide writes two engine-dependent things into
// the wasm memory: whether JSPI (WebAssembly.Suspending) exists, as the C function behind
// run_sync, and CPython's call trampoline, as an index into this engine's function table.
// A snapshot holding either fails in an engine that differs (in WebKit: "call_indirect to a
// signature that does not match"; in Firefox: "index out of bounds"). So the snapshot is
// made as in an engine without JSPI (newer Node versions have it) and with the trampoline
// slot at 0, CPython's portable fallback; the page points it at its own trampoline again.
delete WebAssembly.Suspending;
delete WebAssembly.promising;

const { loadPyodide } = await import(pathToFileURL(`${request.pyodide}/pyodide.mjs`).href);
const pyodide = await loadPyodide({
  indexURL: `${request.pyodide}/`,
  _makeSnapshot: true,
  env: request.env, // explicit, so none of the build machine's variables are baked in
});

for (const [path, text] of Object.entries(request.files)) {
  const full = `${request.home}/${path}`;
  pyodide.FS.mkdirTree(full.slice(0, full.lastIndexOf("/")));
  pyodide.FS.writeFile(full, text);
}
// The same sys.path the page sets up: home first. Importing here is what the snapshot
// saves the page; the files themselves are not in it (the file system lives in JS).
pyodide.runPython(
  "import importlib, sys\n" +
  `sys.path.insert(0, ${JSON.stringify(request.home)})\n` +
  "importlib.invalidate_caches()\n" +
  request.modules.map((name) => `import ${name}\n`).join(""));
pyodide.runPython(request.prepare);

const module = pyodide._module;
const trampolineSlot = (module.__PyRuntime + module.HEAP32[module.__PyEM_EMSCRIPTEN_TRAMPOLINE_OFFSET / 4]) / 4;
module.HEAP32[trampolineSlot] = 0;

writeFileSync(request.out, pyodide.makeMemorySnapshot());
