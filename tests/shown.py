"""Reading numbers as the page writes them, stated apart from pyodide_app, and whether one is
the oracle's.

A worked line may show a number with more decimals than its kind's (4 for values, 6 for the
loss, δs and updates), up to 8, so that the line adds up on the digits it shows; one too small
for its kind's decimals is written in scientific form with one decimal or more (4.9 × 10⁻⁷). A
number shown with d decimals is the oracle's value x when it is x rounded to d decimals: within
half a unit of its last decimal (and a few ulps, as the oracle sums in another order).
"""

from __future__ import annotations

import re
from decimal import Decimal

MINUS = "\u2212"
SUPERSCRIPT = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
LEAST = {"value": 4, "precise": 6}
MOST = 8
# a number as written: −0.1344, (−0.1344) after an operator, 1.2346 × 10⁶
_BARE = r"\d+\.\d+(?: × 10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?"
NUMBER = re.compile(rf"\(−{_BARE}\)|−?{_BARE}")


def value(text: str) -> tuple[Decimal, Decimal, int]:
    """(the number, one unit of its last decimal, its decimals) of a number as written."""
    plain = text.strip()
    if plain.startswith("(") and plain.endswith(")"):
        plain = plain[1:-1]
    mantissa, _, power = plain.partition(" × 10")
    exponent = int(power.translate(SUPERSCRIPT)) if power else 0
    number = Decimal(mantissa.replace(MINUS, "-"))
    decimals = -number.as_tuple().exponent
    return number.scaleb(exponent), Decimal(1).scaleb(exponent - decimals), decimals


def is_written(text: str, x: float, kind: str = "value") -> bool:
    """Whether `text` shows x: with the decimals of its kind or more (up to 8), x rounded to them;
    a negative number in parentheses only as an operand, never a bare hyphen."""
    if "-" in text or not NUMBER.fullmatch(text.strip()):
        return False
    number, unit, decimals = value(text)
    # below the kind's last decimal: a mantissa's decimals; and the slack of a difference of
    # numbers near 1 (o − t ≈ 10⁻¹²: the oracle's, in another order, differs from the fifth digit;
    # below 10⁻¹⁵, a few ulps of such numbers, the two may differ in every digit)
    tiny = " × 10⁻" in text
    slack = Decimal(1e-4 * abs(float(x)) + 1e-15 if tiny else 1e-12 * max(1.0, abs(float(x))))
    least = 1 if tiny else LEAST[kind]
    return least <= decimals <= MOST and abs(number - Decimal(float(x))) <= unit / 2 + slack


def numbers_in(text: str) -> list[str]:
    return NUMBER.findall(text)


def shows(text: str, x: float, kind: str = "value") -> bool:
    """Whether some number in a text (a caption, a line) is x as shown."""
    return any(is_written(n, x, kind) for n in numbers_in(text))


def shows_product(text: str, x: float, y: float, kind: str = "value", operand: bool = False) -> bool:
    """Whether the text has "x × y" with both as shown, y in parentheses when negative (an
    operand), x too when it follows an operator itself."""
    for m in re.finditer(rf"({NUMBER.pattern}) × ({NUMBER.pattern})", text):
        left, right = m.group(1), m.group(2)
        if is_written(left, x, kind) and is_written(right, y) and \
                parenthesised_as_operand(right) and (not operand or parenthesised_as_operand(left)):
            return True
    return False


def parenthesised_as_operand(text: str) -> bool:
    """A negative operand is in parentheses, a positive one is not."""
    return text.startswith("(") == (MINUS in text)


# ---- every number of a page ----------------------------------------------------------------------

def base(key: str) -> str:
    """The number a data-v key writes: "(a-1-0@f2-0" (a-1-0 as written in H2-1's forward card,
    after an operator) → "a-1-0"."""
    return key.partition("@")[0].lstrip("(")


class Expected(dict):
    """Every data-v text the page must show, with its number's kind's decimals (`put`), and the
    oracle's value of each number, by the number's own key (`numbers`)."""

    def __init__(self, *args):
        super().__init__(*args)
        self.numbers: dict[str, tuple[float, str]] = getattr(args[0], "numbers", {}).copy() if args else {}

    def put(self, key: str, x: float, kind: str = "value", written=None) -> None:
        from pyodide_app.notation.numbers import number  # the kind's decimals, as the page's rules say
        self[key] = written if written is not None else number(float(x), kind)
        self.numbers[key] = (float(x), kind)


def wrong_texts(texts: dict[str, list[str]], expected: Expected) -> tuple[list, list, dict]:
    """(numbers the page does not show, keys the test does not know, texts that are not the
    oracle's). A number's own key shows its kind's decimals; a worked line's copy of it
    ("…@card"), and a weight, as many as the line needs: the oracle's value rounded to them; the
    "=" before a line's result ("=1@b4-0") may be "≈"."""
    shown = {k: v for k, v in texts.items() if not k.startswith(("curve-", "="))}
    known = {base(k) for k in expected}
    missing = sorted(known - {base(k) for k in shown})
    extra = sorted(k for k in shown if base(k) not in known)
    wrong = {}
    for key, values in texts.items():
        if key.startswith("curve-") or key in extra:
            continue
        for text in values:
            if key.startswith("="):
                ok = text in ("=", "≈")
            elif key in expected and text == expected[key]:
                ok = True
            # a copy in a worked line, a weight, or a number at rounding noise's size (3.2 × 10⁻¹⁵:
            # the oracle sums in another order, and such digits may differ)
            elif ("@" in key or base(key).startswith("w-") or " × 10⁻" in (expected.get(key) or "")) \
                    and base(key) in expected.numbers:
                x, kind = expected.numbers[base(key)]
                ok = is_written(text, x, kind) and text.startswith("(") == (key.startswith("(") and MINUS in text)
            else:
                ok = False
            if not ok:
                wrong[key] = (text, expected.get(key) or expected.get(base(key)))
    return missing, extra, wrong
