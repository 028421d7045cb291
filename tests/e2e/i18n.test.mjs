// The widget in four languages (issue 19), in real Chromium against the built bundle and its
// language files (dist/trust-center.<lang>.json):
//  - the `lang` attribute chooses the language, and changing it at run time re-renders in the
//    new one; a region variant uses its base language (`es-419` → Spanish) and keeps its tag;
//  - without the attribute, the host page's <html lang> decides, and changing it re-renders;
//  - the language file is requested with the envelope, while the wasm still downloads, and an
//    English page requests none;
//  - a language file that cannot be loaded leaves a working English page marked `lang="en"`;
//  - axe-core finds no violation in any language.
// With UPDATE_SCREENSHOTS=1 the German page is written to docs/screenshots/desktop-de.png (README).

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { axeViolations, formatViolations } from "./support/axe.mjs";
import { launchBrowser, newPage } from "./support/browser.mjs";
import { addWidget, currentManifest, startElementSite, waitForState } from "./element/support.mjs";

/** Words only the verified page in each language shows (its overview heading). */
const HEADINGS = {
  en: "Reports and certifications",
  de: "Berichte und Zertifizierungen",
  fr: "Rapports et certifications",
  es: "Informes y certificaciones",
};

/** The root's lang and the overview heading of #tc once verified. */
async function shown(page) {
  await waitForState(page, "verified");
  return page.evaluate(() => {
    const root = document.getElementById("tc").shadowRoot;
    return {
      lang: root.querySelector(".tc-root")?.getAttribute("lang"),
      heading: root.querySelector("#tc-overview-title")?.textContent,
      text: root.querySelector(".tc-root")?.textContent ?? "",
    };
  });
}

describe("languages", () => {
  let browser;
  let site;
  before(async () => {
    browser = await launchBrowser();
    site = await startElementSite();
    site.sign("demo.json", currentManifest());
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  async function open(attributes = {}, { htmlLang, route } = {}) {
    const { context, page, problems } = await newPage(browser, { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const requests = [];
    page.on("request", (request) => requests.push({ url: request.url(), at: Date.now() }));
    page.on("requestfinished", (request) => requests.push({ url: request.url(), finished: Date.now() }));
    if (route) await route(page);
    await page.goto(new URL("/blank.html", site.url).href);
    if (htmlLang !== undefined) await page.evaluate((lang) => document.documentElement.setAttribute("lang", lang), htmlLang);
    await addWidget(page, { manifest: "/demo.json", "public-key": site.key().publicKey, ...attributes });
    return { context, page, problems, requests };
  }

  it("the lang attribute chooses the language, and a change re-renders in the new one", async () => {
    const { context, page, problems } = await open({ lang: "de" });
    assert.deepEqual(
      { lang: (await shown(page)).lang, heading: (await shown(page)).heading },
      { lang: "de", heading: HEADINGS.de },
    );
    for (const [value, lang, heading] of [
      ["fr", "fr", HEADINGS.fr],
      ["es-419", "es-419", HEADINGS.es],
      ["en-GB", "en-GB", HEADINGS.en],
      ["de-CH", "de-CH", HEADINGS.de],
    ]) {
      await page.evaluate((value) => document.getElementById("tc").setAttribute("lang", value), value);
      const now = await shown(page);
      assert.equal(now.lang, lang, value);
      assert.equal(now.heading, heading, value);
    }
    const german = await shown(page);
    assert.match(german.text, /28|Zertifikat nach ISO\/IEC 27001/);
    assert.doesNotMatch(german.text, /Reports and certifications|Subprocessors:/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it("without the attribute the host page's <html lang> decides, also when it changes", async () => {
    const { context, page, problems } = await open({}, { htmlLang: "de-CH" });
    let now = await shown(page);
    assert.deepEqual({ lang: now.lang, heading: now.heading }, { lang: "de-CH", heading: HEADINGS.de });
    await page.evaluate(() => document.documentElement.setAttribute("lang", "fr"));
    await page.waitForFunction(
      () => document.getElementById("tc").shadowRoot.querySelector(".tc-root")?.getAttribute("lang") === "fr",
    );
    now = await shown(page);
    assert.equal(now.heading, HEADINGS.fr);
    // An element's own attribute wins over the page's language.
    await page.evaluate(() => document.getElementById("tc").setAttribute("lang", "es"));
    await page.waitForFunction(
      () => document.getElementById("tc").shadowRoot.querySelector(".tc-root")?.getAttribute("lang") === "es",
    );
    assert.equal((await shown(page)).heading, HEADINGS.es);
    // An unsupported page language falls through to the browser's (English here).
    await page.evaluate(() => {
      document.getElementById("tc").removeAttribute("lang");
      document.documentElement.setAttribute("lang", "it");
    });
    await page.waitForFunction(
      () => document.getElementById("tc").shadowRoot.querySelector(".tc-root")?.getAttribute("lang")?.startsWith("en"),
    );
    assert.equal((await shown(page)).heading, HEADINGS.en);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it("fetches the language file with the envelope, while the wasm is still downloading; English fetches none", async () => {
    const { context, page, requests } = await open({ lang: "fr" });
    await shown(page);
    const started = (part) => requests.find((r) => r.at && r.url.includes(part))?.at;
    const finished = (part) => requests.find((r) => r.finished && r.url.includes(part))?.finished;
    assert.ok(started("trust-center.fr.json"), "the French file was requested");
    assert.ok(
      started("trust-center.fr.json") <= finished("_bg.wasm"),
      "the language file was requested before the wasm had arrived (no extra round trip)",
    );
    assert.ok(Math.abs(started("trust-center.fr.json") - started("/demo.json")) < 1000, "requested together with the envelope");
    assert.equal(requests.filter((r) => r.at && /trust-center\.\w\w\.json/.test(r.url)).length, 1);
    await context.close();

    const english = await open({ lang: "en" });
    await shown(english.page);
    assert.deepEqual(english.requests.filter((r) => /trust-center\.\w\w\.json/.test(r.url)), []);
    await english.context.close();
  });

  it("a language file that cannot be loaded leaves a verified English page marked en", async () => {
    const { context, page } = await open(
      { lang: "de" },
      { route: (page) => page.route("**/trust-center.de.json", (route) => route.fulfill({ status: 404, body: "" })) },
    );
    const now = await shown(page);
    assert.deepEqual({ lang: now.lang, heading: now.heading }, { lang: "en", heading: HEADINGS.en });
    await context.close();
  });

  for (const lang of ["en", "de", "fr", "es"]) {
    it(`axe-core finds no violations in ${lang}`, async () => {
      const { context, page } = await open({ lang });
      await shown(page);
      // Open the NDA form too, so its fields and messages are checked in this language.
      await page.evaluate(() => {
        const button = [...document.getElementById("tc").shadowRoot.querySelectorAll("button")].find((b) =>
          b.closest(".tc-framework"),
        );
        button?.click();
      });
      await page.waitForTimeout(200);
      const violations = await axeViolations(page, { minimumImpact: "minor" });
      assert.deepEqual(violations, [], formatViolations(violations));
      if (lang === "de") {
        const folder = process.env.UPDATE_SCREENSHOTS
          ? join(dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "screenshots")
          : mkdtempSync(join(tmpdir(), "trust-center-screens-"));
        const file = join(folder, "desktop-de.png");
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1700 } });
        assert.ok(readFileSync(file).length > 10_000);
      }
      await context.close();
    });
  }
});
