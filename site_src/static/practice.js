/* Practice mode: the page's side. Python (pyodide_app/features/practice.py) hides the chosen
 * results and sends a `practice` reply listing the questions; here each becomes an input box
 * in its card (or in the table cell of the number it hides), and what is typed goes back to
 * Python, which judges it. Nothing here judges, computes or formats a number.
 */
(function () {
  "use strict";

  var byId = pageDom.byId;
  var BOX = '<label id="pl-K" for="pi-K"></label><input id="pi-K" inputmode="decimal" autocomplete="off" ' +
    'spellcheck="false" aria-describedby="pv-K"><button type="button" aria-expanded="false" aria-controls="ph-K">' +
    'Show how</button><p id="pv-K" class="verdict"></p><p id="ph-K" class="how" hidden></p>';

  // A question's box, made the first time it is asked (the page is smaller without them).
  function makeBox(q) {
    var box = document.createElement("div");
    var home = q.at ? byId(q.at) : document.querySelector('td[data-v="' + q.k + '"]');
    box.className = "answer";
    box.id = "pr-" + q.k;
    box.setAttribute("role", "group");
    box.setAttribute("aria-labelledby", "pl-" + q.k);
    box.innerHTML = BOX.replace(/K/g, q.k); // keys are letters, digits and hyphens
    box.firstChild.textContent = q.l;
    if (!q.at) home.textContent = ""; // the table cell of the number: the box takes its place
    home.append(box);
    return box;
  }

  function show(practice) {
    var panel = byId("practice-panel");
    byId("practice").setAttribute("aria-pressed", practice.on);
    if (!practice.on) {
      if (panel) panel.remove();
      document.querySelectorAll(".answer").forEach(function (box) { box.remove(); });
      return;
    }
    if (practice.panel) {
      if (panel) panel.remove();
      document.querySelector(".controls").insertAdjacentHTML("beforeend", practice.panel);
    }
    document.querySelectorAll("#practice-panel input").forEach(function (kind) {
      kind.checked = practice.kinds.indexOf(kind.value) >= 0;
    });
    byId("practice-score").textContent = practice.score;
    if (practice.said) byId("practice-said").textContent = practice.said;
    practice.hide.forEach(function (key) { // never sent while hidden: what the page had goes too
      document.querySelectorAll('[data-v="' + key + '"]').forEach(function (el) {
        if (!el.firstElementChild) el.textContent = "?";
      });
    });
    var asked = {};
    practice.boxes.forEach(function (q) {
      var box = byId("pr-" + q.k) || makeBox(q);
      var input = box.querySelector("input");
      var verdict = box.querySelector(".verdict");
      asked[box.id] = true;
      if (input !== document.activeElement) input.value = q.a;
      verdict.textContent = q.v;
      verdict.className = "verdict " + q.c;
      box.lastChild.textContent = q.h;
    });
    document.querySelectorAll(".answer").forEach(function (box) { if (!asked[box.id]) box.remove(); });
  }

  function answer(input) {
    input.dataset.sent = input.value;
    pageEvents.send("practiceAnswer", { key: input.id.replace("pi-", ""), text: input.value }); // id: "pi-" + key
  }

  function isBox(target) {
    return target.matches(".answer input");
  }

  pageEvents.onKey(["Enter"], function (event) {
    if (isBox(event.target)) answer(event.target);
  });
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (isBox(target)) {
      if (target.value !== target.dataset.sent) answer(target); // Enter sent it already
    } else if (target.closest("#practice-panel")) {
      pageEvents.send("practiceKinds", { kinds: [].map.call(document.querySelectorAll("#practice-panel :checked"),
        function (kind) { return kind.value; }) });
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".answer button");
    if (!button) return;
    var how = button.parentNode.lastChild;
    how.hidden = !how.hidden;
    button.setAttribute("aria-expanded", !how.hidden);
  });
  pageEvents.onReply("practice", show);
  pageEvents.onClick("practice", function () { pageEvents.send("practice"); });
})();
