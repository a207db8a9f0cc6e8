"""Every catalog is complete: each text of messages.pot translated in every language, none fuzzy,
its placeholders and markup kept, and the glossary's terms used where the English text names them.

These fail until the catalogs are translated (their msgids come from `make catalogs`; their
msgstrs from translators): nothing here is skipped or expected to fail.
"""

from __future__ import annotations

import csv
import re

import pytest
from babel.messages.pofile import read_po

from conftest import ROOT

LOCALE = ROOT / "site_src" / "locale"
CATALOGS = ["es", "fr", "de", "pt_BR", "zh_Hans", "ar"]
# %(name)s, %s, %d, %%: Python's and Jinja's newstyle gettext's; {name}: str.format's
PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_]\w*\))?[-+ #0]*\d*(?:\.\d+)?[sdfrgi%]|\{[A-Za-z_]\w*(?:![rs])?(?::[^{}]*)?\}")
TAG = re.compile(r"</?([A-Za-z][\w-]*)[^>]*>")
ENTITY = re.compile(r"&[A-Za-z]+;|&#\d+;")


def read(path):
    with path.open("rb") as file:
        return read_po(file)


def texts(value) -> list[str]:
    return list(value) if isinstance(value, (tuple, list)) else [value]


def kept(pattern, source: str, translated: str) -> bool:
    return sorted(pattern.findall(source)) == sorted(pattern.findall(translated))


@pytest.fixture(scope="module")
def template():
    return read(LOCALE / "messages.pot")


def test_there_is_a_catalog_for_every_language():
    assert sorted(path.parent.parent.name for path in LOCALE.glob("*/LC_MESSAGES/messages.po")) == sorted(CATALOGS)


def test_the_template_has_the_page_s_texts(template):
    # the page, the worker's answers, the captions, the worksheet and explain have hundreds
    assert len([message for message in template if message.id]) > 100, "messages.pot: run `make catalogs`"


@pytest.mark.parametrize("code", CATALOGS)
def test_the_catalog_has_every_text_of_the_template(code, template):
    catalog = read(LOCALE / code / "LC_MESSAGES" / "messages.po")
    wanted = {message.id for message in template if message.id}
    have = {message.id for message in catalog if message.id}
    assert not wanted - have, f"{code}: run `make catalogs`; missing {sorted(wanted - have, key=str)[:5]}"


def incomplete(catalog) -> dict[str, list]:
    """The catalog's untranslated, fuzzy and wrongly pluralised texts."""
    return {"untranslated": [message.id for message in catalog if message.id and not all(texts(message.string))],
            "fuzzy": [message.id for message in catalog if message.id and message.fuzzy],
            "plural forms": [message.id for message in catalog
                             if message.pluralizable and len(texts(message.string)) != catalog.num_plurals]}


def broken(catalog) -> list[tuple]:
    """(msgid, msgstr) of the translations that lose, add or change a placeholder or markup."""
    out = []
    for message in catalog:
        if not message.id:
            continue
        sources = texts(message.id)
        for k, translated in enumerate(texts(message.string)):
            if not translated:
                continue  # untranslated: the test above says so
            # a plural form may leave the count out (one: "one step"), never name another
            source = sources[min(k, len(sources) - 1)] if len(sources) > 1 else sources[0]
            for pattern in (TAG, ENTITY):
                if not kept(pattern, source, translated):
                    out.append((message.id, translated))
            names = set(PLACEHOLDER.findall(translated)) - set(PLACEHOLDER.findall(" ".join(sources)))
            if names or (len(sources) == 1 and not kept(PLACEHOLDER, source, translated)):
                out.append((message.id, translated))
    return out


def test_the_checks_find_what_a_catalog_lacks():
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="de")
    catalog.add("Loss %(loss)s", "Verlust %(loss)s")
    catalog.add("<strong>Epoch</strong> %(n)s", "<b>Epoche</b> %(n)s")  # other markup
    catalog.add("Layer %(l)s", "Schicht %(j)s")  # another placeholder
    catalog.add("Step", "")
    catalog.add("Train", "Trainieren", flags=["fuzzy"])
    catalog.add(("%(n)s step", "%(n)s steps"), ("%(n)s Schritt",))
    assert [message_id for message_id, _ in broken(catalog)] == ["<strong>Epoch</strong> %(n)s", "Layer %(l)s"]
    assert incomplete(catalog) == {"untranslated": ["Step"], "fuzzy": ["Train"],
                                   "plural forms": [("%(n)s step", "%(n)s steps")]}


@pytest.mark.parametrize("code", CATALOGS)
def test_every_text_is_translated_and_none_is_fuzzy(code):
    catalog = read(LOCALE / code / "LC_MESSAGES" / "messages.po")
    assert catalog.num_plurals >= 1
    for problem, found in incomplete(catalog).items():
        assert not found, f"{code}: {len(found)} texts {problem}, e.g. {found[:3]}"


@pytest.mark.parametrize("code", CATALOGS)
def test_placeholders_and_markup_are_kept(code):
    found = broken(read(LOCALE / code / "LC_MESSAGES" / "messages.po"))
    assert not found, f"{code}: {len(found)} texts lose or change a placeholder or markup, e.g. {found[:3]}"


def glossary() -> list[dict[str, str]]:
    with (LOCALE / "glossary.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_the_glossary_has_every_language_and_every_term():
    rows = glossary()
    languages = [code.replace("_", "-") for code in CATALOGS]
    assert list(rows[0]) == ["en", *languages]
    assert len(rows) >= 25 and all(all(row.values()) for row in rows)
    assert {"neuron", "weight", "bias", "learning rate", "backpropagation", "decision boundary"} <= {row["en"] for row in rows}


@pytest.mark.parametrize("code", CATALOGS)
def test_the_catalog_uses_the_glossary_s_terms(code):
    """Where the English text names a term of the glossary, the translation uses the
    textbooks' term (one of its forms, "|"-separated; any case)."""
    catalog = read(LOCALE / code / "LC_MESSAGES" / "messages.po")
    language = code.replace("_", "-")
    terms = sorted(glossary(), key=lambda row: -len(row["en"]))
    astray = []
    for message in catalog:
        translated = " ".join(texts(message.string)).lower()
        if not message.id or not translated:
            continue
        source = PLACEHOLDER.sub(" ", " ".join(texts(message.id))).lower()  # a placeholder's name is no text
        for row in terms:
            if re.search(rf"\b{re.escape(row['en'])}s?\b", source):
                source = source.replace(row["en"], " ")  # "hidden layer" before "layer"
                if not any(form.strip().lower() in translated for form in row[language].split("|")):
                    astray.append((row["en"], row[language], message.id))
    assert not astray, f"{code}: {len(astray)} texts do not use the glossary's term, e.g. {astray[:3]}"
