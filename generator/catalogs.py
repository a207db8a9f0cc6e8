"""The page's languages: English (the source) and one more for each catalog under
site_src/locale/<code>/LC_MESSAGES/messages.po. Adding a language is adding its catalog.

`make catalogs` keeps the catalogs in step with the texts (`pybabel extract` into
messages.pot, `pybabel update` into every .po, `pybabel compile` into the .mo beside it); the
build reads the compiled catalogs and, from Babel's copy of CLDR, writes what the page needs
of each language into pyodide_app/notation/locales.json: its name in itself, its direction,
its decimal separator and minus sign. Babel stays here: the browser gets that table and each
page's own compiled catalog.
"""

from __future__ import annotations

import base64
import bz2
import gettext
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .pyodide_bundle import BundleError, script_json, write_atomically

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "site_src" / "locale"
LOCALES_TABLE = ROOT / "pyodide_app" / "notation" / "locales.json"
SOURCE = "en"
DOMAIN = "messages"
CATALOG_SCRIPT = "catalog.js"  # beside each page but the English one
CATALOG_GLOBAL = "pageCatalog"
MINUS = "\u2212"


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47, as in <html lang> and the site's paths: "pt-BR"
    catalog: str  # the catalog's directory: "pt_BR"
    name: str  # in the language itself: "português (Brasil)"
    direction: str  # "ltr" or "rtl"

    @property
    def path(self) -> str:
        """The page's folder in the site: "" for English, "de/" for German."""
        return "" if self.code == SOURCE else self.code + "/"

    @property
    def root(self) -> str:
        """From the page's folder back to the site's: "" or "../"."""
        return "../" * self.path.count("/")


def catalog_codes() -> list[str]:
    """The catalogs' directory codes, in the order of LOCALE_DIR's listing: de, es, …"""
    return sorted(path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def languages() -> list[Language]:
    """English first, then every catalog's language, from Babel's CLDR data."""
    from babel import Locale

    out = []
    for catalog in [SOURCE, *catalog_codes()]:
        locale = Locale.parse(catalog)
        out.append(Language(catalog.replace("_", "-"), catalog, locale.display_name, locale.text_direction))
    return out


def locale_table(languages: list[Language]) -> dict[str, dict[str, str]]:
    """BCP 47 code → its CLDR decimal separator, group separator and minus sign (Latin digits, as the page's
    formulas write them), the minus typeset as U+2212 with CLDR's bidi mark kept."""
    from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

    return {language.code: {"decimal": get_decimal_symbol(language.catalog, numbering_system="latn"),
                            "group": get_group_symbol(language.catalog, numbering_system="latn"),
                            "minus": get_minus_sign_symbol(language.catalog, numbering_system="latn").replace("-", MINUS),
                            "name": language.name, "dir": language.direction}
            for language in languages}


def write_locale_table(languages: list[Language]) -> None:
    """pyodide_app/notation/locales.json from Babel, rewritten only when CLDR's answer changed."""
    text = json.dumps(locale_table(languages), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if not LOCALES_TABLE.is_file() or LOCALES_TABLE.read_text(encoding="utf-8") != text:
        write_atomically(LOCALES_TABLE, text.encode("utf-8"))


def refresh() -> list[Language]:
    """`make catalogs`: the texts extracted into messages.pot, every catalog updated from it and
    compiled, the locale table written. A file is rewritten only when more than its dates would
    change, so a build leaves the catalogs as they are unless a text changed. Returns the languages."""
    template = LOCALE_DIR / f"{DOMAIN}.pot"
    with tempfile.TemporaryDirectory() as scratch:
        new = Path(scratch) / template.name
        pybabel("extract", "-F", str(ROOT / "babel.cfg"), "--add-location=file", "--sort-by-file", "--add-comments=Translators:",
                "--project=Neural Network Demonstration", "--version=1", "--no-wrap",
                "-o", str(new), ".")  # babel.cfg names the folders
        keep_unless_changed(new, template)
        for catalog in catalog_codes():
            po = LOCALE_DIR / catalog / "LC_MESSAGES" / f"{DOMAIN}.po"
            updated = Path(scratch) / f"{catalog}.po"
            shutil.copyfile(po, updated)  # what `update -o` updates
            pybabel("update", "-i", str(template), "-o", str(updated), "-l", catalog, "--ignore-pot-creation-date",
                    "--no-fuzzy-matching")  # a new text is untranslated, never a guess from a like one
            keep_unless_changed(updated, po)
    if catalog_codes():
        pybabel("compile", "-d", str(LOCALE_DIR), "-D", DOMAIN)
    found = languages()
    write_locale_table(found)
    return found


def pybabel(*arguments: str) -> None:
    """Babel's own command line, run here (it is what translators run by hand too)."""
    from babel.messages.frontend import BaseError, CommandLineInterface

    previous = Path.cwd()
    try:
        os.chdir(ROOT)  # the catalogs name the files they came from relative to the repository
        status = CommandLineInterface().run(["pybabel", "-q", *arguments])
    except SystemExit as error:
        status = error.code
    except BaseError as error:
        raise BundleError(f"pybabel {arguments[0]}: {error}") from None
    finally:
        os.chdir(previous)
    if status:
        raise BundleError(f"pybabel {' '.join(arguments)} failed")


_DATES = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"\n', re.MULTILINE)


def keep_unless_changed(new: Path, old: Path) -> None:
    """Move `new` over `old` unless they differ only in their dates."""
    if old.is_file() and _DATES.sub("", old.read_text(encoding="utf-8")) == _DATES.sub("", new.read_text(encoding="utf-8")):
        return
    old.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(old, new.read_bytes())


def compiled(language: Language) -> bytes:
    """The language's compiled catalog (messages.mo, which `make catalogs` writes)."""
    path = LOCALE_DIR / language.catalog / "LC_MESSAGES" / f"{DOMAIN}.mo"
    po = path.with_suffix(".po")
    if not path.is_file() or path.stat().st_mtime < po.stat().st_mtime:
        raise BundleError(f"{path.relative_to(ROOT)} is missing or older than its .po: run `make catalogs`")
    return path.read_bytes()


def translations(language: Language) -> gettext.NullTranslations:
    """What translation.install takes for this language; English has no catalog."""
    if language.code == SOURCE:
        return gettext.NullTranslations()
    import io
    return gettext.GNUTranslations(io.BytesIO(compiled(language)))



def write_catalog_script(folder: Path, language: Language) -> None:
    """folder/catalog.js: `globalThis.pageCatalog = {"language": "de", "bz2": …}`, the page's
    compiled catalog as bzip2 + base85 (app_files.pack's packing), which the worker installs
    (worker.install_catalog) before its first answer. A classic script: it loads over http
    and from file:// alike, and the single file inlines it."""
    packed = base64.b85encode(bz2.compress(compiled(language), 9)).decode("ascii").replace("<", ".")
    data = {"language": language.code, "bz2": packed}
    write_atomically(folder / CATALOG_SCRIPT, f"globalThis.{CATALOG_GLOBAL} = {script_json(data)};\n".encode("ascii"))


if __name__ == "__main__":
    refresh()
