/* The Network panel (pyodide_app/panel.py decides what it does): each control, by its
 * data-design name, becomes a message, and Python's `design` reply sets its text fields.
 */
(function () {
  "use strict";

  var send = pageEvents.send;

  function sendDesign(target) {
    var name = target.getAttribute("data-design");
    if (name === "sizes") send("sizes", { text: target.value });
    else if (name === "random_seed") send("seed", { text: target.value });
    else if (name === "loss") send("loss", { key: target.value });
    else if (name === "preset") send("preset", { key: target.value });
    else send("activation", { layer: fieldIndex(name), key: target.value });
  }

  // "activations[2]" → 2: the index a field's name ends with.
  function fieldIndex(name) {
    return Number(/\[(\d+)\]$/.exec(name)[1]);
  }

  function isDesign(target) {
    return target.hasAttribute("data-design");
  }

  document.addEventListener("change", function (event) {
    if (isDesign(event.target)) sendDesign(event.target);
  });
  // A text field's change event waits for the field to be left.
  pageEvents.onKey(["Enter"], function (event) {
    if (isDesign(event.target) && event.target.tagName === "INPUT") sendDesign(event.target);
  });
  pageEvents.onClick("randomise", function () { send("randomise"); });
  pageEvents.onReply("design", function (values) {
    Object.keys(values).forEach(function (name) {
      var field = document.querySelector('[data-design="' + name + '"]');
      if (field !== document.activeElement) field.value = values[name];
    });
  });
})();
