// <trust-center> as a live custom element, in real Chromium against the built bundle:
//  - every attribute the widget reads is observed; a change re-runs the whole verification, and
//    from the moment of the change the old claims are gone (data-state="loading", no banner);
//  - a change to a 404 address or to another pinned key never leaves the old "verified" page;
//  - race: the old manifest's response, held back until after the new one verified, changes nothing
//    (its download is aborted, and its late arrival is ignored);
//  - `trust-center:verified` / `trust-center:error` events carry version, key ids and error code.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { launchBrowser, newPage } from "./support/browser.mjs";
import { addWidget, keyId, namedManifest, startElementSite, waitForState, widgetSnapshot } from "./element/support.mjs";

/** Records the element's events into window.__events, from before the first mount. */
async function recordEvents(page) {
  await page.addInitScript(() => {
    window.__events = [];
    for (const type of ["trust-center:verified", "trust-center:error"]) {
      document.addEventListener(type, (event) =>
        window.__events.push({ type, target: event.target.id, detail: JSON.parse(JSON.stringify(event.detail)) }),
      );
    }
  });
  return () => page.evaluate(() => window.__events);
}

/** Sets `name` on #tc and, in the same task, returns what the element shows right after. */
function setAndSnapshot(page, name, value) {
  return page.evaluate(
    ({ name, value }) => {
      const element = document.getElementById("tc");
      if (value === null) element.removeAttribute(name);
      else element.setAttribute(name, value);
      const root = element.shadowRoot;
      return {
        state: element.dataset.state,
        errorCode: element.dataset.errorCode ?? null,
        banner: Boolean(root.querySelector(".tc-banner")),
        text: root.textContent,
      };
    },
    { name, value },
  );
}

describe("live attributes", () => {
  let browser;
  let site;
  before(async () => {
    browser = await launchBrowser();
    site = await startElementSite();
    site.sign("alpha.json", namedManifest("Alpha Vendor Ltd", 3));
    site.sign("beta.json", namedManifest("Beta Vendor GmbH", 4));
    site.sign("other-key.json", namedManifest("Other Key Inc", 5), "other");
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  async function openVerified(attributes = {}) {
    const { context, page, problems } = await newPage(browser);
    const events = await recordEvents(page);
    await page.goto(new URL("/blank.html", site.url).href);
    await addWidget(page, { manifest: "/alpha.json", "public-key": site.key().publicKey, ...attributes });
    await waitForState(page, "verified");
    assert.match((await widgetSnapshot(page)).text, /Alpha Vendor Ltd/);
    return { context, page, problems, events };
  }

  it("observes every attribute the widget reads", async () => {
    const { context, page } = await openVerified();
    const observed = await page.evaluate(() => customElements.get("trust-center").observedAttributes);
    assert.deepEqual([...observed].sort(), ["dev", "lang", "manifest", "public-key", "theme", "threshold"]);
    await context.close();
  });

  it("a new manifest address re-verifies, and the old claims are gone at once", async () => {
    const { context, page, events } = await openVerified();
    const right = await setAndSnapshot(page, "manifest", "/beta.json");
    assert.equal(right.state, "loading");
    assert.equal(right.banner, false, "no verified banner once the input changed");
    assert.doesNotMatch(right.text, /Alpha Vendor Ltd/);
    await waitForState(page, "verified");
    const shown = await widgetSnapshot(page);
    assert.match(shown.text, /Beta Vendor GmbH/);
    assert.doesNotMatch(shown.text, /Alpha Vendor Ltd/);
    assert.equal(shown.mounts, 1, "one mounted app in the shadow root");
    // The new widget (rendered in the Yew root the old one used) handles clicks.
    const toggle = page.locator("trust-center .tc-faq__toggle").first();
    const expanded = await toggle.getAttribute("aria-expanded");
    await toggle.click();
    assert.notEqual(await toggle.getAttribute("aria-expanded"), expanded, "an FAQ entry opens or closes on click");
    const verified = (await events()).filter((event) => event.type === "trust-center:verified");
    assert.deepEqual(
      verified.map((event) => event.detail.version),
      [3, 4],
    );
    assert.deepEqual(verified[1].detail.keyIds, [keyId(site.key().publicKey)]);
    await context.close();
  });

  it("a 404 address ends in an error, never in the old verified page", async () => {
    const { context, page, events } = await openVerified();
    const right = await setAndSnapshot(page, "manifest", "/missing.json");
    assert.equal(right.state, "loading");
    assert.equal(right.banner, false);
    await waitForState(page, "error");
    const shown = await widgetSnapshot(page);
    assert.equal(shown.errorCode, "http_status");
    assert.equal(shown.banner, false);
    assert.doesNotMatch(shown.text, /Alpha Vendor Ltd/);
    const errors = (await events()).filter((event) => event.type === "trust-center:error");
    assert.equal(errors.length, 1);
    assert.equal(errors[0].detail.code, "http_status");
    assert.equal(typeof errors[0].detail.message, "string");
    await context.close();
  });

  it("another pinned key re-verifies: the old page goes, the other key's envelope is refused until pinned", async () => {
    const { context, page, events } = await openVerified();
    const right = await setAndSnapshot(page, "public-key", site.key("other").publicKey);
    assert.equal(right.state, "loading");
    assert.equal(right.banner, false);
    await waitForState(page, "error");
    const refused = await widgetSnapshot(page);
    assert.doesNotMatch(refused.text, /Alpha Vendor Ltd/);
    assert.ok(refused.errorCode, "an error code is set");
    // Both attributes changed in one task: one remount, for the pair.
    await page.evaluate((key) => {
      const element = document.getElementById("tc");
      element.setAttribute("manifest", "/other-key.json");
      element.setAttribute("public-key", key);
    }, site.key("other").publicKey);
    await waitForState(page, "verified");
    assert.match((await widgetSnapshot(page)).text, /Other Key Inc/);
    const all = await events();
    assert.equal(all.at(-1).type, "trust-center:verified");
    assert.deepEqual(all.at(-1).detail.keyIds, [keyId(site.key("other").publicKey)]);
    assert.equal(all.filter((event) => event.detail.version === 5).length, 1, "one verification for the pair");
    await context.close();
  });

  it("threshold, lang, theme and dev each re-run the verification", async () => {
    const { context, page, events } = await openVerified();
    const changes = [
      ["threshold", "2", "error"],
      ["threshold", null, "verified"],
      ["lang", "de", "verified"],
      ["theme", "dark", "verified"],
      ["dev", "", "verified"],
    ];
    for (const [name, value, outcome] of changes) {
      const before = (await events()).length;
      const right = await setAndSnapshot(page, name, value);
      assert.equal(right.state, "loading", `${name} change shows loading`);
      await waitForState(page, outcome);
      await page.waitForFunction((count) => window.__events.length > count, before);
      assert.equal((await events()).length, before + 1, `${name}: one new verification outcome`);
    }
    const root = await page.evaluate(() => {
      const root = document.getElementById("tc").shadowRoot.querySelector(".tc-root");
      return { lang: root.getAttribute("lang"), theme: root.dataset.theme };
    });
    assert.deepEqual(root, { lang: "de", theme: "dark" });
    await context.close();
  });

  it("race: the old manifest's late response never replaces the new page", async () => {
    const { context, page, problems } = await newPage(browser);
    const events = await recordEvents(page);
    let releaseAlpha;
    const alphaHeld = new Promise((resolve) => (releaseAlpha = resolve));
    let alphaServed = null;
    await page.route("**/alpha.json", async (route) => {
      await alphaHeld;
      alphaServed = await route.fulfill({ path: `${site.dir}/alpha.json`, contentType: "application/json" })
        .then(() => "fulfilled", (error) => `not delivered: ${error.message.split("\n")[0]}`);
    });
    await page.goto(new URL("/blank.html", site.url).href);
    await addWidget(page, { manifest: "/alpha.json", "public-key": site.key().publicKey });
    await page.waitForTimeout(300); // the alpha request is out and held
    assert.equal((await widgetSnapshot(page)).state, "loading");
    await page.evaluate(() => document.getElementById("tc").setAttribute("manifest", "/beta.json"));
    await waitForState(page, "verified");
    releaseAlpha();
    await page.waitForTimeout(1000); // time for the held response to arrive and be processed
    const shown = await widgetSnapshot(page);
    assert.equal(shown.state, "verified");
    assert.match(shown.text, /Beta Vendor GmbH/);
    assert.doesNotMatch(shown.text, /Alpha Vendor Ltd/);
    assert.equal(shown.mounts, 1);
    const all = await events();
    assert.deepEqual(all.map((event) => [event.type, event.detail.version]), [["trust-center:verified", 4]]);
    console.log(`held alpha response: ${alphaServed}; problems: ${problems.join("; ")}`);
    assert.deepEqual(
      problems.map((problem) => /alpha\.json.*ERR_ABORTED/.test(problem)),
      [true],
      `the alpha download is aborted, and nothing else fails: ${problems.join("; ")}`,
    );
    await context.close();
  });
});
