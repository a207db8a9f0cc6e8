"""Reading the built page: every `data-v` element's text, and the diagram's elements."""

from __future__ import annotations

from html.parser import HTMLParser


class PageReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, set[str]] = {}
        self.tags: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self._open: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        self._open.append(attrs.get("data-v"))
        if tag in ("input", "link", "meta", "br", "img"):
            self._open.pop()

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        if self._open and self._open[-1]:
            self.values.setdefault(self._open[-1], set()).add(data)


def read(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    return reader
