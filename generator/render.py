"""Jinja2 rendering of the page: the templates get numbers already written by the view."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from pyodide_app.state import State
from pyodide_app.trace import trace
from pyodide_app.view import curve, diagram, names, page
from pyodide_app.view.numbers import short


def context(state: State, csp: str, scripts: list[str]) -> dict:
    t = trace(state)
    sizes = t["sizes"]
    history: list[tuple[int, float]] = []
    curve.record(history, t["epoch"], t["loss"]["total"])  # as the live page starts its curve
    kinds = ["Input"] + ["Hidden"] * (len(sizes) - 2) + ["Output"]
    return {
        "state": state,
        "sizes": sizes,
        "architecture": " → ".join(f"{n} {kind}" for n, kind in zip(sizes, kinds)) + " Nodes",
        "v": page.values(t, state.targets),
        "attrs": page.attributes(t),
        "layout": diagram.layout(sizes),
        "curve": curve.geometry(history),
        "names": names,
        "short": short,
        "csp": csp,
        "scripts": scripts,
    }


def render(templates: Path, context: dict) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["coord"] = coordinate
    return _collapse_whitespace(env.get_template("base.html").render(context))


def coordinate(value: float) -> str:
    """An SVG coordinate to a tenth of a unit, without a trailing ".0": 97, 154.5."""
    return f"{value:.1f}".removesuffix(".0")


# HTML's own whitespace (not \s: a no-break space must stay), in runs of two or more.
_WHITESPACE_RUN = re.compile(r"[ \t\n\r\f]{2,}")


def _collapse_whitespace(html: str) -> str:
    """The templates' indentation, without its bytes: a run of whitespace renders as one
    space anyway, so it becomes one character (a newline if it held one). The page has no
    <pre> or <textarea>, no `white-space: pre` rule and no attribute value with such a run,
    the only places where the run itself would show."""
    return _WHITESPACE_RUN.sub(lambda run: "\n" if "\n" in run.group() else " ", html)
