"""The worker's entry: a message from the page in, an update out, both JSON text.

worker.js calls `handle` for each message and `tick` between messages while training; an
empty string means there is nothing to send.
"""

from __future__ import annotations

import base64
import bz2
import gc
import gettext
import io
import json
import random

from . import translation
from .protocol import MESSAGES
from .session import Session
from .state import MAX_TEXT_LENGTH
from .trace import trace
from .view import page
from .translation import N_, _

# Rounds of an edit's work the worker runs in idle time once live, its results thrown away:
# the engine compiles the hot paths then, not during a teacher's first drag.
WARM_ROUNDS = 40

FAILED = N_("Something went wrong with that action; the page keeps the last good values.")


class Worker:
    def __init__(self):
        random.seed()  # a memory snapshot would otherwise replay the build's random numbers
        self.session = Session()
        self.warm_rounds_left = WARM_ROUNDS
        # What exists now (modules, Jinja's compiled templates, the session) lives as long as
        # the page: frozen, the collector never walks it again. An edit on a large network
        # makes thousands of short-lived dicts, and each collection they start would otherwise
        # also walk these.
        gc.freeze()

    @property
    def training(self) -> bool:
        return self.session.training

    def handle(self, text: str) -> str:
        try:
            message = json.loads(text)
            kind = message["kind"]
            reply = self.session.handle(kind, *(message.get(name) for name in MESSAGES[kind]))
        except Exception as error:  # a bug must not take the page down
            reply = {"notice": {"text": _(FAILED), "error": True}, "warning": f"{type(error).__name__}: {error}"}
        if self.session.rest_pending:
            reply["later"] = True
        return json.dumps(reply) if reply else ""

    def tick(self) -> str:
        try:
            reply = self.session.tick()
        except Exception as error:  # keep the page alive whatever happens
            reply = self.session.pause() | {"notice": {"text": (_("Training stopped: %(error)s")
                                                                % {"error": error}), "error": True}}
        return json.dumps(reply) if reply else ""

    @property
    def rest_pending(self) -> bool:
        return self.session.rest_pending

    def rest(self) -> str:
        """The parts off screen after an edit: always an update, "{}" if nothing is left."""
        try:
            reply = self.session.on_rest()
        except Exception as error:
            reply = {"notice": {"text": _(FAILED), "error": True}, "warning": f"{type(error).__name__}: {error}"}
        return json.dumps(reply)

    def warm(self) -> bool:
        """One round of what an edit computes (the trace; the numbers of the loss and of one
        layer's cards of each pass), on the network as it is; nothing is kept. True while rounds
        are left. (Not the updates table: on the largest network one round would take too long.)"""
        if self.warm_rounds_left <= 0 or self.session.training:
            return False
        self.warm_rounds_left -= 1
        state = self.session.state
        t = trace(state)
        last = len(t["layers"]) - 1
        json.dumps(page.values(t, state.targets, parts=("forward", "loss", "backprop"),
                               blocks={"forward": {last}, "backprop": {last}}))
        return self.warm_rounds_left > 0

    def next_tick(self) -> float:
        return self.session.next_tick()

    def draw_elsewhere(self, on: bool) -> None:
        """A drawing worker (drawing.py) draws the plot while training: the run sends it weights."""
        self.session.drawing_elsewhere = bool(on)

    def drawing(self) -> str:
        """What the drawing worker should draw now, as its request's JSON; "" if nothing."""
        try:
            request = self.session.drawing()
        except Exception:  # a request that cannot be made leaves the plot as it is
            request = None
        return json.dumps(request) if request else ""


def install_catalog(packed: str) -> None:
    """The page's compiled catalog (its catalog.js: bzip2 + base85, "<" written "."), installed
    before the first answer, so that every text Python writes is in the page's language."""
    catalog = bz2.decompress(base64.b85decode(packed.replace(".", "<")))
    translation.install(gettext.GNUTranslations(io.BytesIO(catalog)))


def limits() -> dict:
    return {"maxFileBytes": MAX_TEXT_LENGTH}
