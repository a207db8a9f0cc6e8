/* The walk-through's panel, buttons and keys. Python words every step, says what to light and
 * which element to bring into view (pyodide_app/features/walk.py). Here: the panel, which holds
 * the diagram while the walk runs, so that the lit neuron and the step's card are in view
 * together; bringing the card into the part of the window the panel leaves free; the keys and
 * Play's timer.
 */
(function () {
  "use strict";

  var byId = pageDom.byId;
  var timer = null;
  var at = { position: 0, total: 0 };
  var target = null; // the element the walk last brought into view
  var rendered = []; // the blocks made to render while they hold it
  var MARGIN = 8; // px between the element and the edge of the free part

  function stop() {
    clearInterval(timer);
    timer = null;
    byId("walk-play").textContent = "Play";
  }

  function play() {
    stop();
    if (at.position >= at.total) return;
    timer = setInterval(function () { pageEvents.send("walkNext"); }, Number(byId("walk-speed").value));
    byId("walk-play").textContent = "Pause";
  }

  // The diagram moves into the panel while the walk runs, and back into its figure after. A
  // figure drawn anew (another activation) holds a new diagram: that one moves, the old goes.
  function lend(on) {
    var svg = byId("diagram"), figure = byId("diagram-figure"), map = byId("walk-map");
    if (on && svg.parentNode !== map) map.replaceChildren(svg);
    if (!on && svg.parentNode === map) figure.prepend(svg);
    figure.classList.toggle("lent", on);
  }

  // The blocks holding `element` (none: null) render; the others made to render go back to
  // skipping. A block that holds the next element too keeps its class: taken off and put back,
  // it would be styled and laid out anew, every number in it, at every step.
  function renderAround(element) {
    var blocks = element ? pageDom.skippedAround(element) : [];
    rendered.forEach(function (block) { if (blocks.indexOf(block) < 0) block.classList.remove("rendered"); });
    blocks.forEach(function (block) { if (!block.classList.contains("rendered")) block.classList.add("rendered"); });
    rendered = blocks;
  }

  // Into the part of the window the panel leaves free (above it when it lies along the bottom,
  // all of it when it stands beside the page), unless it is there: in the middle if it fits, else
  // its top at the top. A table row comes with its lit group of rows: all of them if they fit,
  // else as many as fit around it. WebKit neither scrolls to nor measures an element whose
  // block skips rendering (content-visibility: auto): such blocks render while they hold it.
  function bringIntoView(element) {
    target = element;
    renderAround(element);
    var panel = byId("walk").getBoundingClientRect();
    var top = MARGIN, bottom = (panel.top > 0 ? panel.top : innerHeight) - MARGIN;
    var box = element.getBoundingClientRect();
    var group = element.parentElement.closest(".lit"), rows = group && group.getBoundingClientRect();
    if (rows && rows.height <= bottom - top) box = rows;
    if (box.top >= top && box.bottom <= bottom) return;
    var by = box.height > bottom - top ? box.top - top : (box.top + box.bottom - top - bottom) / 2;
    if (rows && box !== rows) by = Math.min(Math.max(by, rows.top - top), rows.bottom - bottom);
    var still = Math.abs(by) > innerHeight || matchMedia("(prefers-reduced-motion: reduce)").matches;
    scrollBy({ top: by, behavior: still ? "auto" : "smooth" });
  }

  var light = pageEvents.onReply("highlight", function (highlight) {
    light(highlight);
    var element = highlight.scroll && byId(highlight.scroll);
    // once the whole answer is applied: the caption it brings sets the panel's height
    if (element) Promise.resolve().then(function () { if (!byId("walk").hidden) bringIntoView(element); });
  });

  // A property set only if it changes: each set one (even to its value) is styled and laid out
  // again, and the steps of a walk change little of the panel.
  function put(element, property, value) {
    if (element[property] !== value) element[property] = value;
  }

  // A batch's step brings a table: its caption, a head row, and a row per sample; every other step none.
  function showTable(table) {
    var box = byId("walk-table"), element = box.querySelector("table");
    put(box, "hidden", !table);
    if (!table) return;
    element.caption.textContent = table.caption;
    pageDom.fillTable(element, table.head, table.rows);
  }

  pageEvents.onReply("walk", function (walk) {
    var panel = byId("walk");
    var was = !panel.hidden;
    var inside = panel.contains(document.activeElement);
    if ("refused" in walk) put(byId("walk-refused"), "textContent", walk.refused);
    put(panel, "hidden", !walk.active);
    if (!walk.active) {
      stop();
      lend(false);
      if (was && target && target.isConnected) bringIntoView(target); // the reader stays where the walk was
      renderAround(null);
      target = null;
      if (inside) byId("walk-start").focus(); // the focused button is gone
      return;
    }
    at = walk;
    lend(true);
    put(byId("walk-refused"), "textContent", "");
    put(byId("walk-caption"), "textContent", walk.caption);
    showTable(walk.table);
    put(byId("walk-counter"), "textContent", walk.counter);
    var previous = byId("walk-previous"), next = byId("walk-next");
    var leaving = document.activeElement === previous;
    put(previous, "disabled", walk.position <= 1);
    put(next, "textContent", walk.position >= walk.total ? "Next training step" : "Next");
    if (walk.position >= walk.total) stop();
    if (!was || (leaving && previous.disabled)) next.focus();
  });

  // A printout shows the diagram in its place.
  addEventListener("beforeprint", function () { lend(false); });
  addEventListener("afterprint", function () { lend(!byId("walk").hidden); });

  pageEvents.onClick("walk-start", function () { pageEvents.send("walk"); });
  pageEvents.onClick("walk-next", function () { pageEvents.send("walkNext"); });
  pageEvents.onClick("walk-previous", function () { pageEvents.send("walkPrevious"); });
  pageEvents.onClick("walk-exit", function () { pageEvents.send("walkExit"); });
  pageEvents.onClick("walk-play", function () {
    if (timer) stop();
    else play();
  });

  document.addEventListener("change", function (event) {
    if (event.target.id === "walk-speed" && timer) play();
  });

  // ← and → walk, Escape ends the walk; not where the keys already mean something.
  var KEYS = { ArrowRight: "walkNext", ArrowLeft: "walkPrevious", Escape: "walkExit" };
  pageEvents.onKey(Object.keys(KEYS), function (event) {
    var on = event.target;
    if (byId("walk").hidden || event.altKey || event.ctrlKey || event.metaKey ||
        /^(INPUT|SELECT|TEXTAREA)$/.test(on.tagName) || (on.classList && on.classList.contains("edge"))) {
      return;
    }
    event.preventDefault();
    pageEvents.send(KEYS[event.key]);
  });
})();
