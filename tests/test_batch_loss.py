"""The batch's loss on the page, against the numpy batch oracle: the loss card's batch mean and its
worked lines, the gradient check on the batch's mean loss (central differences and the mean
backpropagated gradient), and what Practice hides of them; over random networks, datasets and
batch sizes."""

from __future__ import annotations

import json
import math

import numpy as np
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
from pyodide_app.view import render

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
    text = "\n".join(reply for reply, _, _ in page.replies)
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
