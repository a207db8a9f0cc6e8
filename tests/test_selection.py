"""Linked highlighting and the selection beside the diagram, in CPython: which elements light
for a neuron, a line and a formula's term, and the selected line's or neuron's chain rule,
whose numbers must be the numpy oracle's, through edits, steps, training and new networks."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

import oracle
from replies import feature
from pyodide_app.features.selection import Selection, lit, parse
from pyodide_app.features.walk import Walk, highlight
from pyodide_app.session import Session
from pyodide_app.state import to_data
from pyodide_app.view import render
from pyodide_app.view.chain import APPLIED, NEXT
from pyodide_app.notation.numbers import number, rate
from shown import is_written
from pyodide_app.worker import Worker


def started() -> Session:
    session = Session()
    session.start("", None)
    return session


def numbers_in(html: str) -> list[str]:
    return re.findall(r"<mn>(.*?)</mn>", html)


def expected_numbers(session: Session, kind: str, l: int, j: int, i: int | None = None) -> list[str]:
    return chain_numbers(to_data(session.state), kind, l, j, i)


def chain_numbers(data: dict, kind: str, l: int, j: int, i: int | None = None) -> list:
    """The chain rule's numbers for the saved state `data`, in the order the panel writes them,
    from the oracle: line  δ_j, a_i, ∂L/∂w, then w, α, ∂L/∂w, w, α·∂L/∂w, w − α·∂L/∂w;
    neuron  δ_j, ∂L/∂b (= δ_j), then the same for b. Each (value, kind), α as its text."""
    net = oracle.Net.from_data(data)
    p = oracle.full_pass(net, data["inputs"], data["targets"])
    lr = data["learning_rate"]
    if kind == "edge":
        old, gradient = net.weights[l - 1][j, i], p.weight_gradients[l - 1][j, i]
        first = [(p.deltas[l][j], "precise"), (p.activations[l - 1][i], "value"), (gradient, "precise")]
    else:
        old, gradient = net.biases[l - 1][j], p.bias_gradients[l - 1][j]
        first = [(p.deltas[l][j], "precise"), (gradient, "precise")]
    return first + [(old, "value"), rate(lr), (gradient, "precise"), (old, "value"), (lr * gradient, "precise"),
                    (old - lr * gradient, "precise")]


def assert_numbers_match(shown: list[str], expected: list) -> None:
    """Each number is the oracle's, with the decimals of its kind or more (shown.is_written),
    the learning rate as typed."""
    assert len(shown) == len(expected), (shown, expected)
    for text, want in zip(shown, expected):
        assert text == want if isinstance(want, str) else is_written(text, *want), (text, want, shown)


def every_element(sizes: list[int]):
    for l in range(len(sizes)):
        for j in range(sizes[l]):
            yield ("node", l, j)
            if l:
                yield from (("edge", l, j, i) for i in range(sizes[l - 1]))


def element_id(found: tuple) -> str:
    return "-".join(map(str, found))


# ---- which elements light ---------------------------------------------------------------------

def test_a_neuron_lights_its_lines_cards_and_update_rows():
    assert sorted(lit(("node", 2, 1), [3, 4, 3, 2, 2])) == sorted(
        ["node-2-1", "forward-2-1", "backprop-2-1", "row-b-2-1"]
        + [f"edge-2-1-{i}" for i in range(4)] + [f"row-w-2-1-{i}" for i in range(4)])
    # an input has no cards: the lines leaving it
    assert lit(("node", 0, 2), [3, 4, 2]) == ["node-0-2", "edge-1-0-2", "edge-1-1-2", "edge-1-2-2", "edge-1-3-2"]
    # a line: itself, its two ends and its row
    assert lit(("edge", 3, 1, 0), [3, 4, 3, 2, 2]) == ["edge-3-1-0", "node-2-0", "node-3-1", "row-w-3-1-0"]


@pytest.mark.parametrize("sizes", [[3, 4, 3, 2, 2], [2, 8, 1], [1, 1], [8, 3, 8, 2, 5, 4]])
def test_every_id_lit_is_an_element_of_the_page_drawn_for_that_network(sizes):
    session = started()
    session.handle("sizes", "-".join(map(str, sizes)))
    assert session.state.network.sizes == sizes
    html = render.render_page(render.context(session.state, csp="", scripts=[]))

    class Ids(HTMLParser):
        def __init__(self):
            super().__init__()
            self.ids: set[str] = set()

        def handle_starttag(self, tag, attrs):
            self.ids.add(dict(attrs).get("id"))

    parser = Ids()
    parser.feed(html)
    for found in every_element(sizes):
        assert set(lit(found, sizes)) <= parser.ids, found


def test_only_elements_of_the_network_are_understood():
    sizes = [3, 4, 2]
    assert parse("node-0-2", sizes) == ("node", 0, 2)
    assert parse("edge-2-1-3", sizes) == ("edge", 2, 1, 3)
    for bad in ["node-3-0", "node-1-4", "edge-0-0-0", "edge-2-2-0", "edge-2-1-4", "node-1-1-1", "edge-1-1",
                "forward-1-1", "node-1-1 ", "node--1-1", "", None, 5, ["node-1-1"]]:
        assert parse(bad, sizes) is None, bad
    session = started()
    before = json.dumps(to_data(session.state))
    for bad in ["edge-9-0-0", "node-1", None, 3]:
        assert session.handle("point", bad) == {} and session.handle("select", bad) == {}
    assert json.dumps(to_data(session.state)) == before and feature(session, Selection).chosen is None


def test_pointing_lights_and_leaving_goes_back_to_the_selection():
    session = started()
    neuron = session.handle("point", "node-1-0")
    assert neuron == {"highlight": {"ids": lit(("node", 1, 0), [3, 4, 3, 2, 2]), "scroll": None}}
    term = session.handle("point", "edge-2-0-1")  # a formula's term: its line, and its weight in words
    assert term["highlight"]["ids"][0] == "edge-2-0-1" and term["readout"].startswith("Weight H1-2 → H2-1 = ")
    assert session.handle("leave") == {"highlight": {"ids": [], "scroll": None}}
    session.handle("select", "edge-4-1-0")
    session.handle("point", "node-3-1")
    assert session.handle("leave")["highlight"]["ids"] == ["edge-4-1-0", "node-3-0", "node-4-1", "row-w-4-1-0"]


# ---- the chain rule ----------------------------------------------------------------------------

@pytest.mark.parametrize("element", ["edge-1-0-0", "edge-2-0-1", "edge-3-1-2", "edge-4-1-1", "node-1-3", "node-4-0"])
def test_a_selection_shows_its_chain_rule_with_the_oracles_numbers(element):
    session = started()
    reply = session.handle("select", element)
    found = parse(element, session.state.network.sizes)
    assert_numbers_match(numbers_in(reply["selection"]), expected_numbers(session, *found[:1], *found[1:]))
    assert reply["highlight"]["ids"] == lit(found, session.state.network.sizes)
    assert NEXT in reply["selection"] and "Clear selection" in reply["selection"]
    assert reply["readout"].startswith("Selected ")
    field = re.search(r'data-edit="([^"]+)"', reply["selection"])[1]
    assert field == ("field-w-" if found[0] == "edge" else "field-b-") + element.split("-", 1)[1]


def test_an_input_shows_its_value_and_edits_it():
    session = started()
    html = session.handle("select", "node-0-1")["selection"]
    assert numbers_in(html) == [number(oracle.seed_data()["inputs"][1])]
    assert 'data-edit="field-inputs-1">Edit input<' in html


def test_the_selection_stays_live_through_edits_steps_and_training():
    session = started()
    session.handle("select", "edge-3-1-2")
    before = feature(session, Selection).sent
    # an edit upstream: new numbers, and only the chain rule is sent again
    reply = session.handle("field", "inputs[0]", "0.9")
    assert_numbers_match(numbers_in(reply["chain"]), expected_numbers(session, "edge", 3, 1, 2))
    assert reply["chain"] != before and "selection" not in reply
    # an edit that changes nothing in it sends nothing
    assert "chain" not in session.handle("field", "inputs[0]", "0.9")
    # Step: the update the step applied, whose new value is the weight now
    state_before = to_data(session.state)
    reply = session.handle("step")
    assert APPLIED in reply["chain"]
    shown = numbers_in(reply["chain"])
    net = oracle.Net.from_data(state_before)
    p = oracle.full_pass(net, state_before["inputs"], state_before["targets"])
    assert is_written(shown[2], p.weight_gradients[2][1, 2], "precise")
    assert is_written(shown[-1], session.state.network.weights[2][1][2], "precise")
    # training: every frame sent carries the numbers of the state it shows
    session.handle("train")
    for _ in range(3):
        reply = session.tick()
        assert_numbers_match(numbers_in(reply["chain"]), expected_numbers(session, "edge", 3, 1, 2))
        session.handle("drawn")
    reply = session.handle("train")  # Pause
    assert feature(session, Selection).chosen == "edge-3-1-2" and session.state.epoch > 1
    assert_numbers_match(numbers_in(feature(session, Selection).sent), expected_numbers(session, "edge", 3, 1, 2))
    assert NEXT in feature(session, Selection).sent


def test_a_new_network_keeps_the_selection_if_it_has_it_else_clears_it():
    session = started()
    session.handle("select", "edge-2-1-3")
    reply = session.handle("sizes", "3-4-2-2")  # the line H1-4 → H2-2 is still there: panel and light again
    assert_numbers_match(numbers_in(reply["selection"]), expected_numbers(session, "edge", 2, 1, 3))
    assert reply["highlight"]["ids"][0] == "edge-2-1-3"
    reply = session.handle("sizes", "3-2-2")  # now it is not
    assert reply["selection"] == "" and reply["highlight"] == {"ids": [], "scroll": None}
    assert feature(session, Selection).chosen is None
    assert "selection" not in session.handle("reset") and session.handle("clear") == {}


@pytest.mark.parametrize("preset", ["softmax", "dead-relu", "mazur"])
def test_every_line_and_neuron_of_other_networks(preset):
    session = started()
    session.handle("preset", preset)
    sizes = session.state.network.sizes
    for found in every_element(sizes):
        reply = session.handle("select", element_id(found))
        if found[1]:
            assert_numbers_match(numbers_in(reply["selection"]), expected_numbers(session, *found))


def test_clear_and_escape_go_through_the_worker_as_json():
    worker = Worker()
    worker.handle(json.dumps({"kind": "start", "fragment": "", "stored": None}))
    reply = json.loads(worker.handle(json.dumps({"kind": "select", "id": "edge-1-2-0"})))
    assert reply["highlight"]["ids"][0] == "edge-1-2-0" and "<math>" in reply["selection"]
    reply = json.loads(worker.handle(json.dumps({"kind": "clear"})))
    assert reply == {"selection": "", "highlight": {"ids": [], "scroll": None}}
    assert worker.handle(json.dumps({"kind": "leave"})) == json.dumps({"highlight": {"ids": [], "scroll": None}})


def test_pointing_during_a_walk_lights_the_neuron_and_leaving_gives_the_walks_light_back():
    session = Session()
    session.start("", None)
    session.handle("walk")
    session.handle("walkNext")
    walk = feature(session, Walk)
    walk_ids = highlight(walk.steps[walk.position], walk.sizes)[0]
    assert session.handle("point", "node-2-0")["highlight"]["ids"] != walk_ids
    assert session.handle("leave")["highlight"]["ids"] == walk_ids
    session.handle("select", "edge-1-0-0")
    selected = lit(("edge", 1, 0, 0), session.state.network.sizes)
    moved = session.handle("walkNext")  # a selection's light outranks the walk's; the walk's card still comes into view
    assert moved["highlight"] == {"ids": selected, "scroll": "forward-1-2"}
    assert session.handle("walkExit")["highlight"] == {"ids": selected, "scroll": None}
    session.handle("clear")
    assert session.handle("leave")["highlight"]["ids"] == []
