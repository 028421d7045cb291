// Hostile host pages, in real Chromium:
//  - aggressive global CSS (tests/e2e/security/site/hostile.css: `* { all: unset !important;
//    font-size: 40px !important; … }` and friends): the widget still verifies, its inherited text
//    settings match a neutral page, sizes differ at most by the page's root font-size ratio (rem),
//    and it stays interactive;
//  - overwritten built-ins (site/hostile-globals.js): JSON, Array/Object/String prototypes,
//    Object.defineProperty, WebCrypto, prototype pollution, dialogs — the widget still shows the real
//    signed content and nothing forged; a fetch that alters the manifest in transit is caught, also
//    when the page's crypto.subtle.verify says yes to everything (the widget checks signatures with
//    the Web Crypto of a fresh realm);
//  - a browser without Ed25519 in Web Crypto: the "no_web_crypto" error, never a verified page;
//  - the issue's strict CSP (`default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src
//    'self'`): verified, no `securitypolicyviolation` event, no console CSP error.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { launchBrowser, newPage } from "./support/browser.mjs";
import { TrustCenterPage } from "./support/trust-center-page.mjs";
import { ISSUE_CSP, currentManifest, startSecuritySite, watchForExecution } from "./security/support.mjs";

/** Inherited properties compared exactly (spacing lengths follow the font size, checked with it). */
const INHERITED = [
  "font-family", "color", "text-transform", "direction", "font-style",
  "font-weight", "text-align", "white-space", "text-indent", "text-shadow", "cursor", "visibility",
];
const SAMPLES = {
  host: null,
  title: ".tc-banner__title",
  lead: ".tc-banner__lead",
  button: ".tc-button",
  item: "li",
  link: "a",
  code: "code",
  faq: ".tc-faq__toggle",
};

/** Computed styles of the sample elements (and the root font size) on a verified page. */
async function sampleStyles(page) {
  return page.evaluate(
    ({ samples, inherited }) => {
      const host = document.querySelector("trust-center");
      const result = { rootFontSize: parseFloat(getComputedStyle(document.documentElement).fontSize), elements: {} };
      for (const [name, selector] of Object.entries(samples)) {
        const element = selector ? host.shadowRoot.querySelector(selector) : host;
        if (!element) continue;
        const style = getComputedStyle(element);
        const box = element.getBoundingClientRect();
        const length = (value) => (value === "normal" ? 0 : parseFloat(value));
        result.elements[name] = {
          letterSpacing: length(style.letterSpacing),
          wordSpacing: length(style.wordSpacing),
          ...Object.fromEntries(inherited.map((property) => [property, style.getPropertyValue(property)])),
          display: style.display,
          fontSize: parseFloat(style.fontSize),
          visible: box.width > 0 && box.height > 0,
        };
      }
      return result;
    },
    { samples: SAMPLES, inherited: INHERITED },
  );
}

describe("hostile host pages", () => {
  let browser;
  let site;
  let cspSite;
  before(async () => {
    browser = await launchBrowser();
    site = await startSecuritySite();
    cspSite = await startSecuritySite({ headers: { "content-security-policy": ISSUE_CSP } });
    for (const s of [site, cspSite]) s.sign("valid.json", currentManifest());
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await cspSite?.close();
  });

  const query = (s, extra = {}) =>
    new URLSearchParams({ manifest: "/valid.json", "public-key": s.key("vendor").publicKey, ...extra }).toString();

  it("aggressive global CSS does not restyle the widget", async (t) => {
    const { context, page } = await newPage(browser);
    try {
      const trustCenter = new TrustCenterPage(page, site.url);
      await trustCenter.goto(`/e2e/host.html?${query(site)}`);
      await trustCenter.waitForState("verified");
      const neutral = await sampleStyles(page);

      await trustCenter.goto(`/hostile-css.html?${query(site)}`);
      await trustCenter.waitForState("verified");
      const hostile = await sampleStyles(page);
      // The page really is hostile: its own heading is restyled.
      const pageHeading = await page.evaluate(() => getComputedStyle(document.querySelector("h1")).textTransform);
      assert.equal(pageHeading, "uppercase", "the hostile stylesheet did not load");

      const rootRatio = hostile.rootFontSize / neutral.rootFontSize;
      const differences = [];
      for (const [name, expected] of Object.entries(neutral.elements)) {
        const actual = hostile.elements[name];
        if (!actual) {
          differences.push(`${name}: missing on the hostile page`);
          continue;
        }
        for (const property of [...INHERITED, "display", "visible"]) {
          if (actual[property] !== expected[property]) {
            differences.push(`${name} ${property}: ${expected[property]} → ${actual[property]}`);
          }
        }
        // Sizes may only scale with the page's root font size (rem), never take the page's values.
        for (const property of ["fontSize", "letterSpacing", "wordSpacing"]) {
          if (expected[property] === 0 && actual[property] === 0) continue;
          const ratio = actual[property] / expected[property];
          if (Math.abs(ratio - 1) > 0.01 && Math.abs(ratio - rootRatio) > 0.01) {
            differences.push(`${name} ${property}: ${expected[property]}px → ${actual[property]}px`);
          }
        }
      }
      t.diagnostic(`${Object.keys(neutral.elements).length} elements × ${INHERITED.length + 5} properties compared; root font-size ratio ${rootRatio}`);
      assert.deepEqual(differences, [], "the page's CSS leaked into the widget");

      // Still usable: a FAQ answer opens on click despite `a, button { … }` rules on the page.
      const toggle = trustCenter.host.locator("button.tc-faq__toggle").first();
      await toggle.click();
      assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    } finally {
      await context.close();
    }
  });

  const DEFENDED = ["json", "array", "object", "defineProperty", "string", "crypto", "pollution", "alert"];
  for (const tweak of [...DEFENDED, DEFENDED.join(",")]) {
    it(`overwritten built-ins (${tweak}): the real signed content is shown, nothing forged`, async () => {
      const { context, page } = await newPage(browser);
      try {
        const watch = await watchForExecution(page);
        const trustCenter = new TrustCenterPage(page, site.url);
        await trustCenter.goto(`/hostile-globals.html?${query(site, { tweaks: tweak })}`);
        await trustCenter.waitForState("verified");
        const text = await trustCenter.shadowText();
        assert.match(text, /Verified: signed by Halyard Analytics/);
        assert.doesNotMatch(text, /FORGED BY HOST/);
        const findings = await watch.findings();
        assert.deepEqual(findings.hits, []);
        assert.deepEqual(findings.pageErrors, []);
      } finally {
        await context.close();
      }
    });
  }

  it("a fetch that alters the manifest in transit is caught by the signature", async () => {
    const { context, page } = await newPage(browser);
    try {
      const trustCenter = new TrustCenterPage(page, site.url);
      await trustCenter.goto(`/hostile-globals.html?${query(site, { tweaks: "fetch-tamper" })}`);
      const state = await trustCenter.waitForSettled();
      const calls = await page.evaluate(() => window.__tweakCalls);
      assert.ok(calls["fetch-tamper"] > 0, "the widget did not use the page's fetch (test did not run)");
      assert.equal(state, "error");
      assert.equal(await trustCenter.errorCode(), "bad_signature");
      assert.doesNotMatch(await trustCenter.shadowText(), /FORGED BY HOST/);
    } finally {
      await context.close();
    }
  });

  it("a page whose crypto.subtle.verify says yes to everything cannot pass off altered content", async () => {
    // The signatures are checked with the Web Crypto of a fresh realm (an about:blank frame), so
    // the page's replaced crypto.subtle.verify is never asked, and the altered manifest is refused.
    const { context, page } = await newPage(browser);
    try {
      const trustCenter = new TrustCenterPage(page, site.url);
      await trustCenter.goto(`/hostile-globals.html?${query(site, { tweaks: "crypto,fetch-tamper" })}`);
      const state = await trustCenter.waitForSettled();
      const calls = await page.evaluate(() => window.__tweakCalls);
      assert.ok(calls["fetch-tamper"] > 0, "the widget did not use the page's fetch (test did not run)");
      assert.equal(calls["crypto.subtle.verify"], undefined, "the widget asked the page's crypto.subtle");
      assert.equal(state, "error");
      assert.equal(await trustCenter.errorCode(), "bad_signature");
      assert.doesNotMatch(await trustCenter.shadowText(), /FORGED BY HOST|Verified: signed by/);
      // The frame is gone once the checks are done.
      assert.equal(await page.locator("iframe").count(), 0);
    } finally {
      await context.close();
    }
  });

  it("a browser without Ed25519 in Web Crypto gets a clear error, never a verified page", async () => {
    const { context, page } = await newPage(browser);
    try {
      // Every realm of the page (the widget's fresh frame too) refuses Ed25519 as a browser that
      // predates it does.
      await context.addInitScript(() => {
        const importKey = SubtleCrypto.prototype.importKey;
        SubtleCrypto.prototype.importKey = function (format, data, algorithm, ...rest) {
          const name = typeof algorithm === "string" ? algorithm : algorithm && algorithm.name;
          if (String(name).toLowerCase() === "ed25519") {
            return Promise.reject(new DOMException("Unrecognized name.", "NotSupportedError"));
          }
          return importKey.call(this, format, data, algorithm, ...rest);
        };
      });
      const trustCenter = new TrustCenterPage(page, site.url);
      await trustCenter.goto(`/hostile-globals.html?${query(site, { tweaks: "" })}`);
      assert.equal(await trustCenter.waitForSettled(), "error");
      assert.equal(await trustCenter.errorCode(), "no_web_crypto");
      const text = await trustCenter.shadowText();
      assert.match(text, /cannot be checked in this browser/);
      assert.match(text, /Nothing is shown as verified/);
      assert.doesNotMatch(text, /Verified: signed by/);
    } finally {
      await context.close();
    }
  });

  it("under the strict CSP of the issue: verified, no CSP violation", async () => {
    for (const path of ["/e2e/host.html", "/hostile-css.html", "/hostile-globals.html"]) {
      const { context, page, problems } = await newPage(browser);
      try {
        const response = await page.goto(new URL(`${path}?${query(cspSite, { tweaks: DEFENDED.join(",") })}`, cspSite.url).href);
        assert.equal(response.headers()["content-security-policy"], ISSUE_CSP);
        // watchForExecution's listener is installed after this first load; reload with it in place.
        const watch = await watchForExecution(page);
        await page.reload();
        const trustCenter = new TrustCenterPage(page, cspSite.url);
        await trustCenter.waitForState("verified");
        await page.waitForTimeout(300);
        const findings = await watch.findings();
        assert.deepEqual(findings.violations, [], `${path}: CSP violations`);
        const cspErrors = problems.filter((problem) => /Content Security Policy/i.test(problem));
        assert.deepEqual(cspErrors, [], `${path}: console CSP errors`);
        assert.ok(await trustCenter.hasVerifiedMark());
      } finally {
        await context.close();
      }
    }
  });
});
