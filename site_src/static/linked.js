/* Linked highlighting and the selection; pyodide_app/selection.py decides what lights.
 * Pointing at, focusing or tapping a neuron, or pointing at a formula's term, is sent once
 * per change; a click, a tap or Space on a line or neuron selects it; Escape or Clear
 * selection ends it. Enter still edits (events.js). A tap is a click, so on a touch screen
 * a tap selects and never jumps away to a number field: the panel's Edit button does that.
 * Nothing is sent before the page is live.
 */
(function () {
  "use strict";

  var byId = pageDom.byId;
  var send = pageEvents.send;
  var pointed = null;
  var chosen = null;
  var placing = null; // chosen, until the panel it opens has been placed beside it
  var MARGIN = 8; // px between the chosen part and the edge of the part of the window left free

  // The diagram's line or node the event is on, once live.
  function part(event) {
    var on = event.target.closest && event.target.closest(".node, .edge");
    return document.body.dataset.state === "live" && on;
  }

  // A formula's term names its line: w-2-1-0 itself, or a-1-0 / d-3-0 just before "× w-2-1-0".
  function termEdge(el) {
    var key = (el.getAttribute("data-v") || "").replace(/^\(/, ""); // "(w-…": the same number after an operator
    var next = el.nextElementSibling && el.nextElementSibling.nextElementSibling;
    if (/^[ad]-/.test(key) && next) key = (next.getAttribute("data-v") || "").replace(/^\(/, "");
    return /^w-/.test(key) && el.closest("#formulas") ? key.replace("w", "edge") : null;
  }

  // Focus elsewhere ends a neuron's light, not a term's: a tap on a term focuses its card.
  function point(event) {
    var on = part(event);
    var id = on ? /^node/.test(on.id) && on.id : event.type === "focusin" ? /^edge/.test(pointed) && pointed :
      event.target.closest && termEdge(event.target);
    if ((id || null) === pointed || document.body.dataset.state !== "live") return;
    pointed = id || null;
    if (id) send("point", { id: id });
    else send("leave");
  }

  function select(event) {
    chosen = placing = part(event).id;
    send("select", { id: chosen });
  }

  document.addEventListener("mouseover", point);
  document.addEventListener("focusin", point);
  document.addEventListener("click", function (event) {
    if (part(event)) select(event);
  });
  pageEvents.onKey([" "], function (event) {
    if (!part(event)) return;
    event.preventDefault();
    select(event);
  });
  pageEvents.onKey(["Escape"], function () {
    if (!byId("selection").hidden) send("clear");
  });
  pageEvents.onClick("clear-selection", function () { send("clear"); });

  // A line's midpoint, or a circle's centre, in the window's pixels.
  function middle(element) {
    if (!element.getTotalLength) {
      var box = element.getBoundingClientRect();
      return box.top + box.height / 2;
    }
    var m = element.getScreenCTM(), p = element.getPointAtLength(element.getTotalLength() / 2);
    return m.b * p.x + m.d * p.y + m.f;
  }

  // On a narrower screen the panel keeps to the window's bottom (style.css), over the page: the
  // page moves the chosen line or circle into the part above it and below the status bar. Its
  // second look: the panel comes up from its place under the diagram once the page has moved.
  function keepAbovePanel(element) {
    var panel = byId("selection");
    for (var look = 0; look < 2 && !panel.hidden && getComputedStyle(panel).position === "sticky"; look++) {
      var top = document.querySelector(".statusbar").getBoundingClientRect().bottom + MARGIN;
      var bottom = Math.min(panel.getBoundingClientRect().top, innerHeight) - MARGIN;
      var y = middle(element);
      if (y >= top && y <= bottom) return;
      scrollBy({ top: y - (top + bottom) / 2, behavior: "instant" });
    }
  }

  pageEvents.onReply("selection", function (html) {
    var panel = byId("selection");
    var inside = panel.contains(document.activeElement);
    panel.innerHTML = html;
    panel.hidden = !html;
    if (inside && byId(chosen)) byId(chosen).focus(); // from Clear selection back to the diagram
    if (html && placing && byId(placing)) keepAbovePanel(byId(placing));
    placing = null;
  });
  pageEvents.onReply("chain", function (html) { byId("chain").innerHTML = html; });
})();
