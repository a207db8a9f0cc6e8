"""The page at build time: the templates, with numbers already written by the view (the live
page re-draws its structure with the same templates, in pyodide_app/view/render.py)."""

from __future__ import annotations

from pyodide_app.state import State
from pyodide_app.view import render as view_render


def context(state: State, csp: str, scripts: list[str], **extra) -> dict:
    return view_render.context(state, csp=csp, scripts=scripts, **extra)


def render(context: dict) -> str:
    return view_render.render_page(context)
