/* The Gradient check section: Python works it out only while it is open, so the page tells
 * Python when it opens or closes (once live: one opened before is reported then). */
(function () {
  "use strict";
  var details = document.getElementById("check");
  var reported = false;

  function report() {
    if (document.body.dataset.state === "live" && details.open !== reported) {
      reported = details.open;
      pageEvents.send("check", { open: reported });
    }
  }

  details.addEventListener("toggle", report);
  new MutationObserver(report).observe(document.body, { attributeFilter: ["data-state"] });
  pageEvents.onReply("check", function (html) { document.getElementById("check-body").innerHTML = html; });
})();
