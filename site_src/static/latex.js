/* Copy LaTeX: a card's worked lines, or the selected line's chain rule, as LaTeX onto the
 * clipboard. Python (in the worker) writes the LaTeX (pyodide_app/view/latex.py); this asks for
 * it and copies it.
 *
 * A browser lets a page write to the clipboard only in answer to the reader's click, and the
 * LaTeX arrives a moment after it. So the write begins within the click, with a ClipboardItem
 * whose text follows once Python has answered (WebKit keeps the click only for a write begun
 * within it); where there is no ClipboardItem, the text is written when it comes (Chromium and
 * Firefox keep the click for a few seconds). Where neither is allowed (a page served over plain
 * http from another machine has no clipboard), the LaTeX is shown selected, to copy by hand.
 */
(function () {
  "use strict";

  var TEXT = { copied: "Copied", byHand: "Press Ctrl+C (⌘C on a Mac) to copy." };
  var SHOWN_FOR = 2500; // ms the confirmation stays
  var waiting = {}; // id → {resolve, reject} of the LaTeX asked for

  function ask(id) {
    return new Promise(function (resolve, reject) {
      var asked = waiting[id] = { resolve: resolve, reject: reject };
      pageEvents.send("latex", { id: id });
      pageEvents.settled().then(function () { // answered without it (a message that failed)
        if (waiting[id] === asked) {
          delete waiting[id];
          reject(new Error("no LaTeX for " + id));
        }
      });
    });
  }

  function write(text) {
    var clipboard = navigator.clipboard;
    if (clipboard && clipboard.write && typeof ClipboardItem === "function") {
      var blob = text.then(function (latex) { return new Blob([latex], { type: "text/plain" }); });
      return clipboard.write([new ClipboardItem({ "text/plain": blob })]).catch(function () {
        return text.then(function (latex) { return clipboard.writeText(latex); }); // an engine that wants a string
      });
    }
    return text.then(function (latex) { return clipboard.writeText(latex); });
  }

  // The confirmation beside the button: a status region of its own, made empty before it says
  // anything, so that it is announced.
  function statusOf(button) {
    var next = button.nextElementSibling;
    if (next && next.classList.contains("copied")) return next;
    var status = document.createElement("span");
    status.className = "copied";
    status.setAttribute("role", "status");
    button.after(status);
    return status;
  }

  function say(status, text) {
    status.textContent = text;
    clearTimeout(status.timer);
    if (text === TEXT.copied) status.timer = setTimeout(function () { status.textContent = ""; }, SHOWN_FOR);
  }

  // The clipboard refused: the LaTeX in a text box beside the button, selected; the old way of
  // copying a selection is tried first.
  function byHand(button, status, latex) {
    var box = status.nextElementSibling;
    if (!box || box.tagName !== "TEXTAREA") {
      box = document.createElement("textarea");
      box.className = "latex-text";
      box.readOnly = true;
      box.setAttribute("aria-label", "LaTeX");
      status.after(box);
    }
    box.value = latex;
    box.focus();
    box.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) { /* not allowed here */ }
    say(status, copied ? TEXT.copied : TEXT.byHand);
  }

  function copy(button) {
    var id = button.getAttribute("data-latex");
    var status = statusOf(button);
    say(status, "");
    var text = ask(id);
    var written;
    try {
      written = write(text);
    } catch (error) {
      written = Promise.reject(error);
    }
    written.then(function () { say(status, TEXT.copied); }, function () {
      text.then(function (latex) { byHand(button, status, latex); }, function () {});
    });
  }

  pageEvents.onReply("latex", function (reply) {
    var asked = waiting[reply.id];
    delete waiting[reply.id];
    if (asked && reply.text) asked.resolve(reply.text);
    else if (asked) asked.reject(new Error("no LaTeX for " + reply.id));
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-latex]");
    if (button && document.body.dataset.state === "live") copy(button);
  });
})();
