// Runs site_src/static/snapshot.js (with unpack.js) under Node, once per scenario, the way the worker does:
//   node tests/snapshot_driver.mjs < request.json
// request: {"pyodide": dir, "scripts": [unpack.js, snapshot.js], "files": {...}, "digest": "...",
//           "modules": [...], "program": Python source whose value is a JSON string,
//           "scenarios": [{"name": ..., "snapshot": file or null, "digest": optional override}]}
// stdout: one JSON object, scenario name -> {started, reason, modulesAtStart, result} or
//         {error}.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import vm from "node:vm";

const request = JSON.parse(readFileSync(0, "utf8"));
for (const script of request.scripts) vm.runInThisContext(readFileSync(script, "utf8"), { filename: script });
const { loadPyodide } = await import(pathToFileURL(`${request.pyodide}/pyodide.mjs`).href);
const createPyodideModule = async (settings) =>
  (await import(pathToFileURL(`${request.pyodide}/pyodide.asm.mjs`).href)).default(settings);

// What the worker does with app-files.js (as boot.js does today).
function install(pyodide) {
  for (const [path, text] of Object.entries(request.files)) {
    const full = `/home/pyodide/${path}`;
    pyodide.FS.mkdirTree(full.slice(0, full.lastIndexOf("/")));
    pyodide.FS.writeFile(full, text);
  }
  pyodide.runPython("import importlib, sys\nif '/home/pyodide' not in sys.path: sys.path.insert(0, '/home/pyodide')\n" +
                    "importlib.invalidate_caches()");
}

const results = {};
for (const scenario of request.scenarios) {
  try {
    const started = await snapshotStarter().start({
      load: (extra) => loadPyodide({ indexURL: `${request.pyodide}/`, createPyodideModule, ...extra }),
      createPyodideModule,
      snapshot: scenario.snapshot ? Promise.resolve(readFileSync(scenario.snapshot)) : null,
      install,
      digest: scenario.digest ?? request.digest,
    });
    const pyodide = started.pyodide;
    const modulesAtStart = JSON.parse(pyodide.runPython(
      `import json, sys\njson.dumps([m for m in ${JSON.stringify(request.modules)} if m in sys.modules])`));
    results[scenario.name] = {
      started: started.started, reason: started.reason, modulesAtStart,
      result: JSON.parse(pyodide.runPython(request.program)),
    };
  } catch (error) {
    results[scenario.name] = { error: String(error && error.stack || error) };
  }
}
process.stdout.write(JSON.stringify(results));
