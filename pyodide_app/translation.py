"""The page's words in the reader's language: one catalog installed for the whole app.

English is the source: without a catalog (`gettext.NullTranslations`) every text is itself.
The build installs each language's catalog before it renders that language's page; the
worker installs its page's catalog before its first answer. Everything that writes a text
looks the catalog up when it writes it, so a text kept in a record or a constant is marked
with `N_` where it is written down and translated with `_` where it is shown.
"""

from __future__ import annotations

import gettext

_catalog: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def install(translations: gettext.NullTranslations, language: str | None = None) -> None:
    """Every text from now on from this catalog; `language` is its BCP 47 code (the
    catalog's own Language header when not given, "en" for none)."""
    global _catalog, _language
    _catalog = translations
    header = translations.info().get("language", "") if hasattr(translations, "info") else ""
    _language = language or header.replace("_", "-") or "en"


def installed() -> gettext.NullTranslations:
    """The catalog installed now."""
    return _catalog


def from_mo(data: bytes) -> gettext.GNUTranslations:
    """A catalog from a compiled .mo file's bytes."""
    import io
    return gettext.GNUTranslations(io.BytesIO(data))


def _(message: str) -> str:
    return _catalog.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a text for the catalog where it is written down; `_` translates it where it is shown."""
    return message


def language() -> str:
    """The BCP 47 code of the installed catalog: "en", "de", "pt-BR", "zh-Hans"…"""
    return _language
