/* The Language select in the header: the same network on the page of another language. The
 * network travels in the link's fragment, written as Copy link writes it (pageProtocol's
 * prefix, then the base64url of the saved state's JSON) from what the page keeps in storage
 * (saving.js), so an edit made a moment ago goes along, and from file:// too. It needs no
 * Python: it works while the page is still loading.
 */
(function () {
  "use strict";

  var select = document.getElementById("language");
  if (!select) return;

  function base64url(text) {
    var bytes = new TextEncoder().encode(text);
    var binary = "";
    for (var at = 0; at < bytes.length; at += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(at, at + 0x8000));
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // The link's fragment for this network: the stored one, else the link this page was opened with.
  function fragment() {
    var stored = globalThis.pageSaving && pageSaving.stored();
    if (stored) return pageProtocol.linkPrefix + base64url(stored);
    return location.hash.indexOf(pageProtocol.linkPrefix) === 0 ? location.hash : "";
  }

  select.addEventListener("change", function () {
    location.href = select.value + fragment();
  });
  select.disabled = false;
})();
