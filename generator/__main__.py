"""The build: `python -m generator [--out site] [--state FILE] [--single FILE [--with-snapshot] [--lang CODE]]`.

state → trace → view → templates → site/index.html in English and site/<lang>/index.html in
each other language, all sharing one Pyodide, one snapshot and the page's scripts. Errors end
with one line and exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jinja2

from pyodide_app import translation
from pyodide_app.state import State, StateError, load_seed, parse

from . import app_files, catalogs, csp, page_constants, pyodide_bundle, scripts, single_file, snapshot, template_library
from .render import context, render

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "site_src" / "static"
PACKAGE = ROOT / "pyodide_app"
SCRIPTS = ["app-files.js", template_library.SCRIPT, page_constants.SCRIPT, "dom.js", "events.js", "panel.js", "data.js", "plot.js", "compare.js", "maps.js", "draw.js", "own_data.js", "saving.js", "runs.js", "language.js", "linked.js",
           "walk.js", "practice.js", "worksheet.js", "latex.js", "check.js", "unpack.js", "snapshot.js", "python.js", "worker.js",
           "boot.js"]


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    try:
        state = parse(Path(args.state).read_text(encoding="utf-8")) if args.state else load_seed()
        languages = catalogs.refresh()
        chosen = next((language for language in languages if language.code == args.lang), None)
        if chosen is None:
            return fail(f"--lang {args.lang}: the page is built in {', '.join(l.code for l in languages)}")
        args.out.mkdir(parents=True, exist_ok=True)
        scripts.copy_static(STATIC, args.out)
        page_constants.write(args.out)
        files = app_files.write_app_files(args.out, PACKAGE)
        pyodide_bundle.vendor(args.out)
        template_library.write(args.out)  # after vendor(), which clears pyodide/ of other files
        snapshot.build(args.out, files, template_library.library_files())
        for language in languages:
            write_page(args.out, state, language, languages)
        if args.single:
            single_file.build_single(args.out, args.single, args.with_snapshot, page=chosen.path + "index.html")
    except StateError as error:
        return fail(f"state file {args.state}: {error.field}: {error}")
    except (OSError, jinja2.TemplateError, pyodide_bundle.BundleError) as error:
        return fail(str(error))
    print(f"Built {args.out / 'index.html'}" + (f" and {args.single}" if args.single else ""))
    print(f"Open it from disk: {(args.out / 'index.html').resolve().as_uri()}")
    print(f"Or serve it:      python3 -m http.server -d {args.out} 8000, then http://localhost:8000/")
    return 0


def write_page(out: Path, state: State, language: catalogs.Language, languages: list[catalogs.Language]) -> None:
    """The page in one language, rendered with its catalog installed; beside it, that catalog
    compiled for its worker (catalog.js), the one file a language adds besides its page."""
    folder = out / language.path
    folder.mkdir(parents=True, exist_ok=True)
    own = []
    if language.code != catalogs.SOURCE:
        catalogs.write_catalog_script(folder, language)
        own = [catalogs.CATALOG_SCRIPT]
    translation.install(catalogs.translations(language))
    try:
        html = render(context(state, csp.SITE, own + [language.root + script for script in SCRIPTS],
                              language=language, languages=languages))
    finally:
        translation.install(catalogs.translations(languages[0]))  # English, the source
    (folder / "index.html").write_text(html, encoding="utf-8")


def arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="output folder (default: site/)")
    parser.add_argument("--state", help="build the page for this saved state instead of the seed")
    parser.add_argument("--single", type=Path, help="also write one self-contained HTML file here")
    parser.add_argument("--with-snapshot", action="store_true",
                        help="the single file also carries Python's start-up snapshot: it starts three times "
                             "faster but is twice the size (17 MB instead of 8.5 MB)")
    parser.add_argument("--lang", default=catalogs.SOURCE,
                        help="the single file's language, as the site's folders name it: en (default), de, pt-BR, …")
    return parser.parse_args(argv)


def fail(message: str) -> int:
    print(f"build failed: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
