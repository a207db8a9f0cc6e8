"""A class's own CSV: read as written, refused with the row and column named."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import finite
from pyodide_app.data import own


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
