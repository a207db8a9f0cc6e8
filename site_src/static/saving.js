/* Local storage, links and files: what keeps a network and brings it back. Python (in the
 * worker) parses and checks; this only reads and writes where the page can.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "neural-network-demonstration/state";
  var TEXT = { noStorage: "This browser does not let the page keep your work: it will be gone when the page closes. " +
                            "Copy link or Export keep it." };
  var refusedWrite = false;

  function isLink() {
    return location.hash.indexOf(pageProtocol.linkPrefix) === 0;
  }

  function forgetLink() {
    history.replaceState(null, "", location.pathname + location.search);
  }

  // Into local storage; a link left in the address bar would bring back an older network.
  function save(text) {
    if (isLink()) forgetLink();
    try {
      localStorage.setItem(storageKey(), text);
    } catch (error) { // storage off or full: the page works on without it, and says so once
      if (!refusedWrite) pageEvents.show("notice", { text: TEXT.noStorage, error: true });
      refusedWrite = true;
    }
  }

  // A lesson page (built for its own network) keeps its work apart from the main page's.
  function storageKey() {
    var text = starting();
    if (!text) return STORAGE_KEY;
    var hash = 5381;
    for (var i = 0; i < text.length; i++) hash = (hash * 33 + text.charCodeAt(i)) >>> 0;
    return STORAGE_KEY + "/" + hash.toString(36);
  }

  // The network this page was built for, if not the seed: its Reset goes back to it.
  function starting() {
    var block = document.getElementById("starting-state");
    return block ? block.textContent : null;
  }

  function stored() {
    try {
      return localStorage.getItem(storageKey());
    } catch (error) {
      return null;
    }
  }

  function copyLink(fragment) {
    history.replaceState(null, "", "#" + fragment);
    var say = function (text) { pageEvents.show("share", text); };
    var fallback = function () { say("The link is in the address bar: copy it from there."); };
    try {
      navigator.clipboard.writeText(location.href).then(function () {
        say("Link copied: it opens this exact network.");
      }, fallback);
    } catch (error) {
      fallback();
    }
  }

  function download(file) {
    var url = URL.createObjectURL(new Blob([file.text], { type: file.type || "application/json" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = file.name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function importFile(file, maxFileBytes) {
    if (file.size > maxFileBytes) {
      pageEvents.send("tooLarge", { name: file.name, size: file.size });
      return;
    }
    pageEvents.show("share", "Reading " + file.name + "…");
    file.text().then(function (text) { pageEvents.send("import", { name: file.name, text: text }); });
  }

  pageEvents.onReply("save", save);
  pageEvents.onReply("forgetLink", forgetLink);
  pageEvents.onReply("link", copyLink);
  pageEvents.onReply("download", download);
  globalThis.pageSaving = { stored: stored, starting: starting, importFile: importFile };
})();
