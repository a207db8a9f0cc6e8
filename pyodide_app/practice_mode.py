"""Practice mode on the live page: a part of the session (session.practice), kept in the
state (state.practice), so local storage and the link keep it.

While practising, the numbers of the kinds chosen never reach the page: `mask` takes them out
of every batch (the page shows "?") and the diagram's names say "?" for a hidden activation.
The page gets one reply key, `practice` (see protocol.py), and makes an input box for each
question from it.

When the network changes (an edit, Step, Train, Reset, a new structure) the questions' values
change with it: the answers typed stay and are judged again against the new values, and the
score follows. Answers to questions the network no longer has are dropped. While training,
the boxes wait: they are brought up to date when training pauses.
"""

from __future__ import annotations

from .practice import KINDS, MAX_ANSWER_LENGTH, NOT_A_NUMBER, RIGHT, hidden_keys, judge, questions
from .trace import trace
from .view import page
from .view import practice as view
from .notation.numbers import number

FIRST_KINDS = ["activations"]
VERDICT_CLASSES = {RIGHT: "right", NOT_A_NUMBER: "nan"}  # any other verdict: "wrong"


class Practice:
    def __init__(self, session):
        self.session = session
        self.sent: dict | None = None  # the last `practice` reply, so that only a change is sent
        self.panel = ""  # the panel's markup as last sent
        self.drawn = None  # the structure the page's boxes were made in

    @property
    def progress(self) -> dict | None:
        return self.session.state.practice

    # ---- messages ---------------------------------------------------------------------------

    def on_toggle(self) -> dict:
        """The Practice button: starts with the activations hidden, or stops (the answers go)."""
        state = self.session.state
        state.practice = None if state.practice else {"kinds": FIRST_KINDS[:], "answers": {}}
        return self.session.redraw()

    def on_kinds(self, kinds) -> dict:
        if self.progress is None or not isinstance(kinds, list):
            return {}
        self.progress["kinds"] = [kind for kind in KINDS if kind in kinds]
        return self.session.redraw()

    def on_answer(self, key: str, text: str) -> dict:
        if self.progress is None or not isinstance(text, str):
            return {}
        t = trace(self.session.state)
        asked = {q.key: q for q in questions(t, self.progress["kinds"], self.session.shown_step)}
        if key not in asked:
            return {}
        text = text[:MAX_ANSWER_LENGTH]
        self.progress["answers"][key] = text
        return self.reply(t, said=f"{asked[key].label}: {judge(text, asked[key])}.") | self.session.save()

    # ---- what the page shows ----------------------------------------------------------------

    def mask(self, t: dict, text: dict[str, str], attrs: dict, shown) -> None:
        """Takes the hidden numbers out of a batch about to be made. `shown` (the page's Shown)
        forgets them too, so that they are sent again as soon as they are no longer hidden."""
        if self.progress is None:
            return
        kinds = self.progress["kinds"]
        for key in hidden_keys(t, kinds, self.session.shown_step is not None):
            text.pop(key, None)
            shown.text.pop(key, None)
        if "activations" not in kinds:
            return
        for l, layer in enumerate(t["layers"][1:], start=1):
            for j, n in enumerate(layer["neurons"]):
                node = attrs.get(f"node-{l}-{j}")
                if node:  # "0.5123 H2-1 b 0.1000" → "? H2-1 b 0.1000"
                    node["aria-label"] = "?" + node["aria-label"][len(number(n["activation"])):]

    @property
    def shows_gradients(self) -> bool:
        """Its show() and mask() read δs and updates (the trace must have them)."""
        return self.progress is not None

    def show(self, t: dict, session) -> dict:
        """The session's feature hook. While training the boxes wait, unless the page's
        structure was re-drawn (which took them away)."""
        if session.training and session.drawn_structure == self.drawn:
            return {}
        return self.reply(t)

    def reply(self, t: dict, said: str = "") -> dict:
        """The `practice` reply, if the page needs it; `said`: a verdict to announce, with the score."""
        s = self.session
        if self.progress is None:
            if self.sent is None:
                return {}
            self.sent, self.panel = None, ""
            return {"practice": {"on": False}}
        every = {q.key for q in questions(t, KINDS, s.shown_step)}
        answers = self.progress["answers"]
        for key in [key for key in answers if key not in every]:
            del answers[key]
        asked = questions(t, self.progress["kinds"], s.shown_step)
        boxes = self.boxes(t, asked, answers)
        right = sum(box["v"] == RIGHT for box in boxes)
        payload = {"on": True, "kinds": self.progress["kinds"], "score": view.score_text(right, len(asked)),
                   "hide": hidden_keys(t, self.progress["kinds"], s.shown_step is not None), "boxes": boxes}
        markup = view.panel(t)
        if payload == self.sent and markup == self.panel and s.drawn_structure == self.drawn and not said:
            return {}
        self.sent, self.drawn = payload, s.drawn_structure
        out = dict(payload)
        if markup != self.panel:
            out["panel"] = self.panel = markup
        if said:
            out["said"] = f"{said} {payload['score']}."
        return {"practice": out}

    def boxes(self, t: dict, asked: list, answers: dict[str, str]) -> list[dict]:
        """One per question: key, label, the card it goes in, the answer typed, its verdict and
        its class, and the Show how text."""
        s = self.session
        values = page.every_text(t, s.state.targets, s.shown_step)
        hidden = {q.key: q.label for q in asked}
        if s.shown_step is None:
            hidden |= {"s" + q.key: q.label for q in asked if q.kind in ("activations", "deltas")}
        out = []
        for q in asked:
            typed = answers.get(q.key)
            verdict = "" if typed is None else judge(typed, q)
            out.append({"k": q.key, "l": q.label, "at": q.at, "a": typed or "", "v": verdict,
                        "c": VERDICT_CLASSES.get(verdict, "wrong" if verdict else ""),
                        "h": view.how(q, t, values, hidden)})
        return out
