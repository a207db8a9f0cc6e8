"""The page's own JavaScript and CSS as shipped: the same code on the same lines, without
its comments and indentation.

The browser needs the code, not its explanation, which the repository keeps. Only comments
that a line-by-line reading can tell apart from code are left out: whole lines of `//` or
of a `/* … */` block, and a trailing `// …` with no quote after it. So a string holding
"//" is never cut, and a line number in a browser's error message is still the line of the
file in site_src/static/. (No string of these files spans lines, so indentation is never
inside one; tests/test_offline.py checks the shipped code line by line.)
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .pyodide_bundle import write_atomically

TRAILING = re.compile(r"\s+// [^\"'`]*$")


def without_comments(source: str, line_comments: bool = True) -> str:
    """`line_comments`: `//` starts a comment (JavaScript), not in CSS."""
    out, in_block = [], False
    for line in source.split("\n"):
        stripped = line.strip()
        if in_block:
            in_block = "*/" not in stripped
            out.append("")
        elif stripped.startswith("/*"):
            in_block = "*/" not in stripped
            out.append("")
        elif line_comments and stripped.startswith("//"):
            out.append("")
        else:
            out.append((TRAILING.sub("", line) if line_comments else line).strip())
    return "\n".join(out)


def copy_static(static_dir: Path, out_dir: Path) -> None:
    """site_src/static/ into the site, its scripts and styles without their comments."""
    shutil.copytree(static_dir, out_dir, dirs_exist_ok=True)
    for path in [*Path(static_dir).glob("*.js"), *Path(static_dir).glob("*.css")]:
        text = without_comments(path.read_text(encoding="utf-8"), line_comments=path.suffix == ".js")
        write_atomically(Path(out_dir) / path.name, text.encode("utf-8"))
