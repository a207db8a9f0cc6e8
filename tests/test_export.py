"""The page's network as code (pyodide_app/view/code_export.py): the Python script runs with NumPy
alone and the notebook in a real Python kernel, and every number they print is the numpy oracle's
and the page's, written as the page writes it (pyodide_app.notation.numbers)."""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys

import jupyter_client
import nbclient
import nbformat
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import oracle
from shown import base, value
from generator import app_files
from strategies import problems, state_of
from pyodide_app.__main__ import main
from pyodide_app.network import total_loss, train
from pyodide_app.notation import names
from pyodide_app.notation.numbers import number
from pyodide_app.state import from_preset, load_seed, serialise, within_limits
from pyodide_app.trace import trace
from pyodide_app.view import code_export, page

NUMBER = r"−?\d+\.\d+(?: × 10⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?"
TRAINING_STEPS = 4  # random networks: few steps, so the code and the oracle cannot drift apart
# (hidden activation, output activation, loss): every activation and every loss the page allows;
# None: no hidden layer
DESIGNS = [("sigmoid", "sigmoid", "mse"), ("tanh", "tanh", "mse"), ("relu", "relu", "mse"),
           ("leaky_relu", "leaky_relu", "mse"), ("linear", "linear", "mse"), ("tanh", "softmax", "mse"),
           ("relu", "sigmoid", "cross_entropy"), ("leaky_relu", "softmax", "cross_entropy"),
           (None, "softmax", "mse")]
SLOW = (Phase.explicit, Phase.reuse, Phase.generate)  # a run takes a process or a kernel: no shrinking


def problems_of(hidden: str | None, output: str, loss: str):
    """Random networks with `output` outputs and `loss`, and at least one hidden layer of `hidden`
    (None: no hidden layer)."""
    return problems(max_hidden=3 if hidden else 0, max_width=5, hidden=(hidden,), outputs=(output,)).filter(
        lambda p: p[0].loss == loss and (len(p[0].weights) >= 2) == bool(hidden))


# --- what the code prints, keyed as the page keys its numbers (view/page.py) -----------------

def printed(text: str, sizes: list[int]) -> dict[str, str]:
    """{page key: number as printed}: z-, a-, d-, the update table's o/g/u/n-w- and -b-, loss,
    "loss after" (after the step) and "after N" (training)."""
    count = len(sizes)
    where = {names.neuron(l, j, count): f"{l}-{j}" for l, size in enumerate(sizes) for j in range(size)}
    out: dict[str, str] = {}
    for line in text.splitlines():
        if m := re.fullmatch(rf"  (\S+)\s+z = +({NUMBER})   a = +({NUMBER})", line):
            out[f"z-{where[m[1]]}"], out[f"a-{where[m[1]]}"] = m[2], m[3]
        elif m := re.fullmatch(rf"  (\S+)\s+δ = +({NUMBER})", line):
            out[f"d-{where[m[1]]}"] = m[2]
        elif m := re.fullmatch(rf"  (?:(\S+) → (\S+)|bias (\S+)) +({NUMBER}) +({NUMBER}) +({NUMBER}) +({NUMBER})", line):
            key = f"w-{where[m[2]]}-{where[m[1]].split('-')[1]}" if m[1] else f"b-{where[m[3]]}"
            for kind, value in zip("ogun", m.groups()[3:]):
                out[kind + key] = value
        elif m := re.fullmatch(rf"L = ({NUMBER})( after the step)?", line):
            out["loss after" if m[2] else "loss"] = m[1]
        elif m := re.fullmatch(rf"Step +(\d+): L = ({NUMBER})", line):
            out[f"after {m[1]}"] = m[2]
        elif m := re.fullmatch(r"Step (\d+): a weight grew past ±1,000,000,000\. The page stops here: .*", line):
            out["diverged"] = m[1]
        else:
            assert re.fullmatch(r"(Into )?(Hidden Layer \d|Output Layer)| +old +gradient +update +new", line), line
    return out


def expected(net: oracle.Net, inputs, targets, rate: float) -> dict[str, str]:
    """The same keys of one pass and one step, from the oracle."""
    p = oracle.full_pass(net, inputs, targets)
    out = {"loss": number(p.loss, "precise")}
    for l in range(1, len(p.sums)):
        for j in range(len(p.sums[l])):
            out[f"z-{l}-{j}"], out[f"a-{l}-{j}"] = number(p.sums[l][j]), number(p.activations[l][j])
            out[f"d-{l}-{j}"] = number(p.deltas[l][j], "precise")
            parameters = [(f"w-{l}-{j}-{i}", net.weights[l - 1][j, i], p.weight_gradients[l - 1][j, i])
                          for i in range(len(p.activations[l - 1]))]
            for key, old, gradient in parameters + [(f"b-{l}-{j}", net.biases[l - 1][j], p.deltas[l][j])]:
                update = rate * gradient
                for kind, value in zip("ogun", (old, gradient, update, old - update)):
                    out[kind + key] = number(value, "precise")
    out["loss after"] = number(oracle.loss_at(oracle.step(net, inputs, targets, rate), inputs, targets), "precise")
    return out


def trained(state, steps: int) -> dict[str, str]:
    """The losses the page's own training reaches after the step above: "after N", and where
    it stops, a weight past ±1e9, "diverged"."""
    net, out, every = state.network.copy(), {}, max(1, steps // 10)
    train(net, state.inputs, state.targets, state.learning_rate, 1)
    for step in range(1, steps + 1):
        train(net, state.inputs, state.targets, state.learning_rate, 1)
        if not within_limits(net):
            return out | {"diverged": str(step)}
        if step % every == 0 or step == steps:
            out[f"after {step}"] = number(total_loss(net, state.inputs, state.targets), "precise")
    return out


def check(output: str, state, steps: int) -> None:
    net = oracle.Net.from_lists(state.network.weights, state.network.biases, state.network.activations,
                                state.network.loss)
    numbers = printed(output, state.network.sizes)
    assert numbers == expected(net, state.inputs, state.targets, state.learning_rate) | trained(state, steps)
    by_number: dict[str, list[str]] = {}  # the page's texts of each number: its own key's, its cards' copies
    for key, text in page.values(trace(state), state.targets).items():
        by_number.setdefault(base(key), []).append(text)
    shown = {key: text for key, text in numbers.items() if key in by_number}
    assert [(key, text, page_text) for key, text in shown.items() for page_text in by_number[key]
            if not agrees(page_text, text)] == []
    assert numbers.keys() - shown.keys() == {"loss after"} | {key for key in numbers if key.startswith(("after ", "div"))}


def agrees(page_text: str, printed: str) -> bool:
    """The page's text of a number is the printed one, or writes it with other decimals (a worked
    line takes those it needs): both are the same number, each to its own last decimal."""
    if page_text.strip("()") == printed:
        return True
    (shown_value, shown_unit, _), (value_printed, unit, _) = value(page_text), value(printed)
    return abs(shown_value - value_printed) <= (shown_unit + unit) / 2


# --- running them ---------------------------------------------------------------------------

def run_script(text: str, tmp_path) -> str:
    path = tmp_path / "network.py"
    path.write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, encoding="utf-8",
                            timeout=60, cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def kernel():
    manager = jupyter_client.KernelManager(kernel_name="python3")
    manager.start_kernel()
    yield manager
    manager.shutdown_kernel(now=True)


def run_notebook(text: str, kernel) -> str:
    """The notebook, valid nbformat 4, run cell by cell in a Python kernel emptied first; its stdout."""
    notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    notebook.cells.insert(0, nbformat.v4.new_code_cell("%reset -f"))  # nothing left of the last notebook
    nbclient.NotebookClient(notebook, km=kernel, timeout=60).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert all(output.output_type == "stream" and output.name == "stdout" for output in outputs), outputs
    return "".join(output.text for output in outputs)


# --- the seed, Mazur's example and random networks ------------------------------------------

@pytest.mark.parametrize("preset", ["seed", "mazur"])
def test_the_script_and_the_notebook_print_the_oracles_and_the_pages_numbers(preset, tmp_path, kernel):
    state = from_preset(preset)
    script_output = run_script(code_export.script(state, 300), tmp_path)
    check(script_output, state, 300)
    assert run_notebook(code_export.notebook(state, 300), kernel) == script_output


def test_mazurs_published_numbers():
    state = from_preset("mazur")
    numbers = printed(subprocess.run([sys.executable, "-c", code_export.script(state, 0)], capture_output=True,
                                     text=True, encoding="utf-8", check=True).stdout, state.network.sizes)
    assert numbers["loss"] == "0.298371" and numbers["nw-2-0-0"] == "0.358916" and numbers["nw-1-0-0"] == "0.149781"


@pytest.mark.parametrize("hidden, output, loss", DESIGNS)
@settings(max_examples=4, deadline=None, phases=SLOW, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.filter_too_much])
@given(data=st.data())
def test_the_script_of_any_network(hidden, output, loss, data, tmp_path):
    state = state_of(*data.draw(problems_of(hidden, output, loss)))
    check(run_script(code_export.script(state, TRAINING_STEPS), tmp_path), state, TRAINING_STEPS)


@pytest.mark.parametrize("hidden, output, loss", DESIGNS)
@settings(max_examples=1, deadline=None, phases=SLOW, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.filter_too_much])
@given(data=st.data())
def test_the_notebook_of_any_network(hidden, output, loss, data, kernel):
    state = state_of(*data.draw(problems_of(hidden, output, loss)))
    check(run_notebook(code_export.notebook(state, TRAINING_STEPS), kernel), state, TRAINING_STEPS)


# --- the code itself ------------------------------------------------------------------------

@functools.cache
def number_function():
    """The `number` the code defines, from its cell."""
    [source] = [source for kind, source in code_export.cells_of(code_export.script(load_seed()))
                if kind == "code" and "def number" in source]
    namespace: dict = {}
    exec(source, namespace)
    return namespace["number"]


@given(st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [0.0, -0.0, -0.00004, -0.0000004, 99999.99995, -99999.99995, 1e5, -1e5, 99999.9999999, 123456789.0]))
def test_the_codes_number_writes_as_the_page_does(x):
    written = number_function()
    assert written(x) == number(x, "value")
    assert written(x, 6) == number(x, "precise")


def test_every_cell_has_its_sections_title_and_the_script_is_the_notebooks_code():
    state = from_preset("softmax")
    cells = json.loads(code_export.notebook(state))["cells"]
    titles = [cell["source"][0].strip() for cell in cells if cell["cell_type"] == "markdown"]
    assert titles == ["# The 3-4-3 network of the page, in code", "## The network", "## Activation Function (Tanh)",
                      "## Activation Function (Softmax)", "## Numbers as the page writes them", "## Forward Pass",
                      "## Loss Calculation (Cross-Entropy)", "## Backpropagation: Loss Gradients for Each Layer",
                      "## Weight Updates", "## Training"]
    code = "\n\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")
    script = code_export.script(state)
    assert [line for line in code.splitlines() if line.strip()] == \
           [line for line in script.splitlines() if line.strip() and not line.startswith("#")]
    [loss] = ["".join(cell["source"]) for cell in cells if cell["source"][0].startswith("## Loss Calculation")]
    assert "\n    L = −Σ_j t_j ln o_j\n" in loss and "Categorical cross-entropy" in loss


def test_the_worker_makes_the_same_files_from_the_files_it_is_shipped(tmp_path):
    """What app-files.js installs in the worker (docstrings and comments stripped, the page's
    templates) writes the same script and notebook, with the standard library and Jinja alone."""
    for path, text in app_files.shipped_files(oracle.ROOT / "pyodide_app").items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    make = ("import sys; from pyodide_app.state import from_preset; from pyodide_app.view import code_export as c; "
            "sys.modules['numpy'] = None; sys.stdout.write(c.script(from_preset('softmax'), 7) + "
            "c.notebook(from_preset('dead-relu'), 9))")
    result = subprocess.run([sys.executable, "-c", make], cwd=tmp_path, capture_output=True, text=True,
                            encoding="utf-8", timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == code_export.script(from_preset("softmax"), 7) + code_export.notebook(from_preset("dead-relu"), 9)


# --- the command line -----------------------------------------------------------------------

@pytest.mark.parametrize("command", ["script", "notebook"])
def test_the_command_line_writes_what_the_functions_write(command, tmp_path, capsys):
    state = from_preset("dead-relu")
    (tmp_path / "state.json").write_text(serialise(state), encoding="utf-8")
    make = getattr(code_export, command)
    out = tmp_path / "out"
    assert main([command, "--state", str(tmp_path / "state.json"), "--steps", "25", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == make(state, 25)
    capsys.readouterr()
    assert main([command, "--preset", "mazur"]) == 0
    assert capsys.readouterr().out == make(from_preset("mazur"))


def test_the_command_line_refuses_a_bad_number_of_steps(capsys):
    assert main(["script", "--steps", "many"]) == 2
    assert "steps" in capsys.readouterr().err


def test_the_session_offers_the_pages_network_as_code_and_refuses_while_practising():
    """The buttons' messages: the network of this moment as a file; while Practice hides
    numbers the code would print them, so it is refused and nothing is offered."""
    from pyodide_app.session import Session
    from pyodide_app.view import code_export

    session = Session()
    session.handle("start", "", None)
    session.handle("step")
    for kind, extension, write in (("notebook", "ipynb", code_export.notebook), ("script", "py", code_export.script)):
        reply = session.handle(kind)
        assert reply["download"] == {"name": f"neural-network-epoch-1.{extension}", "text": write(session.state)}
    nbformat.validate(nbformat.reads(session.handle("notebook")["download"]["text"], as_version=4))
    session.handle("practice")
    for kind in ("notebook", "script"):
        reply = session.handle(kind)
        assert "download" not in reply and "Practice hides" in reply["notice"]["text"]
