"""The page's scripts, read as source: what they share with Python comes from the build, not
from copies by hand; each helper is written once; no slice counts a name's letters."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from conftest import ROOT
from generator import page_constants
from pyodide_app import protocol, saved
from pyodide_app.state import load_seed, to_fragment
from pyodide_app.view import page

STATIC = ROOT / "site_src" / "static"
SCRIPTS = {path.name: path.read_text(encoding="utf-8") for path in sorted(STATIC.glob("*.js"))}


def written_by(name_pattern: str) -> list[str]:
    """The scripts in which the pattern occurs."""
    return [name for name, text in SCRIPTS.items() if re.search(name_pattern, text)]


def test_the_page_reads_what_python_wrote_into_protocol_js():
    node = shutil.which("node")
    if not node:
        pytest.fail("this test needs node (npm ci needs it too)")
    program = (page_constants.script_text() +
               f"process.stdout.write(JSON.stringify(globalThis.{page_constants.GLOBAL}));")
    run = subprocess.run([node, "-e", program], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    shared = json.loads(run.stdout)
    assert shared["kinds"] == list(protocol.MESSAGES)
    assert shared["parts"] == list(page.PARTS)
    link = "#" + to_fragment(load_seed())  # what Copy link puts in the address bar
    assert link.startswith(shared["linkPrefix"]) and saved.is_link(link)
    assert not saved.is_link(shared["linkPrefix"][:-1])


def test_no_script_copies_a_constant_it_shares_with_python():
    assert written_by(re.escape(json.dumps(saved.LINK_PREFIX))) == []
    assert written_by(r",\s*".join(map(re.escape, map(json.dumps, page.PARTS)))) == []
    uses = {name for name in written_by(rf"\b{page_constants.GLOBAL}\.(kinds|parts|linkPrefix)\b")}
    assert uses == {"events.js", "saving.js", "language.js"}


def test_every_helper_is_written_once():
    assert written_by(r"function byId\b") == ["dom.js"]
    assert written_by(r"\.scope = ") == ["dom.js"]  # a table's rows from texts (the walk's, the runs')
    assert written_by(r"\batob\(|fromBase64|DecompressionStream\(") == ["unpack.js"]
    listener = r'"keydown"|\bkeydown:'  # addEventListener("keydown", …), or events.js's table of listeners
    assert written_by(listener) == ["events.js"] and len(re.findall(listener, SCRIPTS["events.js"])) == 1


def test_no_slice_counts_the_letters_of_a_name():
    # a literal offset other than 0: "activations[2]".slice(12, -1), id.slice(4), parts.slice(4)
    for name, text in SCRIPTS.items():
        for arguments in re.findall(r"\.(?:slice|substr|substring|subarray)\(([^()]*)\)", text):
            assert not re.search(r"(?<![\w.])-?[1-9]", arguments), f"{name}: ({arguments})"
    # a bound of 2 or more: field[8:-1], words[4:12], text[:-2]
    for path in sorted([*(ROOT / "pyodide_app").rglob("*.py"), *(ROOT / "generator").glob("*.py")]):
        text = path.read_text(encoding="utf-8")
        for bounds in re.findall(r"\[(-?\d*):(-?\d*)\]", text):
            assert all(abs(int(bound or 0)) < 2 for bound in bounds), f"{path.name}: [{':'.join(bounds)}]"
