// Rollback and freshness in real Chromium. The widget remembers, per pinned key set, the highest
// manifest `version` it has verified (localStorage) and warns when an older, still correctly signed
// version is served later ("serve v2, then v1"). An expired manifest ends in the error state with
// code `expired` and shows no claim; a manifest dated in the future is verified but flagged.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { launchBrowser, newPage } from "./support/browser.mjs";
import { TrustCenterPage } from "./support/trust-center-page.mjs";
import { currentManifest, isoDay, startSecuritySite } from "./security/support.mjs";

describe("rollback memory and freshness", () => {
  let browser;
  let site;
  before(async () => {
    browser = await launchBrowser();
    site = await startSecuritySite();
    for (const version of [1, 2, 3]) site.sign(`v${version}.json`, currentManifest({ version: 100 + version }));
    site.sign("other-key-v1.json", currentManifest({ version: 101 }), "other-vendor");
    site.sign("expired.json", currentManifest({ version: 104, issued_at: isoDay(-400), expires_at: isoDay(-1) }));
    site.sign("last-day.json", currentManifest({ version: 105, expires_at: isoDay(0) }));
    site.sign("future.json", currentManifest({ version: 106, issued_at: isoDay(30), expires_at: isoDay(200) }));
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  /** Open `manifest` on a page of `context` and return { state, rollbackText, stored }. */
  async function visit(context, manifest, keyName = "vendor") {
    const page = await context.newPage();
    try {
      const trustCenter = new TrustCenterPage(page, site.url);
      await trustCenter.openHost({ manifest, "public-key": site.key(keyName).publicKey });
      const state = await trustCenter.waitForSettled();
      const rollback = trustCenter.host.locator(".tc-banner__rollback");
      const rollbackText = (await rollback.count()) ? await rollback.first().innerText() : null;
      const stored = await page.evaluate(() =>
        Object.fromEntries(
          Object.keys(localStorage)
            // The rollback memory (the last-visit memory of issue 17 is another entry, checked below).
            .filter((key) => key.startsWith("trust-center:highest-version:"))
            .map((key) => [key, localStorage.getItem(key)]),
        ),
      );
      const lastShown = await page.evaluate(() =>
        Object.fromEntries(
          Object.keys(localStorage)
            .filter((key) => key.startsWith("trust-center:last-shown-version:"))
            .map((key) => [key, localStorage.getItem(key)]),
        ),
      );
      return {
        state,
        lastShown,
        code: await trustCenter.errorCode(),
        rollbackText,
        role: rollbackText === null ? null : await rollback.first().getAttribute("role"),
        stored,
        text: await trustCenter.shadowText(),
        verifiedMark: await trustCenter.hasVerifiedMark(),
      };
    } finally {
      await page.close();
    }
  }

  it("v2 then v1 from the same key: the older copy is shown with a clear warning", async () => {
    const { context } = await newPage(browser);
    try {
      const first = await visit(context, "/v2.json");
      assert.equal(first.state, "verified");
      assert.equal(first.rollbackText, null, "no warning on the first visit");
      assert.deepEqual(Object.values(first.stored), ["102"], "the highest version is remembered");
      assert.deepEqual(
        Object.values(first.lastShown),
        ["102"],
        "the version shown is remembered apart, for \"new since your last visit\"",
      );

      const older = await visit(context, "/v1.json");
      assert.equal(older.state, "verified", "the older copy is still genuinely signed");
      assert.ok(older.rollbackText, "an older version must be flagged");
      assert.equal(older.role, "alert", "the warning is announced to screen readers");
      assert.match(older.rollbackText, /version 102/);
      assert.match(older.rollbackText, /version 101/);
      assert.match(older.rollbackText, /older|outdated|earlier/i);
      assert.deepEqual(Object.values(older.stored), ["102"], "serving v1 does not lower the memory");

      // Reloading the old copy keeps warning; a newer one clears the warning and raises the memory.
      assert.ok((await visit(context, "/v1.json")).rollbackText);
      const newer = await visit(context, "/v3.json");
      assert.equal(newer.rollbackText, null);
      assert.deepEqual(Object.values(newer.stored), ["103"]);
      assert.ok((await visit(context, "/v2.json")).rollbackText, "v2 is now older than v3");
    } finally {
      await context.close();
    }
  });

  it("the memory is per browser and per pinned key", async () => {
    const { context } = await newPage(browser);
    try {
      assert.equal((await visit(context, "/v2.json")).rollbackText, null);
      // Another vendor key, lower version: a different key set, so no warning.
      const other = await visit(context, "/other-key-v1.json", "other-vendor");
      assert.equal(other.state, "verified");
      assert.equal(other.rollbackText, null);
      assert.equal(Object.keys(other.stored).length, 2, "one entry per key set");
    } finally {
      await context.close();
    }
    // A fresh browser profile has no memory: v1 alone is not flagged (documented limitation).
    const { context: fresh } = await newPage(browser);
    try {
      assert.equal((await visit(fresh, "/v1.json")).rollbackText, null);
    } finally {
      await fresh.close();
    }
  });

  it("an expired manifest is shown as expired, never as verified", async () => {
    const { context } = await newPage(browser);
    try {
      const expired = await visit(context, "/expired.json");
      assert.equal(expired.state, "error");
      assert.equal(expired.code, "expired");
      assert.equal(expired.verifiedMark, false);
      assert.match(expired.text, /expired/i);
      assert.doesNotMatch(expired.text, /Verified: signed by/);
      assert.doesNotMatch(expired.text, /Halyard|Calder & Voss/, "no claim from the expired file is shown");
      assert.deepEqual(expired.stored, {}, "an unverified file does not touch the rollback memory");
      // On its last day it is still valid.
      const lastDay = await visit(context, "/last-day.json");
      assert.equal(lastDay.state, "verified");
      assert.match(lastDay.text, /Halyard/, "the same claims are shown while the file is valid");
    } finally {
      await context.close();
    }
  });

  it("a manifest dated in the future is flagged", async () => {
    const { context } = await newPage(browser);
    try {
      const future = await visit(context, "/future.json");
      assert.equal(future.state, "verified");
      const page = await context.newPage();
      try {
        const trustCenter = new TrustCenterPage(page, site.url);
        await trustCenter.openHost({ manifest: "/future.json", "public-key": site.key("vendor").publicKey });
        await trustCenter.waitForState("verified");
        const finding = trustCenter.host.locator('[data-code="manifest_issued_in_future"]');
        assert.equal(await finding.count(), 1, "the future issue date is reported");
        assert.match(await finding.innerText(), /after today/);
        assert.match(await finding.innerText(), /Warning/);
      } finally {
        await page.close();
      }
    } finally {
      await context.close();
    }
  });
});
