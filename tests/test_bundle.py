"""The build's bundle: the file:// payload still fits the Pyodide in node_modules, the
vendored Pyodide is that one, the app's files travel complete and unchanged line for line,
documentation is left out, and the shipped scripts are minified keeping their global names."""

from __future__ import annotations

import ast
import base64
import gzip
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

from conftest import ROOT

PYODIDE = ROOT / "node_modules" / "pyodide"
BOOT_JS = ROOT / "site_src" / "static" / "boot.js"
PYTHON_JS = ROOT / "site_src" / "static" / "python.js"


# ------------------------------------------------------------------ the payload still fits

def payloads(site: Path) -> dict:
    """Read pyodide/offline/*.js: each is `(globalThis.pyodideOffline = …)[key] = JSON;`."""
    found = {}
    for script in sorted((site / "pyodide" / "offline").glob("*.js")):
        match = re.fullmatch(r'\(globalThis\.pyodideOffline = globalThis\.pyodideOffline \|\| \{\}\)'
                             r'\[("[^"]+")\] = (.*);\n', script.read_text(encoding="ascii"), re.S)
        assert match, f"{script.name} is not a payload statement"
        found[json.loads(match.group(1))] = (script.name, json.loads(match.group(2)))
    return found


def script_constant(name: str, script: Path = BOOT_JS):
    """A JSON-like constant of a script: `var NAME = [...];` or `{...};`."""
    match = re.search(rf"var {name} = (\[[^\]]*\]|\{{[^}}]*\}});", script.read_text(encoding="utf-8"))
    assert match, f"{script.name} has no `var {name} = …;`"
    return json.loads(match.group(1))


def test_offline_payload_fits_the_pyodide_in_use(site):
    from generator import pyodide_bundle

    version = json.loads((PYODIDE / "package.json").read_text())["version"]
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["pyodide"]
    assert version == pinned, "node_modules/pyodide is not the pinned version: run `npm ci`"
    found = payloads(site)

    _, lock = found.pop("lock")
    found.pop("snapshot")  # made by the build, not copied from Pyodide: tests/test_snapshot.py
    assert lock["version"] == version, (
        f"site/pyodide/offline was built for Pyodide {lock['version']}, node_modules has "
        f"{version}: rebuild with `make site`")
    assert lock["lock"] == {"info": json.loads((PYODIDE / "pyodide-lock.json").read_text())["info"],
                            "packages": {}}

    # Every payload decodes to exactly the file Pyodide would fetch or import.
    expected = script_constant("PAYLOADS")
    assert {script: key for key, (script, _) in found.items()} == \
        {script: key for script, key in expected.items() if key not in ("lock", "snapshot")}
    for name, (script, text) in found.items():
        data = gzip.decompress(base64.b64decode(text))
        assert data == pyodide_bundle.runtime(name), f"{script} is stale: `make site`"
        assert lock["sizes"][name] == len(data)
        assert lock["sha256"][name] == hashlib.sha256(data).hexdigest()

    # The files python.js answers Pyodide's fetch() for are the ones this Pyodide fetches.
    fetched = script_constant("FETCHED_BY_PYODIDE", PYTHON_JS)
    loader = (PYODIDE / "pyodide.js").read_text(encoding="utf-8")
    for name in fetched:
        assert (PYODIDE / name).is_file(), f"Pyodide {version} has no {name}"
        assert f'"{name}"' in loader or f"`{name}`" in loader or name in loader, \
            f"pyodide.js no longer fetches {name}: python.js's file:// path must change"
        assert name in found or name == "pyodide-lock.json", f"no payload carries {name}"
    assert "pyodide.asm.js" in found and "pyodide.asm.mjs" in loader
    # ... and the loadPyodide options the file:// path relies on still exist.
    types = (PYODIDE / "pyodide.d.ts").read_text(encoding="utf-8")
    for option in ("indexURL", "createPyodideModule", "fsInit", "env"):
        assert re.search(rf"\b{option}\?:", types), f"loadPyodide has no `{option}` option any more"
    # Pyodide answers the wasm only with instantiateStreaming, which needs this type.
    assert "application/wasm" in PYTHON_JS.read_text(encoding="utf-8")


def test_vendored_pyodide_is_the_one_in_node_modules(site):
    from generator import pyodide_bundle

    from generator import template_library

    vendored = sorted(path.name for path in (site / "pyodide").iterdir() if path.is_file()
                      and path.name not in (pyodide_bundle.SNAPSHOT_FILE, Path(template_library.SCRIPT).name))
    assert vendored == sorted(pyodide_bundle.RUNTIME_FILES)
    for name in vendored:
        assert (site / "pyodide" / name).read_bytes() == pyodide_bundle.runtime(name), name
    for name in pyodide_bundle.COPIED_FILES:
        assert pyodide_bundle.runtime(name) == (PYODIDE / name).read_bytes(), name


def test_classic_copy_of_pyodide_asm_is_a_script_with_the_same_code():
    from generator import pyodide_bundle

    module = (PYODIDE / "pyodide.asm.mjs").read_text(encoding="utf-8")
    classic = pyodide_bundle.runtime("pyodide.asm.js").decode("utf-8")
    run = subprocess.run(["node", "--check", "-"], input=classic, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, f"not a classic script: {run.stderr[:500]}"
    assert "globalThis._createPyodideModule = _createPyodideModule;" in classic
    # Nothing else changed: put the two edits back and it is the module again.
    restored = classic
    for old, new in pyodide_bundle.CLASSIC_EDITS.items():
        restored = restored.replace(new, old)
    assert restored == module


@pytest.mark.parametrize("change", ["export default _createPyodideModule;", "import.meta.url"])
def test_a_pyodide_of_another_form_fails_the_build_loudly(change):
    from generator import pyodide_bundle

    module = (PYODIDE / "pyodide.asm.mjs").read_text(encoding="utf-8").replace(change, "x")
    with pytest.raises(pyodide_bundle.BundleError, match="classic script"):
        pyodide_bundle.classic_script(module)
    with pytest.raises(pyodide_bundle.BundleError, match="module syntax"):
        pyodide_bundle.classic_script("export const y = 1;" + (PYODIDE / "pyodide.asm.mjs").read_text(encoding="utf-8"))


def test_version_is_written_only_in_package_json():
    from generator import pyodide_bundle

    version = pyodide_bundle.pyodide_version()
    tracked = [path for path in (ROOT / "generator", ROOT / "site_src", ROOT / "tests",
                                 ROOT / "pyodide_app", ROOT / "benchmarks", ROOT / "Makefile",
                                 ROOT / "scripts", ROOT / "README.md")
               if path.exists()]
    for top in tracked:
        for path in ([top] if top.is_file() else top.rglob("*")):
            if path.is_file() and path.suffix in ("", ".py", ".js", ".html", ".css", ".json", ".md"):
                assert version not in path.read_text(encoding="utf-8", errors="replace"), path


# ------------------------------------------------------------------------------ the build

def test_missing_pyodide_is_a_one_line_bundle_error(tmp_path, monkeypatch):
    from generator import pyodide_bundle

    monkeypatch.setattr(pyodide_bundle, "PYODIDE_DIR", tmp_path / "node_modules" / "pyodide")
    monkeypatch.setattr(pyodide_bundle, "ROOT", tmp_path)
    with pytest.raises(pyodide_bundle.BundleError) as caught:
        pyodide_bundle.vendor(tmp_path / "out")
    assert "npm ci" in str(caught.value) and "\n" not in str(caught.value)


def test_app_files_are_complete_and_safe_to_inline(tmp_path):
    from generator import app_files

    node = shutil.which("node")
    if not node:
        pytest.fail("reading app-files.js as JavaScript needs node (npm ci needs it too)")
    tricky = 'TEXT = "</script><!-- \u2028 \u2029 σ `${x}` $y \\\\ \x00\x1f\t"\n'
    package = tmp_path / "pyodide_app"
    (package / "view" / "__pycache__").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "view" / "__init__.py").write_text('"""Views."""\nX = 1  # one\n', encoding="utf-8")
    (package / "view" / "__pycache__" / "x.py").write_text("stale")
    (package / "seed.json").write_text(tricky, encoding="utf-8")  # any text, shipped as it is
    (package / "notes.txt").write_text("not shipped")
    app_files.write_app_files(tmp_path, package)
    text = (tmp_path / "app-files.js").read_text(encoding="ascii")
    assert "<" not in text, "safe inside an inline <script>"
    assert text.startswith("globalThis.appFiles = {") and text.endswith("};\n")
    run = subprocess.run([node, "-e", "require(process.argv[1]); process.stdout.write(globalThis.appFiles.bz2)",
                          str(tmp_path / "app-files.js")], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert app_files.unpack(run.stdout) == {
        "pyodide_app/__init__.py": "",
        "pyodide_app/seed.json": tricky,
        "pyodide_app/view/__init__.py": '""\nX = 1\n',  # Python, without its documentation
    }


def test_the_installer_the_page_runs_writes_the_files_and_refuses_a_damaged_payload(tmp_path, monkeypatch):
    from generator import app_files

    monkeypatch.setattr(sys, "path", sys.path[:])
    namespace: dict = {}
    exec(app_files.INSTALLER, namespace)
    home = str(tmp_path / "home")
    files = {"app/__init__.py": "", "app/view/x.py": "σ = 1\n"}
    namespace["install"](app_files.pack(files), home, "app/__init__.py")
    assert (tmp_path / "home" / "app" / "view" / "x.py").read_text(encoding="utf-8") == "σ = 1\n"
    assert sys.path[0] == home
    for packed, module in ((app_files.pack(files), "other/__init__.py"),
                           (app_files.pack(files | {"../evil.py": ""}), "app/__init__.py"),
                           (app_files.pack(files)[:-9], "app/__init__.py")):
        with pytest.raises(Exception):
            namespace["install"](packed, home, module)
    assert not (tmp_path / "evil.py").exists()


@pytest.mark.parametrize("path", sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pyodide_app").rglob("*.py")))
def test_shipped_sources_are_the_same_code_on_the_same_lines(path):
    from generator import app_files

    source = (ROOT / path).read_text(encoding="utf-8")
    shipped = app_files.without_documentation(source)
    assert shipped.count("\n") == source.count("\n")
    tokens = list(tokenize.generate_tokens(io.StringIO(shipped).readline))
    assert not [t for t in tokens if t.type == tokenize.COMMENT]
    before, after = ast.parse(source), ast.parse(shipped)
    for tree in (before, after):  # docstrings and functions' annotations are what goes
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) \
                    and ast.get_docstring(node, clean=False) is not None:
                node.body[0].value.value = ""
            if isinstance(node, ast.arg):
                node.annotation = None
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                node.returns = None
    assert ast.dump(before, include_attributes=False) == ast.dump(after, include_attributes=False)
    assert [(type(n).__name__, n.lineno, n.col_offset) for n in ast.walk(before) if isinstance(n, ast.stmt)] == \
           [(type(n).__name__, n.lineno, n.col_offset) for n in ast.walk(after) if isinstance(n, ast.stmt)]
    if ast.get_docstring(ast.parse(source)) or "#" in source:
        assert len(shipped) < len(source)


def test_documentation_is_left_out_however_it_is_written():
    from generator import app_files

    source = ('"""Module σ."""\n'
              'X = "# not a comment"  # a comment\n'
              'class A:\n'
              '    """Only a docstring,\n    on two lines: σ′."""\n'
              'def f(a):  # why\n'
              '    """δ"""; return a  # after\n'
              'Y = f"{X}#"\n'
              'class B:\n'
              '    size: int = 3  # a field: dataclasses read it\n'
              '    def g(self, a: "σ", b: dict[str,\n'
              '                                int] = None, *rest: int, **named: str) -> list[int]:\n'
              '        return [a]\n'
              'async def h() -> None: pass\n')
    shipped = app_files.without_documentation(source)
    assert shipped == ('""\n'
                       'X = "# not a comment"\n'
                       'class A:\n'
                       '    ""\n\n'
                       'def f(a):\n'
                       '    ""; return a\n'
                       'Y = f"{X}#"\n'
                       'class B:\n'
                       '    size: int = 3\n'
                       '    def g(self, a, b\n'
                       ' = None, *rest, **named):\n'
                       '        return [a]\n'
                       'async def h(): pass\n')
    namespace = {}
    exec(compile(shipped, "shipped", "exec"), namespace)
    assert namespace["f"](3) == 3 and namespace["X"] == "# not a comment"
    assert namespace["B"]().g(2) == [2] and list(namespace["B"].__annotations__) == ["size"]


def test_single_file_refuses_external_references(tmp_path):
    from generator import pyodide_bundle, single_file

    site = tmp_path / "site"
    (site / "pyodide" / "offline").mkdir(parents=True)
    for name in (pyodide_bundle.OFFLINE_LOCK, *pyodide_bundle.OFFLINE_PAYLOADS):
        (site / "pyodide" / "offline" / name).write_text("")
    (site / "index.html").write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="x">'
        '<link rel="stylesheet" href="https://example.org/x.css"></head><body></body></html>')
    with pytest.raises(pyodide_bundle.BundleError, match="external"):
        single_file.build_single(site, tmp_path / "out.html")


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "site_src" / "static").glob("*.[jc]s*")))
def test_shipped_scripts_and_styles_are_minified_and_keep_their_global_names(name, site):
    source = (ROOT / "site_src" / "static" / name).read_text(encoding="utf-8")
    shipped = (site / name).read_text(encoding="utf-8")
    assert len(shipped) < 0.9 * len(source)
    if name.endswith(".js"):
        run = subprocess.run(["node", "--check", str(site / name)], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        # what other scripts (and the file:// worker's Blob) use by name is still there
        for global_name in re.findall(r"^function (\w+)|^  globalThis\.(\w+) =", source, re.M):
            name_used = "".join(global_name)
            assert re.search(rf"\b{name_used}\b", shipped), name_used
    else:  # every custom property and every media query is still there
        assert set(re.findall(r"(--[\w-]+):", source)) == set(re.findall(r"(--[\w-]+):", shipped))
        assert shipped.count("@media") == source.count("@media")
