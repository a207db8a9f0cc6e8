"""`python -m pyodide_app trace|explain`, run as a real subprocess from the repository root."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

import oracle

ROOT = oracle.ROOT
SEED = oracle.seed_data()


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pyodide_app", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout)


def run_trace(*args: str) -> dict:
    result = run("trace", *args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def expected_trace_of(inputs=None, targets=None, rate=None, steps=0, data=None):
    """What the trace must hold: the oracle, trained `steps` steps from the seed (or `data`)."""
    data = data or SEED
    inputs = inputs if inputs is not None else data["inputs"]
    targets = targets if targets is not None else data["targets"]
    rate = rate if rate is not None else data["learning_rate"]
    net = oracle.train(oracle.Net.from_data(data), inputs, targets, rate, steps)
    return net, inputs, targets, rate


# --- trace ----------------------------------------------------------------------------------

def test_trace_of_the_seed_matches_the_oracle():
    t = run_trace()
    net, inputs, targets, rate = expected_trace_of()
    oracle.assert_trace_matches(t, net, inputs, targets, rate)
    assert t["epoch"] == 0
    assert round(t["loss"]["total"], 4) == 0.0575
    assert round(t["layers"][1]["neurons"][0]["activation"], 4) == 0.6985


def test_trace_with_inputs_targets_and_rate():
    t = run_trace("--inputs", "1,-0.25,0.125", "--targets", "0.1,0.9", "--learning-rate", "0.5")
    oracle.assert_trace_matches(t, *expected_trace_of([1, -0.25, 0.125], [0.1, 0.9], 0.5))
    assert t["learning_rate"] == 0.5


def test_trace_accepts_spaces_and_decimal_commas_in_single_numbers():
    t = run_trace("--inputs= 2 , -3e-1 ,1e6", "--learning-rate", " 0,25 ")
    oracle.assert_trace_matches(t, *expected_trace_of([2, -0.3, 1e6], rate=0.25))


@pytest.mark.parametrize("steps", [1, 5, 200])
def test_trace_after_training_steps_matches_the_oracle_trained_as_long(steps):
    t = run_trace("--steps", str(steps), "--learning-rate", "0.7", "--targets", "0.3,0.6")
    net, inputs, targets, rate = expected_trace_of(targets=[0.3, 0.6], rate=0.7, steps=steps)
    oracle.assert_trace_matches(t, net, inputs, targets, rate)
    assert t["epoch"] == steps
    untrained = oracle.loss_at(oracle.seed_net(), SEED["inputs"], [0.3, 0.6])
    assert t["loss"]["total"] < untrained


def test_trace_from_a_state_file(tmp_path):
    data = json.loads(json.dumps(SEED))
    data["inputs"] = [0.9, -0.1, 0.4]
    data["weights"][2][1] = [1.5, -2.5, 0.75]
    data["epoch"] = 41
    data["learning_rate"] = 2
    path = tmp_path / "state.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    t = run_trace("--state", str(path), "--steps", "3")
    oracle.assert_trace_matches(t, *expected_trace_of(steps=3, data=data))
    assert t["epoch"] == 44
    assert t["learning_rate"] == 2


# --- explain --------------------------------------------------------------------------------

def test_explain_holds_every_section_and_the_true_loss():
    result = run("explain")
    assert result.returncode == 0 and result.stderr == ""
    text = result.stdout
    sections = ["Forward Calculations", "Loss Calculation (Mean Squared Error)",
                "Backpropagation: Gradients for Each Layer", "Weight Updates (learning rate α = 0.1)"]
    positions = [text.index(s) for s in sections]
    assert positions == sorted(positions)
    for title in ["Hidden Layer 1", "Hidden Layer 2", "Hidden Layer 3", "Output Layer"]:
        assert text.count(title) == 2  # once going forward, once going back
    loss = oracle.loss_at(oracle.seed_net(), SEED["inputs"], SEED["targets"])
    assert f"= {loss:.6f}" in text
    assert "σ(0.8400) = 0.6985" in text
    assert sum(line.lstrip().startswith("Weight ") and "→" in line for line in text.splitlines()) == 12 + 12 + 6 + 4
    assert sum(line.lstrip().startswith("Bias ") for line in text.splitlines()) == 4 + 3 + 2 + 2
    assert_minus_signs_are_true_minus_signs(text)
    assert "−" in text  # the seed has negative weights, so there is something to check


def test_explain_after_training_shows_the_trained_loss():
    result = run("explain", "--steps", "25", "--learning-rate", "2")
    assert result.returncode == 0, result.stderr
    net = oracle.train(oracle.seed_net(), SEED["inputs"], SEED["targets"], 2.0, 25)
    assert f"= {oracle.loss_at(net, SEED['inputs'], SEED['targets']):.6f}" in result.stdout
    assert "learning rate α = 2)" in result.stdout
    assert_minus_signs_are_true_minus_signs(result.stdout)


def assert_minus_signs_are_true_minus_signs(text: str):
    """A value's minus sign is U+2212 throughout; a hyphen appears only inside names (H1-2, Cross-Entropy)."""
    without_names = re.sub(r"(?:\b|_)(?:H\d+|In|Out)-\d+\b|\bCross-Entropy\b", "", text)  # L_Out-1 too
    assert "-" not in without_names, [line for line in without_names.splitlines() if "-" in line][:3]


# --- errors ---------------------------------------------------------------------------------

def assert_refused(result: subprocess.CompletedProcess, field: str | None):
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stderr.endswith("\n"), result.stderr
    assert lines[0].startswith("error: ")
    if field is not None:
        assert lines[0].startswith(f"error: {field}: "), lines[0]
        assert len(lines[0]) > len(f"error: {field}: ") + 3


@pytest.mark.parametrize("args, field", [
    (["--inputs", "abc,0.3,0.8"], "inputs[0]"),
    (["--inputs", "0.5,0.3"], "inputs"),
    (["--inputs", "0.5,0.3,0.8,0.1"], "inputs"),
    (["--inputs", "0.5,,0.8"], "inputs[1]"),
    (["--inputs", "0.5,0.3,NaN"], "inputs[2]"),
    (["--inputs", "0.5,inf,0.8"], "inputs[1]"),
    (["--inputs", "0.5,0.3,1e309"], "inputs[2]"),
    (["--inputs=-Infinity,0.3,0.8"], "inputs[0]"),
    (["--inputs", "0.5,0.3,2e6"], "inputs[2]"),
    (["--targets", "0.8"], "targets"),
    (["--targets", "0.8,x"], "targets[1]"),
    (["--targets", "0.8,1.5"], "targets[1]"),
    (["--targets", "nan,0.2"], "targets[0]"),
    (["--learning-rate", "abc"], "learning_rate"),
    (["--learning-rate", "0"], "learning_rate"),
    (["--learning-rate", "-1"], "learning_rate"),
    (["--learning-rate", "Infinity"], "learning_rate"),
    (["--learning-rate", "101"], "learning_rate"),
    (["--learning-rate", ""], "learning_rate"),
    (["--steps", "-1"], "steps"),
    (["--steps=-5"], "steps"),
    (["--steps", "1.5"], "steps"),
    (["--steps", "1e3"], "steps"),
    (["--steps", "ten"], "steps"),
    (["--steps", ""], "steps"),
    (["--steps", "10000001"], "steps"),
    (["--steps", "99999999999999999999999999"], "steps"),
])
def test_bad_arguments_exit_2_with_one_line_naming_the_field(args, field):
    assert_refused(run("trace", *args), field)


@pytest.mark.parametrize("args, field", [(["--inputs", "0.5,0.3"], "inputs"), (["--targets", "1,NaN"], "targets[1]"),
                                         (["--learning-rate", "1e309"], "learning_rate"), (["--steps", "-1"], "steps")])
def test_explain_refuses_the_same_way(args, field):
    assert_refused(run("explain", *args), field)


@pytest.mark.parametrize("steps", ["²", "1" * 5000])
def test_steps_that_look_like_digits_but_are_not_an_int_are_refused_cleanly(steps):
    """'²'.isdigit() is True but int('²') raises, and a 5000-digit number passes isdigit() but
    exceeds Python's int-conversion limit: both must still be one line, exit 2."""
    assert_refused(run("trace", "--steps", steps), "steps")


def test_negative_inputs_can_be_given_after_a_space():
    """`--inputs -0.5,0.3,0.8` is a valid input list; argparse takes it for an option."""
    result = run("trace", "--inputs", "-0.5,0.3,0.8")
    assert result.returncode == 0, result.stderr
    oracle.assert_trace_matches(json.loads(result.stdout), *expected_trace_of([-0.5, 0.3, 0.8]))


def test_negative_inputs_with_equals_sign():
    t = run_trace("--inputs=-0.5,0.3,0.8")
    oracle.assert_trace_matches(t, *expected_trace_of([-0.5, 0.3, 0.8]))


def test_unreadable_state_file(tmp_path):
    assert_refused(run("trace", "--state", str(tmp_path / "missing.json")), "--state")
    assert_refused(run("trace", "--state", str(tmp_path)), "--state")  # a directory
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00{")
    assert_refused(run("trace", "--state", str(binary)), "--state")


@pytest.mark.parametrize("content, field", [
    ("{", "state"),
    ("", "state"),
    ("[1, 2, 3]", "state"),
    ('{"version": 1}', "inputs"),
    (json.dumps({**SEED, "version": 5}), "version"),
    (json.dumps({**SEED, "inputs": [0.5, 0.3]}), "inputs"),
    (json.dumps({**SEED, "sizes": [3, 4, 3, 2, 2, 2]}), "activations"),
    (json.dumps({**SEED, "loss": "cross_entropy", "activations": ["tanh"] * 4}), "loss"),
    (json.dumps({**SEED, "targets": [0.8]}), "targets"),
    (json.dumps({**SEED, "weights": SEED["weights"][:3]}), "weights"),
    (json.dumps({**SEED, "biases": [[0.1, -0.2, 0.3, 0.0], [0.2, -0.1], [0.1, -0.3], [0.2, -0.1]]}),
     "biases[1]"),
    (json.dumps({**SEED, "learning_rate": True}), "learning_rate"),
    (json.dumps(SEED).replace("0.5", "NaN", 1), "state"),
    (json.dumps(SEED).replace("0.5", "1e400", 1), "inputs[0]"),
    (json.dumps({**SEED, "extra": 1}), "extra"),
    (json.dumps({**SEED, "settings": {"speed": "warp"}}), "settings.speed"),
    (" " * (256 * 1024 + 1) + "{}", "state"),
])
def test_bad_state_files(tmp_path, content, field):
    path = tmp_path / "state.json"
    path.write_text(content, encoding="utf-8")
    assert_refused(run("trace", "--state", str(path)), field)


def test_training_past_the_epoch_limit_is_refused(tmp_path):
    path = tmp_path / "state.json"
    path.write_text(json.dumps({**SEED, "epoch": 10 ** 15}), encoding="utf-8")
    assert_refused(run("trace", "--state", str(path), "--steps", "1"), "epoch")
    assert run_trace("--state", str(path))["epoch"] == 10 ** 15


@pytest.mark.parametrize("args", [["foo"], [], ["trace", "extra"], ["trace", "--bogus", "1"],
                                  ["trace", "--inputs"], ["TRACE"]])
def test_usage_errors_exit_2_with_one_line(args):
    assert_refused(run(*args), None)


def test_unknown_command_names_the_command():
    result = run("train")
    assert_refused(result, None)
    assert "command" in result.stderr and "train" in result.stderr


# --- presets, other designs, saved states of version 1 --------------------------------------

def test_trace_of_the_mazur_preset_gives_his_numbers():
    t = run_trace("--preset", "mazur")
    data = {"weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
            "biases": [[0.35, 0.35], [0.60, 0.60]], "inputs": [0.05, 0.10], "targets": [0.01, 0.99],
            "learning_rate": 0.5}
    oracle.assert_trace_matches(t, *expected_trace_of(data=data))
    assert round(t["loss"]["total"], 9) == 0.298371109
    assert round(t["layers"][2]["neurons"][0]["weight_updates"][0]["new"], 8) == 0.35891648
    assert round(t["layers"][1]["neurons"][0]["weight_updates"][0]["new"], 9) == 0.149780716
    text = run("explain", "--preset", "mazur").stdout
    assert "= 0.298371" in text and "= 0.358916" in text and "= 0.149781" in text


@pytest.mark.parametrize("preset", ["vanishing-gradient", "dead-relu", "softmax"])
def test_trace_of_every_teaching_preset_matches_the_oracle(preset):
    from pyodide_app.presets import PRESETS
    data = {"version": 2, "preset": preset, **PRESETS[preset].data}
    t = run_trace("--preset", preset, "--steps", "3")
    oracle.assert_trace_matches(t, *expected_trace_of(steps=3, data=data))
    assert t["activations"] == data["activations"] and t["loss"]["function"] == data["loss"]
    assert run("explain", "--preset", preset).returncode == 0


def test_explain_follows_the_activations_and_the_loss():
    text = run("explain", "--preset", "softmax").stdout
    assert "Hidden Layer 1 (Tanh)" in text and "Output Layer (Softmax)" in text
    assert "Loss Calculation (Cross-Entropy)" in text and "L = −Σ_j t_j ln o_j" in text
    assert "tanh′(z) = 1 − (" in text and "δ = a − t = " in text
    assert "σ" not in text.replace("Σ", "")  # no sigmoid anywhere in a tanh and softmax network
    relu = run("explain", "--preset", "dead-relu").stdout
    assert "ReLU′(z) = 0, as −1.2800 ≤ 0" in relu and "ReLU′(z) = 1, as 0.7200 > 0" in relu
    assert_minus_signs_are_true_minus_signs(text)
    assert_minus_signs_are_true_minus_signs(relu)


def test_targets_follow_the_design():
    assert_refused(run("trace", "--preset", "softmax", "--targets", "0.2,0.3,0.4"), "targets")
    t = run_trace("--preset", "softmax", "--targets", "0.25,0.25,0.5")
    assert [term["target"] for term in t["loss"]["terms"]] == [0.25, 0.25, 0.5]
    assert_refused(run("trace", "--preset", "mazur", "--targets", "0.5,-0.5"), "targets[1]")


def test_a_state_file_of_any_design(tmp_path):
    data = {"version": 2, "sizes": [2, 3, 3], "activations": ["leaky_relu", "tanh"], "loss": "mse",
            "preset": None, "random_seed": 5, "inputs": [0.7, -1.5], "targets": [-0.5, 0.25, 0.9],
            "learning_rate": 0.3, "weights": [[[0.5, -0.2], [-0.7, 0.4], [0.1, 0.9]],
                                              [[0.3, -0.6, 0.8], [0.2, 0.2, -0.4], [-0.9, 0.5, 0.1]]],
            "biases": [[0.0, 0.1, -0.1], [0.05, -0.05, 0.0]], "epoch": 3, "settings": {"speed": "slow"}}
    path = tmp_path / "state.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    t = run_trace("--state", str(path), "--steps", "4", "--targets", "-0.9,0.0,0.95")
    oracle.assert_trace_matches(t, *expected_trace_of(targets=[-0.9, 0.0, 0.95], steps=4, data=data))
    assert t["epoch"] == 7


def test_a_state_file_of_version_1_still_works():
    path = oracle.FIXTURES / "v1-trained-export.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    t = run_trace("--state", str(path), "--steps", "2")
    oracle.assert_trace_matches(t, *expected_trace_of(steps=2, data=data))
    assert t["epoch"] == data["epoch"] + 2


@pytest.mark.parametrize("args", [["trace", "--preset", "nope"], ["trace", "--preset"],
                                  ["trace", "--preset", "mazur", "--state", "x.json"]])
def test_bad_presets_are_usage_errors(args):
    assert_refused(run(*args), None)
