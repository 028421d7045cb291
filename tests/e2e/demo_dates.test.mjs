// The demo does not rot (issue 13): the demo's own signing step (scripts/demo-sign.sh) run as of
// days far in the future signs a page that `trustctl verify` finds valid and current, telling the
// same story as public/demo/manifest.json tells on its STORY_DAY: the same status levels, the same
// findings, the same days left (within the one day a leap day can add to a 12-month window).
// The fixed file itself, checked on the same far-future day, is expired — what the demo would show
// without the date shift. Last, the real widget in Chromium, its clock set to that far-future day,
// shows the signed copy verified and both frameworks current.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { STORY_DAY } from "../../scripts/demo-manifest.mjs";
import { launchBrowser, newPage } from "./support/browser.mjs";
import { e2eEnv } from "./support/env.mjs";
import { TrustCenterPage } from "./support/trust-center-page.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const FAR_DAYS = ["2031-06-01", "2040-02-29", "2099-12-31"];

/** `trustctl --today DAY ARGS… --json`, parsed; also returns the exit status. */
function trustctlJson(day, args) {
  const { trustctl } = e2eEnv();
  const run = spawnSync(trustctl, ["--today", day, ...args, "--json"], { encoding: "utf8" });
  return { status: run.status, report: JSON.parse(run.stdout) };
}

/** What the page's story consists of: per framework its level and finding codes, and days left. */
function story(status) {
  const part = (framework) => ({
    level: framework.level,
    findings: framework.findings.map((finding) => finding.code).sort(),
  });
  return {
    soc2: part(status.soc2),
    iso27001: part(status.iso27001),
    manifest: status.manifest.map((finding) => finding.code).sort(),
  };
}

describe("demo manifest dated for any day", () => {
  let dir;
  let publicKey;
  let storyStatus;
  before(() => {
    const { trustctl } = e2eEnv();
    dir = mkdtempSync(path.join(os.tmpdir(), "demo-dates-"));
    execFileSync(trustctl, ["keygen", "--out", path.join(dir, "demo")], { stdio: "ignore" });
    publicKey = path.join(dir, "demo.pub");
    storyStatus = trustctlJson(STORY_DAY, ["lint", "--dev", path.join(ROOT, "public/demo/manifest.json")]).report.status;
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the fixed file is current on its story day and expired far in the future", () => {
    assert.equal(storyStatus.soc2.level, "current");
    assert.equal(storyStatus.iso27001.level, "current");
    const far = trustctlJson(FAR_DAYS[0], ["lint", "--dev", path.join(ROOT, "public/demo/manifest.json")]);
    assert.notEqual(far.status, 0, "the unshifted demo manifest must fail far in the future");
  });

  for (const day of FAR_DAYS) {
    it(`signed by the demo's signing step on ${day}, it verifies and tells the story-day story`, () => {
      const { trustctl } = e2eEnv();
      const manifest = path.join(dir, `manifest-${day}.json`);
      const envelope = path.join(dir, `trust-center-${day}.json`);
      execFileSync(
        path.join(ROOT, "scripts/demo-sign.sh"),
        ["--trustctl", trustctl, "--key", path.join(dir, "demo.key"), "--manifest-out", manifest, "--out", envelope, "--today", day],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      const verified = trustctlJson(day, ["verify", envelope, "--public-key", publicKey]);
      assert.equal(verified.status, 0, `trustctl verify failed: ${JSON.stringify(verified.report)}`);
      assert.equal(verified.report.status.today, day);
      assert.deepEqual(story(verified.report.status), story(storyStatus));
      for (const framework of ["soc2", "iso27001"]) {
        const left = verified.report.status[framework].days_remaining;
        const storyLeft = storyStatus[framework].days_remaining;
        assert.ok(Math.abs(left - storyLeft) <= 1, `${framework}: ${left} days left on ${day}, ${storyLeft} on ${STORY_DAY}`);
      }
      // The manifest is current for its own lifetime too (issued before, expires after the day).
      assert.ok(verified.report.issued_at <= day && day < verified.report.expires_at);
    });
  }

  it("the widget, with the browser's clock on a far-future day, shows the copy signed for it as current", async () => {
    const day = FAR_DAYS[1];
    const envelope = path.join(dir, `trust-center-${day}.json`);
    // Published on the test site next to the other fixtures.
    const siteFixtures = path.join(path.dirname(path.dirname(process.env.E2E_FIXTURES)), "site", "fixtures");
    copyFileSync(envelope, path.join(siteFixtures, `demo-${day}.json`));
    const key = readFileSync(publicKey, "utf8").trim();
    const browser = await launchBrowser();
    try {
      const { context, page } = await newPage(browser);
      await page.clock.setFixedTime(new Date(`${day}T12:00:00`));
      const trustCenter = new TrustCenterPage(page, e2eEnv().baseUrl);
      await trustCenter.openHost({ manifest: `/fixtures/demo-${day}.json`, "public-key": key, dev: "" });
      await trustCenter.waitForState("verified");
      const badges = await trustCenter.host.locator(".tc-badge").allTextContents();
      assert.ok(badges.filter((text) => /Current/.test(text)).length >= 2, `badges: ${JSON.stringify(badges)}`);
      assert.ok(!badges.some((text) => /Expired|Not valid/.test(text)), `badges: ${JSON.stringify(badges)}`);
      await context.close();
    } finally {
      await browser.close();
    }
  });
});
