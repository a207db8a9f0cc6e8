"""`python -m pyodide_app trace|explain` and `python -m generator --state` on data, run as real
subprocesses: one batch step against the numpy batch oracle; bad options refused in one line."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pytest

import batch_oracle
import line_check
import oracle
from shown import shows
from test_batch_walk import FEATURE_NAMES, holds, largest_of, on_data, oracle_batch
from pyodide_app import training
from pyodide_app.data import settings as data_settings
from pyodide_app.state import serialise

ROOT = oracle.ROOT
SPIRAL = ("--dataset", "spiral", "--points", "500", "--noise", "0", "--test-share", "50", "--data-seed", "1",
          "--batch-size", "10", "--inputs", "x1,x2")


def run(*args: str, module: str = "pyodide_app") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)


def ok(*args: str) -> str:
    result = run(*args)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return result.stdout


def test_explain_prints_one_batch_step_of_the_spiral_as_the_oracle_gives_it():
    text = ok("explain", *SPIRAL)
    state = on_data("spiral", 10)  # the same settings, made in this process
    net, xs, ts, indices = oracle_batch(state)
    shares = batch_oracle.contributions(net, xs, ts)
    mean_w, _ = batch_oracle.mean_gradients(net, xs, ts)
    assert text.startswith("Data: Spiral, 500 points, noise 0 %, test share 50 %, data seed 1; inputs x₁, x₂; "
                           "batch size 10")
    sections = ["Forward Calculations", "Loss Calculation", "Backpropagation", "The Batch: 10 samples", "Weight Updates"]
    assert [text.index(s) for s in sections] == sorted(text.index(s) for s in sections)
    first = oracle.full_pass(net, *data_settings.shown_sample(state.data, state.network.activations[-1]))
    assert f"Shown: point 1, x₁ = " in text and shows(text[text.index("Loss Calculation"):], first.loss, "precise")
    weight = re.search(r"largest gradient, Weight (\S+) → (\S+) ", text).groups()
    rows = re.findall(r"point ([\d,]+): (.+)", text)
    assert [int(p.replace(",", "")) - 1 for p, _ in rows] == indices
    l, j, i = min(largest_of(mean_w))
    last = len(state.network.sizes) - 1
    assert weight == (f"H{l - 1}-{i + 1}" if l > 1 else ("x₁", "x₂")[i], "Out-1" if l == last else f"H{l}-{j + 1}")
    for s, (_, line) in enumerate(rows):
        assert holds(line) and shows(line.split(" = ")[-1], shares[l - 1][s, j, i], "precise"), line
    mean = next(line.strip() for line in text.split("\n") if line.strip().startswith("∂L/∂w = Σ_s"))
    assert holds(mean) and shows(mean.split(" = ")[-1], mean_w[l - 1][j, i], "precise")
    after = batch_oracle.train(net, xs, ts, [list(range(len(xs)))], state.learning_rate)
    new = next(line.strip() for line in text.split("\n") if line.strip().startswith("w_new = "))
    assert holds(new) and shows(new.split(" = ")[-1], after.weights[l - 1][j, i], "precise")
    worked = [line for line in line_check.text_lines(text) if line_check.worked_out(line)]
    assert len(worked) > 40 and not [line for line in worked if line_check.failures(line)]


def test_trace_after_batch_steps_matches_the_oracle_trained_on_the_same_batches():
    t = json.loads(ok("trace", *SPIRAL, "--steps", "30", "--learning-rate", "0.3"))
    state = on_data("spiral", 10)
    net, _, _, _ = oracle_batch(state)
    made = data_settings.samples_of(state.data, state.network.activations[-1])
    batches = training.epoch_batches(state.data, 0) + training.epoch_batches(state.data, 1)[:5]  # 25 a epoch
    expected = batch_oracle.train(net, made.inputs, made.targets, batches, 0.3)
    assert t["epoch"] == 1 and t["batch_size"] == 10
    for l, w in enumerate(expected.weights, start=1):
        for j, row in enumerate(w):
            got = [term["weight"] for term in t["layers"][l]["neurons"][j]["terms"]]
            oracle.assert_close(np.array(got), row, f"W[{l}][{j}] after 30 batches")


def test_a_state_file_with_data_and_settings_changed_on_the_command_line(tmp_path):
    state = on_data("xor", 7, ("x1", "x2", "x1_times_x2"), shown=4)
    path = tmp_path / "state.json"
    path.write_text(serialise(state), encoding="utf-8")
    text = ok("explain", "--state", str(path))
    assert "Data: XOR" in text and "inputs x₁, x₂, x₁x₂;" in text and "Shown: point 5, x₁ = " in text
    assert len(re.findall(r"    point [\d,]+: ", text)) == 7 and "Weight x₁x₂ → H1-1: " in text
    text = ok("explain", "--state", str(path), "--batch-size", "12", "--shown", "9", "--inputs", "x1,x2,sin_x2")
    assert "batch size 12" in text and "Shown: point 9" in text and "… and 2 more" in text
    assert "Weight sin x₂ → H1-1: " in text


@pytest.mark.parametrize("args, option", [
    (("--points", "5"), "--points"),
    (("--points", "many"), "--points"),
    (("--noise", "2.5"), "--noise"),
    (("--test-share", "95"), "--test-share"),
    (("--data-seed", "-1"), "--data-seed"),
    (("--batch-size", "0"), "--batch-size"),
    (("--batch-size", "251"), "--batch-size"),
    (("--shown", "0"), "--shown"),
    (("--shown", "501"), "--shown"),
    (("--inputs", "x1,x3"), "--inputs"),
    (("--inputs", "x1,x2,x2"), "--inputs"),
    (("--inputs", "x2"), "--inputs"),
    (("--targets", "1"), "--targets"),
    (("--dataset", "nope"), "--dataset"),
])
def test_a_bad_data_option_is_refused_in_one_line(args, option):
    result = run("explain", "--dataset", "spiral", *args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("error: ") and option in result.stderr, result.stderr


def test_a_data_setting_without_data_is_refused_in_one_line():
    result = run("explain", "--points", "100")
    assert result.returncode == 2 and result.stderr == "error: --points: needs --dataset (or a --state with data)\n"


def test_a_lesson_page_from_a_state_with_data(tmp_path):
    state = on_data("circle", 10, ("x1", "x2", "x1_squared"))
    path = tmp_path / "state.json"
    path.write_text(serialise(state), encoding="utf-8")
    result = run("--out", str(tmp_path / "out"), "--state", str(path), module="generator")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'class="node-name"[^>]*>([^<]*)<', html)[:4] == ["x₁", "x₂", "x₁²", "H1-1"]
    assert '<option value="circle" selected>' in html
    assert FEATURE_NAMES["x1_squared"] + " → H1-1" in html  # the Weight Updates table's row
