"""The build: a recipe that renders the page, and fails with one clear line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import oracle
from conftest import ROOT
from page_text import read
from pyodide_app.notation.numbers import number


def build(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_build_from_a_saved_state_shows_that_state(tmp_path):
    data = oracle.seed_data()
    data["inputs"] = [0.9, 0.1, 0.4]
    state = tmp_path / "state.json"
    state.write_text(json.dumps(data))
    result = build("--out", str(tmp_path / "out"), "--state", str(state))
    assert result.returncode == 0, result.stderr
    page = read((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    expected = oracle.full_pass(oracle.seed_net(), data["inputs"], data["targets"])
    assert page.values["loss"] == {number(expected.loss, "precise")}
    assert page.values["a-1-0"] == {number(expected.activations[1][0])}
    for name in ("app-files.js", "boot.js", "style.css", "pyodide/pyodide.asm.wasm"):
        assert (tmp_path / "out" / name).exists(), name


@pytest.mark.parametrize("content, field", [
    ("{not json", "state"),
    ('{"version": 5}', "version"),
])
def test_a_bad_state_file_fails_in_one_line(tmp_path, content, field):
    state = tmp_path / "state.json"
    state.write_text(content)
    result = build("--out", str(tmp_path / "out"), "--state", str(state))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0] and "Traceback" not in result.stderr


def test_a_missing_state_file_fails_in_one_line(tmp_path):
    result = build("--out", str(tmp_path / "out"), "--state", str(tmp_path / "absent.json"))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "absent.json" in result.stderr


def test_a_missing_template_fails_in_one_line(tmp_path, monkeypatch):
    import generator.__main__ as build_main
    from pyodide_app.view import render
    monkeypatch.setattr(render, "TEMPLATES", tmp_path / "no-templates")
    render.environment.cache_clear()
    try:
        assert build_main.main(["--out", str(tmp_path / "out")]) == 1
    finally:
        render.environment.cache_clear()
