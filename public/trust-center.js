// <trust-center> custom element: the one script a vendor embeds.
//
//   <script type="module" src="https://cdn.example/trust-center/trust-center.js"></script>
//   <trust-center manifest="/.well-known/trust-center.json" public-key="BASE64…"></trust-center>
//
// Opens an open shadow root, injects the widget stylesheet (resolved next to this file) and hands
// the element to the Rust/wasm widget, which reads the attributes, fetches and verifies the signed
// manifest and renders inside the shadow root. No inline scripts or styles: works under a strict CSP
// (script-src 'self' 'wasm-unsafe-eval'; style-src 'self').

const STYLESHEET_URL = new URL("./trust-center.css", import.meta.url).href;
const GLUE_URL = new URL("./trust_center_widget.js", import.meta.url).href;

let widgetModule = null;

/** Loads and initialises the wasm module once for every widget on the page. */
function loadWidget() {
  if (!widgetModule) {
    widgetModule = import(GLUE_URL).then(async (glue) => {
      await glue.default();
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
    try {
      const [glue] = await Promise.all([loadWidget(), styled]);
      glue.mount(this, root);
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
