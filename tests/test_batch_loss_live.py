"""The batch's loss on the live page, in real Chromium: with Spiral chosen, the status bar's
training and test losses and accuracies are those the numpy batch oracle finds for the network
the page saved; the loss card's batch mean is the oracle's; the gradient check says it is on the
batch's mean loss; after training the loss chart has two curves and the test loss went down."""

from __future__ import annotations

import json
import re

import numpy as np
from playwright.sync_api import expect

import batch_oracle
from test_data_live import choose_spiral, page, saved, settle  # noqa: F401 - `page` is a fixture
from pyodide_app import training
from pyodide_app.data import settings as data_settings
from pyodide_app.state import parse

READOUT = re.compile(r"Epoch ([0-9,]+) · Training loss ([0-9.]+) · Test loss ([0-9.]+) · "
                     r"Training accuracy ([0-9.]+) % · Test accuracy ([0-9.]+) %")


def status(page) -> tuple:
    found = READOUT.fullmatch(page.locator("#data-readout").text_content())
    assert found, page.locator("#data-readout").text_content()
    return int(found[1].replace(",", "")), *map(float, found.groups()[1:])


def oracle_status(state_json: dict) -> tuple:
    """(epoch, training loss, test loss, training accuracy %, test accuracy %) of the saved state, in numpy."""
    state = parse(json.dumps(state_json))
    made = data_settings.samples_of(state.data, state.network.activations[-1])
    d = data_settings.dataset_of(state.data)
    net = batch_oracle.Net.from_lists(state.network.weights, state.network.biases, state.network.activations,
                                      state.network.loss)
    X, T = np.array(made.inputs), np.array(made.targets)
    sets = (d.training_indices, d.test_indices)
    return (state.epoch, *(batch_oracle.batch_loss(net, X[ks], T[ks]) for ks in sets),
            *(100 * batch_oracle.accuracy(net, X[ks], T[ks]) for ks in sets))


def batch_mean(state_json: dict) -> float:
    state = parse(json.dumps(state_json))
    made = data_settings.samples_of(state.data, state.network.activations[-1])
    batch = training.current_batch(state)
    net = batch_oracle.Net.from_lists(state.network.weights, state.network.biases, state.network.activations,
                                      state.network.loss)
    return batch_oracle.batch_loss(net, [made.inputs[k] for k in batch], [made.targets[k] for k in batch])


def assert_status_is_the_oracles(page):
    shown, expected = status(page), oracle_status(saved(page))
    assert shown[0] == expected[0]
    assert abs(shown[1] - expected[1]) <= 5e-7 and abs(shown[2] - expected[2]) <= 5e-7, (shown, expected)
    assert abs(shown[3] - expected[3]) <= 0.05 + 1e-9 and abs(shown[4] - expected[4]) <= 0.05 + 1e-9, (shown, expected)
    return shown


def points(page, element: str) -> list[tuple[float, float]]:
    text = page.locator(f"#{element}").get_attribute("points") or ""
    return [tuple(map(float, xy.split(","))) for xy in text.split()]


def test_spiral_status_bar_loss_card_check_and_two_curves(page):
    expect(page.locator("#sample-readout")).to_be_visible()  # one sample: the status bar as it was
    expect(page.locator("#data-readout")).to_be_hidden()
    choose_spiral(page)
    page.get_by_label("Activation, Hidden Layer 1").select_option(value="tanh")
    settle(page)
    expect(page.locator("#sample-readout")).to_be_hidden()
    expect(page.locator("#data-readout")).to_be_visible()
    before = assert_status_is_the_oracles(page)

    # the loss card: the shown point's loss, and the batch's mean, the oracle's
    page.locator("#loss").scroll_into_view_if_needed()
    settle(page)
    expect(page.locator("#batch-loss-note")).to_contain_text("is the mean over the batch's 10 samples")
    shown_mean = float(page.locator('[data-v="lossb-mean@LB"]').last.text_content().replace("\u2212", "-"))
    assert abs(shown_mean - batch_mean(saved(page))) <= 5e-7

    # the gradient check: on the batch's mean loss
    page.get_by_text("Every gradient against the definition of the derivative", exact=True).click()
    settle(page)
    expect(page.locator("#check-body")).to_contain_text("On the batch's mean loss", timeout=30_000)
    page.get_by_text("Every gradient against the definition of the derivative", exact=True).click()

    # train, then pause: two curves, and the test loss went down
    page.get_by_role("button", name="Train").click()
    page.wait_for_function("() => /Epoch [1-9][0-9]/.test(document.getElementById('data-readout').textContent)",
                           timeout=120_000)
    page.get_by_role("button", name="Pause").click()
    settle(page)
    after = assert_status_is_the_oracles(page)
    assert after[0] >= 10 and after[2] < before[2]
    training_curve, test_curve = points(page, "curve-line"), points(page, "curve-test-line")
    assert len(training_curve) >= 3 and len(test_curve) == len(training_curve) and test_curve != training_curve
    assert test_curve[-1][1] > test_curve[0][1]  # lower on the chart: the test loss fell
    expect(page.locator("#curve-legend")).to_be_visible()
    assert page.locator("#curve-test-line").evaluate("e => getComputedStyle(e).strokeDasharray") not in ("none", "")
    colours = [page.locator(f"#{e}").evaluate("e => getComputedStyle(e).stroke") for e in ("curve-line", "curve-test-line")]
    assert colours[0] != colours[1]
    caption = page.locator("#loss-curve-caption").text_content()
    assert "the training loss (solid)" in caption and "the test loss (dashed)" in caption
