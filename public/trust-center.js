// <trust-center> custom element: the one script a vendor embeds.
//
//   <script type="module" src="https://cdn.example/trust-center/trust-center.js"></script>
//   <trust-center manifest="/.well-known/trust-center.json" public-key="BASE64…"></trust-center>
//
// Opens an open shadow root, injects the widget stylesheet (resolved next to this file) and hands
// the element to the Rust/wasm widget, which reads the attributes, verifies the signed manifest and
// renders inside the shadow root. No inline scripts or styles: works under a strict CSP
// (script-src 'self' 'wasm-unsafe-eval'; style-src 'self').
//
// So that nothing waits on anything it does not need, the loader starts three downloads at once:
// the wasm-bindgen glue, the wasm module (handed to the glue, which compiles it while it streams
// in) and the signed envelope named by the `manifest` attribute. The envelope's response is handed
// to the widget unread: the widget uses it only if it is exactly the request it would make itself,
// and applies the same status and size checks and the same signature verification to it.

const STYLESHEET_URL = new URL("./trust-center.css", import.meta.url).href;
const GLUE_URL = new URL("./trust_center_widget.js", import.meta.url).href;
const WASM_URL = new URL("./trust_center_widget_bg.wasm", import.meta.url).href;

let widgetModule = null;

/** Loads and initialises the wasm module once for every widget on the page. */
function loadWidget() {
  if (!widgetModule) {
    // The wasm download starts now, alongside the glue, instead of after the glue has loaded.
    const wasm = fetch(WASM_URL);
    wasm.catch(() => {}); // a failure surfaces through glue.default below
    widgetModule = import(GLUE_URL).then(async (glue) => {
      await glue.default({ module_or_path: wasm });
      return glue;
    });
  }
  return widgetModule;
}

/** Resolves when the stylesheet has loaded (or failed), so the skeleton does not flash unstyled. */
function stylesheetReady(link) {
  return new Promise((resolve) => {
    link.addEventListener("load", resolve, { once: true });
    link.addEventListener("error", resolve, { once: true });
  });
}

/**
 * Starts downloading the signed envelope named by the element's `manifest` attribute, exactly as
 * the widget would (`fetch(address, {cache: "no-cache"})`, resolved against the document base
 * URL), or returns null when the attribute is missing or not one address: the widget then reports
 * the problem itself. The response is not read here; the widget checks and verifies it.
 */
function prefetchEnvelope(element) {
  try {
    const manifest = (element.getAttribute("manifest") ?? "").trim();
    if (manifest === "" || /\s/.test(manifest)) {
      return null;
    }
    const baseUri = document.baseURI;
    const response = fetch(manifest, { cache: "no-cache" });
    response.catch(() => {}); // the widget reports a failed download in its own panel
    return { manifest, baseUri, response };
  } catch {
    return null; // e.g. a host page that broke String.prototype.trim: the widget fetches itself
  }
}

class TrustCenterElement extends HTMLElement {
  async connectedCallback() {
    if (this.shadowRoot) {
      return; // Already mounted (the element was moved in the DOM).
    }
    this.setAttribute("data-state", "loading");
    const root = this.attachShadow({ mode: "open" });
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = STYLESHEET_URL;
    root.appendChild(link);
    const styled = stylesheetReady(link);
    const widget = loadWidget();
    const prefetch = prefetchEnvelope(this);
    try {
      const [glue] = await Promise.all([widget, styled]);
      if (prefetch) {
        glue.mount_prefetched(this, root, prefetch.manifest, prefetch.baseUri, prefetch.response);
      } else {
        glue.mount(this, root);
      }
    } catch (error) {
      // The wasm bundle itself could not load: say so inside the element, never show claims.
      this.setAttribute("data-state", "error");
      this.setAttribute("data-error-code", "bundle_load_failed");
      const panel = document.createElement("div");
      panel.className = "tc-error";
      panel.setAttribute("role", "alert");
      const title = document.createElement("h2");
      title.className = "tc-error__title";
      title.textContent = "The trust center could not start";
      const detail = document.createElement("p");
      detail.className = "tc-error__detail";
      detail.textContent =
        "This browser could not load the verification component (" +
        String(error && error.message ? error.message : error) +
        "). No security claims are shown.";
      panel.append(title, detail);
      root.appendChild(panel);
    }
  }
}

if (!customElements.get("trust-center")) {
  customElements.define("trust-center", TrustCenterElement);
}
