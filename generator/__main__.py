"""The build: `python -m generator [--out site] [--state FILE] [--single FILE [--with-snapshot]]`.

state → trace → view → templates → site/. Errors end with one line and exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jinja2

from pyodide_app.state import StateError, load_seed, parse

from . import app_files, csp, page_constants, pyodide_bundle, scripts, single_file, snapshot, template_library
from .render import context, render

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "site_src" / "static"
PACKAGE = ROOT / "pyodide_app"
SCRIPTS = ["app-files.js", template_library.SCRIPT, page_constants.SCRIPT, "dom.js", "events.js", "panel.js", "data.js", "plot.js", "compare.js", "own_data.js", "saving.js", "linked.js",
           "walk.js", "practice.js", "worksheet.js", "latex.js", "check.js", "unpack.js", "snapshot.js", "python.js", "worker.js",
           "boot.js"]


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    try:
        state = parse(Path(args.state).read_text(encoding="utf-8")) if args.state else load_seed()
        html = render(context(state, csp.SITE, SCRIPTS))
        args.out.mkdir(parents=True, exist_ok=True)
        scripts.copy_static(STATIC, args.out)
        page_constants.write(args.out)
        files = app_files.write_app_files(args.out, PACKAGE)
        pyodide_bundle.vendor(args.out)
        template_library.write(args.out)  # after vendor(), which clears pyodide/ of other files
        snapshot.build(args.out, files, template_library.library_files())
        (args.out / "index.html").write_text(html, encoding="utf-8")
        if args.single:
            single_file.build_single(args.out, args.single, args.with_snapshot)
    except StateError as error:
        return fail(f"state file {args.state}: {error.field}: {error}")
    except (OSError, jinja2.TemplateError, pyodide_bundle.BundleError) as error:
        return fail(str(error))
    print(f"Built {args.out / 'index.html'}" + (f" and {args.single}" if args.single else ""))
    print(f"Open it from disk: {(args.out / 'index.html').resolve().as_uri()}")
    print(f"Or serve it:      python3 -m http.server -d {args.out} 8000, then http://localhost:8000/")
    return 0


def arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="output folder (default: site/)")
    parser.add_argument("--state", help="build the page for this saved state instead of the seed")
    parser.add_argument("--single", type=Path, help="also write one self-contained HTML file here")
    parser.add_argument("--with-snapshot", action="store_true",
                        help="the single file also carries Python's start-up snapshot: it starts three times "
                             "faster but is twice the size (17 MB instead of 8.5 MB)")
    return parser.parse_args(argv)


def fail(message: str) -> int:
    print(f"build failed: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
