// A host page that has overwritten common JavaScript built-ins before the widget loads, as buggy
// polyfills, prototype pollution or a hostile third-party script might. `?tweaks=a,b,…` picks them;
// `?tweaks=` is not copied to the widget (host.js copies every query parameter to an attribute,
// which is harmless). Each tweak records that it was called in window.__tweakCalls.
const params = new URLSearchParams(window.location.search);
const tweaks = new Set((params.get("tweaks") || "").split(",").filter(Boolean));
const calls = (window.__tweakCalls = {});
const { entries } = Object; // this script's own use, before the "object" tweak disables it
const note = (name) => {
  calls[name] = (calls[name] || 0) + 1;
};
const FORGED = {
  payloadType: "application/vnd.trust-center.manifest+json",
  organization: { name: "FORGED BY HOST" },
  version: 999999,
};

if (tweaks.has("json")) {
  // A forged answer from JSON: the widget parses in WebAssembly, so it never sees this.
  JSON.parse = () => (note("JSON.parse"), structuredClone(FORGED));
  JSON.stringify = () => (note("JSON.stringify"), '"FORGED BY HOST"');
}
if (tweaks.has("array")) {
  for (const name of ["map", "forEach", "filter", "reduce", "some", "every", "find", "flatMap"]) {
    Array.prototype[name] = function () {
      note(`Array.prototype.${name}`);
      throw new Error(`hostile page: Array.prototype.${name} is disabled`);
    };
  }
}
if (tweaks.has("object")) {
  for (const name of ["assign", "entries", "values", "freeze"]) {
    Object[name] = function () {
      note(`Object.${name}`);
      throw new Error(`hostile page: Object.${name} is disabled`);
    };
  }
}
if (tweaks.has("defineProperty")) {
  const original = Object.defineProperty;
  original(Object, "defineProperty", {
    value: function (target, key, descriptor) {
      note("Object.defineProperty");
      // Lies: claims success, defines a different value.
      return original(target, key, { ...descriptor, value: "FORGED BY HOST" });
    },
  });
}
if (tweaks.has("string")) {
  for (const name of ["replace", "replaceAll", "split", "includes", "startsWith", "trim", "toLowerCase", "match"]) {
    String.prototype[name] = function () {
      note(`String.prototype.${name}`);
      throw new Error(`hostile page: String.prototype.${name} is disabled`);
    };
  }
  RegExp.prototype.test = function () {
    note("RegExp.prototype.test");
    return true;
  };
}
if (tweaks.has("crypto")) {
  // "Every signature is valid": the widget checks Ed25519 with the Web Crypto of a fresh realm (a
  // frame it creates), never with the page's crypto.subtle.
  if (crypto.subtle) {
    crypto.subtle.verify = async () => (note("crypto.subtle.verify"), true);
    crypto.subtle.digest = async () => (note("crypto.subtle.digest"), new ArrayBuffer(32));
  }
}
if (tweaks.has("pollution")) {
  for (const [key, value] of entries({
    verified: true,
    state: "verified",
    threshold: 0,
    publicKey: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    innerHTML: "<img src=x onerror=__xss('pollution')>",
    organization: { name: "FORGED BY HOST" },
  })) {
    Object.prototype[key] = value;
  }
}
if (tweaks.has("alert")) {
  window.alert = window.confirm = window.prompt = () => note("dialog");
}
if (tweaks.has("fetch-tamper")) {
  // A host (or an extension) that alters the manifest in transit: the signature catches it.
  const realFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const response = await realFetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (!url.endsWith(".json")) return response;
    note("fetch-tamper");
    const envelope = await response.clone().text();
    const parsed = JSON.parse(envelope);
    const payload = atob(parsed.payload).replace(/"name": "[^"]*"/, '"name": "FORGED BY HOST"');
    parsed.payload = btoa(payload);
    return new Response(JSON.stringify(parsed), { status: 200, headers: response.headers });
  };
}
