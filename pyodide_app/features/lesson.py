"""Lesson: a guided set-up chosen from a select (lessons.py): its data, both networks side by
side (Compare, with the second network in the state), and its two sentences above the plot.
Each lesson's claim is checked with its seeds by tests/test_lessons.py."""

from __future__ import annotations

from .. import second
from ..lessons import LESSONS
from ..translation import _
from .base import Context, Feature, Reply


class Lesson(Feature):
    messages = ("lesson",)

    def __init__(self, context: Context):
        self.ctx = context

    def on_lesson(self, key: str) -> Reply:
        if not key:
            return {"lesson": {"key": "", "instruction": ""}}
        lesson = LESSONS.get(key)
        if lesson is None:
            return {"lesson": {"key": "", "instruction": "", "error": _("There is no such lesson: choose one of the list.")}}
        reply = self.ctx.load(second.from_lesson(lesson), _("Lesson: %(name)s. Train to see it.") % {"name": lesson.name})
        return reply | {"lesson": {"key": key, "instruction": lesson.instruction}}
