"""What the page shows of the session: values as batches, the parts on screen first.

The session composes one; it keeps what the page shows (`Shown`) and sends only what changed.
While training, only the parts on screen are written; after an edit, the answer holds those on
screen and the rest follows (session.on_rest), so the page shows the numbers it is looking at
at once, whatever the network's size. It formats the answer's shown trace only: hidden values
are HIDDEN there already, and are written "?".
"""

from __future__ import annotations

from .data import settings as data_settings
from .features.base import Answer
from .fields import field_names, field_values, slider
from .notation.numbers import HIDDEN, short
from .protocol import Reply
from .state import State
from .trace import trace
from .view import curve, diagram, page, render
from .view.changes import Shown

PARAMETERS = ("weights[", "biases[")  # the editor's fields


def structure(t: dict, state: State) -> tuple:
    """What the page's HTML is drawn for (a dataset's panel and plot only while there is one);
    the rules of the derivatives come last (see `redraws`)."""
    sizes, activations, loss, rules = render.structure(t)
    return sizes, activations, loss, state.preset, data_settings.drawn_key(state.data), tuple(t.get("input_features") or ()), rules


class PageWriter:
    def __init__(self, seed: State):
        self.drawn_structure = structure(trace(seed), seed)  # what the page's HTML shows
        self.fields = field_names(seed.network.sizes)  # the state's number fields
        self.shown = Shown()
        self.visible: tuple[str, ...] = page.PARTS  # parts of the page on screen
        self.visible_blocks: dict[str, set[int]] = {}  # and their layer blocks on screen, where known
        self.editor_open = False
        self.editor_drawn = False  # the page's weight editor holds its fields
        self.rest_parts: tuple[str, ...] | None = None  # the parts an edit's answer left out, until sent
        self.last_trace: dict | None = None
        # the diagram lines' attributes: (weights, with names?, the Shown they were sent to, attributes)
        self.edges: tuple = (None, False, None, {})
        self.field_values_sent: list[float] = []

    # ---- what is on screen --------------------------------------------------------------

    def on_visible(self, parts: list[str], editor_open: bool, state: State, answer) -> Reply:
        """`parts`: the parts on screen, and the layer blocks of theirs that are ("forward-2");
        `answer()`: the values of the moment, if the editor must be drawn."""
        self.visible = tuple(part for part in parts if part in page.PARTS)
        self.visible_blocks = {}
        for name in parts:
            part, _, layer = str(name).rpartition("-")
            if part in self.visible and layer.isdigit():
                self.visible_blocks.setdefault(part, set()).add(int(layer))
        self.editor_open = bool(editor_open)
        if not self.editor_open or self.editor_drawn:
            return {}
        # opened for the first time: its fields, drawn with the values they hold now
        self.editor_drawn = True
        self.field_values_sent = field_values(state)
        return {"structure": render.render_parts(self.context(state, answer()), ["parameter-fields"])}

    @property
    def shows_gradients(self) -> bool:
        """A part on screen shows δs or updates."""
        return "backprop" in self.visible or "updates" in self.visible

    def take_rest(self) -> tuple[str, ...] | None:
        """The parts the last answer left out, once."""
        parts, self.rest_parts = self.rest_parts, None
        return parts

    def redraws(self, drawn: tuple, full: bool) -> bool:
        """Whether the page's HTML must be drawn anew for this structure. A change of a
        derivative's case alone (ReLU′ at z > 0 or z ≤ 0) waits for a full answer."""
        return drawn != self.drawn_structure and (full or drawn[:-1] != self.drawn_structure[:-1])

    # ---- the batch ----------------------------------------------------------------------

    def write(self, answer: Answer, state: State, history: list, full: bool, drawn: tuple | None,
              force: bool = False, parts=None) -> Reply:
        """The answer as a batch. `drawn`: the structure to draw the page's HTML for, if it
        must be. While training, only the parts on screen, the diagram's names stay, and the
        number fields change only while the editor is open. An edit's answer (not `full`)
        writes the parts on screen, and of those only their layer blocks on screen; the rest
        waits for the session's on_rest. `parts`: only these (the rest of an answer)."""
        if parts is None:
            parts = page.PARTS if full else self.visible
        self.last_trace = answer.trace
        blocks = None if full else self.visible_blocks
        self.rest_parts = None if full or answer.training else \
            tuple(part for part in page.PARTS if part not in parts or part in blocks)
        reply: Reply = {}
        if drawn:
            # Jinja draws the new structure with every value in it; then values flow as before
            reply["structure"] = render.render_parts(self.context(state, answer))
            self.drawn_structure, self.shown, force = drawn, Shown(), True
        t = answer.shown
        text = page.values(t, state.targets, answer.shown_step, parts, blocks)
        attrs = self.attributes(t, state.network.weights, labels=full)
        curve_text, curve_attrs = curve.page_values(curve.geometry(history, loss_hidden=t["loss"]["total"] is HIDDEN))
        text.update(curve_text)
        attrs.update(curve_attrs)
        fields, ranges = self.field_texts(state, force) if not answer.training or self.editor_open else ({}, {})
        reply["batch"] = self.shown.batch(text, attrs, fields, ranges, force)
        return reply

    def loaded(self, state: State) -> Reply:
        """What a whole new state clears or sets besides its values: field errors, the Network
        panel's text fields, the speed."""
        self.fields = field_names(state.network.sizes)
        return {"fieldErrors": dict.fromkeys(filter(self.has_field, self.fields), ""),
                "design": {"sizes": "-".join(map(str, state.network.sizes)), "random_seed": str(state.random_seed)},
                "speed": state.settings["speed"]}

    def context(self, state: State, answer: Answer) -> dict:
        return render.context(state, answer.shown, answer.shown_step, editor=self.editor_drawn)

    def attributes(self, t: dict, weights: list, labels: bool) -> dict:
        """The diagram's attributes. Its lines' change only with the weights: while the page
        shows the ones drawn for these weights, they are not compared again."""
        drawn_for, labelled, sent_for, edges = self.edges
        if weights != drawn_for or (labels and not labelled):
            edges = diagram.edge_attributes(t, labels)
            drawn_for, labelled, sent_for = [[row[:] for row in layer] for layer in weights], labels, None
        attrs = diagram.node_attributes(t) if labels else {}
        if sent_for is not self.shown:  # not yet sent since the page's diagram was drawn
            attrs |= edges
            sent_for = self.shown
        self.edges = drawn_for, labelled, sent_for, edges
        return attrs

    def field_texts(self, state: State, force: bool) -> tuple[dict, dict]:
        """The number fields on the page that changed since last sent (all with `force`), and
        sliders. Until the editor is drawn, the weights and biases have no fields: it is drawn
        with the values of its moment."""
        values, last = field_values(state), self.field_values_sent
        if force or len(values) != len(last):
            changed = dict(zip(self.fields, values))
        else:
            changed = {name: value for name, value, old in zip(self.fields, values, last) if value != old}
        self.field_values_sent = values
        changed = {name: value for name, value in changed.items() if self.has_field(name)}
        return ({field: short(value) for field, value in changed.items()},
                {field: slider(state, field, value) for field, value in changed.items() if self.fields[field]})

    def has_field(self, name: str) -> bool:
        """Whether the page holds this number field: the weights' and biases' once the editor is drawn."""
        return self.editor_drawn or not name.startswith(PARAMETERS)
