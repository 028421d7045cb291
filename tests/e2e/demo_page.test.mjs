// The demo vendor page (index.html, as scripts/demo.sh serves it) loads, the <trust-center> element
// gets an open shadow root with the widget inside, and the widget verifies the signed manifest.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

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
});
