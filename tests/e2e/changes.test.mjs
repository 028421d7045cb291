// Issue 17 in a real Chromium: the "What's changed" section across two signed versions (nothing new on
// a first visit, the newer version's entries marked new on the next, nothing new once seen), a deep link
// that scrolls to and focuses its entry, and the subscribe form against a real HTTP server on
// 127.0.0.1: the request body of the subscription API (CONTRACT.md), client-side checks, the service's
// field error on a 400 with the typed input kept, a 502 and its retry with the same idempotency key, and
// the confirmation on 202. The server here checks the body's shape and answers as the contract says
// (including the failures the real service rarely gives); the form against the real intake service is
// part of the full journey in subscription_journey.test.mjs.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";

import { launchBrowser, newPage } from "./support/browser.mjs";
import { e2eEnv } from "./support/env.mjs";
import { TrustCenterPage } from "./support/trust-center-page.mjs";

const workDir = () => path.dirname(path.dirname(process.env.E2E_FIXTURES));

/** Signs (trustctl, the fixtures' trusted key) the valid manifest edited by `edit`; returns its URL path. */
function publish(name, edit) {
  const { trustctl } = e2eEnv();
  const manifest = JSON.parse(readFileSync(path.join(workDir(), "manifests", "valid.json"), "utf8"));
  edit(manifest);
  const manifestFile = path.join(workDir(), "manifests", `${name}.json`);
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
  const out = path.join(workDir(), "site", "fixtures", `${name}.json`);
  execFileSync(trustctl, ["sign", manifestFile, "--key", path.join(workDir(), "keys", "signer.key"), "--out", out, "--dev"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return `/fixtures/${name}.json`;
}

function entry(manifest, id, version, summary, extra = {}) {
  return { id, version, date: manifest.issued_at, category: "subprocessors", summary, ...extra };
}

async function open(page, manifestUrl, { base = e2eEnv().baseUrl, hash = "" } = {}) {
  const trustCenter = new TrustCenterPage(page, base);
  const query = new URLSearchParams({ manifest: manifestUrl, "public-key": e2eEnv().fixtures.publicKey, dev: "" });
  await page.goto(new URL(`/e2e/host.html?${query}${hash}`, base).href);
  await trustCenter.waitForState("verified");
  return trustCenter;
}

/** What the section shows: each entry's element id, whether it is marked new, and its summary. */
async function entries(trustCenter) {
  return trustCenter.host.evaluate((host) =>
    [...host.shadowRoot.querySelectorAll("#tc-changes li")].map((li) => ({
      id: li.id,
      isNew: li.classList.contains("tc-change--new"),
      badge: li.querySelector(".tc-change__new")?.textContent ?? null,
      summary: li.querySelector(".tc-change__summary").textContent,
    })),
  );
}

async function lead(trustCenter) {
  return trustCenter.host.evaluate((host) => host.shadowRoot.querySelector("#tc-changes .tc-section__lead").textContent);
}

/** A subscription endpoint on 127.0.0.1 that checks the body's shape and answers from `answers` in turn. */
function startSubscriptionServer(answers) {
  const posts = [];
  const problems = [];
  const server = http.createServer((request, response) => {
    const cors = {
      "access-control-allow-origin": request.headers.origin ?? "*",
      "access-control-allow-methods": "POST",
      "access-control-allow-headers": "content-type, accept",
      vary: "Origin",
    };
    if (request.method === "OPTIONS") {
      response.writeHead(204, cors);
      response.end();
      return;
    }
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      let body = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch (error) {
        problems.push(`not JSON: ${error.message}`);
      }
      if (request.url !== "/v1/subscriptions") problems.push(`path ${request.url}`);
      if (!String(request.headers["content-type"]).startsWith("application/json")) problems.push("content-type");
      if (body) {
        const keys = Object.keys(body).sort().join(",");
        if (keys !== "categories,email,idempotency_key") problems.push(`members ${keys}`);
        if (!/^[A-Za-z0-9_-]{16,64}$/.test(body.idempotency_key)) problems.push("idempotency_key shape");
        const names = ["subprocessors", "certifications", "documents", "policies", "other"];
        if (!Array.isArray(body.categories) || body.categories.length === 0) problems.push("categories empty");
        else if (!body.categories.every((c) => names.includes(c)) || new Set(body.categories).size !== body.categories.length)
          problems.push(`categories ${body.categories}`);
      }
      posts.push(body);
      const [status, answer] = answers[Math.min(posts.length - 1, answers.length - 1)];
      response.writeHead(status, { ...cors, "content-type": "application/json" });
      response.end(JSON.stringify(answer));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, posts, problems, url: `http://127.0.0.1:${server.address().port}` })),
  );
}

describe("What's changed and the subscribe form", () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it("marks what is new since the last verified visit, across two signed versions, and follows deep links", async () => {
    let first;
    const v1 = publish("changes-v1", (m) => {
      first = m.version;
      m.changes = [entry(m, "first-entry", m.version, "The first announced change.")];
    });
    const v2 = publish("changes-v2", (m) => {
      m.version = first + 1;
      m.subprocessors.push({ name: "Acme Support", purpose: "Support tickets", locations: ["Ireland"] });
      m.changes = [
        entry(m, "acme-added", first + 1, "New subprocessor: Acme Support (Support tickets; Ireland).", {
          effective_date: "2099-01-01",
        }),
        entry(m, "first-entry", first, "The first announced change."),
      ];
    });
    // One browser profile (context) for the whole story: the memory is this browser's localStorage.
    const { context, page } = await newPage(browser);
    try {
      // First visit, under the strict CSP: the history, and nothing claimed as new.
      let trustCenter = await open(page, v1, { base: e2eEnv().cspBaseUrl });
      assert.deepEqual(await entries(trustCenter), [
        { id: "change-first-entry", isNew: false, badge: null, summary: "The first announced change." },
      ]);
      assert.doesNotMatch(await lead(trustCenter), /since your last visit/);

      // The vendor signs the next version (same keys, so the same memory): its entry is new.
      trustCenter = await open(page, v2, { base: e2eEnv().cspBaseUrl });
      const shown = await entries(trustCenter);
      assert.deepEqual(
        shown.map(({ id, isNew, badge }) => ({ id, isNew, badge })),
        [
          { id: "change-acme-added", isNew: true, badge: "New since your last visit" },
          { id: "change-first-entry", isNew: false, badge: null },
        ],
      );
      assert.equal(await lead(trustCenter), `1 change since your last visit (version ${first}).`);

      // Seen now: the next visit marks nothing.
      await page.reload();
      await trustCenter.waitForState("verified");
      assert.ok((await entries(trustCenter)).every((e) => !e.isNew), "nothing new after it was shown");

      // A deep link (as in the Atom feed) scrolls to its entry and gives it focus.
      const linked = await context.newPage();
      const other = await open(linked, v2, { hash: "#change-acme-added" });
      await linked.waitForFunction(
        () => document.querySelector("trust-center")?.shadowRoot?.activeElement?.id === "change-acme-added",
        undefined,
        { timeout: 5_000 },
      );
      const href = await other.host.evaluate(
        (host) => host.shadowRoot.querySelector("#change-acme-added a.tc-change__link").getAttribute("href"),
      );
      assert.equal(href, "#change-acme-added");
    } finally {
      await context.close();
    }
  });

  it("posts the contract's JSON, keeps the input on a 400 with the field error, retries with the same key", async () => {
    const subscription = await startSubscriptionServer([
      [400, { error: { code: "validation_failed", message: "invalid", fields: [{ field: "email", message: "this address cannot receive mail" }] } }],
      // The service's words are shown as text: markup in them stays inert.
      [502, { error: { code: "unavailable", message: '<img src=x onerror="window.__tcPwned=1">try later' } }],
      [202, { status: "confirmation_sent" }],
    ]);
    const manifestUrl = publish("changes-subscribe", (m) => {
      m.changes = [entry(m, "one", m.version, "One change.")];
      m.updates = { subscribe_url: `${subscription.url}/v1/subscriptions` };
    });
    const { context, page } = await newPage(browser);
    try {
      const trustCenter = await open(page, manifestUrl);
      const form = trustCenter.host.locator("form.tc-subscribe");
      const email = form.getByLabel("E-mail");
      const submit = form.getByRole("button", { name: "Subscribe" });
      const errorOf = (id) => trustCenter.host.locator(`#${id}`).textContent();
      const alert = form.locator("[role=alert]");
      const status = form.locator("[role=status]");
      const focusedId = () => trustCenter.host.evaluate((host) => host.shadowRoot.activeElement?.id ?? null);

      // Client-side check first: nothing is sent.
      await submit.click();
      assert.equal(await email.getAttribute("aria-invalid"), "true");
      assert.equal(await errorOf("tc-subscribe-email-error"), "Enter an e-mail address like name@company.com.");
      assert.equal(await focusedId(), "tc-subscribe-email");
      assert.equal(subscription.posts.length, 0);

      // A 400 with a field error: shown next to the field, what was typed is kept.
      await email.fill("ana@example.com");
      await form.getByLabel("Documents").uncheck();
      await submit.click();
      await assert.doesNotReject(alert.filter({ hasText: "did not accept" }).waitFor());
      assert.equal(await errorOf("tc-subscribe-email-error"), "This address cannot receive mail.");
      assert.equal(await email.getAttribute("aria-invalid"), "true");
      assert.equal(await email.inputValue(), "ana@example.com");
      assert.equal(await form.getByLabel("Documents").isChecked(), false);
      assert.deepEqual(subscription.posts[0].categories, ["subprocessors", "certifications", "policies", "other"]);
      assert.equal(subscription.posts[0].email, "ana@example.com");

      // Another address: a new body, so a new key; the service fails (502) and the input stays.
      await email.fill("ana@vendor-customer.example");
      await submit.click();
      await alert.filter({ hasText: "HTTP 502" }).waitFor();
      assert.ok((await alert.textContent()).includes('<img src=x onerror="window.__tcPwned=1">try later'), await alert.textContent());
      assert.equal(await form.locator("img").count(), 0, "no element was made from the service's words");
      assert.equal(await page.evaluate(() => window.__tcPwned), undefined);
      assert.equal(await email.getAttribute("aria-invalid"), null, "the old field error is gone");
      assert.equal(await email.inputValue(), "ana@vendor-customer.example");
      // The retry sends the same request with the same key; 202 confirms.
      await submit.click();
      await status.filter({ hasText: "Check the inbox of ana@vendor-customer.example" }).waitFor();
      assert.equal(await alert.textContent(), "");

      assert.deepEqual(subscription.problems, [], "every body had the contract's shape");
      assert.equal(subscription.posts.length, 3);
      assert.notEqual(subscription.posts[0].idempotency_key, subscription.posts[1].idempotency_key);
      assert.equal(subscription.posts[1].idempotency_key, subscription.posts[2].idempotency_key);
      assert.deepEqual(subscription.posts[2], subscription.posts[1], "the retry is the same request");
    } finally {
      await context.close();
      subscription.server.close();
    }
  });
});
