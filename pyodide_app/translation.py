"""The page's texts in the reader's language: gettext, with one catalog installed at a time.

The build installs each language's catalog before it renders that language's page; the worker
installs its page's catalog before its first answer; `explain --lang` before it writes. Until
then (and for English, the source language) every text is its own translation.
"""

from __future__ import annotations

import gettext

_installed: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def install(translations: gettext.NullTranslations) -> None:
    """Make `translations` the catalog every text is looked up in; its header's Language
    (pt_BR, zh_Hans) becomes language() as BCP 47 (pt-BR, zh-Hans)."""
    global _installed, _language
    _installed = translations
    _language = (translations.info().get("language") or "en").replace("_", "-")


def _(message: str) -> str:
    return _installed.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _installed.ngettext(singular, plural, n)


def language() -> str:
    """The BCP 47 code of the installed catalog: "en" when none is."""
    return _language
