/* The Data panel (pyodide_app/features/data.py decides what it does): the dataset, its
 * settings and the inputs ticked become messages; Python's `dataPanel` reply sets the
 * controls and says what it refused, next to the control it came from.
 */
(function () {
  "use strict";

  var send = pageEvents.send;
  var byId = pageDom.byId;

  function sendData(target) {
    var name = target.getAttribute("data-data");
    if (name === "dataset") send("dataset", { key: target.value });
    else if (name === "shown") send("shown", { text: target.value });
    else send("dataSetting", { name: name, text: target.value });
  }

  function ticked() {
    var keys = [];
    document.querySelectorAll("[data-input]").forEach(function (box) {
      if (box.checked) keys.push(box.getAttribute("data-input"));
    });
    return keys;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.hasAttribute("data-data")) sendData(target);
    else if (target.hasAttribute("data-input")) {
      if (target.hasAttribute("data-always")) target.checked = true; // x₁ and x₂ feed every dataset
      else send("dataInputs", { keys: ticked() });
    }
  });
  // A text field's change event waits for the field to be left.
  pageEvents.onKey(["Enter"], function (event) {
    var target = event.target;
    if (target.tagName === "INPUT" && target.hasAttribute("data-data")) sendData(target);
  });

  // The message under a control, made when first needed.
  function messageOf(field) {
    var id = field.getAttribute("aria-describedby");
    if (id && byId(id)) return byId(id);
    var text = document.createElement("p");
    text.id = "msg-" + field.id;
    text.className = "message";
    field.after(text);
    field.setAttribute("aria-describedby", text.id);
    return text;
  }

  var LABELS = { dataset: "Dataset", points: "Points", noise: "Noise", test_share: "Test share", seed: "Data seed",
                 batch_size: "Batch size", shown: "Shown sample", inputs: "Inputs" };

  function error(name, message) {
    var field = name === "inputs" ? document.querySelector("[data-input]")
      : document.querySelector('[data-data="' + name + '"]');
    if (!field) return;
    if (!message && field.getAttribute("aria-invalid") !== "true") return;
    if (message) field.setAttribute("aria-invalid", "true");
    else field.removeAttribute("aria-invalid");
    messageOf(field).textContent = message ? LABELS[name] + " " + message : "";
  }

  pageEvents.onReply("dataPanel", function (panel) {
    var values = panel.values || {};
    Object.keys(values).forEach(function (name) {
      if (name === "inputs") {
        document.querySelectorAll("[data-input]").forEach(function (box) {
          box.checked = values.inputs.indexOf(box.getAttribute("data-input")) >= 0;
        });
        return;
      }
      var field = document.querySelector('[data-data="' + name + '"]');
      if (field && field !== document.activeElement) field.value = values[name];
    });
    var errors = panel.errors || {};
    Object.keys(errors).forEach(function (name) { error(name, errors[name]); });
  });
})();
