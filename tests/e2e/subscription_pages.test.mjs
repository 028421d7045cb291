// The subscription e-mail's links in real Chromium with JavaScript switched off, against the real intake
// service (`trustctl serve`) and the loopback SMTP server: a subscribe request (as the widget's form
// sends it) brings a confirmation e-mail; its link opens the confirmation page (strict CSP, no script)
// and does not confirm; the page's button does. The confirmed page leads to the preferences page
// (categories saved), whose button unsubscribes. The pages pass axe.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

import { axeViolations, formatViolations } from "./support/axe.mjs";
import { launchBrowser, newPage } from "./support/browser.mjs";
import { e2eEnv } from "./support/env.mjs";
import { waitForMail } from "./support/mail.mjs";

const CSP = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The subscription of `email` as `trustctl notices --subscribers --json` reports it. */
function subscription(email) {
  const { trustctl, intakeConfig } = e2eEnv();
  const all = JSON.parse(
    execFileSync(trustctl, ["notices", "--subscribers", "--json", "--config", intakeConfig], { encoding: "utf8" }),
  );
  return all.find((s) => s.email === email);
}

/** Subscribes `email` over HTTP and returns the confirmation link from the e-mail that arrives. */
async function subscribeAndReadLink(email, categories) {
  const { intakeUrl } = e2eEnv();
  const response = await fetch(`${intakeUrl}/v1/subscriptions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email,
      categories,
      idempotency_key: `e2e-subscription-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
    }),
  });
  const answer = await response.text();
  assert.equal(response.status, 202, answer);
  assert.deepEqual(JSON.parse(answer), { status: "confirmation_sent" });
  const mail = await waitForMail((m) => m.envelope_to === email, { what: `the confirmation to ${email}` });
  assert.match(mail.subject, /confirm/i);
  const link = /https?:\/\/\S+\/v1\/subscriptions\/confirm\?token=[A-Za-z0-9_.-]+/.exec(mail.text)?.[0];
  assert.ok(link, mail.text);
  return link;
}

describe("the subscription pages behind the e-mailed links", () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it("confirms only with the button, then saves categories and unsubscribes", async () => {
    const email = `e2e-subscriber-${Date.now()}@customer.example`;
    const link = await subscribeAndReadLink(email, ["subprocessors"]);
    const { context, page, problems } = await newPage(browser, { javaScriptEnabled: false });
    try {
      const styles = [];
      page.on("response", (response) => {
        if (response.url().endsWith("/download-page.css")) styles.push(response.status());
      });
      const response = await page.goto(link);
      assert.equal(response.status(), 200);
      assert.equal(response.headers()["content-security-policy"], CSP);
      assert.equal(response.headers()["referrer-policy"], "no-referrer");
      assert.equal(await page.locator("h1").innerText(), "Confirm your subscription");
      const text = await page.locator("main").innerText();
      assert.ok(text.includes(email), text);
      assert.match(text, /Subprocessors/);
      assert.match(text, /Consent wording version/);
      assert.deepEqual(styles, [200], "the page's stylesheet loads under its own CSP");
      await page.reload();
      assert.equal(subscription(email).status, "pending", "opening the link confirms nothing");

      await page.getByRole("button", { name: "Confirm subscription" }).click();
      await page.getByRole("heading", { name: "Subscription confirmed" }).waitFor();
      const confirmed = subscription(email);
      assert.equal(confirmed.status, "confirmed");
      assert.equal(confirmed.confirm_ip, "127.0.0.1");
      assert.ok(confirmed.consent_version);

      await page.getByRole("link", { name: "Change categories or unsubscribe" }).click();
      await page.getByRole("heading", { name: "Your trust center updates" }).waitFor();
      assert.equal(await page.getByRole("checkbox", { name: /Subprocessors/ }).isChecked(), true);
      await page.getByRole("checkbox", { name: /Policies/ }).check();
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("status").waitFor();
      assert.equal(subscription(email).categories, "subprocessors,policies");

      await page.getByRole("button", { name: "Unsubscribe from everything" }).click();
      await page.getByRole("heading", { name: "You are unsubscribed" }).waitFor();
      assert.equal(subscription(email).status, "unsubscribed");
      assert.deepEqual(problems, [], problems.join("\n"));
    } finally {
      await context.close();
    }
  });

  it("refuses an altered link with an error page and no button", async () => {
    const link = await subscribeAndReadLink(`e2e-altered-${Date.now()}@customer.example`, ["other"]);
    const altered = link.slice(0, -3) + (link.at(-3) === "A" ? "B" : "A") + link.slice(-2);
    const { context, page } = await newPage(browser, { javaScriptEnabled: false });
    try {
      const response = await page.goto(altered);
      assert.equal(response.status(), 403);
      assert.equal(response.headers()["content-security-policy"], CSP);
      assert.match(await page.locator("h1").innerText(), /cannot be used/);
      assert.equal(await page.getByRole("button").count(), 0);
    } finally {
      await context.close();
    }
  });

  it("has no serious accessibility violations on the confirmation and preferences pages", async () => {
    const link = await subscribeAndReadLink(`e2e-axe-${Date.now()}@customer.example`, ["documents"]);
    const { context, page } = await newPage(browser);
    try {
      await page.goto(link);
      let violations = await axeViolations(page, { include: null });
      assert.deepEqual(violations, [], formatViolations(violations));
      await page.getByRole("button", { name: "Confirm subscription" }).click();
      await page.getByRole("link", { name: "Change categories or unsubscribe" }).click();
      await page.getByRole("heading", { name: "Your trust center updates" }).waitFor();
      violations = await axeViolations(page, { include: null });
      assert.deepEqual(violations, [], formatViolations(violations));
    } finally {
      await context.close();
    }
  });
});
