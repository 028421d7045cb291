// The framework FAQ inside the real widget: instant search with <mark> highlights (case- and
// accent-insensitive) and a live result count, a "no results" state, a keyboard-operable accordion,
// and deep links (#faq-<id>) that open and scroll to an entry, on load and on hashchange.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { axeViolations, formatViolations } from "./support/axe.mjs";
import { launchBrowser, newPage } from "./support/browser.mjs";
import { e2eEnv } from "./support/env.mjs";
import { TrustCenterPage } from "./support/trust-center-page.mjs";

/** Page object for the FAQ section of the widget. */
class FaqSection {
  constructor(trustCenter) {
    this.trustCenter = trustCenter;
    this.host = trustCenter.host;
    this.search = trustCenter.getByRole("searchbox", { name: "Search the questions" });
    this.count = this.host.locator(".tc-faq__count");
  }

  /** Question buttons currently listed. */
  questions() {
    return this.host.locator(".tc-faq__toggle");
  }

  question(name) {
    return this.trustCenter.getByRole("button", { name });
  }

  /** Texts of the <mark> elements inside the FAQ. */
  async marks() {
    return this.host.locator(".tc-faq mark").allTextContents();
  }

  /** id of the element focused inside the shadow root. */
  async focusedId() {
    return this.host.evaluate((element) => element.shadowRoot?.activeElement?.id ?? null);
  }
}

/** Opens the host page with the valid fixture (optionally with a URL fragment) and waits for it. */
async function openVerified(page, hash = "") {
  const { baseUrl, fixtures } = e2eEnv();
  const trustCenter = new TrustCenterPage(page, baseUrl);
  const query = new URLSearchParams({
    manifest: fixtures.fixtures.valid.url,
    "public-key": fixtures.publicKey,
    dev: "",
  });
  await trustCenter.goto(`/e2e/host.html?${query}${hash}`);
  await trustCenter.waitForState("verified");
  return { trustCenter, faq: new FaqSection(trustCenter) };
}

/**
 * Problems that concern this spec: uncaught page errors, and console errors or failed requests
 * involving the test site or the intake service. (Assets the demo manifest points at elsewhere,
 * such as a logo on the demo server, are not part of these specs.)
 */
function ownProblems(problems) {
  const { baseUrl, intakeUrl } = e2eEnv();
  const origins = [new URL(baseUrl).origin, new URL(intakeUrl).origin];
  return problems.filter(
    (problem) => problem.startsWith("page error:") || origins.some((origin) => problem.includes(origin)),
  );
}

describe("framework FAQ", () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it("filters as you type, highlights matches with <mark> and announces the count", async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      const { faq } = await openVerified(page);
      const total = await faq.questions().count();
      assert.ok(total >= 6, `at least the six built-in questions are listed (found ${total})`);
      assert.equal(await faq.count.getAttribute("role"), "status", "the count is a live region");
      assert.equal((await faq.count.textContent()).trim(), `${total} questions`);

      // Upper case and an accent the text does not have: still found, original spelling marked.
      await faq.search.fill("EURÔPE mandatory");
      await page.waitForFunction(
        (host) => host.shadowRoot.querySelectorAll(".tc-faq__toggle").length === 1,
        await faq.host.elementHandle(),
      );
      assert.equal(await faq.questions().count(), 1);
      const marks = await faq.marks();
      assert.ok(marks.includes("Europe"), `"Europe" is highlighted as written: ${JSON.stringify(marks)}`);
      assert.ok(marks.includes("mandatory"), `"mandatory" is highlighted: ${JSON.stringify(marks)}`);
      assert.match(await faq.count.textContent(), new RegExp(`^1 of ${total} questions matches`));
      // An answer that contains a match is opened so the highlight can be seen.
      const europe = faq.question("Is ISO 27001 mandatory in Europe?");
      assert.equal(await europe.getAttribute("aria-expanded"), "true");

      await faq.search.fill("zzzz-no-such-word");
      assert.equal(await faq.questions().count(), 0);
      assert.match(await faq.count.textContent(), /No questions match/);
      await faq.trustCenter.getByRole("button", { name: "Clear the search" }).click();
      assert.equal(await faq.search.inputValue(), "");
      assert.equal(await faq.questions().count(), total);
      assert.deepEqual(await faq.marks(), []);
      assert.deepEqual(ownProblems(problems), [], "no page errors or failed requests to the site or the service");
    } finally {
      await context.close();
    }
  });

  it("works as an accordion from the keyboard, with no accessibility violations", async () => {
    const { context, page } = await newPage(browser);
    try {
      const { faq } = await openVerified(page);
      const button = faq.question("Do we need both SOC 2 and ISO 27001?");
      assert.equal(await button.getAttribute("aria-expanded"), "false");
      const panelId = await button.getAttribute("aria-controls");
      const panel = faq.host.locator(`#${panelId}`);
      assert.equal(await panel.isVisible(), false, "answers start closed");

      await button.focus();
      await page.keyboard.press("Enter");
      assert.equal(await button.getAttribute("aria-expanded"), "true");
      assert.equal(await panel.isVisible(), true);
      assert.equal(await panel.getAttribute("role"), "region");
      await page.keyboard.press("Space");
      assert.equal(await button.getAttribute("aria-expanded"), "false");

      await faq.search.fill("type 2");
      const violations = await axeViolations(page, { include: ["trust-center", ".tc-faq"] });
      assert.deepEqual(violations, [], formatViolations(violations));
    } finally {
      await context.close();
    }
  });

  it("opens and scrolls to the entry named in #faq-<id>, on load and on hashchange", async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 390, height: 700 } });
    try {
      const { faq } = await openVerified(page, "#faq-soc2-timeline");
      const timeline = faq.question("How long does it take to get a SOC 2 report?");
      await page.waitForFunction(
        (host) =>
          host.shadowRoot.querySelector("#faq-soc2-timeline-button")?.getAttribute("aria-expanded") === "true",
        await faq.host.elementHandle(),
      );
      assert.equal(await timeline.getAttribute("aria-expanded"), "true");
      assert.ok(await timeline.isVisible());
      assert.equal(await faq.focusedId(), "faq-soc2-timeline-button", "focus moves to the linked question");
      const inView = await faq.host.evaluate((element) => {
        const rect = element.shadowRoot.querySelector("#faq-soc2-timeline").getBoundingClientRect();
        return rect.top < window.innerHeight && rect.bottom > 0;
      });
      assert.ok(inView, "the linked entry is scrolled into view");

      await page.evaluate(() => {
        window.location.hash = "#faq-both-at-once";
      });
      await page.waitForFunction(
        (host) =>
          host.shadowRoot.querySelector("#faq-both-at-once-button")?.getAttribute("aria-expanded") === "true",
        await faq.host.elementHandle(),
      );
      assert.equal(await faq.focusedId(), "faq-both-at-once-button");
    } finally {
      await context.close();
    }
  });
});
