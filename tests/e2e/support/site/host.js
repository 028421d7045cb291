// Test host page for the end-to-end specs: creates one <trust-center> element whose attributes come from
// the query string (?manifest=…&public-key=…&threshold=…&lang=…&theme=…&dev), then loads the real
// loader from /dist/. An external module (not an inline script) so that it also runs under a strict CSP.
const params = new URLSearchParams(window.location.search);
const element = document.createElement("trust-center");
for (const [name, value] of params) {
  element.setAttribute(name, value);
}
document.getElementById("host").append(element);
await import("/dist/trust-center.js");
