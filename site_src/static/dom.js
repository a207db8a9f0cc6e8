/* Writes a batch of values from Python (in the worker) into the page in one go, and swaps in
 * the parts Python re-draws when the network's structure changes. It moves values and
 * markup only; it computes nothing.
 *   text    {key: text}            every element with data-v="key"
 *   attrs   {id: {name: value}}    attributes of one element
 *   fields  {data-field: value}    number fields, unless being typed in or marked invalid
 *   ranges  {data-range: value}    sliders
 *   force   true when a whole new state arrived: fields are replaced even while focused
 * While training, Python sends only the parts of the page on screen: `watch()` reports
 * which are, whenever that changes, and whether one just came into view (or the page is
 * being printed), which then needs the current numbers at once.
 */
(function () {
  "use strict";
  var groups = null;

  // The page's scripts find their elements by id with this one helper (pageDom.byId).
  function byId(id) {
    return document.getElementById(id);
  }

  function elementsOf(key) {
    if (!groups) {
      groups = {};
      document.querySelectorAll("[data-v]").forEach(function (element) {
        var name = element.getAttribute("data-v");
        (groups[name] || (groups[name] = [])).push(element);
      });
    }
    return groups[key] || [];
  }

  // A number's element holds one text node: changing its data is cheaper than replacing it.
  function setText(element, text) {
    var node = element.firstChild;
    if (node && node.nodeType === 3 && !node.nextSibling) node.data = text;
    else element.textContent = text;
  }

  function write(batch) {
    var key, name, i, list;
    for (key in batch.text) {
      list = elementsOf(key);
      for (i = 0; i < list.length; i++) setText(list[i], batch.text[key]);
    }
    for (key in batch.attrs) {
      var element = byId(key);
      for (name in batch.attrs[key]) element.setAttribute(name, batch.attrs[key][name]);
    }
    for (key in batch.ranges) {
      document.querySelector('[data-range="' + key + '"]').value = batch.ranges[key];
    }
    for (key in batch.fields) {
      var field = document.querySelector('[data-field="' + key + '"]');
      if (batch.force || (field !== document.activeElement && field.getAttribute("aria-invalid") !== "true")) {
        field.value = batch.fields[key];
      }
    }
  }

  // Parts re-drawn by Python from the build's templates ({element id: HTML}): swapped in whole,
  // live at once; the elements are found again, and focus stays on the field it was on.
  function replace(parts) {
    var focused = document.activeElement && document.activeElement.id;
    Object.keys(parts).forEach(function (id) {
      var template = document.createElement("template");
      template.innerHTML = parts[id];
      var part = template.content.firstElementChild;
      enable(part);
      byId(id).replaceWith(part);
      drawOnce(part);
    });
    groups = null;
    if (observer) {
      observer.disconnect();
      Object.keys(onScreen).forEach(function (name) { if (watched.indexOf(name) < 0) delete onScreen[name]; });
      observeAll();
    }
    var field = focused && byId(focused);
    if (field && document.activeElement !== field) field.focus();
  }

  // The page's controls work once Python answers. Only then do number fields ask for a decimal
  // keypad and the diagram's lines and circles become buttons (named by the first batch): the
  // page is smaller without those attributes in every pre-rendered field and line.
  function enable(root) {
    root.querySelectorAll("input, select, button, fieldset").forEach(function (el) { el.disabled = false; });
    root.querySelectorAll("[data-field]").forEach(function (el) { el.inputMode = "decimal"; });
    root.querySelectorAll(".edge, .node").forEach(function (el) { el.tabIndex = 0; el.setAttribute("role", "button"); });
  }

  var onScreen = {}; // by name: a part's id, or a layer block's "forward-2" (its heading's id)
  var observer = null;
  var watched = [];

  function visible() {
    return Object.keys(onScreen).filter(function (name) { return onScreen[name]; });
  }

  function nameOf(element) {
    return element.id || element.getAttribute("aria-labelledby");
  }

  // The parts, and their layer blocks: on a large network, an edit's answer then holds only
  // the layers on screen.
  function observeAll() {
    watched.forEach(function (id) {
      var part = byId(id);
      observer.observe(part);
      part.querySelectorAll(".layer-block").forEach(function (block) { observer.observe(block); });
    });
  }

  // Blocks off screen are not laid out, and stand in with an estimated height until first
  // drawn. So that the page's height does not jump while reading (End reaching the footer at
  // once), once the page is live every block is drawn once in idle time, one at a time, and its
  // height becomes its estimate (the browser's own memory of it, `auto`, holds only once it was
  // on screen). The size is read as the browser lays it out, never forcing a layout.
  var SKIPPED = ".layer-block, #formulas > section, #understanding";
  var waitIdle = globalThis.requestIdleCallback || function (run) { return setTimeout(run, 50); };
  var measuring = [];
  var sizes = typeof ResizeObserver === "function" ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var block = entry.target;
      if (!block.classList.contains("drawn-once")) return;
      block.style.containIntrinsicSize = "auto " + entry.borderBoxSize[0].blockSize + "px";
      withOuter(block).forEach(function (drawn) { drawn.classList.remove("drawn-once"); });
      sizes.unobserve(block);
      waitIdle(measureNext);
    });
  }) : null;

  function measureNext() {
    var block = measuring.shift();
    while (block && !block.isConnected) block = measuring.shift();
    if (!block) return;
    withOuter(block).forEach(function (drawn) { drawn.classList.add("drawn-once"); });
    sizes.observe(block);
  }

  // A block inside a skipped section is drawn only with it.
  function withOuter(block) {
    var blocks = [];
    for (var at = block; at; at = at.parentElement && at.parentElement.closest(SKIPPED)) blocks.push(at);
    return blocks;
  }

  // The blocks holding `element` that skip rendering while off screen, innermost first.
  function skippedAround(element) {
    var block = element.closest(SKIPPED);
    return block ? withOuter(block) : [];
  }

  function drawOnce(root) {
    if (!sizes) return;
    var blocks = Array.prototype.slice.call(root.querySelectorAll(SKIPPED));
    if (root.matches && root.matches(SKIPPED)) blocks.push(root);
    var idle = measuring.length === 0;
    measuring = measuring.concat(blocks.reverse()); // inner blocks first: a section is measured with theirs
    if (idle) waitIdle(measureNext);
  }

  // report(visible names, revealed): called whenever the parts or blocks on screen change.
  function watch(ids, report) {
    if (typeof IntersectionObserver !== "function") {
      ids.forEach(function (id) { onScreen[id] = true; }); // whole parts
      report(visible(), false);
      return;
    }
    watched = ids;
    observer = new IntersectionObserver(function (entries) {
      var revealed = false;
      entries.forEach(function (entry) {
        var name = nameOf(entry.target);
        revealed = revealed || (entry.isIntersecting && !onScreen[name]);
        onScreen[name] = entry.isIntersecting;
      });
      report(visible(), revealed);
    }, { rootMargin: "25% 0px" });
    observeAll();
    addEventListener("beforeprint", function () { report(visible(), true); });
  }

  // A table's head row and body rows from their texts; each row's first cell names it.
  function fillTable(table, head, rows) {
    function cells(texts, isHead) {
      var row = document.createElement("tr");
      texts.forEach(function (text, k) {
        var cell = document.createElement(isHead || k === 0 ? "th" : "td");
        if (isHead || k === 0) cell.scope = isHead ? "col" : "row";
        cell.textContent = text;
        row.appendChild(cell);
      });
      return row;
    }
    table.tHead.replaceChildren(cells(head, true));
    table.tBodies[0].replaceChildren.apply(table.tBodies[0], rows.map(function (row) { return cells(row, false); }));
  }

  globalThis.pageDom = { byId: byId, write: write, replace: replace, enable: enable, watch: watch,
                       drawOnce: drawOnce, fillTable: fillTable, skippedAround: skippedAround };
})();
