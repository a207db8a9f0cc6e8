"""Practice mode in the live session, without a browser: what the page is (and is not) sent
while practising, answers judged and announced, Show how, and the progress kept in the state
(local storage and the link)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import oracle
from shown import base, shows
from pyodide_app.practice import KINDS, RIGHT, WRONG
from pyodide_app.session import Session
from pyodide_app.state import StateError, from_fragment, load_seed, parse, serialise, to_fragment
from pyodide_app.trace import trace
from pyodide_app.notation.numbers import number, operand


# ---- the session: what the page is sent -------------------------------------------------------

def practising(*kinds: str) -> tuple[Session, dict]:
    """A session practising `kinds` (the activations if none are named), and the last reply."""
    session = Session()
    session.start("", None)
    reply = session.handle("practice")
    assert reply["batch"]["attrs"]["node-1-0"]["aria-label"].startswith("? H1-1 b 0.1000")  # the diagram's names too
    if kinds:
        reply = session.handle("practiceKinds", list(kinds))
    return session, reply


def answers_of(reply: dict) -> dict[str, dict]:
    return {box["k"]: box for box in reply["practice"]["boxes"]}


def test_practice_hides_its_numbers_from_the_page_and_puts_them_back_when_it_stops():
    seed = oracle.seed_data()
    p = oracle.full_pass(oracle.seed_net(), seed["inputs"], seed["targets"])
    session, reply = practising("activations", "loss")
    assert reply["practice"]["on"] and reply["practice"]["kinds"] == ["activations", "loss"]
    assert reply["practice"]["score"] == "Score: 0 of 12"
    assert {"a-2-0", "(sa-3-0@u", "loss"} <= set(reply["practice"]["hide"])
    assert "a-0-0" not in reply["practice"]["hide"]  # the inputs are given
    assert reply["batch"]["text"]["loss"] == reply["batch"]["text"]["curve-yt-0"] == "?"  # the curve's loss labels too
    written = session.writer.shown.text  # what the batches sent so far have written: "?" in their place
    assert {written[key] for key in ("a-2-0", "(sa-3-0@u", "(a-1-1@f2-0", "loss", "curve-yt-0")} == {"?"}
    assert {text for key, text in written.items() if base(key).startswith(("a-1", "sa-1", "loss"))} == {"?"}
    session.handle("field", "inputs[0]", "0.6")  # a change: the batch still has none of them
    text = session.handle("field", "inputs[0]", "0.5")["batch"]["text"]
    assert not any(base(key).startswith(("a-1", "sa-1", "loss")) for key in text)
    assert "z-1-0@f" in text  # what the student needs stays (in H1-1's forward card)
    stopped = session.handle("practice")
    assert stopped["practice"] == {"on": False}
    assert stopped["batch"]["text"]["a-1-0"] == number(p.activations[1][0])
    assert stopped["batch"]["text"]["loss"] == number(p.loss, "precise")
    assert stopped["batch"]["attrs"]["node-1-0"]["aria-label"].startswith(number(p.activations[1][0]))
    assert "practice" not in json.loads(stopped["save"])


def test_an_answer_is_judged_announced_scored_and_saved():
    seed = oracle.seed_data()
    a = oracle.full_pass(oracle.seed_net(), seed["inputs"], seed["targets"]).activations
    session, _ = practising()
    right = session.handle("practiceAnswer", "a-1-0", number(a[1][0]).replace(".", ","))
    assert right["practice"]["said"] == "a of H1-1: Right. Score: 1 of 11."
    assert answers_of(right)["a-1-0"]["v"] == RIGHT and answers_of(right)["a-1-0"]["c"] == "right"
    assert json.loads(right["save"])["practice"] == {"kinds": ["activations"], "answers": {"a-1-0": number(a[1][0]).replace(".", ",")}}
    wrong = session.handle("practiceAnswer", "a-1-1", "0.1")
    assert wrong["practice"]["said"] == "a of H1-2: Not quite. Score: 1 of 11."
    text = session.handle("practiceAnswer", "a-1-2", "abc")
    assert text["practice"]["said"] == "a of H1-3: Not a number. Score: 1 of 11."
    assert answers_of(text)["a-1-2"]["c"] == "nan" and answers_of(text)["a-1-1"]["c"] == "wrong"
    assert session.handle("practiceAnswer", "d-1-0", "0.1") == {}  # not asked
    assert session.handle("practiceAnswer", "a-9-9", "0.1") == {}


def test_show_how_writes_the_cards_numbers_and_names_the_hidden_ones():
    session, reply = practising(*KINDS)
    boxes = answers_of(reply)
    t = trace(session.state)
    z, a = t["layers"][1]["neurons"][0]["sum"], t["layers"][1]["neurons"][0]["activation"]
    assert boxes["a-1-0"]["h"] == f"σ(z) = 1 / (1 + e^(−z))\na of H1-1 = σ({number(z)})"
    assert number(a) not in boxes["a-1-0"]["h"]
    delta = boxes["d-1-0"]["h"]
    assert "δ of H2-1 × 0.3000" in delta and "a of H1-1 × (1 − a of H1-1)" in delta
    assert number(t["layers"][1]["neurons"][0]["delta"], "precise") not in delta
    new = boxes["nw-1-0-0"]["h"]  # δ hidden: its gradient and the update too
    assert new == "∂L/∂w = δ × a = δ of H1-1 × 0.5000 = ?\nnew w In-1 → H1-1 = w − α × ∂L/∂w = 0.4000 − 0.1 × ? = 0.4000 − ?"
    # the activations hidden: o − t and (o − t)² would give a away; the loss hidden: so would ½ × L's sum
    assert boxes["loss"]["h"] == ("L = ½ Σ_j (o_j − t_j)²\n(a of Out-1 − 0.8000)² = (?)² = ?\n"
                                  "(a of Out-2 − 0.2000)² = (?)² = ?\nL = 0.5 × [? + ?] = 0.5 × ?")
    seed = oracle.seed_data()
    p = oracle.full_pass(oracle.seed_net(), seed["inputs"], seed["targets"])
    d = p.activations[-1] - np.array(seed["targets"])
    loss_only = answers_of(practising("loss")[1])["loss"]["h"].split("\n")  # the working stays, L's last line goes
    assert loss_only[0] == "L = ½ Σ_j (o_j − t_j)²" and loss_only[-1].endswith(" = 0.5 × ?")
    assert all(shows(line, d[j] ** 2, "precise") and shows(line, d[j]) for j, line in enumerate(loss_only[1:3]))


def test_progress_survives_storage_and_the_link():
    session, _ = practising("activations", "deltas")
    session.handle("practiceAnswer", "a-2-0", "0.5")
    saved = session.save()["save"]
    for opened in (Session().start("", saved), Session().start("#" + to_fragment(parse(saved)), None)):
        boxes = answers_of(opened)
        assert opened["practice"]["kinds"] == ["activations", "deltas"] and boxes["a-2-0"]["a"] == "0.5"
        assert boxes["a-2-0"]["v"] == WRONG and opened["batch"]["text"]["a-2-0"] == "?"
        assert "panel" in opened["practice"]


def test_a_changed_network_judges_the_answers_again():
    session, _ = practising()
    a = trace(session.state)["layers"][4]["neurons"][0]["activation"]
    assert answers_of(session.handle("practiceAnswer", "a-4-0", number(a)))["a-4-0"]["v"] == RIGHT
    stepped = answers_of(session.handle("step"))["a-4-0"]
    after = trace(session.state)["layers"][4]["neurons"][0]["activation"]
    assert abs(after - a) > 3e-4  # the step moved it by more than the unit allowed
    assert (stepped["a"], stepped["v"]) == (number(a), WRONG)
    reset = session.handle("reset")  # practice goes on, with the seed's values: right again
    assert answers_of(reset)["a-4-0"]["v"] == RIGHT and reset["practice"]["score"] == "Score: 1 of 11"


def test_a_new_structure_keeps_practising_and_drops_answers_it_no_longer_asks():
    session, _ = practising()
    session.handle("practiceAnswer", "a-4-0", "0.5")
    session.handle("practiceAnswer", "a-1-0", "0.5")
    reply = session.handle("sizes", "3-4-2")
    assert reply["practice"]["score"] == "Score: 0 of 6"
    assert set(session.state.practice["answers"]) == {"a-1-0"}
    assert json.loads(reply["save"])["practice"]["answers"] == {"a-1-0": "0.5"}


def test_training_leaves_the_boxes_until_it_pauses():
    session, _ = practising("loss")
    session.handle("train")
    frame = session.tick()
    assert "practice" not in frame and "loss" not in frame["batch"]["text"]
    paused = session.handle("train")
    assert paused["practice"]["score"] == "Score: 0 of 1"


def test_bad_messages_change_nothing():
    session, _ = practising()
    assert session.handle("practiceKinds", "activations") == {}
    assert session.handle("practiceAnswer", "a-1-0", None) == {}
    session.handle("practiceKinds", ["loss", "no such kind"])
    assert session.state.practice["kinds"] == ["loss"]
    idle = Session()
    idle.start("", None)
    assert idle.handle("practiceAnswer", "a-1-0", "1") == {} and idle.handle("practiceKinds", ["loss"]) == {}


# ---- the state ------------------------------------------------------------------------------

def test_a_state_without_practice_is_written_as_before():
    assert "practice" not in serialise(load_seed())
    assert parse(serialise(load_seed())).practice is None


def test_practice_round_trips_through_the_state_and_the_link():
    state = load_seed()
    state.practice = {"kinds": ["activations", "new_weights"], "answers": {"a-1-0": "0,5", "nw-1-0-2": "abc"}}
    assert parse(serialise(state)) == state
    assert from_fragment(to_fragment(state)).practice == state.practice


@pytest.mark.parametrize("practice, field", [
    ([], "practice"),
    ({"kinds": []}, "practice"),
    ({"kinds": ["sigma"], "answers": {}}, "practice.kinds"),
    ({"kinds": ["loss", "loss"], "answers": {}}, "practice.kinds"),
    ({"kinds": [], "answers": {"z-1-0": "1"}}, "practice.answers.z-1-0"),
    ({"kinds": [], "answers": {"a-1-0": 1}}, "practice.answers.a-1-0"),
    ({"kinds": [], "answers": {"a-1-0": "1" * 41}}, "practice.answers.a-1-0"),
    ({"kinds": [], "answers": {f"a-{i}-0": "1" for i in range(501)}}, "practice.answers"),
])
def test_a_damaged_practice_is_refused_naming_it(practice, field):
    data = json.loads(serialise(load_seed())) | {"practice": practice}
    with pytest.raises(StateError) as refused:
        parse(json.dumps(data))
    assert refused.value.field == field


def test_version_1_has_no_practice():
    data = json.loads((oracle.FIXTURES / "v1-seed-export.json").read_text(encoding="utf-8"))
    with pytest.raises(StateError):
        parse(json.dumps(data | {"practice": None}))
