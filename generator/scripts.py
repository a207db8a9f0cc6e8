"""The page's own JavaScript and CSS as shipped: minified by esbuild (pinned in package.json).

The browser needs the code, not its explanation, which the repository keeps. Minifying
keeps the page's own files within their budget as it grows. Each file stays a classic
script on its own: its top-level names (`pageWorker`, `snapshotStarter`, …) are kept, as
other scripts and the `file://` worker's Blob use them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .pyodide_bundle import BundleError

ESBUILD = Path(__file__).resolve().parent.parent / "node_modules" / ".bin" / "esbuild"


def copy_static(static_dir: Path, out_dir: Path) -> None:
    """site_src/static/ into the site, its scripts and styles minified."""
    shutil.copytree(static_dir, out_dir, dirs_exist_ok=True)
    sources = sorted([*Path(static_dir).glob("*.js"), *Path(static_dir).glob("*.css")])
    if not ESBUILD.exists():
        raise BundleError(f"{ESBUILD} is missing: run `npm ci` (make site does)")
    run = subprocess.run([str(ESBUILD), *map(str, sources), "--minify", "--charset=utf8", "--log-level=warning",
                          f"--outdir={out_dir}"], capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        raise BundleError(f"esbuild could not minify the page's scripts:\n{run.stderr}")
