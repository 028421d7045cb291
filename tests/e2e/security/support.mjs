// Shared helpers for the security end-to-end specs (tests/e2e/security_*.test.mjs).
//
// Each spec serves its own loopback site (in-process, scripts/static-server.mjs) so it can choose
// the exact headers (e.g. a Content-Security-Policy) and serve hostile host pages from
// tests/e2e/security/site/: the built bundle under /dist, the generic test host under /e2e, and
// envelopes signed at test time with a real Ed25519 key made by `trustctl keygen`.
//
// Execution detection (`watchForExecution`): every XSS payload calls `__xss(n)` or `alert(n)`.
// An init script (injected through the DevTools protocol, so no page CSP can block it) defines
// `window.__xss`, records `securitypolicyviolation` events (they are composed, so violations
// inside the shadow root reach the document) and the page's dialogs are recorded and dismissed.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { startStaticServer } from "../../../scripts/static-server.mjs";
import { signWithNode } from "../support/fixtures.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, "../../..");
export const DEMO_MANIFEST = JSON.parse(readFileSync(path.join(REPO_ROOT, "public/demo/manifest.json"), "utf8"));

/** The Content-Security-Policy the issue names, verbatim. */
export const ISSUE_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/** Today in the browser's local time zone as YYYY-MM-DD offset by `days` (the widget reads the local date). */
export function isoDay(days = 0) {
  const date = new Date();
  date.setDate(date.getDate() + days);
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function trustctlPath() {
  const value = process.env.E2E_TRUSTCTL || path.join(REPO_ROOT, "target/release/trustctl");
  return value;
}

/**
 * A temporary site: a directory for signed envelopes plus a running static server.
 * `headers` are added to every response (e.g. { "content-security-policy": ISSUE_CSP }).
 */
export async function startSecuritySite({ headers = {} } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "trust-center-security-"));
  const server = await startStaticServer({
    roots: [dir, path.join(HERE, "site")],
    mounts: { "/dist": path.join(REPO_ROOT, "dist"), "/e2e": path.join(REPO_ROOT, "tests/e2e/support/site") },
    headers,
  });
  const keys = new Map();
  return {
    dir,
    url: server.url,
    /** A fresh real Ed25519 key from `trustctl keygen`: { keyFile, publicKey }. */
    key(name) {
      if (!keys.has(name)) {
        const out = path.join(dir, "keys", name);
        execFileSync(trustctlPath(), ["keygen", "--out", out, "--force"], { stdio: "ignore" });
        keys.set(name, {
          keyFile: `${out}.key`,
          publicKey: readFileSync(`${out}.pub`, "utf8").trim(),
        });
      }
      return keys.get(name);
    },
    /** Sign `manifest` (object or exact text) with key `keyName`; returns the URL path of the envelope. */
    sign(fileName, manifest, keyName = "vendor") {
      const { keyFile, publicKey } = this.key(keyName);
      const text = typeof manifest === "string" ? manifest : JSON.stringify(manifest, null, 2);
      const envelope = signWithNode(Buffer.from(text, "utf8"), keyFile, publicKey);
      writeFileSync(path.join(dir, fileName), JSON.stringify(envelope));
      return `/${fileName}`;
    },
    /** Write a raw file into the site. */
    write(fileName, text) {
      writeFileSync(path.join(dir, fileName), text);
      return `/${fileName}`;
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The demo manifest with its dates moved around today, so it is current whenever the test runs. */
export function currentManifest(overrides = {}) {
  const manifest = structuredClone(DEMO_MANIFEST);
  manifest.issued_at = isoDay(-10);
  manifest.expires_at = isoDay(90);
  return Object.assign(manifest, overrides);
}

/**
 * Install the execution detectors on a page before anything loads. Returns `findings()`, which
 * resolves to { hits, dialogs, violations, pageErrors }.
 */
export async function watchForExecution(page) {
  const dialogs = [];
  const pageErrors = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss().catch(() => {});
  });
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.addInitScript(() => {
    const hits = [];
    const violations = [];
    Object.defineProperty(window, "__xssHits", { value: hits });
    Object.defineProperty(window, "__cspViolations", { value: violations });
    window.__xss = (n) => hits.push(String(n));
    document.addEventListener(
      "securitypolicyviolation",
      (event) => violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`),
      true,
    );
  });
  return {
    async findings() {
      // Primitive strings only: a hostile page may have broken the built-ins that serialising
      // objects back to Node would use.
      const read = (name) =>
        page.evaluate((global) => String(window[global] ? window[global].join("\u0001") : ""), name);
      const list = (text) => (text ? text.split("\u0001") : []);
      const hits = list(await read("__xssHits"));
      const violations = list(await read("__cspViolations"));
      return { hits, dialogs: [...dialogs], violations, pageErrors: [...pageErrors] };
    },
  };
}

/**
 * Inspect every element in the widget's shadow root (and the page's light DOM) for live markup
 * that manifest text could have produced. Returns a list of problems (empty = clean) and counts.
 * `allowLoopbackHttp` mirrors the widget's `dev` attribute.
 */
export async function scanWidgetDom(page, { allowLoopbackHttp }) {
  return page.evaluate((allowLoopback) => {
    const problems = [];
    const host = document.querySelector("trust-center");
    const root = host?.shadowRoot;
    if (!root) return { problems: ["no open shadow root"], links: 0, elements: 0 };
    const dangerousTags = new Set([
      "script", "iframe", "frame", "object", "embed", "base", "meta", "style", "template",
      "svg", "math", "applet", "portal", "noscript", "xss", "marquee", "video", "audio", "source",
    ]);
    const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "ping", "background", "cite"];
    const safeHref = (value) => {
      if (/^#[A-Za-z0-9_-]*$/.test(value)) return true;
      if (/^https:\/\/[^\s"'<>\\]+$/i.test(value)) return true;
      if (/^mailto:[^\s"'<>\\]+@[^\s"'<>\\]+$/i.test(value)) return true;
      if (allowLoopback && /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/[^\s"'<>\\]*)?$/i.test(value)) return true;
      return false;
    };
    let links = 0;
    const elements = [...root.querySelectorAll("*")];
    for (const element of elements) {
      const tag = element.localName;
      // The widget's own icons: <svg class="tc-icon"> holding only plain shapes.
      const icon = element.closest("svg");
      const iconShape = ["path", "circle", "rect", "line", "polyline", "polygon", "g"].includes(tag);
      const isIcon = icon?.classList.contains("tc-icon") && (element === icon || iconShape);
      if (icon && !isIcon) problems.push(`<${tag}> inside an <svg> that is not a widget icon`);
      if (dangerousTags.has(tag) && !isIcon) problems.push(`<${tag}> element in the shadow root`);
      if (tag === "link" && !(element.rel === "stylesheet" && element.getAttribute("href")?.endsWith("/trust-center.css"))) {
        problems.push(`unexpected <link ${element.outerHTML}>`);
      }
      for (const attribute of element.attributes) {
        const name = attribute.name.toLowerCase();
        if (name.startsWith("on")) problems.push(`event handler attribute ${name} on <${tag}>`);
        if (name === "style") problems.push(`inline style attribute on <${tag}>: ${attribute.value.slice(0, 80)}`);
        if (name === "srcdoc") problems.push(`srcdoc on <${tag}>`);
        if (urlAttributes.includes(name)) {
          if (tag === "link" && name === "href") continue;
          links += 1;
          if (!safeHref(attribute.value)) problems.push(`${name}="${attribute.value.slice(0, 120)}" on <${tag}>`);
        }
      }
      if (tag === "a" && element.target === "_blank" && !/noopener/.test(element.rel)) {
        problems.push(`target=_blank link without rel=noopener: ${element.href}`);
      }
    }
    // Nothing may leak into the page around the widget.
    for (const element of document.querySelectorAll("script, iframe, object, embed, img[onerror], svg")) {
      if (element.localName === "script" && element.src && new URL(element.src).origin === location.origin) continue;
      problems.push(`<${element.localName}> in the host page: ${element.outerHTML.slice(0, 120)}`);
    }
    return { problems, links, elements: elements.length };
  }, allowLoopbackHttp);
}
