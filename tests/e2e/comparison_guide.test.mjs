// The SOC 2 vs ISO/IEC 27001 comparison and the "Which do you need?" guide inside the real widget:
// an accessible table that turns into stacked, labelled cards on a phone without horizontal scrolling,
// and a guide whose recommendation follows the visitor's answers.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";

import { axeViolations, formatViolations } from "./support/axe.mjs";
import { launchBrowser, newPage } from "./support/browser.mjs";
import { e2eEnv } from "./support/env.mjs";
import { TrustCenterPage } from "./support/trust-center-page.mjs";

async function openVerified(page) {
  const { baseUrl, fixtures } = e2eEnv();
  const trustCenter = new TrustCenterPage(page, baseUrl);
  await trustCenter.openHost({ manifest: fixtures.fixtures.valid.url, "public-key": fixtures.publicKey, dev: "" });
  await trustCenter.waitForState("verified");
  return trustCenter;
}

describe("comparison table and guide", () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  for (const width of [1280, 320]) {
    it(`comparison is a readable, accessible table at ${width} px`, async () => {
      const { context, page } = await newPage(browser, { viewport: { width, height: 900 } });
      try {
        const trustCenter = await openVerified(page);
        const table = trustCenter.getByRole("table", { name: /Twelve differences/ });
        assert.equal(await table.locator("tbody tr").count(), 12);
        assert.equal(await table.getByRole("rowheader").count(), 12);
        assert.equal(await table.getByRole("columnheader").count(), 3);

        const layout = await trustCenter.host.evaluate((host) => {
          const root = host.shadowRoot;
          const row = root.querySelector(".tc-comparison__table tbody tr");
          const cell = row.querySelector("td");
          return {
            rowDisplay: getComputedStyle(row).display,
            label: getComputedStyle(cell, "::before").content,
            tableRight: root.querySelector(".tc-comparison__table").getBoundingClientRect().right,
            pageScrollWidth: document.documentElement.scrollWidth,
          };
        });
        assert.ok(
          layout.pageScrollWidth <= width,
          `no horizontal page scroll (scrollWidth ${layout.pageScrollWidth} > ${width})`,
        );
        assert.ok(layout.tableRight <= width + 0.5, `the table fits the viewport (right edge ${layout.tableRight})`);
        if (width <= 480) {
          assert.equal(layout.rowDisplay, "block", "rows become stacked cards on a phone");
          assert.equal(layout.label, '"SOC 2® report"', "each cell shows its column label");
        } else {
          assert.equal(layout.rowDisplay, "table-row");
        }

        if (process.env.E2E_SCREENSHOT_DIR) {
          mkdirSync(process.env.E2E_SCREENSHOT_DIR, { recursive: true });
          await trustCenter.host.locator(".tc-comparison").screenshot({
            path: `${process.env.E2E_SCREENSHOT_DIR}/comparison-${width}.png`,
          });
        }
        const violations = await axeViolations(page, { include: ["trust-center", ".tc-comparison"] });
        assert.deepEqual(violations, [], formatViolations(violations));
      } finally {
        await context.close();
      }
    });
  }

  it("guide recommends from the visitor's answers, with reasons from the comparison", async () => {
    const { context, page } = await newPage(browser);
    try {
      const trustCenter = await openVerified(page);
      const result = trustCenter.host.locator(".tc-guide__output");
      assert.match(await result.textContent(), /Choose where your customers are/);

      await trustCenter.getByRole("radio", { name: "North America" }).check();
      assert.match(await result.textContent(), /Start with a SOC 2® report/);
      assert.match(await result.textContent(), /comparison: Where it is expected/);

      await trustCenter.getByRole("radio", { name: "Europe" }).check();
      await trustCenter.getByRole("checkbox", { name: /formal certificate/ }).check();
      assert.match(await result.textContent(), /Start with ISO\/IEC 27001 certification/);
      assert.match(await result.textContent(), /comparison: What you receive/);

      await trustCenter.getByRole("radio", { name: "Several continents" }).check();
      assert.match(await result.textContent(), /Plan for both/);

      const violations = await axeViolations(page, { include: ["trust-center", ".tc-guide"] });
      assert.deepEqual(violations, [], formatViolations(violations));
    } finally {
      await context.close();
    }
  });
});
