/* The worksheet view (pyodide_app/worksheet.py renders it, with its styles): opened in place
 * of the rest of <main>, its choices sent to Python, printed. Nothing here makes a number.
 * Its styles are adopted through the CSSOM, which the Content-Security-Policy allows: they
 * come from Python's templates, hide the rest of the page while the view is open, and go
 * with it when it is closed.
 */
(function () {
  "use strict";

  var byId = pageDom.byId;
  var TEXT = { preparing: "Preparing the worksheet…" };
  var styles = null;

  function close() {
    byId("worksheet-view").remove();
    document.adoptedStyleSheets = [];
    pageEvents.send("sheetClose");
    byId("worksheet").focus();
  }

  function options() {
    var ticked = document.querySelectorAll("[name=sheet-kind]:checked");
    pageEvents.send("sheetOptions", { paper: byId("sheet-paper").value,
      kinds: Array.prototype.map.call(ticked, function (box) { return box.value; }) });
  }

  function seed() {
    pageEvents.send("sheetSeed", { text: byId("sheet-seed").value });
  }

  function open(html) {
    var old = byId("worksheet-view");
    if (old) old.remove();
    document.querySelector("main").insertAdjacentHTML("beforeend", html);
    var view = byId("worksheet-view");
    view.addEventListener("change", function (event) {
      if (event.target.id === "sheet-seed") seed();
      else if (event.target.id !== "sheet-copies") options();
    });
    byId("worksheet-title").focus();
  }

  pageEvents.onKey(["Enter"], function (event) {
    if (event.target.id === "sheet-seed") seed();
  });

  pageEvents.onReply("worksheet", function (reply) {
    if (reply.css) {
      styles = styles || new CSSStyleSheet();
      styles.replaceSync(reply.css);
      document.adoptedStyleSheets = [styles];
    }
    if (reply.view) open(reply.view);
    if (reply.sheets) byId("sheets").innerHTML = reply.sheets;
    Object.keys(reply.errors || {}).forEach(function (name) {
      var field = byId("sheet-" + name);
      byId("sheet-" + name + "-msg").textContent = reply.errors[name];
      if (reply.errors[name]) field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
    });
    if (reply.seed) byId("sheet-seed").value = reply.seed;
    if (reply.print) window.print();
  });

  // The first opening takes a moment (Python's template engine starts): the page says so.
  pageEvents.onClick("worksheet", function () {
    var button = byId("worksheet");
    button.setAttribute("aria-busy", "true");
    pageEvents.show("share", TEXT.preparing);
    pageEvents.send("worksheet");
    pageEvents.settled().then(function () {
      button.removeAttribute("aria-busy");
      if (byId("share-message").textContent === TEXT.preparing) pageEvents.show("share", "");
    });
  });
  pageEvents.onClick("sheet-new", function () { pageEvents.send("sheetNew"); });
  pageEvents.onClick("sheet-print", function () { window.print(); });
  pageEvents.onClick("sheet-latex", function () { pageEvents.send("sheetLatex"); });
  pageEvents.onClick("sheet-class", function () { pageEvents.send("classSet", { text: byId("sheet-copies").value }); });
  pageEvents.onClick("sheet-close", close);
})();
