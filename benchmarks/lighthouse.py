"""`make lighthouse`: Lighthouse 12.2.3 on site/, served gzip-compressed as GitHub Pages serves
it, desktop and mobile; prints the category scores and the metrics behind them."""

from __future__ import annotations

import gzip
import http.server
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import SITE, QuietHandler, chromium_path  # noqa: E402

LIGHTHOUSE = "lighthouse@12.2.3"
METRICS = ("total-blocking-time", "cumulative-layout-shift", "first-contentful-paint",
           "largest-contentful-paint", "speed-index", "interactive")


class GzipHandler(QuietHandler):
    """Every file gzip-compressed when the browser accepts it, with a cache lifetime."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        data = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(data)


def main() -> int:
    os.chdir(SITE)
    GzipHandler.extensions_map = {**QuietHandler.extensions_map, ".wasm": "application/wasm", ".js": "text/javascript"}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), GzipHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    env = {**os.environ, "CHROME_PATH": chromium_path() or ""}
    with tempfile.TemporaryDirectory() as scratch:
        for preset in ("desktop", "mobile"):
            out = Path(scratch) / f"{preset}.json"
            command = ["npx", "--yes", LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={out}",
                       "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
            subprocess.run(command + (["--preset=desktop"] if preset == "desktop" else []), env=env, check=True)
            report = json.loads(out.read_text())
            scores = ", ".join(f"{c['title']} {round(c['score'] * 100)}" for c in report["categories"].values())
            print(f"{preset}: {scores}")
            for metric in METRICS:
                print(f"  {report['audits'][metric]['title']}: {report['audits'][metric]['displayValue']}")
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
