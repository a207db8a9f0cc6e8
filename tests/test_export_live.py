"""The page's Download notebook and Download Python script buttons, over http and from
file://: each offers the network on the page as the code the command line writes for it."""

from __future__ import annotations

import nbformat
import pytest
from live_page import LIVE_TIMEOUT, open_live
from playwright.sync_api import expect

from pyodide_app.state import load_seed
from pyodide_app.view import code_export


@pytest.mark.parametrize("where", ["http", "file"])
def test_the_buttons_download_the_pages_network_as_code(browser, base_url, site, tmp_path, where):
    context = browser.new_context(accept_downloads=True)
    try:
        if where == "http":  # every request watched: none may leave the page's origin
            page, w = open_live(context, base_url)
            errors = w.errors
        else:
            page, errors = context.new_page(), []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto((site / "index.html").as_uri())
            page.wait_for_selector("body[data-state=live]", timeout=LIVE_TIMEOUT)
        expected = {"ipynb": code_export.notebook(load_seed()), "py": code_export.script(load_seed())}
        for name, extension in (("Download notebook", "ipynb"), ("Download Python script", "py")):
            with page.expect_download() as info:
                page.get_by_role("button", name=name, exact=True).click()
            download = info.value
            assert download.suggested_filename == f"neural-network-epoch-0.{extension}"
            path = tmp_path / f"{where}.{extension}"
            download.save_as(path)
            assert path.read_text(encoding="utf-8") == expected[extension]
            expect(page.locator("#share-message")).to_have_text(f"Downloaded {download.suggested_filename}.")
        nbformat.validate(nbformat.read(tmp_path / f"{where}.ipynb", as_version=4))
        assert errors == []
    finally:
        context.close()
