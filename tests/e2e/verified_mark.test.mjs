// The `trust-center:verified` performance mark (what the load benchmark measures) and the host's
// data-state="verified" must not come early: at the moment the mark is set, every section of the
// verified page is already in the shadow DOM, exactly as it is once the page has settled.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { launchBrowser, newPage } from "./support/browser.mjs";
import { e2eEnv } from "./support/env.mjs";
import { TrustCenterPage } from "./support/trust-center-page.mjs";

/** Runs in the page before any script: records what the shadow DOM holds when the mark is set. */
function recordDomAtMark() {
  const original = performance.mark.bind(performance);
  performance.mark = (name, options) => {
    if (name === "trust-center:verified") {
      const host = document.querySelector("trust-center");
      const root = host?.shadowRoot;
      window.__domAtMark = {
        state: host?.getAttribute("data-state") ?? null,
        elements: root ? root.querySelectorAll("*").length : 0,
        sections: root ? [...root.querySelectorAll("section[id], section[aria-labelledby]")].map((s) => s.id || s.getAttribute("aria-labelledby")) : [],
        skeleton: root ? root.querySelectorAll(".tc-skeleton").length : 0,
      };
    }
    return original(name, options);
  };
}

describe("the verified mark", () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it("is set once, when the whole verified page is in the DOM", async () => {
    const { baseUrl } = e2eEnv();
    const { context, page, problems } = await newPage(browser);
    try {
      await page.addInitScript(recordDomAtMark);
      const trustCenter = new TrustCenterPage(page, baseUrl);
      await trustCenter.goto("/");
      await trustCenter.waitForState("verified");
      // Let every pending task, frame and effect run before taking the settled picture.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))));
      const atMark = await page.evaluate(() => window.__domAtMark ?? null);
      const settled = await page.evaluate(() => {
        const root = document.querySelector("trust-center").shadowRoot;
        return {
          elements: root.querySelectorAll("*").length,
          sections: [...root.querySelectorAll("section[id], section[aria-labelledby]")].map((s) => s.id || s.getAttribute("aria-labelledby")),
          marks: performance.getEntriesByName("trust-center:verified").length,
        };
      });
      assert.ok(atMark, "the mark was set");
      assert.equal(atMark.state, "verified", "data-state is already verified when the mark is set");
      assert.equal(settled.marks, 1, "the mark is set exactly once");
      assert.equal(atMark.skeleton, 0, "the loading skeleton is gone when the mark is set");
      assert.ok(settled.sections.length >= 6, `the verified page has its sections (${settled.sections.join(", ")})`);
      assert.deepEqual(atMark.sections, settled.sections, "every section is in the DOM at the mark");
      assert.equal(atMark.elements, settled.elements, "the DOM at the mark is the settled page");
      assert.deepEqual(problems, [], "no console errors or failed requests");
    } finally {
      await context.close();
    }
  });
});
