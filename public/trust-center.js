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
//
// The page's language is the first of these whose base language the widget has (en, de, fr, es;
// `de-CH` → German): the element's `lang` attribute, the host page's `<html lang>`, the browser's
// `navigator.languages`; else English. English is built in; for another language the loader
// downloads its file (trust-center.<lang>.json, next to this script) at the same moment as the
// rest, once per page. If that file cannot be loaded the page is shown in English, marked `en`.
// A change of the element's `lang`, of the host page's `<html lang>` (for elements without their
// own) or of the browser's languages re-renders in the new language.
//
// The element behaves like a native one: a change to any attribute the widget reads re-runs the
// whole verification (the old claims disappear at once); removing it from the document destroys
// the widget (its Yew app, listeners and pending download) and inserting it again mounts afresh.
// Hosts can listen for `trust-center:verified` and `trust-center:error` events on the element.

const STYLESHEET_URL = new URL("./trust-center.css", import.meta.url).href;
const GLUE_URL = new URL("./trust_center_widget.js", import.meta.url).href;
const WASM_URL = new URL("./trust_center_widget_bg.wasm", import.meta.url).href;

let widgetModule = null;

/** The languages with a file next to this script (English is built into the wasm). */
const LANGUAGE_FILES = ["de", "fr", "es"];

/**
 * The language tag for `element`: the first of its `lang` attribute, the document's `<html lang>`
 * and `navigator.languages` whose base language the widget has, else "en". A host page that broke
 * the string built-ins this needs gets English (the verification does not depend on it).
 */
function resolveLanguage(element) {
  try {
    return findLanguage(element);
  } catch {
    return { tag: "en", base: "en" };
  }
}

function findLanguage(element) {
  const candidates = [
    element.getAttribute("lang"),
    document.documentElement.getAttribute("lang"),
    ...(navigator.languages ?? [navigator.language]),
  ];
  for (const candidate of candidates) {
    const tag = (candidate ?? "").trim();
    const base = tag.split(/[-_]/)[0].toLowerCase();
    if (base === "en" || LANGUAGE_FILES.includes(base)) {
      return { tag, base };
    }
  }
  return { tag: "en", base: "en" };
}

/** Each language file's text (null if it could not be loaded), downloaded once per page. */
const languageFiles = new Map();

function languageFile(base) {
  if (base === "en") {
    return Promise.resolve(undefined);
  }
  try {
    if (!languageFiles.has(base)) {
      const url = new URL(`./trust-center.${base}.json`, import.meta.url).href;
      languageFiles.set(
        base,
        fetch(url)
          .then((response) => (response.ok ? response.text() : undefined))
          .catch(() => undefined), // the page stays English
      );
    }
    return languageFiles.get(base);
  } catch {
    return Promise.resolve(undefined); // a host page that broke fetch or Map: English
  }
}

/** Connected elements → their re-render check, run when `<html lang>` or the browser's languages change. */
const liveElements = new Map();
let languageWatch = false;

function watchLanguage() {
  if (languageWatch) {
    return;
  }
  languageWatch = true;
  const relanguage = () => {
    for (const check of liveElements.values()) {
      check();
    }
  };
  try {
    new MutationObserver(relanguage).observe(document.documentElement, {
      attributes: true,
      attributeFilter: ["lang"],
    });
    addEventListener("languagechange", relanguage);
  } catch {
    // no MutationObserver: the language is read at each mount only
  }
}

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

/** Resolves to the stylesheet that sets --tc-font-scale, or null when the visitor's setting is 16px. */
let fontScaleSheet;

/**
 * The visitor's browser font-size setting, as a factor of the usual 16px: the widget's sizes are
 * multiples of `--tc-font-size` (16px by default) and not of the host page's root font size, so
 * that `html { font-size: 62.5% }` does not shrink it; the browser's own setting still scales it.
 * `medium` is that setting whatever the page does; it is measured once, inside the shadow root.
 */
function fontScale(root) {
  if (fontScaleSheet === undefined) {
    fontScaleSheet = null;
    try {
      const probe = document.createElement("span");
      probe.className = "tc-font-probe";
      root.appendChild(probe);
      const style = getComputedStyle(probe);
      // Only meaningful once the widget's stylesheet applies to the probe.
      const medium = style.visibility === "hidden" ? parseFloat(style.fontSize) : 16;
      probe.remove();
      if (medium > 0 && medium !== 16 && "adoptedStyleSheets" in root) {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(`:host{--tc-font-scale:${medium / 16}}`);
        fontScaleSheet = sheet;
      }
    } catch {
      fontScaleSheet = null; // an old browser: 16px it is
    }
  }
  return fontScaleSheet;
}

/**
 * Starts downloading the signed envelope named by the element's `manifest` attribute, exactly as
 * the widget would (`fetch(address, {cache: "no-cache"})`, resolved against the document base
 * URL), or returns null when the attribute is missing or not one address: the widget then reports
 * the problem itself. The response is not read here; the widget checks and verifies it. `signal`
 * aborts the download when the element is unmounted or its attributes change.
 */
function prefetchEnvelope(element, signal) {
  try {
    const manifest = (element.getAttribute("manifest") ?? "").trim();
    if (manifest === "" || /\s/.test(manifest)) {
      return null;
    }
    const baseUri = document.baseURI;
    const response = fetch(manifest, { cache: "no-cache", signal });
    response.catch(() => {}); // the widget reports a failed download in its own panel
    return { manifest, baseUri, response };
  } catch {
    return null; // e.g. a host page that broke String.prototype.trim: the widget fetches itself
  }
}

/**
 * Every attribute the widget reads. A change to any of them unmounts the widget at once (its claims
 * disappear, `data-state` is `loading`) and verifies again under the new values.
 */
const OBSERVED_ATTRIBUTES = ["manifest", "public-key", "threshold", "lang", "theme", "dev"];

class TrustCenterElement extends HTMLElement {
  static get observedAttributes() {
    return OBSERVED_ATTRIBUTES;
  }

  /** The mounted wasm widget (a MountedWidget), or null. */
  #widget = null;
  /** Aborts the envelope download of the current mount. */
  #abort = null;
  /** Counts mounts and unmounts: a mount that finishes loading after a newer one started gives up. */
  #generation = 0;
  /** Resolves once the shadow root's stylesheet has loaded (or failed). */
  #styled = null;
  /** Whether a mount is in place or under way (connected and not stopped). */
  #active = false;
  /** Whether a remount is already queued for this task's attribute changes. */
  #remountQueued = false;
  /** The language tag of the current mount. */
  #lang = null;

  connectedCallback() {
    liveElements.set(this, () => this.#relanguage());
    watchLanguage();
    this.#start();
  }

  disconnectedCallback() {
    liveElements.delete(this);
    this.#stop();
  }

  /** The host page's or the browser's language changed: re-render if this element's changes. */
  #relanguage() {
    if (this.#active && resolveLanguage(this).tag !== this.#lang) {
      this.#remount();
    }
  }

  attributeChangedCallback(_name, oldValue, newValue) {
    if (oldValue === newValue || !this.#active) {
      return; // the initial attributes, read by the first mount anyway
    }
    this.#remount();
  }

  /** Unmounts at once and mounts again in a microtask (one remount for several changes). */
  #remount() {
    // The claims verified under the old values go now, not when the new verification settles.
    this.#stop();
    this.setAttribute("data-state", "loading");
    this.removeAttribute("data-error-code");
    // Several attributes set one after another (a framework updating props) give one remount.
    if (!this.#remountQueued) {
      this.#remountQueued = true;
      queueMicrotask(() => {
        this.#remountQueued = false;
        if (this.isConnected && !this.#active) {
          this.#start();
        }
      });
    }
  }

  /** Mounts a fresh widget for the current attributes. */
  async #start() {
    this.#stop();
    this.#active = true;
    const generation = this.#generation;
    this.setAttribute("data-state", "loading");
    this.removeAttribute("data-error-code");
    const root = this.shadowRoot ?? this.#createShadowRoot();
    const abort = new AbortController();
    this.#abort = abort;
    const widget = loadWidget();
    const prefetch = prefetchEnvelope(this, abort.signal);
    const language = resolveLanguage(this);
    this.#lang = language.tag;
    const messages = languageFile(language.base);
    try {
      const [glue, , text] = await Promise.all([widget, this.#styled, messages]);
      if (generation !== this.#generation) {
        return; // unmounted, or its attributes changed, while the bundle loaded
      }
      const scale = fontScale(root);
      if (scale && !root.adoptedStyleSheets.includes(scale)) {
        root.adoptedStyleSheets = [...root.adoptedStyleSheets, scale];
      }
      this.#widget = glue.mount_prefetched(
        this,
        root,
        prefetch?.manifest ?? "",
        prefetch?.baseUri ?? "",
        prefetch?.response,
        language.tag,
        text,
      );
    } catch (error) {
      if (generation === this.#generation) {
        this.#showBundleError(root, error);
      }
    }
  }

  /** Unmounts: destroys the widget, aborts its download, removes what it rendered. */
  #stop() {
    this.#generation += 1;
    this.#active = false;
    if (this.#abort) {
      this.#abort.abort();
      this.#abort = null;
    }
    const widget = this.#widget;
    this.#widget = null;
    if (widget) {
      widget.destroy();
      widget.free();
    }
    for (const panel of this.shadowRoot?.querySelectorAll(".tc-bundle-error") ?? []) {
      panel.remove();
    }
  }

  #createShadowRoot() {
    const root = this.attachShadow({ mode: "open" });
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = STYLESHEET_URL;
    root.appendChild(link);
    this.#styled = stylesheetReady(link);
    return root;
  }

  /** The wasm bundle itself could not load: say so inside the element, never show claims. */
  #showBundleError(root, error) {
    this.setAttribute("data-state", "error");
    this.setAttribute("data-error-code", "bundle_load_failed");
    const panel = document.createElement("div");
    panel.className = "tc-error tc-bundle-error";
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
    this.dispatchEvent(
      new CustomEvent("trust-center:error", {
        bubbles: true,
        composed: true,
        detail: { code: "bundle_load_failed", message: title.textContent },
      }),
    );
  }
}

if (!customElements.get("trust-center")) {
  customElements.define("trust-center", TrustCenterElement);
}
