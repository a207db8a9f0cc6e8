/* The page's packed files back to bytes, for the page (boot.js) and the worker (python.js,
 * snapshot.js) alike: gzip, and the gzip + base64 text of the file:// payloads
 * (pyodide/offline/*.js, or JSON data blocks in the single file) and of pyodide/jinja.js.
 * unpacking() -> {read, base64, gzip, payload}: each gives the bytes as a Uint8Array.
 * A function, so that on file:// the page can put its source into the worker's Blob.
 */
function unpacking() {
  "use strict";

  // A payload's value: its text, or from the single file the pieces of its JSON text.
  function read(payload) {
    return payload && payload.json ? JSON.parse(payload.json.join("")) : payload;
  }

  // Base64 text → bytes; the browser's own decoder where there is one.
  function base64(text) {
    if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  // gzip → a promise of the bytes, at offset 0 (Pyodide reads a snapshot's 32-bit words).
  // A Response, not a Blob: WebKit's blob worker on file:// cannot read Blobs.
  function gzip(bytes) {
    var stream = new Response(bytes).body.pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (buffer) { return new Uint8Array(buffer); });
  }

  // A payload of gzip + base64 → a promise of its bytes; rejected, saying the copy of `name`
  // is damaged, if it does not unpack.
  function payload(value, name) {
    var damaged = new Error("the copy of " + name + " in pyodide/offline is damaged");
    try {
      return gzip(base64(read(value))).catch(function () { throw damaged; });
    } catch (error) {
      return Promise.reject(damaged);
    }
  }

  return { read: read, base64: base64, gzip: gzip, payload: payload };
}
