// Hostile content: a manifest whose every free-text field carries an XSS payload (60 text payloads
// and 20 hostile addresses, tests/e2e/security/xss-payloads.mjs), genuinely signed with a real
// Ed25519 key, is rendered by the real widget in Chromium — on a plain page and on a page served
// with the issue's strict CSP, with and without the widget's `dev` mode. Nothing may execute
// (page hook `__xss`, dialogs, CSP violation events, page errors), no live markup may appear in the
// shadow root, every link must use an allowed scheme, and each payload must be shown as plain text.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { launchBrowser, newPage } from "./support/browser.mjs";
import { TrustCenterPage } from "./support/trust-center-page.mjs";
import {
  ISSUE_CSP,
  currentManifest,
  scanWidgetDom,
  startSecuritySite,
  watchForExecution,
} from "./security/support.mjs";
import { ALL_PAYLOADS, TEXT_PAYLOADS, URL_PAYLOADS } from "./security/xss-payloads.mjs";

/** Keys whose values are enumerations or dates the manifest parser checks: left as they are. */
const KEEP_KEYS = new Set(["status", "type", "edition", "kind", "access", "criteria", "nda_sha256", "category"]);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const URL_KEY = /(^|_)(url|website|security_contact)$/;

/** Replace every string in the manifest (except dates and enumerations) with a payload, cycling. */
export function hostileManifest() {
  const manifest = currentManifest();
  let textIndex = 0;
  let urlIndex = 0;
  const nextText = () => TEXT_PAYLOADS[textIndex++ % TEXT_PAYLOADS.length].text;
  const nextUrl = () => URL_PAYLOADS[urlIndex++ % URL_PAYLOADS.length].text;
  let replaced = 0;
  const walk = (value, key) => {
    if (Array.isArray(value)) return value.map((item) => walk(item, key));
    if (value && typeof value === "object") {
      for (const [name, inner] of Object.entries(value)) value[name] = walk(inner, name);
      return value;
    }
    if (typeof value !== "string" || KEEP_KEYS.has(key) || DATE.test(value)) return value;
    replaced += 1;
    return URL_KEY.test(key) ? nextUrl() : nextText();
  };
  walk(manifest, "");
  // Make sure every payload is rendered somewhere, whatever the demo manifest contains.
  manifest.not_claimed = TEXT_PAYLOADS.map((payload) => payload.text);
  manifest.subprocessors = [
    ...(manifest.subprocessors ?? []),
    ...ALL_PAYLOADS.map((payload, index) => ({
      name: TEXT_PAYLOADS[index % TEXT_PAYLOADS.length].text,
      purpose: payload.text,
      locations: [payload.text],
      url: URL_PAYLOADS[index % URL_PAYLOADS.length].text,
    })),
  ];
  manifest.faq = [
    ...(manifest.faq ?? []),
    ...TEXT_PAYLOADS.slice(0, 20).map((payload) => ({
      id: `xss-${payload.n}`,
      question: payload.text,
      answer: `${payload.text}\n\n${TEXT_PAYLOADS[(payload.n + 7) % TEXT_PAYLOADS.length].text}`,
    })),
  ];
  return { manifest, replaced };
}

describe("hostile manifest content renders as inert text", () => {
  let browser;
  const sites = {};
  let replacedFields = 0;
  before(async () => {
    browser = await launchBrowser();
    sites.plain = await startSecuritySite();
    sites.csp = await startSecuritySite({ headers: { "content-security-policy": ISSUE_CSP } });
    const { manifest, replaced } = hostileManifest();
    replacedFields = replaced;
    for (const site of Object.values(sites)) site.sign("hostile.json", manifest);
  });
  after(async () => {
    await browser?.close();
    for (const site of Object.values(sites)) await site.close();
  });

  it("the hostile manifest uses at least 50 payloads and replaces every free-text field", () => {
    assert.ok(TEXT_PAYLOADS.length >= 50, `${TEXT_PAYLOADS.length} text payloads`);
    assert.equal(new Set(ALL_PAYLOADS.map((payload) => payload.n)).size, ALL_PAYLOADS.length);
    assert.ok(replacedFields >= 40, `only ${replacedFields} string fields of the demo manifest were replaced`);
  });

  it("the detectors catch live markup when it does get in (control experiment)", async () => {
    for (const siteName of ["plain", "csp"]) {
      const site = sites[siteName];
      const { context, page } = await newPage(browser);
      try {
        const watch = await watchForExecution(page);
        const trustCenter = new TrustCenterPage(page, site.url);
        await trustCenter.openHost({ manifest: "/hostile.json", "public-key": site.key("vendor").publicKey });
        await trustCenter.waitForState("verified");
        // What a vulnerable widget would do: put manifest text into innerHTML.
        await page.evaluate(() => {
          const root = document.querySelector("trust-center").shadowRoot;
          root.querySelector("li").innerHTML = '<img src=x onerror="__xss(0)"><a href="javascript:__xss(0)">x</a>';
        });
        await page.waitForTimeout(300);
        const findings = await watch.findings();
        const caught = siteName === "csp" ? findings.violations.length : findings.hits.length;
        assert.ok(caught > 0, `${siteName}: the injected handler was not detected: ${JSON.stringify(findings)}`);
        const scan = await scanWidgetDom(page, { allowLoopbackHttp: false });
        assert.ok(scan.problems.some((problem) => problem.includes("onerror")), scan.problems.join("\n"));
        assert.ok(scan.problems.some((problem) => problem.includes("javascript:")), scan.problems.join("\n"));
      } finally {
        await context.close();
      }
    }
  });

  for (const siteName of ["plain", "csp"]) {
    for (const dev of [false, true]) {
      it(`${siteName} page${dev ? ", dev mode" : ""}: verified, nothing executes, links are safe`, async (t) => {
        const site = sites[siteName];
        const { context, page, problems } = await newPage(browser);
        // Every request the page makes: a payload that became markup would fetch its src/href.
        const requests = [];
        page.on("request", (request) => requests.push(request.url()));
        try {
          const watch = await watchForExecution(page);
          const trustCenter = new TrustCenterPage(page, site.url);
          const attributes = { manifest: "/hostile.json", "public-key": site.key("vendor").publicKey };
          if (dev) attributes.dev = "";
          await trustCenter.openHost(attributes);
          await trustCenter.waitForState("verified");

          // Exercise the interactive parts: open every FAQ answer, search with a payload, hover.
          const toggles = trustCenter.host.locator("button.tc-faq__toggle");
          const toggleCount = await toggles.count();
          for (let i = 0; i < Math.min(toggleCount, 40); i++) {
            await toggles.nth(i).click({ timeout: 2_000 }).catch(() => {});
          }
          const search = trustCenter.host.locator("input[type=search]").first();
          if (await search.count()) {
            await search.fill("<img src=x onerror=__xss(999)>");
            await search.fill("script");
          }
          await trustCenter.host.hover().catch(() => {});
          await page.waitForTimeout(1_000);

          const findings = await watch.findings();
          assert.deepEqual(findings.hits, [], `payloads executed: ${findings.hits.join(", ")}`);
          assert.deepEqual(findings.dialogs, [], "a payload opened a dialog");
          assert.deepEqual(findings.violations, [], "CSP violations (a payload reached live markup)");
          assert.deepEqual(findings.pageErrors, [], "page errors");

          const origin = new URL(site.url).origin;
          const foreign = requests.filter((url) => new URL(url).origin !== origin);
          assert.deepEqual(foreign, [], "requests outside the test site");
          const expected = ["/e2e/host.html", "/e2e/host.js", "/dist/", "/hostile.json"];
          const unexpected = requests.filter((url) => !expected.some((path) => new URL(url).pathname.startsWith(path)));
          assert.deepEqual(unexpected, [], "requests a payload could have caused");
          const cspConsole = problems.filter((problem) => /Content Security Policy|Refused to/i.test(problem));
          assert.deepEqual(cspConsole, [], "console CSP errors");

          const scan = await scanWidgetDom(page, { allowLoopbackHttp: dev });
          assert.deepEqual(scan.problems, [], "live markup or unsafe links in the widget");
          assert.ok(scan.elements > 200, `the page rendered (${scan.elements} elements)`);
          t.diagnostic(`${scan.elements} elements and ${scan.links} URL attributes checked; ${replacedFields} manifest strings replaced`);

          // Each text payload is visible as the literal text it is.
          const text = await trustCenter.shadowText();
          const missing = TEXT_PAYLOADS.filter((payload) => !text.includes(payload.text.replaceAll("\u0000", "\uFFFD")) && !text.includes(payload.text));
          assert.deepEqual(missing.map((payload) => payload.n), [], "payloads not shown as text");
        } finally {
          await context.close();
        }
      });
    }
  }
});
