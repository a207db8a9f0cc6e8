"""pyodide_app.notation.numbers: the one rule set for writing numbers."""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pyodide_app.state import parse_number
from pyodide_app.notation.numbers import MINUS, number, operand, rate, relative, short

finite = st.floats(allow_nan=False, allow_infinity=False)
FIXED = {"value": re.compile(r"^−?\d{1,5}\.\d{4}$"), "precise": re.compile(r"^−?\d{1,5}\.\d{6}$")}
SCIENTIFIC = {"value": re.compile(r"^(−?)(\d)\.(\d{4}) × 10(⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)$"),
              "precise": re.compile(r"^(−?)(\d)\.(\d{6}) × 10(⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)$")}
ANY_SCIENTIFIC = re.compile(r"^(−?)(\d)\.(\d+) × 10(⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)$")


def power_of(superscript: str) -> int:
    return int(superscript.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")))


def read_back(text: str) -> float:
    """The number a reader sees in `text`."""
    match = ANY_SCIENTIFIC.match(text)
    if match:
        sign, whole, fraction, exponent = match.groups()
        return float(f"{'-' if sign else ''}{whole}.{fraction}e{power_of(exponent)}")
    return float(text.replace(MINUS, "-"))


assert MINUS == "\u2212"


@pytest.mark.parametrize("x, value, precise", [
    (0.0, "0.0000", "0.000000"),
    (-0.0, "0.0000", "0.000000"),
    (0.5, "0.5000", "0.500000"),
    (0.6985, "0.6985", "0.698500"),
    (-0.3, "−0.3000", "−0.300000"),
    (1.23456789, "1.2346", "1.234568"),
    (-1.23456789, "−1.2346", "−1.234568"),
    (0.05753, "0.0575", "0.057530"),
    (-0.00004, "−4.0 × 10⁻⁵", "−0.000040"),
    (-0.00005001, "−5.0 × 10⁻⁵", "−0.000050"),
    (0.0001, "0.0001", "0.000100"),
    (0.000001, "1.0 × 10⁻⁶", "0.000001"),
    (0.00000099996, "1.0 × 10⁻⁶", "1.0 × 10⁻⁶"),
    (-0.0000004, "−4.0 × 10⁻⁷", "−4.0 × 10⁻⁷"),
    (4.893367027491585e-07, "4.9 × 10⁻⁷", "4.9 × 10⁻⁷"),
    (2.98904327368899e-30, "3.0 × 10⁻³⁰", "3.0 × 10⁻³⁰"),
    (-1e-300, "−1.0 × 10⁻³⁰⁰", "−1.0 × 10⁻³⁰⁰"),
    (5e-324, "4.9 × 10⁻³²⁴", "4.9 × 10⁻³²⁴"),
    (12345.6789, "12345.6789", "12345.678900"),
    (-99999.9999, "−99999.9999", "−99999.999900"),
    (1e5, "1.0000 × 10⁵", "1.000000 × 10⁵"),
    (-1e5, "−1.0000 × 10⁵", "−1.000000 × 10⁵"),
    (1234567, "1.2346 × 10⁶", "1.234567 × 10⁶"),
    (-1234567.891, "−1.2346 × 10⁶", "−1.234568 × 10⁶"),
    (1e9, "1.0000 × 10⁹", "1.000000 × 10⁹"),
    (2.5e15, "2.5000 × 10¹⁵", "2.500000 × 10¹⁵"),
    (1e300, "1.0000 × 10³⁰⁰", "1.000000 × 10³⁰⁰"),
    (-1.7976931348623157e308, "−1.7977 × 10³⁰⁸", "−1.797693 × 10³⁰⁸"),
])
def test_number_examples(x, value, precise):
    assert number(x) == value
    assert number(x, "value") == value
    assert number(x, "precise") == precise


def test_unknown_kind_is_an_error():
    with pytest.raises(KeyError):
        number(1.0, "loud")


@given(finite, st.sampled_from(["value", "precise"]))
def test_number_rules_hold_for_any_finite_float(x, kind):
    text = number(x, kind)
    decimals = {"value": 4, "precise": 6}[kind]
    assert "-" not in text, "a hyphen where a minus sign (U+2212) belongs"
    assert not re.fullmatch(r"−0\.0+( × 10.*)?", text), f"{text!r}: minus on a value that shows as zero"
    if abs(x) >= 1e5 or 0 < abs(x) < 10 ** -decimals:
        match = ANY_SCIENTIFIC.match(text)
        assert match, f"{x!r} → {text!r} is not in scientific form"
        shown = 1 if abs(x) < 1 else decimals  # two significant digits below the kind's last decimal
        assert int(match.group(2)) >= 1 and len(match.group(3)) == shown
        power = power_of(match.group(4))
        mantissa = Decimal(f"{match.group(2)}.{match.group(3)}")
        assert power >= 5 or power < -decimals + 1
        assert abs(mantissa - abs(Decimal(x)).scaleb(-power)) <= Decimal("0.51").scaleb(-shown)
    else:
        assert FIXED[kind].match(text), f"{x!r} → {text!r}"
        assert abs(read_back(text) - x) <= 0.5 * 10 ** -decimals * (1 + 1e-9)
    if read_back(text) != 0:
        assert text.startswith(MINUS) == (x < 0)


@pytest.mark.parametrize("x, kind, text", [
    (-0.3, "value", "(−0.3000)"), (0.3, "value", "0.3000"), (-0.2, "value", "(−0.2000)"),
    (-0.001931, "precise", "(−0.001931)"), (-0.00004, "value", "(−4.0 × 10⁻⁵)"), (-0.0, "value", "0.0000"),
    (-0.0000004, "precise", "(−4.0 × 10⁻⁷)"), (-1234567.891, "value", "(−1.2346 × 10⁶)"),
    (1e9, "value", "1.0000 × 10⁹"),
])
def test_operand_examples(x, kind, text):
    """0.3000 × (−0.3000), 0.3400 + (−0.2000), 0.600000 − (−0.001931): as textbooks write them."""
    assert operand(x, kind) == text


@given(finite, st.sampled_from(["value", "precise"]))
def test_a_number_is_parenthesised_iff_it_is_negative_and_follows_an_operator(x, kind):
    """`operand` is the number after an operator, `number` anywhere else (opening a sum, a result
    after "="): only a negative operand gets parentheses, and a value that shows as zero is
    never "(−0.0000)"."""
    plain, after_operator = number(x, kind), operand(x, kind)
    assert "(" not in plain
    shown_negative = x < 0 and read_back(plain) != 0
    assert after_operator.startswith("(") == shown_negative
    assert after_operator == (f"({plain})" if shown_negative else plain)
    assert not re.fullmatch(r"\(−0\.0+\)", after_operator)


@example(1e-7, "precise", None)
@example(-4e-5, "value", None)
@example(5e-324, "value", 8)
@example(1e-9, "weight", None)
@given(finite, st.sampled_from(["value", "precise", "weight"]), st.one_of(st.none(), st.integers(4, 8)))
def test_a_number_that_is_not_0_is_never_written_as_0(x, kind, decimals):
    """However small: 1.2 × 10⁻⁷, never 0.000000; and it reads back as itself to the digits shown."""
    text = number(x, kind, decimals)
    digits = re.sub(r" × 10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+$", "", text).lstrip(MINUS)
    assert (digits.strip("0.") == "") == (x == 0), f"{x!r} → {text!r}"
    if x != 0:
        assert text.startswith(MINUS) == (x < 0)
        places = len(text.partition(".")[2].split(" ")[0])  # of the fixed form, or of the mantissa
        unit = Decimal(1).scaleb(-places)  # of the last decimal in fixed form, of the mantissa's in scientific
        match = ANY_SCIENTIFIC.match(text)
        if match:
            sign, whole, fraction, exponent = match.groups()
            mantissa = Decimal(f"{whole}.{fraction}")
            assert abs(mantissa - abs(Decimal(x)).scaleb(-power_of(exponent))) <= unit / 2 * Decimal("1.0001")
        else:
            assert abs(Decimal(text.replace(MINUS, "-")) - Decimal(x)) <= unit / 2 * Decimal("1.0001")


@given(st.floats(-99999.99994, 99999.99994, allow_nan=False).filter(lambda x: x == 0 or abs(x) >= 1e-4))
def test_fixed_form_fits_its_box(x):
    text = number(x)
    assert len(text.lstrip(MINUS)) <= len("99999.9999")


@pytest.mark.parametrize("x", [99999.99999, -99999.999951])
def test_a_value_that_rounds_up_to_100000_is_written_in_scientific_form(x):
    """Values just under 1e5 round to '100000.0000' in fixed form: six integer digits, one
    more than any other fixed-form number, which is what the scientific rule is there to stop."""
    text = number(x)
    assert SCIENTIFIC["value"].match(text), f"{x!r} → {text!r}"


@given(finite)
def test_short_reads_back_as_the_same_float(x):
    text = short(x)
    assert float(text) == x
    assert math.copysign(1, float(text)) == math.copysign(1, x)
    assert not text.endswith(".0")
    assert len(text) <= len(repr(x))


@pytest.mark.parametrize("x, text", [(1.0, "1"), (0.5, "0.5"), (-2.0, "-2"), (0.1, "0.1"),
                                     (100.0, "100"), (1e6, "1000000"), (1e-5, "1e-05"),
                                     (0.30000000000000004, "0.30000000000000004"), (1e16, "1e+16")])
def test_short_examples(x, text):
    assert short(x) == text


@given(st.floats(-1e9, 1e9, allow_nan=False))
def test_short_goes_back_through_a_number_field_unchanged(x):
    """What a field shows (short) is what the field reads (parse_number): no drift on re-entry."""
    assert parse_number(short(x), "weights[0][0][0]") == x


@pytest.mark.parametrize("x, text", [(0.1, "0.1"), (0.05, "0.05"), (1.0, "1"), (100.0, "100"),
                                     (2.5, "2.5"), (0.001, "0.001")])
def test_rate_examples(x, text):
    assert rate(x) == text


@example(0.1234567)
@example(10.21875)
@given(st.floats(0, 100, exclude_min=True, allow_nan=False))
def test_rate_writes_any_learning_rate_as_typed(x):
    """'rate: as typed, shortest form' — the text must read back as the learning rate in use."""
    text = rate(x)
    assert "-" not in text.split("e")[0]
    assert float(text.replace(MINUS, "-")) == x, f"{x!r} is shown as {text!r}"


@pytest.mark.parametrize("x, text", [(2.1e-9, "2.1 × 10⁻⁹"), (2.14999e-9, "2.1 × 10⁻⁹"), (0.0136, "1.4 × 10⁻²"),
                                     (1.0, "1.0 × 10⁰"), (2.0, "2.0 × 10⁰"), (4.9e-324, "4.9 × 10⁻³²⁴"), (0.0, "0")])
def test_relative_examples(x, text):
    """A relative difference, two significant digits whatever its size: the gradient check's."""
    assert relative(x) == text


@given(st.floats(0, 10, allow_nan=False))
def test_a_relative_difference_reads_back_to_two_significant_digits(x):
    text = relative(x)
    if x == 0:
        assert text == "0"
        return
    mantissa, power = re.fullmatch(r"(\d\.\d) × 10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)", text).groups()
    exponent = int(power.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")))
    assert math.isclose(float(f"{mantissa}e{exponent}"), x, rel_tol=0.051)
