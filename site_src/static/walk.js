/* The walk-through's buttons and keys. Python words every step and says what to light
 * (pyodide_app/walk.py); here only the panel, the keys and Play's timer.
 */
(function () {
  "use strict";

  var byId = pageDom.byId;
  var timer = null;
  var at = { position: 0, total: 0 };

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

  pageEvents.onReply("walk", function (walk) {
    var panel = byId("walk");
    var was = !panel.hidden;
    var inside = panel.contains(document.activeElement);
    panel.hidden = !walk.active;
    if (!walk.active) {
      stop();
      if (inside) byId("walk-start").focus(); // the focused button is gone
      return;
    }
    at = walk;
    byId("walk-caption").textContent = walk.caption;
    byId("walk-counter").textContent = walk.counter;
    if (walk.position >= walk.total) stop();
    if (!was) byId("walk-next").focus();
  });

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
    var target = event.target;
    if (byId("walk").hidden || event.altKey || event.ctrlKey || event.metaKey ||
        /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName) || (target.classList && target.classList.contains("edge"))) {
      return;
    }
    event.preventDefault();
    pageEvents.send(KEYS[event.key]);
  });
})();
