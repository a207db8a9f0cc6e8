"""A pseudo-locale from the message template: every ASCII letter of every message accented and
the message bracketed, its placeholders (%(name)s, %d, {name}) and markup (<tag …>, &amp;) kept.
Text written in it has no plain ASCII word left, so any English word found in what the app
writes under it is a text that was not marked for translation (or not extracted)."""

from __future__ import annotations

import gettext
import io
import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages import mofile, pofile
from babel.messages.catalog import Catalog

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "site_src" / "locale" / "messages.pot"

ACCENTED = dict(zip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                    "áƀçďéƒĝĥíĵķĺḿñóṕʠŕšťúṽŵẋýžÁƁÇĎÉƑĜĤÍĴĶĹḾÑÓṔɊŔŠŤÚṼŴẊÝŽ"))
# what a message keeps as it is: placeholders, markup and entities
KEPT = re.compile(r"%\([A-Za-z_]\w*\)[sdr]|%[sdr%]|\{[A-Za-z_]\w*\}|<[^<>]*>|&[#\w]+;")


def pseudo(message: str) -> str:
    out, at = [], 0
    for kept in KEPT.finditer(message):
        out.append(message[at:kept.start()].translate(str.maketrans(ACCENTED)))
        out.append(kept.group())
        at = kept.end()
    out.append(message[at:].translate(str.maketrans(ACCENTED)))
    return "[" + "".join(out) + "]"


def catalog(pot: Path = POT) -> gettext.GNUTranslations:
    """The template's every message in the pseudo-locale, compiled as a .mo and read back."""
    with pot.open("rb") as file:
        template = pofile.read_po(file)
    pseudo_catalog = Catalog(locale="en", fuzzy=False)
    for message in template:
        if not message.id:
            continue
        if message.pluralizable:
            pseudo_catalog.add(message.id, tuple(pseudo(text) for text in message.id), flags=message.flags)
        else:
            pseudo_catalog.add(message.id, pseudo(message.id), flags=message.flags)
    compiled = io.BytesIO()
    mofile.write_mo(compiled, pseudo_catalog)
    return gettext.GNUTranslations(io.BytesIO(compiled.getvalue()))


# Names and symbols that stay in every language: neurons (In-1, H1-1, Out-2), functions as
# formulas write them, and the file formats a button names.
NAMES = re.compile(r"\b(?:In|Out|H\d+)-\d+\b|\b(?:softmax|tanh|LReLU|ReLU|linear|max|min|sin|exp|ln|log|"
                   r"LaTeX|CSV|JSON|NaN|inf)\b")
WORD = re.compile(r"(?<![\w&#])[A-Za-z]{3,}(?!\w)")


def english_words(text: str) -> list[str]:
    return WORD.findall(NAMES.sub(" ", text))


SHOWN_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}


class ShownText(HTMLParser):
    """The text a reader sees or hears of an HTML fragment: its text (not that of <script>,
    <style> or a <textarea>'s sample data) and its shown attributes (aria-label, title, …)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style", "textarea"):
            self.skipping += 1
        self.parts += [value for name, value in attrs if name in SHOWN_ATTRIBUTES and value]
        if tag == "meta" and attributes.get("name") == "description":
            self.parts.append(attributes.get("content") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea"):
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def shown_text(html: str) -> list[str]:
    parser = ShownText()
    parser.feed(html)
    parser.close()
    return [part for part in parser.parts if part.strip()]


def untranslated(texts: list[str]) -> dict[str, str]:
    """{English word left: the first text it is in}, over these texts."""
    left: dict[str, str] = {}
    for text in texts:
        for word in english_words(text):
            left.setdefault(word, text.strip()[:160])
    return left


# ---- the exports: prose only -------------------------------------------------------------------

LATEX_MARKUP = re.compile(r"\\[A-Za-z]+\*?(\[[^\]]*\])?|\{[a-z*]+\}|\$[^$]*\$")


def latex_text(latex: str) -> list[str]:
    """The words of a LaTeX document: without its commands, environments' names and maths."""
    body = latex.split("\\begin{document}", 1)[-1]
    return [LATEX_MARKUP.sub(" ", line) for line in body.splitlines()]


def code_text(script: str) -> list[str]:
    """The words a Python script shows: its comments' prose and its printed strings' text."""
    comments = [line.lstrip("# ") for line in script.splitlines() if line.startswith("# ") and "%%" not in line
                and not line.startswith("#     ")]
    printed = re.findall(r'print\(f?"([^"]*)"', script) + re.findall(r'row\(f"([^"]*)"', script)
    return comments + [re.sub(r"\{[^}]*\}", " ", text) for text in printed]
