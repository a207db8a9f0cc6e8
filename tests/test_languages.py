"""The page in seven languages: numbers as each language writes them (CLDR's, through Babel at
build time), typed numbers read in either writing, the command line's --lang, and the built site:
a page per language sharing the rest, with its lang, direction, alternates and own catalog."""

from __future__ import annotations

import gettext
import io
import re
from contextlib import contextmanager, redirect_stdout
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT
from generator import catalogs
from pyodide_app import translation
from pyodide_app.__main__ import main as command_line
from pyodide_app.notation.numbers import LOCALES, MINUS, localized, number, written_value
from pyodide_app.practice import RIGHT, WRONG, Question, judge
from pyodide_app.state import parse_number

LANGUAGES = ["en", "es", "fr", "de", "pt-BR", "zh-Hans", "ar"]
COMMA = {"es", "fr", "de", "pt-BR"}  # the languages whose textbooks write 0,6985
LRM = "\u200e"


class Speaking(gettext.NullTranslations):
    """No texts, only a language: what numbers.py reads."""

    def __init__(self, code: str):
        super().__init__()
        self._info = {"language": code.replace("-", "_")}


@contextmanager
def speaking(code: str):
    translation.install(Speaking(code))
    try:
        yield
    finally:
        translation.install(gettext.NullTranslations())


def test_the_shipped_table_is_babel_s_cldr_data():
    assert LOCALES == catalogs.locale_table(catalogs.languages())
    assert sorted(LOCALES) == sorted(LANGUAGES)


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_number_is_written_with_the_language_s_decimal_sign(code):
    # Babel formats the same decimal independently, with the locale's own symbols
    expected = format_decimal(Decimal("0.6985"), format="0.0000", locale=code.replace("-", "_"))
    with speaking(code):
        assert number(0.6985) == expected == ("0,6985" if code in COMMA else "0.6985")
        assert number(0.0575258, "precise") == ("0,057526" if code in COMMA else "0.057526")
        negative = number(-0.3)
        assert negative.endswith("0,3000" if code in COMMA else "0.3000")
        assert negative.removesuffix(negative[-6:]) == (LRM + MINUS if code == "ar" else MINUS)
        assert number(1234567.0) == ("1,2346 × 10⁶" if code in COMMA else "1.2346 × 10⁶")


def test_thousands_are_grouped_as_the_language_groups_them():
    for code, grouped in {"en": "12,345.5", "de": "12.345,5", "fr": "12\u202f345,5", "ar": "12,345.5"}.items():
        with speaking(code):
            assert localized("12,345.5") == grouped


@given(x=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
       kind=st.sampled_from(["value", "precise", "weight"]), code=st.sampled_from(LANGUAGES))
def test_every_language_writes_the_same_number(x, kind, code):
    english = number(x, kind)
    with speaking(code):
        written = number(x, kind)
    assert written_value(written) == written_value(english)
    assert ("." not in written) if code in COMMA else ("," not in written)


@pytest.mark.parametrize("code", LANGUAGES)
def test_practice_and_fields_read_both_separators_in_every_language(code):
    with speaking(code):
        question = Question("a-1-0", "activations", "a of H1-1", 0.6985, "value", "forward-1-0")
        for typed in ("0,6985", "0.6985", " 0,6986 ", "0.6984"):
            assert judge(typed, question) == RIGHT, typed
        for typed in ("0,6987", "0.6983", "6985", "0,69"):
            assert judge(typed, question) == WRONG, typed
        assert judge(number(-0.25), Question("w", "weights", "w", -0.25, "value", "x")) == RIGHT
        assert parse_number("0,5", "inputs") == parse_number("0.5", "inputs") == 0.5
        assert parse_number(number(-0.5), "inputs") == -0.5


@pytest.fixture(scope="module")
def compiled():
    catalogs.pybabel("compile", "-d", str(catalogs.LOCALE_DIR), "-D", catalogs.DOMAIN)


@pytest.mark.parametrize("code", ["de", "ar", "en"])
def test_explain_writes_numbers_in_the_language_asked_for(code, compiled):
    out = io.StringIO()
    with redirect_stdout(out):
        assert command_line(["explain", "--lang", code]) == 0
    text = out.getvalue()
    assert translation.language() == "en"  # --lang held for the one command: the caller's catalog is back
    assert ("0,6985" in text) == (code == "de") and ("0.6985" in text) == (code != "de")
    assert (LRM + MINUS + "0.2000" in text) == (code == "ar")


def test_explain_refuses_a_language_it_does_not_have(capsys):
    assert command_line(["explain", "--lang", "xx"]) == 2
    assert "--lang xx" in capsys.readouterr().err


# ---- the built site ------------------------------------------------------------------------

class Head(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def page_path(site: Path, code: str) -> Path:
    return site / ("" if code == "en" else code) / "index.html"


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_language_has_its_page_with_its_lang_direction_and_alternates(site, code):
    page = page_path(site, code)
    tags = Head(page.read_text(encoding="utf-8")).tags
    html = next(attrs for tag, attrs in tags if tag == "html")
    assert html["lang"] == code and html["dir"] == ("rtl" if code == "ar" else "ltr")
    alternates = {attrs["hreflang"]: attrs["href"] for tag, attrs in tags if tag == "link" and attrs.get("rel") == "alternate"}
    assert set(alternates) == {*LANGUAGES, "x-default"}
    for other, href in alternates.items():
        assert (page.parent / href / "index.html").resolve() == page_path(site, "en" if other == "x-default" else other).resolve()
    options = {attrs["lang"]: attrs["value"] for tag, attrs in tags if tag == "option" and "lang" in attrs}
    assert {other: (page.parent / value).resolve() for other, value in options.items()} == \
        {other: page_path(site, other).resolve() for other in LANGUAGES}
    # every file it names is the site's, one copy for all; its own catalog alone
    local = [attrs.get("src") or attrs.get("href") for tag, attrs in tags if tag in ("script", "link")
             and attrs.get("rel") != "alternate" and (attrs.get("src") or attrs.get("href"))]
    assert all((page.parent / name).is_file() for name in local), local
    catalogs_named = [name for name in local if name.endswith(catalogs.CATALOG_SCRIPT)]
    assert catalogs_named == ([] if code == "en" else [catalogs.CATALOG_SCRIPT])
    assert all(name.startswith("../") for name in local if code != "en" and name != catalogs.CATALOG_SCRIPT)


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_pre_rendered_page_writes_its_numbers_in_its_language(site, code):
    html = page_path(site, code).read_text(encoding="utf-8")
    loss = re.search(r'data-v="loss">([^<]*)<', html).group(1)
    assert loss == ("0,057526" if code in COMMA else "0.057526")
    assert (f">{LRM}{MINUS}0.3000<" in html or f"({LRM}{MINUS}0.3000)" in html) == (code == "ar")


def test_each_page_carries_only_its_own_compiled_catalog(site):
    for code in LANGUAGES[1:]:
        text = (site / code / catalogs.CATALOG_SCRIPT).read_text(encoding="ascii")
        assert f'"language": "{code}"' in text
    assert not (site / catalogs.CATALOG_SCRIPT).exists()


def test_the_six_languages_add_less_than_a_megabyte(site):
    added = sum(path.stat().st_size for code in LANGUAGES[1:] for path in (site / code).rglob("*") if path.is_file())
    shared = (site / "language.js").stat().st_size + len(catalogs.LOCALES_TABLE.read_bytes())
    assert added + shared < 1024 * 1024, added + shared


def test_the_single_file_in_german(site, tmp_path):
    from generator.single_file import build_single

    single = tmp_path / "neural-network-de.html"
    build_single(site, single, page="de/index.html")
    html = single.read_text(encoding="utf-8")
    tags = Head(html).tags
    assert next(attrs for tag, attrs in tags if tag == "html")["lang"] == "de"
    assert not [attrs for tag, attrs in tags if tag == "link" and attrs.get("rel") == "alternate"]
    assert "hidden" in next(attrs for tag, attrs in tags if attrs.get("id") == "language-choice")
    assert "globalThis.pageCatalog" in html and 'data-v="loss">0,057526<' in html
    assert not [attrs for tag, attrs in tags if tag == "script" and attrs.get("src")]
