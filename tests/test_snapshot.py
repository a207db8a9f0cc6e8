"""Pyodide's memory snapshot: what the build writes, and what site_src/static/snapshot.js
relies on, pinned under Node (Pyodide's snapshot API is undocumented): a restore has the
app's modules imported and computes the oracle's numbers, exactly as an ordinary start does;
every snapshot that must not be used (stale, another Pyodide build, damaged, truncated)
leads to an ordinary start with the same numbers."""

from __future__ import annotations

import base64
import gzip
import json
import re
import shutil
import struct
import subprocess

import pytest

import oracle
from conftest import ROOT
from generator import app_files, pyodide_bundle, snapshot, template_library
from pyodide_app import network
from pyodide_app.state import load_seed
from pyodide_app.trace import trace

SCRIPTS = [ROOT / "site_src" / "static" / name for name in ("unpack.js", "snapshot.js")]  # as the worker loads them
DRIVER = ROOT / "tests" / "snapshot_driver.mjs"
TRAINING_STEPS = 100
# Run in Pyodide after the start; its value is a JSON string.
PROGRAM = f"""
import json, random
from pyodide_app import network
from pyodide_app.state import load_seed
from pyodide_app.trace import trace
state = load_seed()
net = state.network.copy()
network.train(net, state.inputs, state.targets, state.learning_rate, {TRAINING_STEPS})
from pyodide_app.view import render
compiled = len(render.environment().cache) if render.environment.cache_info().currsize else 0
json.dumps({{"trace": trace(state), "trained": [net.weights, net.biases], "random": random.random(),
            "compiled": compiled}})
"""


@pytest.fixture(scope="session")
def site_snapshot(site):
    path = site / "pyodide" / pyodide_bundle.SNAPSHOT_FILE
    if not path.is_file():
        pytest.fail("site/pyodide/snapshot.gz is missing: run `make site`")
    return path


@pytest.fixture(scope="session")
def app():
    files = app_files.shipped_files(ROOT / "pyodide_app")
    return files, app_files.sources_digest(files)


def repacked(data: bytes, **changes) -> bytes:
    """The snapshot file with its metadata changed, gzip again."""
    metadata, body = snapshot.unpack(gzip.decompress(data))
    return gzip.compress(snapshot.pack({**metadata, **changes}, body), compresslevel=1)


def with_body(data: bytes, change) -> bytes:
    metadata, body = snapshot.unpack(gzip.decompress(data))
    return gzip.compress(snapshot.pack(metadata, change(bytearray(body))), compresslevel=1)


def other_build(body: bytearray) -> bytes:
    """Pyodide's header names another BUILD_ID (words 4..11)."""
    struct.pack_into("<8I", body, 16, *([0x0BAD0BAD] * 8))
    return bytes(body)


def zeroed_heap(body: bytearray) -> bytes:
    """Pyodide's header intact, its memory image all zero."""
    start = struct.unpack_from("<I", body, 4)[0]
    body[start:] = bytes(len(body) - start)
    return bytes(body)


@pytest.fixture(scope="session")
def runs(site_snapshot, app, tmp_path_factory):
    """Every scenario through snapshot.js's start() in one Node process."""
    node = shutil.which("node")
    if not node:
        pytest.fail("these tests need node (npm ci needs it too)")
    files, digest = app
    original = site_snapshot.read_bytes()
    scratch = tmp_path_factory.mktemp("snapshots")
    payload = (site_snapshot.parent / "offline" / pyodide_bundle.OFFLINE_SNAPSHOT).read_text(encoding="ascii")
    variants = {
        "restored": original,
        "restored again": original,
        "from the file:// payload": base64.b64decode(re.search(r'\] = "([^"]+)"', payload).group(1)),
        "already unpacked": gzip.decompress(original),
        "other sources": original,
        "other Pyodide build": with_body(original, other_build),
        "damaged gzip": original[:len(original) // 2] + bytes([original[len(original) // 2] ^ 0xFF])
                        + original[len(original) // 2 + 1:],
        "zeroed memory": with_body(original, zeroed_heap),
        "truncated": gzip.compress(gzip.decompress(original)[:-65536], compresslevel=1),
        "tied to its engine": repacked(original, portable=False),
    }
    scenarios = [{"name": "plain", "snapshot": None}]
    for index, (name, data) in enumerate(variants.items()):
        path = scratch / f"{index}.snapshot"
        path.write_bytes(data)
        scenarios.append({"name": name, "snapshot": str(path)})
    scenarios[[s["name"] for s in scenarios].index("other sources")]["digest"] = "0" * 64
    request = {"pyodide": str(pyodide_bundle.PYODIDE_DIR), "scripts": [str(script) for script in SCRIPTS], "files": files,
               "digest": digest, "modules": list(snapshot.SNAPSHOT_MODULES), "program": PROGRAM,
               "scenarios": scenarios}
    result = subprocess.run([node, str(DRIVER)], input=json.dumps(request), capture_output=True, text=True,
                            cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    runs = json.loads(result.stdout)
    for name, run in runs.items():
        assert "error" not in run, f"{name}: {run['error']}"
    return runs


def assert_oracle_numbers(result: dict):
    data = oracle.seed_data()
    net = oracle.seed_net()
    oracle.assert_trace_matches(result["trace"], net, data["inputs"], data["targets"], data["learning_rate"])
    trained = oracle.train(net, data["inputs"], data["targets"], data["learning_rate"], TRAINING_STEPS)
    for l, (w, b) in enumerate(zip(*result["trained"])):
        oracle.assert_close(w, trained.weights[l], f"trained W[{l + 1}]")
        oracle.assert_close(b, trained.biases[l], f"trained b[{l + 1}]")


def without_random(result: dict) -> dict:
    """The numbers computed, without the random draw and the count of templates compiled."""
    return {key: value for key, value in result.items() if key not in ("random", "compiled")}


@pytest.mark.parametrize("name", ["restored", "from the file:// payload", "already unpacked"])
def test_snapshot_restores_with_the_app_modules_imported(runs, name):
    run = runs[name]
    assert (run["started"], run["reason"]) == ("snapshot", None)
    assert run["modulesAtStart"] == list(snapshot.SNAPSHOT_MODULES)
    assert runs["plain"]["modulesAtStart"] == []  # an ordinary start has imported none of them


def test_the_snapshot_holds_jinja_with_every_template_compiled(runs, app):
    """The first structure change, worksheet or gradient check then waits for neither."""
    templates = [path for path in app[0] if path.startswith("site_src/templates/")]
    assert len(templates) > 10
    assert runs["restored"]["result"]["compiled"] == len(templates)
    assert runs["plain"]["result"]["compiled"] == 0  # an ordinary start imports Jinja when first needed


def test_restored_python_computes_the_oracle_numbers_exactly_as_an_ordinary_start(runs):
    assert_oracle_numbers(runs["restored"]["result"])
    assert without_random(runs["restored"]["result"]) == without_random(runs["plain"]["result"])


def test_restored_python_computes_what_cpython_computes(runs):
    state = load_seed()
    net = state.network.copy()
    network.train(net, state.inputs, state.targets, state.learning_rate, TRAINING_STEPS)
    expected = json.loads(json.dumps({"trace": trace(state), "trained": [net.weights, net.biases]}))
    # Not bit for bit: CPython here and Pyodide use different C libraries (exp, fsum).
    assert_same_shape_and_close(without_random(runs["restored"]["result"]), expected)


def assert_same_shape_and_close(actual, expected, where="result"):
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and actual.keys() == expected.keys(), where
        for key in expected:
            assert_same_shape_and_close(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), where
        for index, (a, e) in enumerate(zip(actual, expected)):
            assert_same_shape_and_close(a, e, f"{where}[{index}]")
    elif isinstance(expected, float):
        assert oracle.close(actual, expected), f"{where}: {actual} != {expected}"
    else:
        assert actual == expected, where


def test_random_is_reseeded_after_each_restore(runs):
    # Without the reseed both would continue the generator state saved in the snapshot.
    assert runs["restored"]["result"]["random"] != runs["restored again"]["result"]["random"]


@pytest.mark.parametrize("name, reason", [
    ("other sources", "stale"),
    ("other Pyodide build", "build id mismatch"),
    ("damaged gzip", ""),
    ("zeroed memory", ""),
    ("truncated", "truncated"),
    ("tied to its engine", "engine"),
])
def test_a_snapshot_that_cannot_be_used_gives_an_ordinary_start_with_the_same_numbers(runs, name, reason):
    run = runs[name]
    assert run["started"] == "plain"
    assert reason.lower() in run["reason"].lower()
    assert without_random(run["result"]) == without_random(runs["plain"]["result"])


def test_snapshot_metadata_matches_the_build(site, site_snapshot, app):
    files, digest = app
    metadata = snapshot.read_metadata(site_snapshot)
    assert metadata["buildId"] == snapshot.pyodide_build_id()
    assert metadata["pyodide"] == pyodide_bundle.pyodide_version()
    assert metadata["sources"] == digest
    app_files_js = (site / app_files.APP_FILES_SCRIPT).read_text(encoding="ascii")
    assert f'"digest": "{digest}"' in app_files_js
    _, body = snapshot.unpack(gzip.decompress(site_snapshot.read_bytes()))
    assert len(body) == metadata["size"]
    assert snapshot.build_id_of(body) == metadata["buildId"]


def test_snapshot_holds_nothing_of_the_build_machine(site_snapshot):
    data = gzip.decompress(site_snapshot.read_bytes())
    assert str(ROOT).encode() not in data
    assert b"node_modules" not in data


def test_an_unchanged_build_does_not_make_the_snapshot_again(tmp_path, app, monkeypatch, site_snapshot):
    files, _ = app
    (tmp_path / "pyodide" / "offline").mkdir(parents=True)
    shutil.copy(site_snapshot, tmp_path / "pyodide" / pyodide_bundle.SNAPSHOT_FILE)
    shutil.copy(site_snapshot.parent / "offline" / pyodide_bundle.OFFLINE_SNAPSHOT,
                tmp_path / "pyodide" / "offline" / pyodide_bundle.OFFLINE_SNAPSHOT)

    def make(*args):
        raise AssertionError("made again")

    monkeypatch.setattr(snapshot, "make", make)
    library = template_library.library_files()
    assert snapshot.build(tmp_path, files, library) == snapshot.read_metadata(site_snapshot)
    with pytest.raises(AssertionError, match="made again"):
        snapshot.build(tmp_path, {**files, "pyodide_app/extra.py": "x = 1\n"}, library)
    with pytest.raises(AssertionError, match="made again"):
        snapshot.build(tmp_path, files, {**library, "jinja2/extra.py": "x = 1\n"})


def test_missing_node_is_a_one_line_bundle_error(app):
    with pytest.raises(pyodide_bundle.BundleError, match="Node"):
        snapshot.make(app[0], node="no-such-node-binary")
