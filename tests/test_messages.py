"""Every message a field can show reads as a sentence: it starts with a capital letter, and the
field's label is never run into the words after it ("Activation, Output Layer Softmax on one
output…", "Layer sizes gives the Hidden Layer 1 0 neurons…").

The messages are collected by driving every field of the page, the Network panel's controls and
the worksheet's with bad values, on networks whose limits differ, as the page sends them."""

from __future__ import annotations

import re

import pytest

from pyodide_app import presets
from pyodide_app.activations import ACTIVATIONS
from pyodide_app.notation.names import field_label
from pyodide_app.session import Session
from pyodide_app.state import from_preset

BAD_NUMBERS = ["", "   ", "abc", "nan", "-inf", "1e400", "1" * 60, "0,5,3", "-1e12", "1e12"]  # for every field
OUT_OF_RANGE = ["-2", "1.5", "200", "0", "-0.5", "2.5", "1000001"]  # for some
BAD_SIZES = ["", "0-2", "3-0-2", "3-9-2", "3-4-3-2-12", "1", "1-2-3-4-5-6-7", "3--2", "a-b", "3 x 2", "2-" * 40,
             "9-9", "2-1-0"]


def networks():
    """The seed, and networks with other limits: softmax with cross-entropy (targets add up to
    1), tanh and ReLU outputs, one output."""
    for key in presets.PRESETS:
        yield key, from_preset(key)


def field_messages(state) -> list[tuple[str, str, str]]:
    """(field, label, message) of every refusal the page can show for `state`'s network."""
    session = Session(state)
    session.start("", None)
    count = len(state.network.sizes)
    found = []

    def collect(reply, control=None):
        for field, message in reply.get("fieldErrors", {}).items():
            if message:
                found.append((field, field_label(field, count), message))
        for field, message in reply.get("worksheet", {}).get("errors", {}).items():
            if message:
                found.append((field, {"seed": "Seed", "copies": "Copies"}[field], message))

    for field in list(session.writer.fields) + ["random_seed"]:
        for text in BAD_NUMBERS + (OUT_OF_RANGE if not field.startswith(("weights", "biases")) else []):
            collect(session.handle("seed", text) if field == "random_seed" else session.handle("field", field, text))
    for text in BAD_SIZES:
        collect(session.handle("sizes", text))
    layers = len(state.network.activations)
    for layer in range(-1, layers + 1):
        for key in list(ACTIVATIONS) + ["nope", ""]:
            reply = session.handle("activation", layer, key)
            collect(reply)
            if not reply.get("fieldErrors", {}).get(f"activations[{layer}]", "x"):  # taken: back as it was
                session = Session(state)
                session.start("", None)
    for key in ("cross_entropy", "nope", ""):
        collect(session.handle("loss", key))
    collect(session.handle("preset", "nope"))
    session.handle("worksheet")
    for text in BAD_NUMBERS + OUT_OF_RANGE:
        collect(session.handle("sheetSeed", text))
        collect(session.handle("classSet", text))
    return found


def problems(label: str, message: str) -> list[str]:
    """What keeps `message` from reading as a sentence about the field labelled `label`."""
    out = []
    if not message[:1].isupper():
        out.append("does not start with a capital letter")
    for at in [m.start() for m in re.finditer(re.escape(label), message)]:
        after = message[at + len(label):]
        if after and not re.match(r" [a-z]|[:,.;]", after):
            out.append(f"the label {label!r} runs into {after[:20]!r}")
    if re.search(r"Layer \d+ \d", message):
        out.append("a layer's number runs into another number")
    return out


def test_the_check_finds_the_messages_of_before():
    """As the page wrote them before: this test could fail."""
    assert problems("Layer sizes", "Layer sizes gives the Hidden Layer 1 0 neurons: each layer has 1 to 8")
    assert problems("Activation, Output Layer", "Activation, Output Layer Softmax on one output neuron always "
                                                "gives 1, whatever it is fed, so nothing can be learnt")
    assert problems("Loss", "Loss Cross-entropy needs outputs between 0 and 1")
    assert problems("Seed", "must be a whole number")
    assert not problems("Input 1", "Input 1 must be a number.")


@pytest.mark.parametrize("name, state", list(networks()), ids=[name for name, _ in networks()])
def test_every_field_message_reads_as_a_sentence(name, state):
    found = field_messages(state)
    fields = {field.split("[")[0] for field, _, _ in found}
    assert {"inputs", "targets", "learning_rate", "weights", "biases", "random_seed", "sizes", "activations",
            "loss", "preset", "seed", "copies"} <= fields
    wrong = [(field, message, why) for field, label, message in found for why in problems(label, message)]
    assert not wrong, wrong[:5]
    # the ones next to the page's own fields end as sentences do
    assert all(message.endswith(".") for field, _, message in found if field not in ("seed", "copies"))


def test_the_messages_the_issue_quoted_read_as_sentences():
    session = Session()
    session.start("", None)
    assert session.handle("sizes", "3-0-2-2")["fieldErrors"]["sizes"] == \
        "Hidden Layer 1 cannot have 0 neurons: each layer has 1 to 8."
    session.handle("sizes", "3-4-1")
    message = session.handle("activation", 1, "softmax")["fieldErrors"]["activations[1]"]
    assert message.startswith("Softmax needs two output neurons or more: on one it always gives 1")
    assert session.handle("seed", "2000000")["fieldErrors"]["random_seed"] == \
        "Random seed must be a whole number from 0 to 1,000,000."
