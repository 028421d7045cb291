// Every signed fixture produces the outcome it should: the valid envelope verifies; each broken one
// (tampered, wrong key, expired, malformed, too large, 404, unreachable, …) ends in the error state
// with a matching data-error-code, never in "verified", and with none of the manifest's claims shown.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { launchBrowser, newPage } from "./support/browser.mjs";
import { e2eEnv } from "./support/env.mjs";
import { TrustCenterPage } from "./support/trust-center-page.mjs";

describe("verification outcomes for signed fixtures", () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  const { fixtures, publicKey, organization } = e2eEnv().fixtures;
  for (const [name, fixture] of Object.entries(fixtures)) {
    it(`${name} (${fixture.description}) → ${fixture.expect}`, async () => {
      const { baseUrl } = e2eEnv();
      const { context, page } = await newPage(browser);
      try {
        const trustCenter = new TrustCenterPage(page, baseUrl);
        await trustCenter.openHost({ manifest: fixture.url, "public-key": publicKey, dev: "" });
        const state = await trustCenter.waitForSettled();
        const code = await trustCenter.errorCode();
        assert.equal(state, fixture.expect, `state for ${name} (data-error-code=${code})`);
        if (fixture.expect === "error") {
          assert.ok(
            fixture.errorCodes.includes(code),
            `data-error-code for ${name} is "${code}", expected one of ${fixture.errorCodes.join(", ")}`,
          );
          assert.equal(await trustCenter.hasVerifiedMark(), false, "no verified mark on failure");
          // Nothing half-trusted: not one claim of the (signed or tampered) manifest reaches the page.
          const shown = await trustCenter.host.evaluate((element) => element.shadowRoot?.textContent ?? "");
          for (const claim of [organization, "SOC 2® Type", "Certificate number", "Verified:"]) {
            assert.ok(!shown.includes(claim), `the error page for ${name} shows "${claim}"`);
          }
        } else {
          assert.equal(code, null);
          assert.ok(await trustCenter.hasVerifiedMark());
        }
      } finally {
        await context.close();
      }
    });
  }
});
