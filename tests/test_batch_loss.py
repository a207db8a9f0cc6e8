"""The batch's loss on the page, against the numpy batch oracle: the loss card's batch mean and its
worked lines, the gradient check on the batch's mean loss (central differences and the mean
backpropagated gradient), and what Practice hides of them; over random networks, datasets and
batch sizes."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import batch_oracle
import oracle
from line_check import failures, page_lines
from test_batches import batch_problems, core
from test_masking import Page
from pyodide_app import gradient_check, training
from pyodide_app.data import settings as data_settings
from pyodide_app.data.generators import GENERATORS
from pyodide_app.features.gradient_check import checked
from pyodide_app.session import Session
from pyodide_app.trace import trace
from pyodide_app.view import curve, render, status

H = 1e-5


def oracle_net(state) -> oracle.Net:
    net = state.network
    return oracle.Net.from_lists(net.weights, net.biases, net.activations, net.loss)


def batch_samples(state) -> tuple[list, list]:
    """The inputs and targets of the batch the next step takes, from the dataset's own points."""
    made = data_settings.samples_of(state.data, state.network.activations[-1])
    batch = training.current_batch(state)
    return [made.inputs[k] for k in batch], [made.targets[k] for k in batch]


def on_data(dataset: str, sizes: str, batch_size: int, seed: int, points: int = 60, steps: int = 0) -> Session:
    session = Session()
    session.start("", None)
    session.handle("dataset", dataset)
    for name, value in (("points", points), ("seed", seed), ("batch_size", batch_size)):
        session.handle("dataSetting", name, str(value))
    session.handle("sizes", sizes)
    for _ in range(steps):
        session.handle("step")
    return session


data_cases = st.tuples(st.sampled_from(sorted(GENERATORS)), st.sampled_from(["2-3-1", "2-4-3-1", "2-2-2-2-1"]),
                       st.integers(1, 40), st.integers(0, 10 ** 6), st.integers(0, 3))


# ---- the gradient check on a batch ------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(batch_problems(max_samples=8))
def test_the_check_of_a_batch_is_the_oracles_mean_gradient_and_central_difference(problem):
    net, xs, ts, _ = problem
    sums, _ = batch_oracle.forward(net, xs)
    kinked = [l for l, f in enumerate(net.activations, start=1) if f in ("relu", "leaky_relu")]
    assume(all(np.abs(sums[l]).min() > 1e-3 for l in kinked))  # no derivative at a kink
    loss = batch_oracle.batch_loss(net, xs, ts)
    assume(math.isfinite(loss) and loss < 1e6)
    entries = gradient_check.check_batch(core(net), xs, ts)
    gw, gb = batch_oracle.mean_gradients(net, xs, ts)
    numeric_w, numeric_b = oracle.numeric_gradients(net, lambda n: batch_oracle.batch_loss(n, xs, ts), h=H)
    expected = [(g, d) for l in range(len(gw)) for j in range(len(gb[l]))
                for g, d in [*zip(gw[l][j], numeric_w[l][j]), (gb[l][j], numeric_b[l][j])]]
    assert len(entries) == len(expected)
    for e, (g, d) in zip(entries, expected):
        assert math.isclose(e.gradient, g, rel_tol=1e-9, abs_tol=1e-12)
        assert math.isclose(e.central, d, rel_tol=1e-5, abs_tol=1e-8 * max(1.0, loss))
    assert gradient_check.largest(entries).relative <= gradient_check.AGREES


def test_one_sample_is_a_batch_of_one_to_the_last_bit():
    session = Session()
    state = session.state
    assert gradient_check.check(state.network, state.inputs, state.targets) == \
        gradient_check.check_batch(state.network, [state.inputs], [state.targets])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data_cases)
def test_on_data_the_section_checks_the_next_batchs_mean_loss(case):
    dataset, sizes, batch_size, seed, steps = case
    session = on_data(dataset, sizes, batch_size, seed, steps=steps)
    state = session.state
    xs, ts = batch_samples(state)
    net = oracle_net(state)
    entries = checked(state)
    gw, gb = batch_oracle.mean_gradients(net, xs, ts)
    expected = [g for l in range(len(gw)) for j in range(len(gb[l])) for g in [*gw[l][j], gb[l][j]]]
    assert len(entries) == len(expected)
    assert all(math.isclose(e.gradient, g, rel_tol=1e-9, abs_tol=1e-12) for e, g in zip(entries, expected))
    html = session.handle("check", True)["check"]
    loss = batch_oracle.batch_loss(net, xs, ts)
    assert "On the batch's mean loss" in html and f"n = {len(xs)} samples" in html
    written = html.split("(L = ")[1].split(")")[0]
    assert abs(float(written.replace("\u2212", "-")) - loss) <= 5e-7 * max(1.0, loss)


def test_with_one_sample_the_section_says_nothing_of_a_batch():
    session = Session()
    session.start("", None)
    assert "batch" not in session.handle("check", True)["check"]


# ---- the loss card ---------------------------------------------------------------------------------

def loss_card_lines(session: Session) -> list[str]:
    t = trace(session.state)
    html = render.render_parts(render.context(session.state, t), ["formulas"])["formulas"]
    card = html[html.index('id="loss"'):html.index('id="backprop"')]
    return page_lines(card)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data_cases)
def test_the_loss_card_gives_the_shown_points_loss_and_the_batchs_mean(case):
    dataset, sizes, batch_size, seed, steps = case
    session = on_data(dataset, sizes, batch_size, seed, steps=steps)
    state = session.state
    xs, ts = batch_samples(state)
    net = oracle_net(state)
    t = trace(state)
    assert t["batch_loss"]["size"] == len(xs) == len(training.current_batch(state))
    assert math.isclose(t["batch_loss"]["mean"], batch_oracle.batch_loss(net, xs, ts), rel_tol=1e-12, abs_tol=1e-15)
    assert math.isclose(t["loss"]["total"], oracle.loss_at(net, state.inputs, state.targets), rel_tol=1e-12,
                        abs_tol=1e-15)
    lines = loss_card_lines(session)
    assert [(line, f) for line in lines if (f := failures(line))] == []
    mean = [line for line in lines if line.startswith("sym_LB = ")]
    assert len(mean) == 1, lines
    assert abs(float(mean[0].rsplit("= ", 1)[1].replace("\u2212", "-")) - t["batch_loss"]["mean"]) <= 5e-7
    listed = [line for line in lines if line.startswith("Σ")]
    assert len(listed) == (1 if 1 < len(xs) <= 10 else 0)
    if listed:  # each sample's loss, as the oracle has it
        terms = listed[0].split(" = ")[1].split(" + ")
        expected = [batch_oracle.batch_loss(net, [x], [tt]) for x, tt in zip(xs, ts)]
        assert all(abs(float(a) - b) <= 5e-7 for a, b in zip(terms, expected)) and len(terms) == len(xs)


def test_copy_latex_of_the_batch_mean_is_the_cards_lines():
    session = on_data("moons", "2-3-1", 6, 4)
    xs, ts = batch_samples(session.state)
    tex = session.handle("latex", "LB")["latex"]["text"]
    assert tex.startswith("% The batch's mean loss") and "L_{B}" in tex and "\\sum_{s} L_{s}" in tex
    mean = batch_oracle.batch_loss(oracle_net(session.state), xs, ts)
    assert tex.rstrip().splitlines()[-2].endswith(f"= {mean:.6f}")


def test_the_loss_card_of_one_sample_is_as_it_was():
    session = Session()
    session.start("", None)
    lines = loss_card_lines(session)
    assert lines and not any(line.startswith(("Σ", "sym_LB")) for line in lines)


def test_the_card_says_it_is_the_mean_over_the_batch():
    session = on_data("spiral", "2-3-1", 25, 1)
    html = render.render_parts(render.context(session.state, trace(session.state)), ["formulas"])["formulas"]
    assert "the mean over the batch's 25 samples" in html and "shown point's loss" in html


# ---- Practice ---------------------------------------------------------------------------------------

def written(x: float) -> set[str]:
    return {f"{abs(x):.{d}f}" for d in range(4, 9)}


def test_practice_hides_the_shown_points_loss_among_the_batchs_and_their_mean():
    session = on_data("circle", "2-3-1", 5, 3)
    state = session.state.copy()
    batch = training.current_batch(state)
    state.data["shown"] = batch[2]  # the shown point is in the batch
    state.inputs, state.targets = data_settings.shown_sample(state.data, state.network.activations[-1])
    net = oracle_net(state)
    xs, ts = batch_samples(state)
    shown_loss = oracle.loss_at(net, state.inputs, state.targets)
    secret = written(shown_loss) | written(batch_oracle.batch_loss(net, xs, ts)) | \
        written(sum(batch_oracle.batch_loss(net, [x], [t]) for x, t in zip(xs, ts)))
    page = Page(state, ["loss"])
    page.send("check", open=True)
    page.send("visible", parts=["forward", "loss", "backprop", "updates"], editorOpen=False)
    page.send("latex", id="LB")
    page.send("latex", id="L")
    text = "\n".join(reply for reply, _, _ in page.replies)
    assert "The batch's mean loss" in text  # the card's LaTeX was answered, its hidden numbers "?"
    assert not [s for s in secret if s in text]
    # the other samples' losses stay: they say nothing of the shown point's
    other = batch_oracle.batch_loss(net, [xs[0]], [ts[0]])
    assert any(s in text for s in written(other))
    # and nothing is hidden when the loss is not practised
    free = Page(state, ["activations"])
    assert any(s in "\n".join(r for r, _, _ in free.replies) for s in written(shown_loss))


def test_the_check_on_a_batch_leaves_the_network_as_it_was():
    session = on_data("xor", "2-4-1", 10, 5)
    before = json.dumps([session.state.network.weights, session.state.network.biases])
    checked(session.state)
    assert json.dumps([session.state.network.weights, session.state.network.biases]) == before


# ---- the status bar and the loss curve --------------------------------------------------------------

def set_losses(state) -> tuple[float, float]:
    """(training loss, test loss) by the oracle: the mean loss over each set of points."""
    made = data_settings.samples_of(state.data, state.network.activations[-1])
    d = data_settings.dataset_of(state.data)
    X, T, net = np.array(made.inputs), np.array(made.targets), oracle_net(state)
    return tuple(batch_oracle.batch_loss(net, X[ks], T[ks]) for ks in (d.training_indices, d.test_indices))


def accuracies(state) -> tuple[float, float]:
    made = data_settings.samples_of(state.data, state.network.activations[-1])
    d = data_settings.dataset_of(state.data)
    X, T, net = np.array(made.inputs), np.array(made.targets), oracle_net(state)
    return tuple(batch_oracle.accuracy(net, X[ks], T[ks]) for ks in (d.training_indices, d.test_indices))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data_cases)
def test_the_status_bar_gives_the_epoch_both_sets_losses_and_of_classes_their_accuracy(case):
    dataset, sizes, batch_size, seed, steps = case
    session = on_data(dataset, sizes, batch_size, seed, steps=steps)
    text = status.readout(session.state)
    training_loss, test_loss = set_losses(session.state)
    assert text.startswith(f"Epoch {session.state.epoch:,} · ")
    assert f"Training loss {training_loss:.6f} · Test loss {test_loss:.6f}" in text
    if GENERATORS[dataset].regression:
        assert "accuracy" not in text
    else:
        training_right, test_right = accuracies(session.state)
        assert f"Training accuracy {100 * training_right:.1f} % · Test accuracy {100 * test_right:.1f} %" in text


def test_the_loss_curve_on_data_has_a_training_and_a_test_curve_of_the_oracles_losses():
    session = on_data("spiral", "2-6-1", 10, 2, points=100)
    for _ in range(12):  # past the first epochs: an epoch is 5 batches of 10 of the 50 training points
        session.state.data["position"] = data_settings.batch_count(session.state.data) - 1
        session.handle("step")
    history = session.history
    assert len(history) >= 5 and all(len(point) == 3 for point in history)
    assert [p[0] for p in history] == sorted({p[0] for p in history})
    assert history[-1][1:] == pytest.approx(set_losses(session.state), rel=1e-12)
    g = curve.geometry(history)
    assert g["two"] and g["points"] and g["test_points"] and g["points"] != g["test_points"]
    assert len(g["test_points"].split()) == len(g["points"].split()) == len(history)
    text, attrs = curve.page_values(g)
    assert attrs["curve-legend"]["visibility"] == "visible" and attrs["curve-test-line"]["points"] == g["test_points"]
    first, last = history[0], history[-1]
    assert text["curve-summary"] == (f"From epoch {first[0]:,} to {last[0]:,}, the training loss (solid) went from "
                                     f"{first[1]:.6f} to {last[1]:.6f}, the test loss (dashed) from {first[2]:.6f} "
                                     f"to {last[2]:.6f}.")
    ys = [float(xy.split(",")[1]) for xy in g["test_points"].split()]
    top, bottom = curve.TOP, curve.BOTTOM
    assert all(top <= y <= bottom for y in ys)


def test_one_sample_keeps_one_curve_and_no_legend():
    session = Session()
    session.start("", None)
    for _ in range(3):
        session.handle("step")
    assert all(len(point) == 2 for point in session.history)
    g = curve.geometry(session.history)
    text, attrs = curve.page_values(g)
    assert g["points"] and not g["two"] and g["test_points"] == "" and text["curve-summary"] == ""
    assert attrs["curve-legend"]["visibility"] == "hidden"


def test_the_legend_sits_above_the_plot_inside_the_figure_without_overlapping():
    items = curve.legend()
    assert [item["name"] for item in items] == ["Training", "Test"] and items[1]["kind"] == "test"
    right_of_title = curve.width("Loss (log scale)") + 4 + curve.GAP
    assert items[0]["x1"] >= right_of_title
    assert items[0]["text_x"] + curve.width("Training") + curve.GAP <= items[1]["x1"]
    assert items[1]["text_x"] + curve.width("Test") <= curve.RIGHT


def test_choosing_one_sample_again_starts_a_one_curve_history():
    session = on_data("xor", "2-3-1", 10, 1)
    assert len(session.history[-1]) == 3
    session.handle("dataset", "")
    assert session.history and all(len(point) == 2 for point in session.history)
