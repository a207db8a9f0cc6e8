"""axe-core (from node_modules) judges a live page's accessibility."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


def violations(page) -> list:
    """axe's violations on `page` as it is now: [(rule, impact, the first few elements)].
    axe is served from the page's own origin, so the page's Content-Security-Policy stays on."""
    if not page.evaluate("() => typeof axe === 'object'"):
        page.route("**/axe-under-test.js", lambda route: route.fulfill(
            body=AXE.read_text(encoding="utf-8"), content_type="text/javascript"))
        page.add_script_tag(url="axe-under-test.js")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3], v["nodes"][0]["html"])
            for v in result["violations"]]
