/* Test page for tests/test_snapshot.py: starts worker.js with the snapshot named in the
 * query (?snapshot=FILE, or none) and leaves the worker's answer as JSON in body[data-result]. */
(function () {
  "use strict";
  var worker = new Worker("worker.js");
  worker.onmessage = function (event) { document.body.dataset.result = JSON.stringify(event.data); };
  worker.onerror = function (event) { document.body.dataset.result = JSON.stringify({ error: event.message }); };
  worker.postMessage({ snapshot: new URLSearchParams(location.search).get("snapshot") });
})();
