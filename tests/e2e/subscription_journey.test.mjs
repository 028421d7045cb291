// Issue 17's service journey with nothing copied by hand and nothing stubbed: a customer subscribes
// (the request the subscription API documents) at the real intake service (`trustctl serve`), the
// confirmation e-mail arrives on the loopback SMTP server, its link's page confirms in real Chromium
// (the button, not the GET); the vendor adds a subprocessor and signs a new version with `trustctl
// sign`; `trustctl notify` queues one notice, which arrives with the RFC 8058 headers, and a second
// run queues nothing; the notice's unsubscribe link works from its page, and the one-click POST works.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { launchBrowser, newPage } from "./support/browser.mjs";
import { e2eEnv } from "./support/env.mjs";
import { readMailbox, waitForMail } from "./support/mail.mjs";

const workDir = () => path.dirname(path.dirname(process.env.E2E_FIXTURES));

function trustctl(args) {
  const { trustctl, intakeConfig } = e2eEnv();
  return execFileSync(trustctl, [...args, "--config", intakeConfig], { encoding: "utf8" });
}

/** The subscription of `email` as `trustctl notices --subscribers --json` reports it. */
function subscription(email) {
  return JSON.parse(trustctl(["notices", "--subscribers", "--json"])).find((s) => s.email === email);
}

/** Signs the e2e manifest edited by `edit` with the fixtures' key; returns its URL path and file. */
function publish(name, edit) {
  const { trustctl } = e2eEnv();
  const manifest = JSON.parse(readFileSync(path.join(workDir(), "manifests", "valid.json"), "utf8"));
  edit(manifest);
  const manifestFile = path.join(workDir(), "manifests", `${name}.json`);
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
  const envelope = path.join(workDir(), "site", "fixtures", `${name}.json`);
  execFileSync(trustctl, ["sign", manifestFile, "--key", path.join(workDir(), "keys", "signer.key"), "--out", envelope, "--dev"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { url: `/fixtures/${name}.json`, envelope };
}

function linkIn(text, action) {
  const pattern = new RegExp(`https?://\\S+/v1/subscriptions/${action}\\?token=[A-Za-z0-9_.%-]+`);
  const link = pattern.exec(text)?.[0];
  assert.ok(link, `no ${action} link in:\n${text}`);
  return link;
}

describe("subscription journey: subscribe → confirmation → new signed version → notice → unsubscribe", () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it("subscribes, is told once about a new subprocessor, and unsubscribes", async () => {
    const { intakeUrl } = e2eEnv();
    const email = `journey-${Date.now()}@customer.example`;
    const subscribeUrl = `${intakeUrl}/v1/subscriptions`;
    let firstVersion;
    publish("journey-v1", (m) => {
      firstVersion = m.version;
      m.updates = { subscribe_url: subscribeUrl };
      m.changes = [{ id: "journey-start", version: m.version, date: m.issued_at, category: "documents", summary: "Security overview published." }];
    });
    const { context } = await newPage(browser);
    try {
      // 1. Subscribe with the request the subscription API documents (docs/intake.md).
      const response = await fetch(subscribeUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, categories: ["subprocessors"], idempotency_key: `journey-${Date.now()}-abcdefgh` }),
      });
      assert.equal(response.status, 202, await response.text());
      assert.equal(subscription(email).status, "pending");
      assert.equal(subscription(email).categories, "subprocessors");

      // 2. The confirmation e-mail; its link's page confirms only with the button.
      const confirmation = await waitForMail((m) => m.envelope_to === email, { what: "the confirmation" });
      assert.ok(confirmation.list_unsubscribe, "the confirmation carries List-Unsubscribe");
      const confirmPage = await context.newPage();
      await confirmPage.goto(linkIn(confirmation.text, "confirm"));
      assert.equal(subscription(email).status, "pending", "opening the link confirms nothing");
      await confirmPage.getByRole("button", { name: "Confirm subscription" }).click();
      await confirmPage.getByRole("heading", { name: "Subscription confirmed" }).waitFor();
      assert.equal(subscription(email).status, "confirmed");
      await confirmPage.close();

      // 3. The vendor adds a subprocessor and signs the next version.
      const v2 = publish("journey-v2", (m) => {
        m.version = firstVersion + 1;
        m.updates = { subscribe_url: subscribeUrl };
        m.subprocessors.push({ name: "Journey Mail Ltd", purpose: "Transactional e-mail", locations: ["Ireland"] });
        m.changes = [
          {
            id: "journey-mail-added",
            version: firstVersion + 1,
            date: m.issued_at,
            category: "subprocessors",
            summary: "New subprocessor: Journey Mail Ltd (transactional e-mail, Ireland).",
            effective_date: "2099-01-01",
          },
          { id: "journey-start", version: firstVersion, date: m.issued_at, category: "documents", summary: "Security overview published." },
        ];
      });

      // 4. The new version verifies with the published key (what the widget and notify both require).
      execFileSync(e2eEnv().trustctl, ["verify", v2.envelope, "--public-key", path.join(workDir(), "keys", "signer.pub")], {
        stdio: ["ignore", "pipe", "pipe"],
      });

      // 5. `trustctl notify` queues one notice for this subscriber; the service delivers it.
      const key = path.join(workDir(), "keys", "signer.pub");
      const firstRun = trustctl(["notify", "--envelope", v2.envelope, "--key", key]);
      assert.match(firstRun, new RegExp(`Version ${firstVersion + 1} `));
      assert.ok(firstRun.includes(email), firstRun);
      const notice = await waitForMail((m) => m.envelope_to === email && m.text.includes("Journey Mail Ltd"), { what: "the notice" });
      assert.equal(notice.list_unsubscribe_post, "List-Unsubscribe=One-Click");
      assert.match(notice.list_unsubscribe, /^<https?:\/\/\S+\/v1\/subscriptions\/unsubscribe\?token=/);
      assert.match(notice.text, /2099-01-01|1 Jan 2099|January 2099/);

      // 6. Running it again queues nothing, and no second notice arrives.
      const secondRun = trustctl(["notify", "--envelope", v2.envelope, "--key", key]);
      assert.match(secondRun, /Queued 0 notice\(s\)/);
      assert.ok(!secondRun.includes(email), secondRun);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const notices = readMailbox().filter((m) => m.envelope_to === email && m.text.includes("Journey Mail Ltd"));
      assert.equal(notices.length, 1, "one notice per subscriber and version");

      // 7. The notice's unsubscribe link: its page's button unsubscribes.
      const unsubscribePage = await context.newPage();
      await unsubscribePage.goto(linkIn(notice.text, "unsubscribe"));
      assert.equal(subscription(email).status, "confirmed", "opening the link unsubscribes nobody");
      await unsubscribePage.getByRole("button", { name: "Unsubscribe" }).click();
      await unsubscribePage.getByRole("heading", { name: "You are unsubscribed" }).waitFor();
      assert.equal(subscription(email).status, "unsubscribed");
      await unsubscribePage.close();
    } finally {
      await context.close();
    }
  });

  it("unsubscribes with the RFC 8058 one-click POST from the List-Unsubscribe header", async () => {
    const { intakeUrl } = e2eEnv();
    const email = `one-click-${Date.now()}@customer.example`;
    const response = await fetch(`${intakeUrl}/v1/subscriptions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, categories: ["other"], idempotency_key: `one-click-${Date.now()}-abcdefgh` }),
    });
    assert.equal(response.status, 202, await response.text());
    const confirmation = await waitForMail((m) => m.envelope_to === email, { what: "the confirmation" });
    const target = /^<(\S+)>$/.exec(confirmation.list_unsubscribe)?.[1];
    assert.ok(target, confirmation.list_unsubscribe);
    // As a mail provider sends it: a cross-site POST with the fixed body, no cookies, no token in the body.
    const oneClick = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://mail.provider.example" },
      body: "List-Unsubscribe=One-Click",
    });
    assert.equal(oneClick.status, 200, await oneClick.text());
    assert.equal(subscription(email).status, "unsubscribed");

    // A forged token is refused the same way.
    const forged = target.replace(/token=([A-Za-z0-9_.%-]+)/, (_, t) => `token=${t.slice(0, -2)}${t.endsWith("AA") ? "BB" : "AA"}`);
    const refused = await fetch(forged, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    assert.equal(refused.status, 403);
  });
});
