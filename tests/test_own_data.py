"""A class's own CSV: read as written, refused with the row and column named; its target
and inputs chosen, classes or a regression by its targets, inputs scaled (checked against
numpy), points drawn and taken away, and own data through the saved state and the link."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from state_cases import seed_dict
from strategies import finite
from pyodide_app import saved as saved_module
from pyodide_app.data import own, own_data
from pyodide_app.data import settings as data_settings
from pyodide_app.limits import StateError
from pyodide_app.state import from_data, load_seed, parse, serialise, to_data

settings_ = settings


def test_a_csv_is_read_with_its_target_last():
    table = own.read("age,height,passed\n14,1.6,1\n15,1.7,0\n")
    assert table.names == ["age", "height", "passed"]
    assert table.rows == [[14.0, 1.6, 1.0], [15.0, 1.7, 0.0]]


def test_the_target_and_inputs_can_be_chosen():
    table = own.read("a,b,c\n1,2,3\n4,5,6\n", target="a", chosen=["c"])
    assert table.names == ["c", "a"] and table.rows == [[3.0, 1.0], [6.0, 4.0]]


@pytest.mark.parametrize("text, message", [
    ("age,height\n14,1.6\n" + "15,1.7\n" * 15 + "16,n/a\n", "Row 18, column 'height': 'n/a' is not a number."),
    ("a,b\n1,2\n3\n", "Row 3 has 1 cells; the header has 2."),
    ("a,b\n", "The file needs a header row and at least one row of numbers."),
    ("a,a\n1,2\n", "Every column needs a name of its own in the header row."),
    ("a\n1\n", "The file needs at least two columns: one input and the target."),
    ("a,b\n1,inf\n", "Row 2, column 'b': 'inf' is not a number."),
    ("a,b\n1,\n", "Row 2, column 'b': '' is not a number."),
])
def test_a_bad_file_names_its_row_and_column(text, message):
    with pytest.raises(own.DataError) as refused:
        own.read(text)
    assert str(refused.value) == message


def test_too_many_rows_or_inputs_are_refused():
    with pytest.raises(own.DataError, match="at most 1,000"):
        own.read("a,b\n" + "1,2\n" * 1001)
    with pytest.raises(own.DataError, match="at most 8 input columns"):
        own.read(",".join(f"c{k}" for k in range(10)) + "\n" + ",".join("1" * 10) + "\n")


def test_classes_or_regression_by_the_distinct_targets():
    assert own.classes_of([0, 1, 1, 0]) == [0, 1]
    assert own.classes_of([3, 1, 2, 5, 4, 6, 7, 8]) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert own.classes_of([float(k) for k in range(9)]) == []
    assert own.classes_of([1, 1]) == []


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.floats(-1e6, 1e6, **finite), min_size=3, max_size=3), min_size=1, max_size=30))
def test_scaled_columns_lie_in_minus_one_to_one_in_order(rows):
    columns = [list(c) for c in zip(*rows)]
    for before, after in zip(columns, own.scaled(columns)):
        assert all(-1 - 1e-12 <= x <= 1 + 1e-12 for x in after)
        assert all((a < b) <= (x <= y) for a, b, x, y in zip(before, before[1:], after, after[1:]))
        if max(before) > min(before):
            assert min(after) == -1 and abs(max(after) - 1) < 1e-12


# ---- own data in a state: the Data panel's choices, the points, the round trip -----------------

PEOPLE = "age,height,passed\n14,1.6,1\n15,1.7,0\n19,1.8,1\n17,1.5,0\n30,1.9,1\n"


def started():
    from pyodide_app.session import Session
    session = Session()
    session.start("", None)
    return session


def test_the_columns_are_all_kept_and_any_can_be_chosen():
    table = own.read_all("a,b,c,d\n1,2,3,4\n5,6,7,8\n")
    assert table.names == ["a", "b", "c", "d"] and table.rows == [[1, 2, 3, 4], [5, 6, 7, 8]]
    assert own.chosen_columns(table.names) == ("d", ["a", "b", "c"])
    assert own.chosen_columns(table.names, "b", ["d"]) == ("b", ["d"])
    with pytest.raises(own.DataError, match="Column 'b' cannot be an input"):
        own.chosen_columns(table.names, "b", ["a", "b"])
    with pytest.raises(own.DataError, match="at most 16"):
        own.read_all(",".join(f"c{k}" for k in range(17)) + "\n" + ",".join("1" * 17) + "\n")
    with pytest.raises(own.DataError, match="Row 2, column 'b': '2e7' is beyond"):
        own.read_all("a,b\n1,2e7\n")


def test_a_new_file_makes_its_last_column_the_target_and_at_most_8_others_the_inputs():
    table = own.read_all(",".join(f"c{k}" for k in range(12)) + "\n" + "\n".join(",".join(str(r * k % 7) for k in range(12))
                                                                          for r in range(1, 6)) + "\n")
    data = own_data.new(table)
    assert data["target"] == "c11" and data["inputs"] == [f"c{k}" for k in range(8)] and data["scale"]


@pytest.mark.parametrize("targets, classes, outputs, activation, loss", [
    ([0, 1, 0, 1, 1], 2, 1, "sigmoid", "mse"),  # two classes: one output, classes at its ends
    ([3, 7, 3, 7, 3], 2, 1, "sigmoid", "mse"),
    ([1, 2, 3, 1, 2], 3, 3, "softmax", "cross_entropy"),  # up to 8: one softmax output each
    ([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], 0, 1, "linear", "mse"),  # more: a regression
])
def test_the_targets_make_classes_or_a_regression(targets, classes, outputs, activation, loss):
    session = started()
    text = "x,y,t\n" + "".join(f"{k},{k * k % 5},{t}\n" for k, t in enumerate(targets))
    session.handle("ownData", text)
    state = session.state
    made = data_settings.dataset_of(state.data)
    assert made.classes == classes and state.network.sizes[-1] == outputs
    assert state.network.activations[-1] == activation and state.network.loss == loss
    distinct = sorted(set(targets))
    if classes:  # each point's class is its target's place among the distinct ones
        assert made.labels == [distinct.index(t) for t in targets]
    else:
        assert made.labels == targets


@settings_(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-1e5, 1e5, **finite), st.floats(-1e5, 1e5, **finite), st.integers(0, 1)),
                min_size=2, max_size=40), st.booleans())
def test_the_network_sees_each_input_scaled_by_its_column(rows, scale):
    data = own_data.new(own.Table(["u", "v", "t"], [[float(a), float(b), float(t)] for a, b, t in rows]))
    data["scale"] = scale
    inputs = np.array(data_settings.samples_of(data, "sigmoid").inputs)
    raw = np.array([[a, b] for a, b, _ in rows])
    span = raw.max(axis=0) - raw.min(axis=0)
    expected = np.where(span > 0, 2 * (raw - raw.min(axis=0)) / np.where(span > 0, span, 1) - 1, 0) if scale else raw
    assert np.allclose(inputs, expected, atol=1e-9)


def test_a_bad_file_changes_nothing_and_says_where():
    session = started()
    session.handle("ownData", PEOPLE)
    before = serialise(session.state)
    reply = session.handle("ownData", PEOPLE + "16,n/a,1\n")
    assert reply == {"dataPanel": {"own": {"text": "Row 7, column 'height': 'n/a' is not a number.", "error": True}}}
    assert serialise(session.state) == before


def test_own_data_round_trip_through_the_saved_state_and_older_versions_still_load():
    session = started()
    session.handle("ownData", PEOPLE)
    session.handle("ownColumns", "passed", ["height"])
    session.handle("ownScale", False)
    state = session.state
    text = serialise(state)
    back = parse(text)
    assert back == state and back.data["rows"] == state.data["rows"] and back.inputs == [1.6]
    assert parse(to_fragment_json(state)) == state
    for version in (1, 2):  # written before there was data: one sample, as they were
        assert from_data(seed_dict(version)).data is None


@pytest.mark.parametrize("change, why", [
    (lambda d: d.update(rows=[[1, 2, 3]]), "data.rows"),
    (lambda d: d["rows"][0].__setitem__(1, "x"), "data.rows[0]"),
    (lambda d: d.update(target="nope"), "data.inputs"),
    (lambda d: d.update(scale="yes"), "data.scale"),
    (lambda d: d.update(points=5), "data.points"),
    (lambda d: d.pop("columns"), "data.columns"),
])
def test_a_saved_own_data_that_does_not_hold_is_refused(change, why):
    session = started()
    session.handle("ownData", PEOPLE)
    saved = to_data(session.state)
    change(saved["data"])
    with pytest.raises(StateError) as refused:
        from_data(saved)
    assert refused.value.field == why


def test_drawing_adds_a_point_where_clicked_and_a_click_on_a_point_takes_it_away():
    session = started()
    session.handle("ownData", "x,y,class\n0,0,0\n10,0,1\n0,10,0\n10,10,1\n")
    # the plot's plane [−6, 6]² shows the scaled values −1.2 … 1.2: (3, −1.5) is (0.6, −0.3) scaled
    session.handle("ownDraw", 3, -1.5, 1, 0.2)
    rows = session.state.data["rows"]
    assert rows[-1] == [8.0, 3.5, 1.0]  # (0.6 + 1) / 2 · 10, (−0.3 + 1) / 2 · 10
    assert data_settings.dataset_of(session.state.data).points[-1] == pytest.approx((3, -1.5))
    session.handle("ownDraw", 3.1, -1.4, 0, 0.2)
    assert session.state.data["rows"] == [[0, 0, 0], [10, 0, 1], [0, 10, 0], [10, 10, 1]]
    session.handle("ownDraw", -6, -6, 2, 0.2)  # a third class: softmax, one output each
    assert session.state.network.sizes[-1] == 3 and session.state.network.activations[-1] == "softmax"


def test_a_link_too_long_leaves_own_data_out_and_says_so():
    session = started()
    text, rows = "a,b,c\n", []
    for k in range(1000):
        text += f"{k * 37 % 101},{k * 13 % 97},{k % 2}\n"
    session.handle("ownData", text)
    reply = session.handle("copyLink")
    assert "leaves your own data out" in reply["notice"]["text"] and "Export" in reply["notice"]["text"]
    linked = saved_module.from_fragment("#" + reply["link"])
    assert linked.data is None and linked.network == session.state.network and len(reply["link"]) < 8000
    session.handle("ownData", PEOPLE)
    reply = session.handle("copyLink")
    assert "notice" not in reply and saved_module.from_fragment("#" + reply["link"]) == session.state


def to_fragment_json(state) -> str:
    return json.dumps(to_data(state))


def test_a_regression_of_own_data_is_coloured_between_its_lowest_and_highest_target():
    session = started()
    reply = session.handle("ownData", "x,y,price\n" + "".join(f"{k},{k % 3},{100 + 7 * k}\n" for k in range(12)))
    assert session.state.network.activations[-1] == "linear"
    plot = reply["plot"]
    assert (plot["heat"]["low"], plot["heat"]["high"]) == (100, 177)  # 100 + 7 · 0 … 100 + 7 · 11
    assert "from orange (100) to blue (177)" in plot["summary"]


def test_another_dataset_or_one_sample_after_own_data():
    session = started()
    session.handle("ownData", PEOPLE)
    session.handle("dataset", "spiral")
    assert session.state.data["dataset"] == "spiral" and session.state.network.sizes[0] == 2
    session.handle("ownData", PEOPLE)
    assert session.handle("dataset", "own") == {}  # own data already: nothing to ask
    session.handle("dataset", "")
    assert session.state == load_seed()
    reply = session.handle("dataset", "own")  # none yet: the page asks for a file
    assert reply["dataPanel"]["own"]["open"] and session.state == load_seed()


def test_more_than_two_classes_paint_the_class_the_network_gives_each_cell():
    import base64

    import batch_oracle
    from pyodide_app.data import evaluation

    session = started()
    rows = "".join(f"{k % 7},{k * 3 % 11},{k % 3}\n" for k in range(30))  # x from 0 to 6, y 0 to 10
    session.handle("ownData", "x,y,kind\n" + rows)
    state = session.state
    net = state.network
    assert net.sizes[-1] == 3 and net.activations[-1] == "softmax"
    rng = np.random.default_rng(5)  # weights large enough that the classes share the plane
    net.weights = [rng.normal(0, 3, np.array(layer).shape).tolist() for layer in net.weights]
    n = 20
    cells = np.array(list(base64.b64decode(evaluation.heatmap(net, state.data, n))))
    # the plot's axes: the scaled values −1 … 1, widened by a tenth of their span each side
    along = -1.2 + 2.4 * (np.arange(n) + 0.5) / n
    inputs = np.array([(x, y) for y in along[::-1] for x in along])  # rows from the top
    oracle = batch_oracle.Net.from_lists(net.weights, net.biases, net.activations, net.loss)
    expected = batch_oracle.forward(oracle, inputs)[1][-1].argmax(axis=1)
    assert (cells == expected).all()
    assert set(cells) <= {0, 1, 2} and len(set(expected)) >= 2  # not the same class everywhere
