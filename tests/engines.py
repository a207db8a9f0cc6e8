"""The browser engines the page is tested in, behind one small interface.

    chromium  Playwright, on the Chromium the rest of the suite uses
    firefox   WebDriver BiDi spoken over a websocket to Firefox itself (there is no geckodriver
              to be had), a new process with a new profile for every page
    webkit    WebKitGTK's WebDriver with MiniBrowser (the engine of Safari) on a private Xvfb

A `Page` has storage of its own (Firefox shares local storage between file:// pages of one
profile) and is driven as a user drives it: a field is found by its accessible name, typed
into and left with Enter; a button is found by its name and clicked. Everything else is read
from the DOM with `evaluate`. The tests are the same for every engine; this module holds all
that differs.
"""

from __future__ import annotations

import collections
import glob
import json
import os
import queue
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time

ENGINES = ("chromium", "firefox", "webkit")
LIVE_TIMEOUT = 120  # s; a cold start takes seconds, but the machine may be busy
POLL = 0.1  # s
# Errors a page reports where the driver cannot listen (WebKitWebDriver has no log endpoint).
ERROR_HOOK = """
if (!window.__pageErrors) {
  const errors = window.__pageErrors = [];
  addEventListener("error", (e) => errors.push(`pageerror: ${e.message} (${e.filename}:${e.lineno})`));
  addEventListener("unhandledrejection", (e) => errors.push(`unhandled rejection: ${e.reason}`));
  document.addEventListener("securitypolicyviolation",
                            (e) => errors.push(`CSP: ${e.violatedDirective} blocked ${e.blockedURI}`));
  const consoleError = console.error;
  console.error = (...args) => { errors.push(`console.error: ${args.join(" ")}`); consoleError(...args); };
}
"""

# what a user agent does when an option is picked: the select takes it and fires input and change
SELECT_OPTION = """function (select, label) {
  const option = Array.from(select.options).find((o) => o.label === label || o.text === label);
  if (!option) throw new Error(`no option ${label}`);
  select.value = option.value;
  select.dispatchEvent(new Event("input", {bubbles: true}));
  select.dispatchEvent(new Event("change", {bubbles: true})); }"""


class EngineMissing(RuntimeError):
    """A browser or a tool it needs is not installed."""


class Page:
    engine: str

    def open(self, url: str) -> None: ...

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page, as JSON gives it back."""

    def fill(self, name: str, text: str) -> None:
        """Types `text` into the field named `name` (its text replaced), then presses Enter."""

    def click(self, name: str) -> None:
        """Clicks the button named `name`."""

    def choose(self, name: str, label: str) -> None:
        """Chooses the option `label` in the select named `name`, as a user's choice does."""

    def click_at(self, selector: str) -> None:
        """Clicks the one element `selector` finds (among buttons of the same name), as a user does."""

    def paste_into(self, selector: str) -> None:
        """Clicks the field `selector` finds and presses Ctrl+V: the clipboard's text goes into it."""

    downloads: str  # the folder the engine saves downloads in

    def downloaded(self, name: str, timeout: float = 60) -> str:
        """The text of the file `name` once the engine has saved it (the file is then removed, so
        that another of the same name is not renamed)."""
        path = os.path.join(self.downloads, name)
        deadline = time.monotonic() + timeout
        while not os.path.exists(path) or os.path.exists(path + ".part") or not os.path.getsize(path):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.engine}: {name} was not downloaded in {timeout} s: "
                                   f"{os.listdir(self.downloads)}")
            self.evaluate("0")  # Playwright hands over its events (the download) only while it is called
            time.sleep(POLL)
        time.sleep(POLL)  # the last write flushed
        with open(path, encoding="utf-8") as file:
            text = file.read()
        os.remove(path)
        return text

    def errors(self) -> list[str]:
        """Uncaught errors and console errors the page reported so far."""

    def close(self) -> None: ...

    def wait_for(self, expression: str, timeout: float = LIVE_TIMEOUT):
        """The first truthy value of `expression`, polled."""
        deadline = time.monotonic() + timeout
        while not (value := self.evaluate(expression)):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.engine}: no {expression!r} after {timeout} s")
            time.sleep(POLL)
        return value

    def wait_state(self, timeout: float = LIVE_TIMEOUT) -> str:
        """How loading ended: "live" or "error" (body[data-state])."""
        return self.wait_for("document.body && ['live', 'error'].includes(document.body.dataset.state)"
                             " && document.body.dataset.state", timeout)


def executable(variable: str, *candidates: str) -> str:
    """$variable if set, else the first of `candidates` on the PATH."""
    chosen = os.environ.get(variable)
    for candidate in [chosen] if chosen else candidates:
        if path := shutil.which(candidate):
            return path
    if chosen:
        raise EngineMissing(f"${variable} is {chosen!r}, which is not a program")
    raise EngineMissing(f"{' or '.join(candidates)} is not installed (or set ${variable}); "
                        "`make test` installs it, or choose other browsers with BROWSERS=…")


# ---- Chromium ------------------------------------------------------------------------------------

class ChromiumPage(Page):
    engine = "chromium"

    def __init__(self, browser):
        self.context = browser.new_context(accept_downloads=True)
        self.context.grant_permissions(["clipboard-read", "clipboard-write"])
        self.folder = tempfile.TemporaryDirectory(prefix="chromium-downloads-")
        self.downloads = self.folder.name
        self.page = self.context.new_page()
        self.page.on("download", lambda d: d.save_as(os.path.join(self.downloads, d.suggested_filename)))
        self._errors: list[str] = []
        self.page.on("console", lambda m: self._errors.append(f"console.error: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self._errors.append(f"pageerror: {e}"))

    def open(self, url):
        self.page.goto(url)

    def evaluate(self, expression):
        return self.page.evaluate(expression)

    def fill(self, name, text):
        field = self.page.get_by_role("textbox", name=name, exact=True)
        field.fill(text)
        field.press("Enter")

    def click(self, name):
        self.page.get_by_role("button", name=name, exact=True).click()

    def choose(self, name, label):
        self.page.get_by_role("combobox", name=name, exact=True).select_option(label=label)

    def click_at(self, selector):
        self.page.locator(selector).click()

    def paste_into(self, selector):
        self.page.locator(selector).click()
        self.page.keyboard.press("Control+V")

    def errors(self):
        self.page.evaluate("0")  # Playwright hands over events only while it is called
        return list(self._errors)

    def close(self):
        self.context.close()
        self.folder.cleanup()


class Chromium:
    """Pages of a Playwright Chromium the caller launched (one Playwright per thread)."""

    def __init__(self, browser):
        self.browser = browser

    def new_page(self) -> Page:
        return ChromiumPage(self.browser)

    def close(self):
        pass


# ---- Firefox ------------------------------------------------------------------------------------

class BidiError(RuntimeError):
    pass


class FirefoxPage(Page):
    engine = "firefox"
    KEYS = {"Control": "\ue009", "Enter": "\ue007"}

    def __init__(self, binary: str):
        import websocket

        self.profile = tempfile.TemporaryDirectory(prefix="firefox-profile-")
        self.downloads = os.path.join(self.profile.name, "downloads")
        os.mkdir(self.downloads)
        with open(os.path.join(self.profile.name, "user.js"), "w", encoding="utf-8") as prefs:
            prefs.write(f'user_pref("browser.download.dir", {json.dumps(self.downloads)});\n'
                        'user_pref("browser.download.folderList", 2);\n'
                        'user_pref("browser.download.useDownloadDir", true);\n')
        self.process = subprocess.Popen(
            [binary, "--headless", "--no-remote", "--profile", self.profile.name, "--remote-debugging-port=0"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.log = collections.deque(maxlen=40)  # Firefox's last words, for a failure's message
        self._errors: list[str] = []
        self._next_id = 0
        address: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read_stderr, args=(address,), daemon=True).start()
        try:
            url = address.get(timeout=LIVE_TIMEOUT)
            # Firefox refuses a websocket handshake that carries an Origin header.
            self.socket = websocket.create_connection(url + "/session", suppress_origin=True,
                                                      timeout=LIVE_TIMEOUT + 30)
            self.command("session.new", {"capabilities": {}})
            self.command("session.subscribe", {"events": ["log.entryAdded"]})
            self.context = self.command("browsingContext.getTree", {})["contexts"][0]["context"]
        except Exception as error:
            self._stop()
            raise BidiError(f"Firefox did not start: {error}; it said: {list(self.log)}") from error

    def _read_stderr(self, address):
        for line in self.process.stderr:
            self.log.append(line.rstrip())
            if match := re.search(r"WebDriver BiDi listening on (ws://\S+)", line):
                address.put(match.group(1))

    def command(self, method: str, params: dict) -> dict:
        self._next_id += 1
        self.socket.send(json.dumps({"id": self._next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self._next_id:
                if message["type"] == "error":
                    raise BidiError(f"{method}: {message['error']}: {message['message']}")
                return message["result"]
            if message.get("method") == "log.entryAdded" and message["params"]["level"] == "error":
                entry = message["params"]
                self._errors.append(f"{entry['type']}: {entry['text']}")

    def open(self, url):
        self.command("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"})

    def evaluate(self, expression):
        result = self.command("script.evaluate", {
            "expression": f"JSON.stringify(({expression}) ?? null)", "target": {"context": self.context},
            "awaitPromise": False})
        if result["type"] == "exception":
            raise BidiError(f"{expression!r}: {result['exceptionDetails']['text']}")
        return json.loads(result["result"]["value"])

    def _node(self, role: str, name: str) -> dict:
        nodes = self.command("browsingContext.locateNodes", {
            "context": self.context, "locator": {"type": "accessibility", "value": {"role": role, "name": name}}})
        found = nodes["nodes"]
        assert len(found) == 1, f"{len(found)} elements of role {role} named {name!r}"
        node = {"sharedId": found[0]["sharedId"]}
        self.command("script.callFunction", {
            "functionDeclaration": "(element) => element.scrollIntoView({block: 'center'})",
            "arguments": [node], "target": {"context": self.context}, "awaitPromise": False})
        return node

    def _act(self, *sources: dict):
        self.command("input.performActions", {"context": self.context, "actions": list(sources)})

    def _click(self, node: dict):
        self._act({"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [
            {"type": "pointerMove", "x": 0, "y": 0, "origin": {"type": "element", "element": node}},
            {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]})

    def fill(self, name, text):
        self._click(self._node("textbox", name))
        control, enter = self.KEYS["Control"], self.KEYS["Enter"]
        keys = [{"type": "keyDown", "value": control}, {"type": "keyDown", "value": "a"},
                {"type": "keyUp", "value": "a"}, {"type": "keyUp", "value": control}]
        for key in text + enter:
            keys += [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]
        self._act({"type": "key", "id": "keyboard", "actions": keys})

    def click(self, name):
        self._click(self._node("button", name))

    def choose(self, name, label):
        # BiDi has no select action, and a headless dropdown opens no popup to click: the
        # option is chosen and the change the user agent then fires is fired
        self.command("script.callFunction", {
            "functionDeclaration": SELECT_OPTION, "arguments": [self._node("combobox", name), {"type": "string", "value": label}],
            "target": {"context": self.context}, "awaitPromise": False})

    def paste_into(self, selector):
        self.click_at(selector)
        control = self.KEYS["Control"]
        self._act({"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": control}, {"type": "keyDown", "value": "v"},
            {"type": "keyUp", "value": "v"}, {"type": "keyUp", "value": control}]})

    def click_at(self, selector):
        found = self.command("browsingContext.locateNodes", {
            "context": self.context, "locator": {"type": "css", "value": selector}})["nodes"]
        assert len(found) == 1, f"{len(found)} elements match {selector!r}"
        node = {"sharedId": found[0]["sharedId"]}
        self.command("script.callFunction", {
            "functionDeclaration": "(element) => element.scrollIntoView({block: 'center'})",
            "arguments": [node], "target": {"context": self.context}, "awaitPromise": False})
        self._click(node)

    def errors(self):
        self.command("session.status", {})  # takes in the log entries sent before its answer
        return list(self._errors)

    def close(self):
        try:
            self.command("browser.close", {})
        except Exception:  # the socket may close before the answer arrives
            pass
        self._stop()

    def _stop(self):
        if getattr(self, "socket", None):
            self.socket.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.profile.cleanup()


class Firefox:
    def __init__(self):
        self.binary = executable("FIREFOX", "firefox-esr", "firefox")

    def new_page(self) -> Page:
        return FirefoxPage(self.binary)

    def close(self):
        pass


# ---- WebKit -------------------------------------------------------------------------------------

class WebKitPage(Page):
    engine = "webkit"

    def __init__(self, driver_path: str, minibrowser: str, display: str, downloads: str = ""):
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        options = Options()
        options.binary_location = minibrowser
        options.add_argument("--automation")  # without it MiniBrowser never answers the driver
        self.downloads = downloads
        # MiniBrowser saves downloads in GLib's download folder, which user-dirs.dirs names
        settings = os.path.join(os.path.dirname(downloads), "config")
        os.makedirs(settings, exist_ok=True)
        with open(os.path.join(settings, "user-dirs.dirs"), "w", encoding="utf-8") as dirs:
            dirs.write(f'XDG_DOWNLOAD_DIR="{downloads}"\n')
        service = Service(executable_path=driver_path,
                          env={**os.environ, "DISPLAY": display, "XDG_CONFIG_HOME": settings})
        # Selenium's requests wait forever by default, and WebKitWebDriver has been seen to hang
        # in `get`: every request may take at most this long (read when the driver is made).
        default = socket.getdefaulttimeout()
        socket.setdefaulttimeout(LIVE_TIMEOUT + 30)
        try:
            self.driver = webdriver.WebKitGTK(options=options, service=service)
        finally:
            socket.setdefaulttimeout(default)
        self.driver.set_page_load_timeout(LIVE_TIMEOUT)

    def open(self, url):
        self.driver.get(url)  # returns after the load event; Python starts after that
        self.driver.execute_script(ERROR_HOOK)

    def evaluate(self, expression):
        return json.loads(self.driver.execute_script(f"return JSON.stringify(({expression}) ?? null);"))

    def _element(self, role: str, name: str, xpath: str):
        """The element of `role` named `name` among those `xpath` finds, by the names WebKit computes."""
        from selenium.webdriver.common.by import By

        found = [e for e in self.driver.find_elements(By.XPATH, xpath)
                 if e.aria_role == role and e.accessible_name == name]
        assert len(found) == 1, f"{len(found)} elements of role {role} named {name!r}"
        return found[0]

    def fill(self, name, text):
        from selenium.webdriver.common.keys import Keys

        quoted = json.dumps(name)  # an XPath string literal, for names without a double quote
        field = self._element("textbox", name, f"//input[@aria-label={quoted}] | "
                                               f"//input[@id=//label[normalize-space()={quoted}]/@for]")
        field.click()
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(text + Keys.ENTER)

    def click(self, name):
        quoted = json.dumps(name)
        self._element("button", name, f"//button[normalize-space()={quoted} or @aria-label={quoted}]").click()

    def choose(self, name, label):
        quoted = json.dumps(name)
        # WebKit gives a drop-down select the role of the pop-up button it draws
        select = self._element("button", name, f"//select[@aria-label={quoted}] | "
                                                 f"//select[@id=//label[normalize-space()={quoted}]/@for]")
        self.driver.execute_script(f"({SELECT_OPTION}).apply(null, arguments);", select, label)

    def paste_into(self, selector):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys

        field = self.driver.find_element(By.CSS_SELECTOR, selector)
        field.click()
        field.send_keys(Keys.CONTROL, "v")

    def click_at(self, selector):
        from selenium.webdriver.common.by import By

        found = self.driver.find_elements(By.CSS_SELECTOR, selector)
        assert len(found) == 1, f"{len(found)} elements match {selector!r}"
        # WebKitWebDriver's element click finds a button in a block that skipped rendering off
        # screen (content-visibility) not interactable: the page is scrolled to it by hand, and
        # the pointer clicks it
        from selenium.webdriver.common.action_chains import ActionChains

        self.driver.execute_script("const box = arguments[0].getBoundingClientRect();"
                                   "scrollTo(0, scrollY + box.top - innerHeight / 2);", found[0])
        deadline = time.monotonic() + 10
        while not self.driver.execute_script(
                "const box = arguments[0].getBoundingClientRect();"
                "return arguments[0].contains(document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2));",
                found[0]) and time.monotonic() < deadline:
            time.sleep(POLL)  # until the block is rendered where it now is
        ActionChains(self.driver).move_to_element(found[0]).click().perform()

    def errors(self):
        errors = self.driver.execute_script("return window.__pageErrors;")
        assert errors is not None, "the page lost its error hook (did it navigate?)"
        return errors

    def close(self):
        self.driver.quit()


class WebKit:
    """WebKitGTK's MiniBrowser needs a display: one Xvfb for every page."""

    def __init__(self):
        self.driver_path = executable("WEBKIT_DRIVER", "WebKitWebDriver")
        candidates = sorted(glob.glob("/usr/lib/*/webkit2gtk-4.*/MiniBrowser"))
        self.minibrowser = os.environ.get("MINIBROWSER") or (candidates[-1] if candidates else None)
        if not self.minibrowser:
            raise EngineMissing("WebKitGTK's MiniBrowser is not installed (or set $MINIBROWSER); "
                                "`make test` installs it, or choose other browsers with BROWSERS=…")
        xvfb = executable("XVFB", "Xvfb")
        read, write = os.pipe()
        self.xvfb = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1280x1024x24",
                                      "-nolisten", "tcp"], pass_fds=[write],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as display:
            number = display.readline().strip()  # Xvfb writes it once the display is ready
        if not number:
            self.xvfb.wait()
            raise EngineMissing(f"Xvfb did not start (exit status {self.xvfb.returncode})")
        self.display = f":{number}"
        self.folders: list[tempfile.TemporaryDirectory] = []  # each page's downloads

    def new_page(self) -> Page:
        self.folders.append(folder := tempfile.TemporaryDirectory(prefix="webkit-"))
        downloads = os.path.join(folder.name, "downloads")
        os.mkdir(downloads)
        return WebKitPage(self.driver_path, self.minibrowser, self.display, downloads)

    def close(self):
        self.xvfb.terminate()
        self.xvfb.wait()
        for folder in self.folders:
            folder.cleanup()


def launch(engine: str, chromium_browser=None):
    """The engine's page factory; Chromium's pages come from a Playwright browser of the caller."""
    if engine == "chromium":
        return Chromium(chromium_browser)
    return {"firefox": Firefox, "webkit": WebKit}[engine]()
