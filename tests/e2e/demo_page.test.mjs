// The demo vendor page (index.html, as scripts/demo.sh serves it) loads, the <trust-center> element
// gets an open shadow root with the widget inside, and the widget verifies the signed manifest.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { launchBrowser, newPage } from "./support/browser.mjs";
import { e2eEnv } from "./support/env.mjs";
import { TrustCenterPage } from "./support/trust-center-page.mjs";

describe("demo page", () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it("mounts the widget in an open shadow root and reaches the verified state", async () => {
    const { baseUrl } = e2eEnv();
    const { context, page, problems } = await newPage(browser);
    try {
      const trustCenter = new TrustCenterPage(page, baseUrl);
      await trustCenter.goto("/");

      assert.equal(await trustCenter.host.count(), 1, "the demo page has one <trust-center> element");
      await trustCenter.waitForState("verified");
      assert.equal(await trustCenter.shadowRootMode(), "open", "the widget renders into an open shadow root");
      assert.ok((await trustCenter.shadowChildCount()) > 5, "the shadow root holds the rendered widget");
      assert.ok(await trustCenter.hasVerifiedMark(), 'performance.mark("trust-center:verified") was recorded');
      assert.deepEqual(problems, [], "no console errors or failed requests");
    } finally {
      await context.close();
    }
  });

  it("also reaches the verified state under a strict Content-Security-Policy", async () => {
    const { cspBaseUrl } = e2eEnv();
    const { context, page, problems } = await newPage(browser);
    try {
      const response = await page.goto(cspBaseUrl);
      assert.match(response.headers()["content-security-policy"] ?? "", /script-src 'self' 'wasm-unsafe-eval'/);
      const trustCenter = new TrustCenterPage(page, cspBaseUrl);
      await trustCenter.waitForState("verified");
      assert.equal(await trustCenter.shadowRootMode(), "open");
      assert.deepEqual(problems.filter((p) => /Content Security Policy/i.test(p)), [], "no CSP violations");
    } finally {
      await context.close();
    }
  });

  // The README's screenshots come from here. They are written to docs/screenshots/ when
  // UPDATE_SCREENSHOTS=1 (e.g. `UPDATE_SCREENSHOTS=1 scripts/test.sh e2e`), otherwise to a temp dir.
  for (const [name, viewport, shotHeight] of [
    ["desktop", { width: 1280, height: 900 }, 1700],
    ["phone", { width: 390, height: 844 }, 2400],
  ]) {
    it(`renders the verified page at ${name} width without sideways scrolling, and screenshots it`, async () => {
      const { baseUrl } = e2eEnv();
      const { context, page, problems } = await newPage(browser, { viewport, deviceScaleFactor: 1 });
      try {
        const trustCenter = new TrustCenterPage(page, baseUrl);
        await trustCenter.goto("/");
        await trustCenter.waitForState("verified");
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at ${viewport.width}px`);
        const folder = process.env.UPDATE_SCREENSHOTS
          ? join(dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "screenshots")
          : mkdtempSync(join(tmpdir(), "trust-center-screens-"));
        const file = join(folder, `${name}.png`);
        // The top of the page (hero, banner, status cards) is what the README shows.
        await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width: viewport.width, height: shotHeight } });
        const png = readFileSync(file);
        assert.equal(png.subarray(1, 4).toString("latin1"), "PNG", "the screenshot is a PNG");
        assert.ok(png.length > 20_000, "the screenshot shows a rendered page, not a blank one");
        assert.deepEqual(problems, [], "no console errors or failed requests");
      } finally {
        await context.close();
      }
    });
  }
});
