"""What the page shows of the session: values as batches, the parts on screen first.

A part of the live session (see session.py). Python keeps what the page shows (`Shown`)
and sends only what changed. While training, only the parts on screen are written; after an
edit, the answer holds those on screen and the rest follows in `on_rest`, so the page shows
the numbers it is looking at at once, whatever the network's size.
"""

from __future__ import annotations

from .fields import field_values
from .limits import slider_range
from .state import State
from .trace import trace
from .view import curve, diagram, page, render
from .view.changes import Shown
from .notation.numbers import short

Reply = dict
PARAMETERS = ("weights[", "biases[")  # the editor's fields


class PageDrawing:
    # ---- what is on screen --------------------------------------------------------------

    def on_visible(self, parts: list[str], editor_open: bool) -> Reply:
        """`parts`: the parts on screen, and the layer blocks of theirs that are ("forward-2")."""
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
        self.field_values_sent = field_values(self.state)
        return {"structure": render.render_parts(self._context(), ["parameter-fields"])}

    def on_reveal(self) -> Reply:
        """A part came into view (or the page is printed) while training: everything, now."""
        return self._show(trace(self.state), everything=True) if self.training else {}

    def _record_loss(self, t: dict):
        curve.record(self.history, t["epoch"], t["loss"]["total"])

    def on_rest(self) -> Reply:
        """The parts off screen, after an edit whose answer held only those on screen; and the
        edit's network saved."""
        if not self.rest_pending:
            return {}
        parts, self.rest_parts = self.rest_parts, None
        if self.training:
            return self.save()
        t = self.last_trace if self.last_trace["gradients"] else trace(self.state)
        return self._show(t, everything=True, parts=parts) | self.save()

    def answer_needs_gradients(self) -> bool:
        """Whether an edit's answer needs the backward pass: while training, or if a part on
        screen or a feature in use shows δs or updates. Otherwise they follow in the rest."""
        return (self.training or "backprop" in self.visible or "updates" in self.visible
                or any(feature.shows_gradients for feature in self.features))

    @property
    def rest_pending(self) -> bool:
        """The parts off screen (and the save) still wait for the last edit's values."""
        return self.rest_parts is not None

    def _show(self, t: dict, force=False, everything=False, soon=False, parts=None) -> Reply:
        """The trace, as a batch. While training, only the parts on screen, the diagram's names
        stay, and the number fields change only while the editor is open; once training stops,
        everything is brought up to date. `soon`: an edit, whose answer should be on screen at
        once; the parts off screen and the diagram's names follow in `on_rest`. Until then, and
        while training, a part on screen is written only for its layer blocks on screen.
        `parts`: only these (the rest of an answer: the parts it did not hold)."""
        full = (everything or not self.training) and not soon
        if parts is None:
            parts = page.PARTS if full else self.visible
        drawn = structure(t, self.state)
        redraw = drawn != self.drawn_structure and (full or drawn[:-1] != self.drawn_structure[:-1])
        if not t["gradients"] and (full or redraw or self.answer_needs_gradients()):
            t = trace(self.state)
        self.last_trace = t
        blocks = None if full else self.visible_blocks  # of a part on screen, only its layers on screen
        self.rest_parts = None if full or self.training else \
            tuple(part for part in page.PARTS if part not in parts or part in blocks)
        reply: Reply = {}
        if redraw:
            # Jinja draws the new structure with every value in it; then values flow as before
            reply["structure"] = render.render_parts(self._context(t))
            self.drawn_structure, self.shown, force = drawn, Shown(), True
        text = page.values(t, self.state.targets, self.shown_step, parts, blocks)
        attrs = self._attributes(t, labels=full)
        g = curve.geometry(self.history)
        text.update({"curve-" + key: g[key] for key in ("x_min", "x_max", "y_max")})
        attrs["curve-line"] = {"points": g["points"]}
        fields, ranges = self._field_texts(force) if not self.training or self.editor_open else ({}, {})
        self.practice.mask(t, text, attrs, self.shown)
        reply["batch"] = self.shown.batch(text, attrs, fields, ranges, force)
        for feature in self.features:
            reply |= feature.show(t, self)
        return reply

    def _context(self, t: dict | None = None) -> dict:
        return render.context(self.state, t, self.shown_step, editor=self.editor_drawn)

    def redraw(self) -> Reply:
        """Every value again, as the page must now show it (e.g. practice hides other numbers), and saved."""
        return self._show(trace(self.state)) | self.save()

    def _attributes(self, t: dict, labels: bool) -> dict:
        """The diagram's attributes. Its lines' change only with the weights: while the page
        shows the ones drawn for these weights, they are not compared again."""
        weights, (drawn_for, labelled, sent_for, edges) = self.state.network.weights, self.edges
        if weights != drawn_for or (labels and not labelled):
            edges = diagram.edge_attributes(t, labels)
            drawn_for, labelled, sent_for = [[row[:] for row in layer] for layer in weights], labels, None
        attrs = diagram.node_attributes(t) if labels else {}
        if sent_for is not self.shown:  # not yet sent since the page's diagram was drawn
            attrs |= edges
            sent_for = self.shown
        self.edges = drawn_for, labelled, sent_for, edges
        return attrs

    def _field_texts(self, force: bool) -> tuple[dict, dict]:
        """The number fields on the page that changed since last sent (all with `force`), and
        sliders. Until the editor is drawn, the weights and biases have no fields: it is drawn
        with the values of its moment."""
        values, last = field_values(self.state), self.field_values_sent
        if force or len(values) != len(last):
            changed = dict(zip(self.fields, values))
        else:
            changed = {name: value for name, value, old in zip(self.fields, values, last) if value != old}
        self.field_values_sent = values
        changed = {name: value for name, value in changed.items() if self.has_field(name)}
        return ({field: short(value) for field, value in changed.items()},
                {field: self.slider(field, value) for field, value in changed.items() if self.fields[field]})

    def has_field(self, name: str) -> bool:
        """Whether the page holds this number field: the weights' and biases' once the editor is drawn."""
        return self.editor_drawn or not name.startswith(PARAMETERS)

    def slider_range(self, field: str) -> tuple[float, float]:
        return slider_range(self.state.limits()["targets"] if field.startswith("targets") else None)

    def slider(self, field: str, value: float) -> str:
        low, high = self.slider_range(field)
        return str(min(max(value, low), high))


def structure(t: dict, state: State) -> tuple:
    """What the page's HTML is drawn for; the rules of the derivatives come last (see _show)."""
    sizes, activations, loss, rules = render.structure(t)
    return sizes, activations, loss, state.preset, rules
