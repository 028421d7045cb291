// Keyboard focus around the NDA request form (issue 18), driven by the keyboard only — Tab, Enter,
// Space, Escape and typed text, no clicks and no programmatic focus: closing the form (its "Close"
// button or Escape) returns focus to the button that opened it, and "Make another request" after a
// real request to the intake service puts focus in the first field.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { launchBrowser, newPage } from "./support/browser.mjs";
import { e2eEnv } from "./support/env.mjs";
import { TrustCenterPage } from "./support/trust-center-page.mjs";

/** What has keyboard focus: inside the widget's shadow root if focus is there, else the page. */
async function focused(page) {
  return page.evaluate(() => {
    const host = document.querySelector("trust-center");
    const inside = host?.shadowRoot?.activeElement ?? null;
    const element = inside ?? document.activeElement;
    return {
      inWidget: inside !== null,
      tag: element?.tagName.toLowerCase() ?? null,
      id: element?.id || null,
      name: (element?.getAttribute("aria-label") ?? element?.textContent ?? "").trim(),
    };
  });
}

/** Presses Tab (Shift+Tab with `backwards`) until `wanted(focus)` holds; fails after `limit` presses. */
async function tabTo(page, wanted, { limit = 150, backwards = false } = {}) {
  for (let presses = 0; presses < limit; presses += 1) {
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
    const focus = await focused(page);
    if (wanted(focus)) return focus;
  }
  throw new Error(`focus never reached the wanted element within ${limit} Tab presses`);
}

const isButton = (name) => (focus) => focus.inWidget && focus.tag === "button" && focus.name === name;

async function openWidget(page) {
  const { baseUrl, fixtures } = e2eEnv();
  const trustCenter = new TrustCenterPage(page, baseUrl);
  await trustCenter.openHost({ manifest: fixtures.fixtures.valid.url, "public-key": fixtures.publicKey, dev: "" });
  await trustCenter.waitForState("verified");
  return trustCenter;
}

const formOf = (trustCenter) => trustCenter.host.locator("form.tc-nda__form");

describe("NDA form focus, keyboard only", () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it("Escape closes the form and focus returns to the SOC 2 card's request button", async () => {
    const { context, page } = await newPage(browser);
    const trustCenter = await openWidget(page);
    const opener = "Request report under NDA";
    await tabTo(page, isButton(opener));
    await page.keyboard.press("Enter");
    await formOf(trustCenter).waitFor();
    // Focus moved into the request section (not left on the opener).
    assert.equal((await focused(page)).id, "tc-request");

    // Escape from inside a field closes the form too.
    await tabTo(page, (focus) => focus.tag === "input" && focus.id.endsWith("-name"));
    await page.keyboard.type("Ada");
    await page.keyboard.press("Escape");
    await formOf(trustCenter).waitFor({ state: "detached" });
    const focus = await focused(page);
    assert.ok(isButton(opener)(focus), `focus is on ${JSON.stringify(focus)}, not the "${opener}" button`);
    await context.close();
  });

  it('"Close" returns focus to the documents list button that opened the form', async () => {
    const { context, page } = await newPage(browser);
    const trustCenter = await openWidget(page);
    const opener = await tabTo(page, (focus) => focus.inWidget && focus.tag === "button" && focus.name.startsWith("Request access to "));
    await page.keyboard.press("Enter");
    await formOf(trustCenter).waitFor();
    // "Close" comes before the form's fields in the tab order.
    await tabTo(page, isButton("Close"));
    await page.keyboard.press("Enter");
    await formOf(trustCenter).waitFor({ state: "detached" });
    const focus = await focused(page);
    assert.ok(isButton(opener.name)(focus), `focus is on ${JSON.stringify(focus)}, not "${opener.name}"`);
    await context.close();
  });

  it('after a real request, "Make another request" focuses the first field', async () => {
    const { context, page } = await newPage(browser);
    const trustCenter = await openWidget(page);
    await tabTo(page, isButton("Request report under NDA"));
    await page.keyboard.press("Enter");
    await formOf(trustCenter).waitFor();

    const fill = async (suffix, text) => {
      await tabTo(page, (focus) => focus.id?.endsWith(suffix));
      await page.keyboard.type(text);
    };
    await fill("-name", "Grace Hopper");
    await fill("-email", "grace.hopper@example.com");
    await fill("-company", "Compilers Inc");
    await tabTo(page, (focus) => focus.id?.endsWith("-accept"));
    await page.keyboard.press("Space");
    await tabTo(page, isButton("Send request"));
    await page.keyboard.press("Enter");

    const confirmation = trustCenter.host.locator(".tc-nda__done");
    await confirmation.waitFor();
    const requestId = await trustCenter.host.locator("[data-request-id]").getAttribute("data-request-id");
    assert.match(requestId ?? "", /\S/, "the service returned a request id");
    // The confirmation itself takes focus, so a screen reader reads it.
    await page.waitForFunction(
      () => document.querySelector("trust-center")?.shadowRoot?.activeElement?.classList.contains("tc-nda__done"),
    );

    await tabTo(page, isButton("Make another request"));
    await page.keyboard.press("Enter");
    await formOf(trustCenter).waitFor();
    await page.waitForFunction(() =>
      document.querySelector("trust-center")?.shadowRoot?.activeElement?.id?.endsWith("-name"),
    );
    const focus = await focused(page);
    assert.equal(focus.tag, "input");
    assert.ok(focus.id.endsWith("-name"), `focus is on ${JSON.stringify(focus)}`);
    await context.close();
  });
});
