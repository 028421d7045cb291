// Host-proof sizing, in real Chromium: the widget's text and spacing derive from --tc-font-size
// (16px by default on :host), not from the host page's root font size, and still follow the
// visitor's browser font-size setting (set here through the DevTools protocol's Page.setFontSizes).

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { launchBrowser, newPage } from "./support/browser.mjs";
import { addWidget, namedManifest, startElementSite, waitForState } from "./element/support.mjs";

/** Font size of the widget's body text (its root), of the banner lead (0.92×) and a button's left padding (1.1×). */
function sizes(page) {
  return page.evaluate(() => {
    const root = document.getElementById("tc").shadowRoot;
    const px = (selector, property) => parseFloat(getComputedStyle(root.querySelector(selector))[property]);
    return {
      body: px(".tc-root", "fontSize"),
      lead: px(".tc-banner__lead", "fontSize"),
      buttonPadding: px(".tc-button", "paddingLeft"),
      hostRoot: parseFloat(getComputedStyle(document.documentElement).fontSize),
    };
  });
}

describe("host-proof sizing", () => {
  let browser;
  let site;
  before(async () => {
    browser = await launchBrowser();
    site = await startElementSite();
    site.sign("alpha.json", namedManifest("Alpha Vendor Ltd", 3));
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  async function measure({ rootFontSize = null, widgetFontSize = null, browserFontSize = null } = {}) {
    const { context, page, problems } = await newPage(browser);
    if (browserFontSize) {
      const cdp = await context.newCDPSession(page);
      await cdp.send("Page.enable");
      await cdp.send("Page.setFontSizes", { fontSizes: { standard: browserFontSize } });
    }
    await page.goto(new URL("/blank.html", site.url).href);
    await page.evaluate(
      ({ rootFontSize, widgetFontSize }) => {
        if (rootFontSize) document.documentElement.style.fontSize = rootFontSize;
        if (widgetFontSize) {
          const sheet = new CSSStyleSheet();
          sheet.replaceSync(`trust-center { --tc-font-size: ${widgetFontSize}; }`);
          document.adoptedStyleSheets = [sheet];
        }
      },
      { rootFontSize, widgetFontSize },
    );
    await addWidget(page, { manifest: "/alpha.json", "public-key": site.key().publicKey });
    await waitForState(page, "verified");
    const result = await sizes(page);
    await context.close();
    assert.deepEqual(problems, []);
    return result;
  }

  const close = (actual, expected, what) =>
    assert.ok(Math.abs(actual - expected) < 0.05, `${what}: ${actual}px, expected ${expected}px`);

  it("16px body text on a neutral page, and under html { font-size: 62.5% } and 8px", async () => {
    for (const rootFontSize of [null, "62.5%", "8px"]) {
      const shown = await measure({ rootFontSize });
      console.log(`root ${rootFontSize ?? "default"} (${shown.hostRoot}px): body ${shown.body}px, lead ${shown.lead}px, button padding ${shown.buttonPadding}px`);
      close(shown.body, 16, `body text with root ${rootFontSize}`);
      close(shown.lead, 16 * 0.92, `banner lead with root ${rootFontSize}`);
      close(shown.buttonPadding, 16 * 1.1, `button padding with root ${rootFontSize}`);
    }
  });

  it("--tc-font-size scales text and spacing", async () => {
    const shown = await measure({ rootFontSize: "62.5%", widgetFontSize: "20px" });
    console.log(`--tc-font-size 20px: body ${shown.body}px, lead ${shown.lead}px, button padding ${shown.buttonPadding}px`);
    close(shown.body, 20, "body text");
    close(shown.lead, 20 * 0.92, "banner lead");
    close(shown.buttonPadding, 20 * 1.1, "button padding");
  });

  it("the visitor's browser font size (20px) still scales it, even on a 62.5% page", async () => {
    const shown = await measure({ rootFontSize: "62.5%", browserFontSize: 20 });
    console.log(`browser font size 20px, root 62.5%: body ${shown.body}px, lead ${shown.lead}px`);
    close(shown.body, 20, "body text");
    close(shown.lead, 20 * 0.92, "banner lead");
  });
});
