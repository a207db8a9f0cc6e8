"""Every text the app writes is marked for translation and extracted: under a pseudo-locale made
from site_src/locale/messages.pot (tests/pseudo_locale.py), the pre-rendered page, the worker's
answers to a sequence of messages, the walk's captions, a field's error, the worksheet and
`explain` hold no English word (neuron names, symbols, numbers and markup aside)."""

from __future__ import annotations

import contextlib
import gettext
import io
import json

import pytest
from babel.messages import pofile

import pseudo_locale
from pseudo_locale import code_text, english_words, latex_text, shown_text, untranslated
from pyodide_app import translation
from pyodide_app.__main__ import main as command_line
from pyodide_app.session import Session
from pyodide_app.state import load_seed

# What an answer carries that is not shown as text: the saved state and the link, the console's
# warning, styles, keys of values and of questions, classes and ids, the plot's numbers.
NOT_SHOWN = {"save", "link", "warning", "css", "forgetLink", "speed", "k", "at", "c", "hide", "kinds", "id",
             "plot", "values", "name", "seed", "fields", "ids", "scroll"}


@pytest.fixture
def pseudo():
    translation.install(pseudo_locale.catalog(), "en-x-pseudo")
    yield
    translation.install(gettext.NullTranslations())


def answer_texts(value, key: str = "") -> list[str]:
    """The shown texts of an answer: every string under a key that is shown, HTML as its text."""
    if key == "attrs":  # {element id: {attribute: value}}: of its attributes, those read out
        return [text for attributes in value.values() for name, text in attributes.items()
                if name in pseudo_locale.SHOWN_ATTRIBUTES]
    if key in NOT_SHOWN:
        return []
    if isinstance(value, dict):
        return [text for k, v in value.items() for text in answer_texts(v, k)]
    if isinstance(value, list):
        return [text for v in value for text in answer_texts(v, key)]
    if isinstance(value, str):
        return shown_text(value) if "<" in value else [value]
    return []


def test_the_pseudo_locale_accents_every_letter_and_keeps_placeholders_and_markup():
    said = pseudo_locale.pseudo('Weight %(connection)s of {name}: <code class="x">.json</code> &amp; more')
    assert said.startswith("[") and said.endswith("]")
    for kept in ("%(connection)s", "{name}", '<code class="x">', "</code>", "&amp;"):
        assert kept in said
    assert not english_words(pseudo_locale.KEPT.sub(" ", said))


def test_english_is_found_where_a_text_is_not_translated():
    assert english_words("Hidden Layer 1 of [Ḿóŕé] H1-1 → Out-2, softmax(z)") == ["Hidden", "Layer"]
    assert english_words(" ".join(shown_text('<p aria-label="Close it">Óñé <b>two</b></p>'))) == ["Close", "two"]


def test_the_pre_rendered_page_is_all_in_the_installed_language(pseudo):
    from generator.render import context, render
    html = render(context(load_seed(), "default-src 'self'", ["boot.js"]))
    left = untranslated(shown_text(html))
    assert not left, left


def test_the_answers_to_a_session_are_all_in_the_installed_language(pseudo):
    session = Session()
    answers = [session.start("", None)]
    messages = [
        ("field", "inputs[0]", "0.25"),
        ("field", "weights[0][0][0]", "1..2"),  # a bad field: its error
        ("field", "learning_rate", "500"),
        ("step",),
        ("walk",), ("walkNext",), ("walkNext",), ("walkNext",), ("walkPrevious",), ("walkExit",),
        ("select", "edge-1-0-0"), ("select", "node-2-1"), ("clear",),
        ("check", True),
        ("practice",), ("practiceAnswer", "a-1-0", "0.5"), ("practice",),
        ("sizes", "3-4-x"), ("sizes", "2-3-2"), ("activation", 0, "softmax"), ("loss", "cross_entropy"),
        ("preset", "softmax"), ("randomise",), ("seed", "x"), ("field", "targets[0]", "2"), ("preset", ""),
        ("train",), ("train",),
        ("worksheet",), ("sheetSeed", "x"), ("sheetNew",), ("sheetClose",), ("copyLink",),
        ("dataset", "spiral"), ("step",), ("walk",), ("walkNext",), ("walkNext",),
        ("dataSetting", "points", "9.5.1"),
        ("walkExit",), ("dataset", "plane"), ("step",),
        ("dataset", "own"), ("ownData", "p,q,r\n-2,-1,0\n-1,-2,0\n2,1,1\n1,2,1"), ("ownScale", True),
        ("ownData", "p\n1"), ("import", "1.q", "{"), ("tooLarge", "1.q", 10 ** 8), ("dataset", ""), ("reset",),
    ]
    for message in messages:
        answers.append(session.handle(*message))
        if session.rest_pending:
            answers.append(session.on_rest())
    left = untranslated([text for answer in answers for text in answer_texts(answer)])
    assert not left, left


def test_the_exports_prose_is_all_in_the_installed_language(pseudo):
    session = Session()
    session.start("", None)
    session.handle("worksheet")
    texts = latex_text(session.handle("sheetLatex")["download"]["text"])
    texts += code_text(session.handle("script")["download"]["text"])
    for arguments in (["latex"],):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert command_line(arguments) == 0
        texts += latex_text(out.getvalue())
    left = untranslated(texts)
    assert not left, left


def test_the_message_template_holds_every_marked_text():
    """site_src/locale/messages.pot is extracted again after a text is marked (babel.cfg)."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg
    with (pseudo_locale.ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    marked = {message[2] if isinstance(message[2], str) else message[2][0]
              for message in extract_from_dir(pseudo_locale.ROOT, method_map, options_map)}
    with pseudo_locale.POT.open("rb") as file:
        extracted = {message.id if isinstance(message.id, str) else message.id[0]
                     for message in pofile.read_po(file) if message.id}
    assert marked == extracted, (sorted(marked - extracted), sorted(extracted - marked))


def test_explain_is_all_in_the_installed_language(pseudo):
    for arguments in (["explain", "--steps", "1"], ["explain", "--dataset", "spiral", "--batch-size", "4"]):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert command_line(arguments) == 0
        left = untranslated(out.getvalue().splitlines())
        assert not left, (arguments, left)


def test_a_field_error_is_in_the_installed_language(pseudo):
    from pyodide_app.limits import StateError, parse_number
    from pyodide_app.notation import names
    with pytest.raises(StateError) as error:
        parse_number("x", "inputs[0]")
    message = f"{names.field_label('inputs[0]', 5)} {error.value}"
    assert not english_words(message), message


def test_english_is_unchanged_without_a_catalog():
    from pyodide_app.notation import names
    assert translation.language() == "en"
    assert names.layer_title(1, 5) == "Hidden Layer 1" and names.weight(1, 0, 0, 5) == "Weight In-1 → H1-1"


def test_answers_are_json_as_before(pseudo):
    assert json.dumps(Session().start("", None))
