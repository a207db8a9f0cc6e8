"""The activation and loss records: each function, derivative, range and formula against the
oracle, numerical derivatives and an XML parser. A new entry is tested by being there."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import oracle
from pyodide_app import design
from pyodide_app.activations import ACTIVATIONS, RULES, softmax, softmax_delta, softmax_parts
from pyodide_app.losses import DELTA_RULES, LOSSES, delta_rule, pairing_note, pairing_problem
from pyodide_app.state import from_preset as load
from pyodide_app.trace import trace
from pyodide_app.notation.expressions import Num, bind
from pyodide_app.notation.writing import mathml, text, tokens
from pyodide_app.view.explain import explain

ELEMENTWISE = [f for f in ACTIVATIONS.values() if not f.mixes_layer]
ZS = [-800.0, -40.0, -7.5, -1.0, -0.3, -1e-9, 0.0, 1e-9, 0.25, 0.84, 3.0, 40.0, 800.0]
MATHML = {"mi", "mo", "mn", "mtext", "msub", "msup", "mfrac", "mrow", "munder"}


def test_the_records_are_the_ones_the_page_offers():
    assert [f.name for f in ACTIVATIONS.values()] == ["Sigmoid", "Tanh", "ReLU", "Leaky ReLU (0.01)", "Linear",
                                                     "Softmax"]
    assert [f.key for f in ACTIVATIONS.values() if f.output_only] == ["softmax"]
    assert [loss.name for loss in LOSSES.values()] == ["Mean squared error", "Cross-entropy"]
    assert set(ACTIVATIONS) == set(oracle.ACTIVATIONS) and set(LOSSES) == set(oracle.LOSSES)


@pytest.mark.parametrize("f", ELEMENTWISE, ids=lambda f: f.key)
def test_function_and_derivative_match_the_oracle(f):
    z = np.array(ZS)
    a = np.array([f.function(x) for x in ZS])
    oracle.assert_close(a, oracle.activate(f.key, z), f.key, abs_tol=1e-300, rel_tol=1e-13)
    slopes = [f.derivative(x, y) for x, y in zip(ZS, a)]
    oracle.assert_close(slopes, np.diag(oracle.jacobian(f.key, z, a)), f"{f.key}′", abs_tol=1e-15)
    assert f.forward(ZS) == list(a)
    errors = [0.5 * k - 3 for k in range(len(ZS))]
    assert f.delta(ZS, list(a), errors) == [e * s for e, s in zip(errors, slopes)]


@pytest.mark.parametrize("f", ELEMENTWISE, ids=lambda f: f.key)
def test_derivative_is_the_slope_of_the_function(f):
    h = 1e-6
    for z in np.linspace(-4, 4, 81):
        if abs(z) < 1e-3:  # ReLU and leaky ReLU have a kink at 0
            continue
        numeric = (f.function(z + h) - f.function(z - h)) / (2 * h)
        assert math.isclose(f.derivative(z, f.function(z)), numeric, rel_tol=1e-6, abs_tol=1e-8), (f.key, z)


@pytest.mark.parametrize("f", ELEMENTWISE, ids=lambda f: f.key)
def test_outputs_stay_in_the_stated_range_and_reach_its_ends(f):
    outputs = [f.function(z) for z in list(np.linspace(-50, 50, 1001)) + [-1e4, 1e4]]
    assert all(f.low <= a <= f.high for a in outputs)
    assert min(outputs) <= max(f.low, -50) + 1e-9 and max(outputs) >= min(f.high, 50) - 1e-9
    assert (f.low, f.high) == oracle.OUTPUT_RANGE[f.key]


def test_softmax_against_the_oracle():
    f = ACTIVATIONS["softmax"]
    for z in ([0.5, -0.2, 1.3], [800.0, 799.0, -800.0], [0.0, 0.0], [-745.0, 0.0, 3.0, 1.0]):
        a = softmax(z)
        oracle.assert_close(a, oracle.activate("softmax", np.array(z)), "softmax", abs_tol=1e-300)
        assert f.forward(z) == a and abs(math.fsum(a) - 1) < 1e-15
        errors = [0.3, -1.2, 0.7, 2.0][:len(z)]
        J = oracle.jacobian("softmax", np.array(z), np.array(a))
        oracle.assert_close(softmax_delta(z, a, errors), J.T @ np.array(errors), "Jᵀe", abs_tol=1e-15)
        shift, exponentials, total = softmax_parts(z)
        assert shift == max(z) and max(exponentials) == 1.0 and total == math.fsum(exponentials)
        assert [f.derivative(x, y) for x, y in zip(z, a)] == [y * (1 - y) for y in a]  # ∂a_j/∂z_j


def test_derivative_cases():
    assert ACTIVATIONS["relu"].rule(0.5).key == "relu-positive"
    assert ACTIVATIONS["relu"].rule(0.0).key == ACTIVATIONS["relu"].rule(-2.0).key == "relu-not-positive"
    assert ACTIVATIONS["leaky_relu"].rule(-1e-300).key == "leaky_relu-not-positive"
    assert [ACTIVATIONS[k].rule(0.3).key for k in ("sigmoid", "tanh", "linear", "softmax")] == \
        ["sigmoid", "tanh", "linear", "softmax"]
    assert set(RULES) == {rule.key for f in ACTIVATIONS.values() for rule in f.rules}
    numbers = {"a": Num("a"), "z": Num("z")}
    shown = {"a": "0.5000", "z": "−1.2800"}.get
    assert text(tokens(bind(RULES["tanh"].worked, numbers)), lambda n, operand: shown(n.key)) == "1 − (0.5000)²"
    assert text(tokens(bind(RULES["relu-not-positive"].worked, numbers)),
                lambda n, operand: shown(n.key)) == "0, as −1.2800 ≤ 0"
    assert RULES["sigmoid"].formula.text == "σ′(z) = a × (1 − a)"
    assert RULES["tanh"].formula.text == "tanh′(z) = 1 − a²"
    assert RULES["relu-positive"].formula.text == "ReLU′(z) = 1, as z > 0"
    assert all(rule.constant == (rule.key.startswith(("relu", "leaky")) or rule.key == "linear")
               for rule in RULES.values())


def mathml_elements(mathml: str) -> set[str]:
    root = ET.fromstring(f"<math>{mathml}</math>")
    return {el.tag for el in root.iter()} - {"math"}


def all_formulas():
    for f in ACTIVATIONS.values():
        yield f.key, f.formula
        for rule in f.rules:
            yield rule.key, rule.formula
    for loss in LOSSES.values():
        for output, formula in loss.formulas.items():
            yield f"{loss.key} {output}", formula
    for key, rule in DELTA_RULES.items():
        yield key, rule.formula


@pytest.mark.parametrize("name, formula", list(all_formulas()), ids=lambda x: x if isinstance(x, str) else "")
def test_formulas_are_text_and_well_formed_mathml(name, formula):
    assert formula.text.strip() and "<" not in formula.text
    assert mathml_elements(formula.mathml) <= MATHML


def worked_steps():
    """Every worked step a record declares, its slots given numbers: a − t, a × (1 − a), …"""
    for f in ACTIVATIONS.values():
        yield f"{f.key} a = f(z)", f.worked
        for rule in f.rules:
            yield rule.key, rule.worked
        for k, entry in enumerate(f.jacobian or ()):
            yield f"{f.key} ∂a/∂z {k}", entry
    for loss in LOSSES.values():
        if loss.error is not None:
            yield f"{loss.key} ∂L/∂a", loss.error
        for output, work in loss.work.items():
            for k, stage in enumerate(work.term + work.total):
                yield f"{loss.key} {output} {k}", stage
    for key, rule in DELTA_RULES.items():
        yield f"δ {key}", rule.worked


@pytest.mark.parametrize("name, worked", list(worked_steps()), ids=lambda x: x if isinstance(x, str) else "")
def test_worked_steps_write_as_text_and_well_formed_mathml(name, worked):
    slots = {name: Num(name) for name in ("a", "z", "t", "other", "error", "slope", "jacobian", "difference",
                                          "squared", "sum_squared", "log_predicted", "log_complement", "term")}
    bound = bind(worked, slots, [slots, slots])
    written = text(tokens(bound), lambda n, operand: "(−0.5000)" if operand else "−0.5000")
    assert written.strip() and "<" not in written and "{" not in written
    assert mathml_elements(mathml(tokens(bound), lambda n, operand: "<mn>−0.5000</mn>")) <= MATHML


# --- losses ---------------------------------------------------------------------------------

def loss_of(key, output, z, t):
    net = oracle.Net([], [], [output], key)
    a = oracle.activate(output, np.array(z))
    return oracle.loss(net, np.array(z), a, t)


@pytest.mark.parametrize("key, output", [("mse", f) for f in ACTIVATIONS] + [("cross_entropy", "sigmoid"),
                                                                           ("cross_entropy", "softmax")])
def test_loss_values_match_the_oracle(key, output):
    loss, f = LOSSES[key], ACTIVATIONS[output]
    for z, t in (([0.3, -1.2, 2.0], [0.2, 0.7, 0.1]), ([40.0, -40.0, 0.0], [0.0, 1.0, 0.5]),
                 ([700.0, -700.0, 5.0], [1.0, 0.0, 0.0])):
        a = f.forward(z)
        assert math.isclose(loss.value(z, a, t, output), loss_of(key, output, z, t), rel_tol=1e-12, abs_tol=1e-300)
        assert math.isfinite(loss.value(z, a, t, output))


def test_gradients_and_delta_rules():
    assert LOSSES["mse"].gradient([0.7, 0.1], [0.2, 0.4]) == [0.7 - 0.2, 0.1 - 0.4]
    assert LOSSES["cross_entropy"].gradient is None
    assert delta_rule("mse", "sigmoid") == delta_rule("mse", "relu") == "chain"
    assert delta_rule("mse", "softmax") == "jacobian"
    assert delta_rule("cross_entropy", "sigmoid") == delta_rule("cross_entropy", "softmax") == "combined"
    assert LOSSES["cross_entropy"].formula("sigmoid").text.startswith("L = −Σ_j [t_j ln o_j")
    assert LOSSES["cross_entropy"].formula("softmax").text == "L = −Σ_j t_j ln o_j"
    assert LOSSES["mse"].formula("tanh").text == "L = ½ Σ_j (o_j − t_j)²"


def test_pairings_are_explained():
    for output in ("tanh", "relu", "leaky_relu", "linear"):
        field, why = pairing_problem("cross_entropy", output, [0.5, 0.5])
        assert field == "loss" and ACTIVATIONS[output].name in why and ACTIVATIONS[output].range_text in why
    assert pairing_problem("cross_entropy", "softmax", [0.5, 0.6])[0] == "targets"
    assert pairing_problem("cross_entropy", "sigmoid", [0.5, 1.5]) == \
        ("targets[1]", "must be between 0 and 1 for cross-entropy: a target is a probability")
    assert pairing_problem("cross_entropy", "sigmoid", [0.5, 0.6]) is None
    assert pairing_problem("mse", "linear", [-5.0, 5.0]) is None
    assert "Jacobian" in pairing_note("mse", "softmax")
    assert all("o − t" in pairing_note("cross_entropy", output) for output in ("sigmoid", "softmax"))
    assert pairing_note("mse", "sigmoid") is None


# --- one entry is enough --------------------------------------------------------------------

@pytest.mark.parametrize("key", list(ACTIVATIONS))
def test_every_activation_works_everywhere_once_it_is_listed(key):
    """In a state, a trace, the explanation and a random network, in every layer it may go."""
    f = ACTIVATIONS[key]
    state = design.redesigned(load("seed"), activations=(["sigmoid"] * 3 if f.output_only else [key] * 3) + [key])
    state = design.randomised(state, 7)
    net = state.network
    oracle.assert_trace_matches(trace(state), oracle.Net.from_lists(net.weights, net.biases, net.activations, net.loss),
                                state.inputs, state.targets, state.learning_rate)
    text = explain(trace(state), state.targets)
    assert f.name in text and (f.mixes_layer or f"{f.symbol}(" in text)


def test_no_code_but_the_records_compares_an_activation_or_a_loss_key():
    """Capabilities, not keys: softmax mixes its layer, a loss says which outputs it accepts and
    whether its targets are probabilities; only activations.py and losses.py name their keys."""
    keys = "|".join(re.escape(key) for key in [*ACTIVATIONS, *LOSSES])
    comparison = re.compile(rf"""[=!]=\s*["']({keys})["']|["']({keys})["']\s*(?:[=!]=|in\b)|\bin\s*[(\[]["']({keys})["']"""
                            rf"""|equalto["'],\s*["']({keys})["']""")
    records = {oracle.ROOT / "pyodide_app" / "activations.py", oracle.ROOT / "pyodide_app" / "losses.py"}
    sources = [*(oracle.ROOT / "pyodide_app").rglob("*.py"), *(oracle.ROOT / "site_src" / "templates").glob("*.html")]
    found = [(path.name, m.group(0)) for path in sources if path not in records
             for m in comparison.finditer(path.read_text(encoding="utf-8"))]
    assert len(sources) > 40 and found == []
