"""Practice: the page hides the results chosen and asks for them. Kept in the state
(state.practice), so local storage, the link and the export keep it; it goes on through
Reset and a new design.

While practising, the kinds chosen are hidden (`hides`): the session masks them, and what
gives them away, before anything is formatted (pyodide_app/masking.py), so every view writes
"?". The page gets one reply key, `practice` (see protocol.py), and makes an input box for each
question from it. Answers are judged against the trace itself, never the masked one.

When the network changes (an edit, Step, Train, Reset, a new structure) the questions' values
change with it: the answers typed stay and are judged again against the new values, and the
score follows. Answers to questions the network no longer has are dropped. While training,
the boxes wait: they are brought up to date when training pauses.
"""

from __future__ import annotations

from ..notation.numbers import HIDDEN_TEXT
from ..practice import KINDS, MAX_ANSWER_LENGTH, NOT_A_NUMBER, RIGHT, judge, questions
from ..view import page
from ..view import practice as view
from .base import Answer, Context, Feature, Reply
from ..translation import _

FIRST_KINDS = ["activations"]
VERDICT_CLASSES = {RIGHT: "right", NOT_A_NUMBER: "nan"}  # any other verdict: "wrong"


class Practice(Feature):
    messages = ("practice", "practiceKinds", "practiceAnswer")
    saved, kept = "practice", True

    def __init__(self, context: Context):
        self.ctx = context
        self.sent: dict | None = None  # the last `practice` reply, so that only a change is sent
        self.panel = ""  # the panel's markup as last sent

    @property
    def progress(self) -> dict | None:
        return self.ctx.state.practice

    # ---- messages ---------------------------------------------------------------------------

    def on_practice(self) -> Reply:
        """The Practice button: starts with the activations hidden, or stops (the answers go)."""
        state = self.ctx.state
        state.practice = None if state.practice else {"kinds": FIRST_KINDS[:], "answers": {}}
        return self.ctx.redraw()

    def on_practice_kinds(self, kinds) -> Reply:
        if self.progress is None or not isinstance(kinds, list):
            return {}
        self.progress["kinds"] = [kind for kind in KINDS if kind in kinds]
        return self.ctx.redraw()

    def on_practice_answer(self, key: str, text: str) -> Reply:
        if self.progress is None or not isinstance(text, str):
            return {}
        answer = self.ctx.answer()
        asked = {q.key: q for q in questions(answer.trace, self.progress["kinds"], answer.step)}
        if key not in asked:
            return {}
        text = text[:MAX_ANSWER_LENGTH]
        self.progress["answers"][key] = text
        said = _("%(question)s: %(verdict)s.") % {"question": asked[key].label, "verdict": _(judge(text, asked[key]))}
        return self.reply(answer, said=said) | self.ctx.save()

    # ---- the declared interface -------------------------------------------------------------

    def hides(self) -> frozenset[str]:
        return frozenset(self.progress["kinds"]) if self.progress else frozenset()

    @property
    def needs_gradients(self) -> bool:
        """Its questions and Show how read δs and updates."""
        return self.progress is not None

    def show(self, answer: Answer) -> Reply:
        """While training the boxes wait, unless the page's structure was re-drawn (which took them away)."""
        if answer.training and not answer.redrawn:
            return {}
        return self.reply(answer)

    # ---- the page ---------------------------------------------------------------------------

    def reply(self, answer: Answer, said: str = "") -> Reply:
        """The `practice` reply, if the page needs it; `said`: a verdict to announce, with the score."""
        if self.progress is None:
            if self.sent is None:
                return {}
            self.sent, self.panel = None, ""
            return {"practice": {"on": False}}
        t, kinds = answer.trace, self.progress["kinds"]
        every = {q.key for q in questions(t, KINDS, answer.step)}
        answers = self.progress["answers"]
        for key in [key for key in answers if key not in every]:
            del answers[key]
        asked = questions(t, kinds, answer.step)
        values = page.values(answer.shown, self.ctx.state.targets, answer.shown_step)
        boxes = self.boxes(answer, asked, answers)
        right = sum(box["c"] == VERDICT_CLASSES[RIGHT] for box in boxes)
        payload = {"on": True, "kinds": kinds, "score": view.score_text(right, len(asked)),
                   "hide": [key for key, text in values.items() if text == HIDDEN_TEXT], "boxes": boxes}
        markup = view.panel(t)
        if payload == self.sent and markup == self.panel and not answer.redrawn and not said:
            return {}
        self.sent = payload
        out = dict(payload)
        if markup != self.panel:
            out["panel"] = self.panel = markup
        if said:
            out["said"] = _("%(verdict)s %(score)s.") % {"verdict": said, "score": payload["score"]}
        return {"practice": out}

    def boxes(self, answer: Answer, asked: list, answers: dict[str, str]) -> list[dict]:
        """One per question: key, label, the card it goes in, the answer typed, its verdict and
        its class, and the Show how text, from the masked trace (it gives nothing away)."""
        hidden = {q.key: q.label for q in asked}
        if answer.step is None:
            hidden |= {"s" + q.key: q.label for q in asked if q.kind in ("activations", "deltas")}
        out = []
        for q in asked:
            typed = answers.get(q.key)
            verdict = "" if typed is None else judge(typed, q)
            out.append({"k": q.key, "l": q.label, "at": q.at, "a": typed or "", "v": _(verdict) if verdict else "",
                        "c": VERDICT_CLASSES.get(verdict, "wrong" if verdict else ""),
                        "h": view.how(q, answer.shown, answer.shown_step, hidden)})
        return out
