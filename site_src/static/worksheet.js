/* The worksheet view (pyodide_app/features/worksheet.py renders it, with its styles): opened in
 * place of the rest of <main>, its choices sent to Python, its sheets cut into pages here,
 * printed. Nothing here makes a number. Its styles are adopted through the CSSOM, which the
 * Content-Security-Policy allows: they come from Python's templates, hide the rest of the page
 * while the view is open, and go with it when it is closed.
 *
 * Pages: each sheet comes as a header and a flow of blocks one page wide. Short tasks take a
 * third, half or two thirds of the width, the same in a run (a layer's sums, its activations…,
 * each run starting a row); the blocks are then measured, laid into pages of the
 * paper's height (a heading never ends a page) and each page gets the header with "Page k of
 * n". Print then only prints: the sheets are ready before the click, as browsers trust a print
 * started by the reader's own click.
 */
(function () {
  "use strict";

  var byId = pageDom.byId;
  var TEXT = { preparing: "Preparing the worksheet…", preparingSet: "Preparing the class set…" };
  var LARGE = 20; // pages: a longer print job asks first
  var SPANS = [2, 3, 4]; // sixths of the page's width a short task may take
  var styles = null;
  var drawn = ""; // the sheets' HTML as Python sent it, cut into pages again for another paper
  var counts = []; // each sheet's and key's pages
  var copiesValid = true;
  var each = function (list, f) { return Array.prototype.map.call(list, f); };

  function close() {
    byId("worksheet-view").remove();
    document.adoptedStyleSheets = [];
    pageEvents.send("sheetClose");
    byId("worksheet").focus();
  }

  // Print waits for what was asked of Python (a click on a disabled button waits too).
  function send(kind, fields) {
    var buttons = [byId("sheet-print"), byId("sheet-class")];
    buttons.forEach(function (button) { button.disabled = true; });
    pageEvents.send(kind, fields);
    return pageEvents.settled().then(function () {
      buttons.forEach(function (button) { if (button.isConnected) button.disabled = false; });
    });
  }

  function options() {
    var weights = document.querySelector("[name=sheet-weights]:checked");
    send("sheetOptions", { paper: byId("sheet-paper").value, weights: weights ? weights.value : "seed",
      kinds: each(document.querySelectorAll("[name=sheet-kind]:checked"), function (box) { return box.value; }) });
  }

  function rowsOf(flow) {
    var rows = [];
    each(flow.children, function (block) {
      var top = block.offsetTop, bottom = top + block.offsetHeight, row = rows[rows.length - 1];
      if (row && Math.abs(top - row.top) < 1) {
        row.blocks.push(block);
        row.bottom = Math.max(row.bottom, bottom);
      } else rows.push({ top: top, bottom: bottom, blocks: [block] });
    });
    return rows;
  }

  function pagesOf(rows, room) {
    var pages = [[]], top = rows.length ? rows[0].top : 0;
    rows.forEach(function (row) {
      var page = pages[pages.length - 1];
      if (row.bottom - top > room && page.length) {
        var last = page[page.length - 1];
        var heading = page.length > 1 && last.blocks.length === 1 && last.blocks[0].tagName === "H4";
        page = heading ? [page.pop()] : [];
        top = page.length ? last.top : row.top;
        pages.push(page);
      }
      page.push(row);
    });
    return pages;
  }

  function lay(article, pages) {
    var head = article.querySelector(".page-head");
    pages.forEach(function (rows, k) {
      var page = document.createElement("section"), body = document.createElement("div");
      var header = k ? head.cloneNode(true) : head;
      if (k) {
        header.querySelector("h3").removeAttribute("id");
        header.setAttribute("aria-hidden", "true");
      }
      header.querySelector(".page-number").textContent = "Page " + (k + 1) + " of " + pages.length;
      page.className = "page";
      body.className = "page-body";
      rows.forEach(function (row) { row.blocks.forEach(function (block) { body.appendChild(block); }); });
      page.append(header, body);
      article.appendChild(page);
    });
    article.querySelector(".flow").remove();
    return pages.length;
  }

  function paginate() {
    var sheets = byId("sheets");
    sheets.innerHTML = drawn;
    sheets.classList.add("paging", "measuring");
    var flows = sheets.querySelectorAll(".flow"), runs = [[]];
    var width = flows.length ? flows[0].firstElementChild.offsetWidth : 0;
    each(flows, function (flow) {
      each(flow.children, function (block) {
        if (block.classList.contains("task")) runs[runs.length - 1].push({ task: block, width: block.offsetWidth });
        else if (runs[runs.length - 1].length) runs.push([]);
      });
    });
    sheets.classList.remove("measuring");
    runs.forEach(function (run) { // the tasks of a run line up: each as wide as the widest
      var widest = Math.max.apply(null, run.map(function (t) { return t.width; }));
      var fits = SPANS.filter(function (span) { return widest <= width * span / 6; });
      run.forEach(function (t) { if (fits.length) t.task.classList.add("t" + fits[0]); });
    });
    var probe = document.createElement("div"), body = document.createElement("div");
    probe.className = "page";
    body.className = "page-body";
    if (flows.length) {
      probe.append(flows[0].previousElementSibling.cloneNode(true), body);
      flows[0].parentNode.appendChild(probe);
    }
    var room = body.clientHeight - 2; // a little to spare: print rounds otherwise
    probe.remove();
    var plans = each(flows, function (flow) { return pagesOf(rowsOf(flow), room); });
    counts = each(flows, function (flow, k) {
      var article = flow.parentNode;
      return { key: article.classList.contains("key"), first: article.dataset.copy === "0",
        pages: lay(article, plans[k]) };
    });
    sheets.classList.remove("paging");
    tell();
  }

  // How many pages Print and Print a class set print, said before either is pressed.
  function tell() {
    var sheets = byId("sheets"), printKey = byId("sheet-print-key").checked;
    var total = function (first) {
      return counts.reduce(function (sum, c) {
        return sum + (c.key && !printKey || first && !c.first ? 0 : c.pages);
      }, 0);
    };
    var one = counts.filter(function (c) { return c.first; }).map(function (c) { return c.pages; });
    sheets.classList.toggle("no-key", !printKey);
    byId("sheet-pages").textContent = counts.length ? "Prints " + total(true) + " pages: the exercise on " + one[0] +
      (printKey ? ", the answer key on " + one[1] : " (the answer key is not printed)") + "." : "";
    byId("sheet-class-pages").textContent = counts.length ? "The class set prints " + total(false) + " pages." : "";
    sheets.dataset.pages = total(true);
    sheets.dataset.classPages = total(false);
  }

  function printSheets(all) {
    var sheets = byId("sheets"), pages = +sheets.dataset[all ? "classPages" : "pages"];
    if (all && !copiesValid) return byId("sheet-copies").focus();
    if (pages > LARGE && !window.confirm("This prints " + pages + " pages. Print them?")) return;
    sheets.classList.toggle("one", !all);
    window.print();
  }

  function open(html) {
    var old = byId("worksheet-view");
    if (old) old.remove();
    document.querySelector("main").insertAdjacentHTML("beforeend", html);
    var view = byId("worksheet-view");
    copiesValid = true;
    view.addEventListener("change", function (event) {
      var id = event.target.id;
      if (id === "sheet-seed") send("sheetSeed", { text: byId("sheet-seed").value });
      else if (id === "sheet-show-key") byId("sheets").classList.toggle("show-key", event.target.checked);
      else if (id === "sheet-print-key") tell();
      else if (id !== "sheet-copies") options();
    });
    byId("sheet-copies").addEventListener("input", function () {
      byId("sheet-class-pages").textContent = TEXT.preparingSet;
      send("classSet", { text: byId("sheet-copies").value }).then(function () {
        var said = byId("sheet-class-pages");
        if (said && said.textContent === TEXT.preparingSet) tell(); // refused: as it was
      });
    });
    drawn = byId("sheets").innerHTML;
    byId("worksheet-title").focus();
  }

  pageEvents.onKey(["Enter"], function (event) {
    if (event.target.id === "sheet-seed") send("sheetSeed", { text: byId("sheet-seed").value });
  });

  pageEvents.onReply("worksheet", function (reply) {
    if (reply.css) {
      styles = styles || new CSSStyleSheet();
      styles.replaceSync(reply.css);
      document.adoptedStyleSheets = [styles];
    }
    if (reply.view) open(reply.view);
    if (reply.sheets) drawn = reply.sheets;
    if (reply.css || reply.sheets) paginate();
    Object.keys(reply.errors || {}).forEach(function (name) {
      var field = byId("sheet-" + name);
      byId("sheet-" + name + "-msg").textContent = reply.errors[name];
      if (name === "copies") copiesValid = !reply.errors[name];
      if (reply.errors[name]) field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
    });
    if (reply.seed) byId("sheet-seed").value = reply.seed;
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
  pageEvents.onClick("sheet-new", function () { send("sheetNew"); });
  pageEvents.onClick("sheet-print", function () { printSheets(false); });
  pageEvents.onClick("sheet-class", function () { printSheets(true); });
  pageEvents.onClick("sheet-latex", function () { send("sheetLatex"); });
  pageEvents.onClick("sheet-close", close);
})();
