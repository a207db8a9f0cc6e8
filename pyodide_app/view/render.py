"""The page's HTML from the Jinja templates in site_src/templates/: the whole page at build
time, and the parts that follow the network's structure when it changes on the live page.

One context and one set of templates for both, so the build and the live page cannot
disagree. Jinja is imported on first use (or before the start-up snapshot: `prepare`).

"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from .. import translation
from ..translation import _
from ..activations import ACTIVATIONS
from ..architecture import MAX_HIDDEN_LAYERS
from ..data import own_data
from ..data import scores
from ..data.generators import GENERATORS
from ..data.inputs import ALWAYS, FEATURES
from ..lessons import LESSONS
from ..limits import slider_range
from ..losses import DELTA_RULES, LOSSES, pairing_note
from ..presets import PRESETS
from ..state import State, load_seed, serialise
from ..trace import trace
from ..notation import names
from . import compare as compare_view
from . import curve, diagram, page, status
from .cards import cards, page_mathml, structure as cards_structure
from .lines import symbols
from ..notation.numbers import HIDDEN, short

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "site_src" / "templates"
# element id → the partial that draws it
PARTS = {
    "lede": "lede.html",
    "diagram-figure": "diagram.html",
    "input-fields": "input_fields.html",
    "target-fields": "target_fields.html",
    "design-fields": "design_fields.html",
    "data-fields": "data_fields.html",
    "data-plot": "data_plot.html",
    "parameter-fields": "parameter_fields.html",
    "formulas": "formulas.html",
    "understanding": "understanding.html",
}


def choices() -> dict[str, list[tuple]]:
    """(value, text) of each select's options, in the reader's language."""
    return {
        "hidden": [(f.key, f.name) for f in ACTIVATIONS.values() if not f.output_only],
        "output": [(f.key, f.name) for f in ACTIVATIONS.values()],
        "losses": [(loss.key, loss.name) for loss in LOSSES.values()],
        "presets": [("", _("Your own network"))] + [(p.key, p.name) for p in PRESETS.values()],
    }


def data_choices() -> dict[str, list[tuple]]:
    """The Data panel's datasets, and its inputs (key, name, always ticked)."""
    return {
        "datasets": [(g.key, g.name) for g in GENERATORS.values()] + [(own_data.OWN, _(own_data.NAME))],
        "data_inputs": [(f.key, f.name, f.key in ALWAYS) for f in FEATURES.values()],
    }


def context(state: State, t: dict | None = None, shown_step: dict | None = None, **extra) -> dict:
    t = t or trace(state)
    sizes = t["sizes"]
    history: list[tuple] = []
    loss = t["loss"]["total"]
    if state.data is not None:  # as the live page starts its curve (session.record)
        result = scores.evaluated(state.network, state.data)
        curve.record(history, t["epoch"], result.training_loss, result.test_loss)
    elif loss is not HIDDEN:
        curve.record(history, t["epoch"], loss)

    net = state.network
    limits = state.limits()
    return {
        "state": state,
        "sizes": sizes,
        "trace": t,
        "architecture": architecture(sizes),
        "v": (v := page.values(t, state.targets, shown_step)),
        "worked": lambda card, result="": _worked(t, card, v, result),
        "output_rule": t["layers"][-1]["neurons"][0]["delta_rule"],
        "delta_rules": {key: rule.formula for key, rule in DELTA_RULES.items()},
        "loss_error": LOSSES[net.loss].error and symbols(LOSSES[net.loss].error),
        "attrs": page.attributes(t),
        "layout": diagram.layout(sizes, names.inputs_of(t)),
        "curve": curve.geometry(history, loss_hidden=loss is HIDDEN),
        "names": names,
        "short": short,
        "activations": ACTIVATIONS,
        "used": [ACTIVATIONS[key] for key in dict.fromkeys(net.activations)],
        "loss": LOSSES[net.loss],
        "losses": LOSSES,
        "pairing_note": pairing_note(net.loss, net.activations[-1]),
        "presets": PRESETS,
        "layer_names": lambda key: _layer_list(key, net.activations),
        "layer_functions": "; ".join(f"{names.layer_title(l + 1, len(sizes))}: {ACTIVATIONS[key].name}"
                                     for l, key in enumerate(net.activations)),
        "choices": choices(),
        **data_choices(),
        "max_hidden": MAX_HIDDEN_LAYERS,
        "sliders": {"inputs": slider_range(None), "targets": slider_range(limits["targets"])},
        "sizes_text": "-".join(map(str, sizes)),
        "starting_json": starting_json(state),
        "own": own_data.panel(state.data),
        "data_readout": status.readout(state) if state.data is not None else "",
        "editor": False,  # the weight editor's fields: drawn once it is opened on the live page
        "lessons": [(lesson.key, lesson.name) for lesson in LESSONS.values()],
        "compare_headings": [_(heading) for heading in compare_view.HEADINGS],
        **extra,
    }


def _worked(t: dict, card: str, v: dict[str, str], result: str) -> str:
    """A card's worked lines as the page's <math> rows (cards.py), the last row of class `result`."""
    return page_mathml(cards(t).by_id[card], v, result)


def starting_json(state: State) -> str:
    """The page's starting network for the worker, unless it is the seed (the default)."""
    text = serialise(state)
    return "" if text == serialise(load_seed()) else text.replace("<", "\\u003c")


def architecture(sizes: list[int]) -> str:
    """'3 Input → 4 Hidden → 2 Output Nodes'."""
    kinds = [_("%(count)d Input")] + [_("%(count)d Hidden")] * (len(sizes) - 2) + [_("%(count)d Output")]
    return _("%(layers)s Nodes") % {"layers": " → ".join(kind % {"count": n} for n, kind in zip(sizes, kinds))}


def _layer_list(key: str, activations: list[str]) -> str:
    """'Hidden Layer 1, Hidden Layer 2 and the Output Layer': the layers using this activation."""
    count = len(activations) + 1
    titles = [(_("the %(layer)s") if l == count - 2 else "%(layer)s") % {"layer": names.layer_title(l + 1, count)}
              for l, k in enumerate(activations) if k == key]
    if len(titles) == 1:
        return titles[0]
    return _("%(layers)s and %(last)s") % {"layers": ", ".join(titles[:-1]), "last": titles[-1]}


def structure(t: dict) -> tuple:
    """What decides the page's HTML: that of its worked lines (cards.structure)."""
    return cards_structure(t)


@cache
def environment():
    # About half a second in the browser, and as much again to compile the templates: the
    # start-up snapshot has both done (`prepare`); a start without one does them when first needed.
    import jinja2

    # A template never changes while the page runs (a snapshot's were compiled from the same
    # text the page installs), so Jinja need not look at the files' times again.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, auto_reload=False,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             extensions=["jinja2.ext.i18n"])
    # The catalog is looked up when a template renders, so installing another (translation.install)
    # changes the templates' words as it changes the Python's. In HTML a translated text is the
    # template's own text, as trusted as the English it replaces: Markup, not escaped again.
    trusted = jinja2.pass_eval_context(lambda ctx, text: jinja2.filters.Markup(text) if ctx.autoescape else text)
    env.install_gettext_callables(
        jinja2.pass_eval_context(lambda ctx, message: trusted(ctx, translation._(message))),
        jinja2.pass_eval_context(lambda ctx, one, many, n: trusted(ctx, translation.ngettext(one, many, n))))
    env.globals["symbol_word"] = names.symbol  # update, gradient, new…: symbols that are words
    env.filters["coord"] = coordinate
    env.filters["mathml"] = lambda text: jinja2.filters.Markup(text)  # formulas of the records: trusted
    return env


def prepare() -> None:
    """Jinja imported and every template there is compiled, once; the start-up snapshot is
    taken after this, so the first structure change, worksheet or gradient check does not
    wait for them."""
    env = environment()
    for name in env.list_templates():
        env.get_template(name)


def render_page(context: dict) -> str:
    return collapse_whitespace(environment().get_template("base.html").render(context))


def render_parts(context: dict, elements=PARTS) -> dict[str, str]:
    """{element id: its HTML} for every part that follows the structure (or those named)."""
    env = environment()
    return {element: collapse_whitespace(env.get_template(PARTS[element]).render(context)).strip()
            for element in elements}


def coordinate(value: float) -> str:
    """An SVG coordinate to a tenth of a unit, without a trailing ".0": 97, 154.5."""
    return f"{value:.1f}".removesuffix(".0")


# HTML's own whitespace (not \s: a no-break space must stay), in runs of two or more.
_WHITESPACE_RUN = re.compile(r"[ \t\n\r\f]{2,}")


def collapse_whitespace(html: str) -> str:
    """The templates' indentation, without its bytes: a run of whitespace renders as one
    space anyway, so it becomes one character (a newline if it held one). The page has no
    <pre> or <textarea>, no `white-space: pre` rule and no attribute value with such a run,
    the only places where the run itself would show."""
    return _WHITESPACE_RUN.sub(lambda run: "\n" if "\n" in run.group() else " ", html)
