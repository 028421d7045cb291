// Issue 17's journey with nothing copied by hand and nothing stubbed, starting in the widget: a
// customer opens the trust page (real Chromium, the strict CSP, the widget verifying a signed v1) and
// subscribes in the widget's "What's changed" form, which posts to the real intake service (`trustctl
// serve`, allowed origin by CORS); the confirmation e-mail arrives on the loopback SMTP server, its
// link's page confirms (the button, not the GET); the vendor adds a subprocessor and signs v2 with
// `trustctl sign` at the same address; the widget, reloaded in the same browser profile, shows it under
// "What's changed" marked new since the last visit (v1's entries not); `trustctl notify` queues one
// notice per subscriber, which arrives with the RFC 8058 headers, and a second run queues nothing; one
// subscriber leaves through the notice's unsubscribe link and its page, the other through the notice's
// one-click POST. A second case subscribes over plain HTTP for the one-click POST on a confirmation
// and the forged token.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { axeViolations, formatViolations } from "./support/axe.mjs";
import { launchBrowser, newPage } from "./support/browser.mjs";
import { e2eEnv } from "./support/env.mjs";
import { readMailbox, waitForMail } from "./support/mail.mjs";
import { TrustCenterPage } from "./support/trust-center-page.mjs";

const workDir = () => path.dirname(path.dirname(process.env.E2E_FIXTURES));

function trustctl(args) {
  const { trustctl, intakeConfig } = e2eEnv();
  return execFileSync(trustctl, [...args, "--config", intakeConfig], { encoding: "utf8" });
}

/** The subscription of `email` as `trustctl notices --subscribers --json` reports it. */
function subscription(email) {
  return JSON.parse(trustctl(["notices", "--subscribers", "--json"])).find((s) => s.email === email);
}

/**
 * Signs the e2e manifest edited by `edit` with the fixtures' key (the manifest kept as
 * manifests/`name`.json) and publishes it as site/fixtures/`published`.json, so a later version can
 * replace an earlier one at the same address. Returns its URL path and file.
 */
function publish(name, edit, published = name) {
  const { trustctl } = e2eEnv();
  const manifest = JSON.parse(readFileSync(path.join(workDir(), "manifests", "valid.json"), "utf8"));
  edit(manifest);
  const manifestFile = path.join(workDir(), "manifests", `${name}.json`);
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
  const envelope = path.join(workDir(), "site", "fixtures", `${published}.json`);
  execFileSync(trustctl, ["sign", manifestFile, "--key", path.join(workDir(), "keys", "signer.key"), "--out", envelope, "--dev"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { url: `/fixtures/${published}.json`, envelope };
}

function linkIn(text, action) {
  const pattern = new RegExp(`https?://\\S+/v1/subscriptions/${action}\\?token=[A-Za-z0-9_.%-]+`);
  const link = pattern.exec(text)?.[0];
  assert.ok(link, `no ${action} link in:\n${text}`);
  return link;
}

/** What the "What's changed" section shows: each entry's element id, whether it is marked new, its badge and summary. */
async function changeEntries(trustCenter) {
  return trustCenter.host.evaluate((host) =>
    [...host.shadowRoot.querySelectorAll("#tc-changes li")].map((li) => ({
      id: li.id,
      isNew: li.classList.contains("tc-change--new"),
      badge: li.querySelector(".tc-change__new")?.textContent ?? null,
      summary: li.querySelector(".tc-change__summary")?.textContent ?? null,
    })),
  );
}

async function changesLead(trustCenter) {
  return trustCenter.host.evaluate((host) => host.shadowRoot.querySelector("#tc-changes .tc-section__lead")?.textContent);
}

/** The topic checkboxes' labels (src/changes/text.rs), in the form's order. */
const TOPICS = ["Subprocessors", "Certifications", "Documents", "Policies", "Other changes"];

/**
 * Subscribes `email` with `topics` in the widget's form and waits for the form's own confirmation,
 * which it shows only after the service answered 202.
 */
async function subscribeInWidget(trustCenter, email, topics) {
  const form = trustCenter.host.locator("form.tc-subscribe");
  await form.getByLabel("E-mail").fill(email);
  for (const topic of TOPICS) await form.getByLabel(topic, { exact: true }).setChecked(topics.includes(topic));
  await form.getByRole("button", { name: "Subscribe" }).click();
  await form.locator("[role=status]").filter({ hasText: `Check the inbox of ${email}` }).waitFor();
  assert.equal(await form.locator("[role=alert]").textContent(), "", "no error next to the form");
}

/** Confirms the subscription from its confirmation e-mail's link page (its button, not the GET). */
async function confirmFromMail(context, email) {
  const confirmation = await waitForMail((m) => m.envelope_to === email, { what: `the confirmation to ${email}` });
  assert.ok(confirmation.list_unsubscribe, "the confirmation carries List-Unsubscribe");
  const confirmPage = await context.newPage();
  await confirmPage.goto(linkIn(confirmation.text, "confirm"));
  assert.equal(subscription(email).status, "pending", "opening the link confirms nothing");
  await confirmPage.getByRole("button", { name: "Confirm subscription" }).click();
  await confirmPage.getByRole("heading", { name: "Subscription confirmed" }).waitFor();
  assert.equal(subscription(email).status, "confirmed");
  await confirmPage.close();
  return confirmation;
}

/**
 * Problems that concern this spec: uncaught page errors, and console errors or failed requests
 * involving the test sites or the intake service (a refused CORS preflight shows up here).
 */
function ownProblems(problems) {
  const { baseUrl, cspBaseUrl, intakeUrl } = e2eEnv();
  const origins = [baseUrl, cspBaseUrl, intakeUrl].map((url) => new URL(url).origin);
  return problems.filter((problem) => problem.startsWith("page error:") || origins.some((origin) => problem.includes(origin)));
}

describe("subscription journey: subscribe in the widget → confirmation → new signed version → notice → unsubscribe", () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it("subscribes in the widget, sees the new subprocessor as new since the last visit, is told once, and unsubscribes", async () => {
    const { intakeUrl, cspBaseUrl, fixtures } = e2eEnv();
    const stamp = Date.now();
    const email = `journey-${stamp}@customer.example`;
    const colleague = `journey-colleague-${stamp}@customer.example`;
    const subscribeUrl = `${intakeUrl}/v1/subscriptions`;
    let firstVersion;
    const v1Entries = (m) => [
      { id: "journey-start", version: firstVersion, date: m.issued_at, category: "documents", summary: "Security overview published." },
      { id: "journey-policy", version: firstVersion, date: m.issued_at, category: "policies", summary: "Incident response policy updated." },
    ];
    // The vendor's published envelope: v1 now, replaced by v2 at the same address later.
    const v1 = publish(
      "journey-v1",
      (m) => {
        firstVersion = m.version;
        m.updates = { subscribe_url: subscribeUrl };
        m.changes = v1Entries(m);
      },
      "journey",
    );
    // One browser profile (context) for the whole story: the last-visit memory is its localStorage.
    const { context, page, problems } = await newPage(browser);
    try {
      // 1. First visit (strict CSP; connect-src allows the intake service): v1 verifies, its history
      //    is shown, nothing is claimed as new, and the widget remembers v1 as seen.
      const trustCenter = new TrustCenterPage(page, cspBaseUrl);
      await trustCenter.openHost({ manifest: v1.url, "public-key": fixtures.publicKey, dev: "" });
      await trustCenter.waitForState("verified");
      assert.deepEqual(await changeEntries(trustCenter), [
        { id: "change-journey-start", isNew: false, badge: null, summary: "Security overview published." },
        { id: "change-journey-policy", isNew: false, badge: null, summary: "Incident response policy updated." },
      ]);
      assert.doesNotMatch(await changesLead(trustCenter), /since your last visit/);

      // 2. Subscribe in the widget's form: it posts to the real service (cross-origin, CORS), which
      //    stores a pending subscription with the ticked topics only. A colleague subscribes from the
      //    same form to every topic (the form is ready for the next address after a success).
      await subscribeInWidget(trustCenter, email, ["Subprocessors"]);
      assert.equal(subscription(email).status, "pending");
      assert.equal(subscription(email).categories, "subprocessors");
      await subscribeInWidget(trustCenter, colleague, TOPICS);
      assert.equal(subscription(colleague).status, "pending");
      assert.match(subscription(colleague).categories, /subprocessors/);

      // 3. The confirmation e-mails; each link's page confirms only with the button.
      const confirmation = await confirmFromMail(context, email);
      assert.match(confirmation.text, /Subprocessors/, "the confirmation names the chosen topic");
      assert.doesNotMatch(confirmation.text, /Certifications|Policies/, "and only that one");
      await confirmFromMail(context, colleague);

      // 4. The vendor adds a subprocessor and signs the next version, published where v1 was.
      const v2 = publish(
        "journey-v2",
        (m) => {
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
            { id: "journey-dpa", version: firstVersion + 1, date: m.issued_at, category: "policies", summary: "Data processing addendum revised." },
            ...v1Entries(m),
          ];
        },
        "journey",
      );
      assert.equal(v2.url, v1.url, "v2 replaces v1 at the published address");

      // 5. The new version verifies with the published key (what the widget and notify both require).
      execFileSync(e2eEnv().trustctl, ["verify", v2.envelope, "--public-key", path.join(workDir(), "keys", "signer.pub")], {
        stdio: ["ignore", "pipe", "pipe"],
      });

      // 6. The same browser reloads the page: the widget verifies v2 and shows the new subprocessor
      //    under "What's changed", marked new since the last visit (v1); v1's entries are not marked.
      await page.reload();
      await trustCenter.waitForState("verified");
      assert.deepEqual(await changeEntries(trustCenter), [
        {
          id: "change-journey-mail-added",
          isNew: true,
          badge: "New since your last visit",
          summary: "New subprocessor: Journey Mail Ltd (transactional e-mail, Ireland).",
        },
        { id: "change-journey-dpa", isNew: true, badge: "New since your last visit", summary: "Data processing addendum revised." },
        { id: "change-journey-start", isNew: false, badge: null, summary: "Security overview published." },
        { id: "change-journey-policy", isNew: false, badge: null, summary: "Incident response policy updated." },
      ]);
      assert.equal(await changesLead(trustCenter), `2 changes since your last visit (version ${firstVersion}).`);
      const meta = await trustCenter.host.evaluate(
        (host) => host.shadowRoot.querySelector("#change-journey-mail-added .tc-change__meta").textContent,
      );
      assert.match(meta, new RegExp(`Subprocessors · version ${firstVersion + 1}.*takes effect 1 Jan 2099`));
      // The section as a keyboard and screen-reader user meets it: the marked entry and the form.
      const violations = await axeViolations(page, { include: ["trust-center", "#tc-changes"] });
      assert.deepEqual(violations, [], formatViolations(violations));
      assert.deepEqual(ownProblems(problems), [], "no page errors or failed requests to the sites or the service");

      // 7. `trustctl notify` queues one notice per subscriber; the service delivers them.
      const key = path.join(workDir(), "keys", "signer.pub");
      const firstRun = trustctl(["notify", "--envelope", v2.envelope, "--key", key]);
      assert.match(firstRun, new RegExp(`Version ${firstVersion + 1} `));
      assert.ok(firstRun.includes(email), firstRun);
      assert.ok(firstRun.includes(colleague), firstRun);
      const notice = await waitForMail((m) => m.envelope_to === email && m.text.includes("Journey Mail Ltd"), { what: "the notice" });
      assert.equal(notice.list_unsubscribe_post, "List-Unsubscribe=One-Click");
      assert.match(notice.list_unsubscribe, /^<https?:\/\/\S+\/v1\/subscriptions\/unsubscribe\?token=/);
      assert.match(notice.text, /2099-01-01|1 Jan 2099|January 2099/);
      assert.doesNotMatch(notice.text, /Data processing addendum/, "only the topics the subscriber chose");
      const colleagueNotice = await waitForMail((m) => m.envelope_to === colleague && m.text.includes("Journey Mail Ltd"), {
        what: "the colleague's notice",
      });
      assert.match(colleagueNotice.text, /Data processing addendum revised/, "every topic for who chose every topic");

      // 8. Running it again queues nothing, and no second notice arrives.
      const secondRun = trustctl(["notify", "--envelope", v2.envelope, "--key", key]);
      assert.match(secondRun, /Queued 0 notice\(s\)/);
      assert.ok(!secondRun.includes(email), secondRun);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      for (const who of [email, colleague]) {
        const notices = readMailbox().filter((m) => m.envelope_to === who && m.text.includes("Journey Mail Ltd"));
        assert.equal(notices.length, 1, `one notice per subscriber and version (${who})`);
      }

      // 9. The notice's unsubscribe link: its page's button unsubscribes.
      const unsubscribePage = await context.newPage();
      await unsubscribePage.goto(linkIn(notice.text, "unsubscribe"));
      assert.equal(subscription(email).status, "confirmed", "opening the link unsubscribes nobody");
      await unsubscribePage.getByRole("button", { name: "Unsubscribe" }).click();
      await unsubscribePage.getByRole("heading", { name: "You are unsubscribed" }).waitFor();
      assert.equal(subscription(email).status, "unsubscribed");
      await unsubscribePage.close();

      // 10. The colleague's notice: the RFC 8058 one-click POST to its List-Unsubscribe target, as a
      //     mail provider sends it (cross-site, the fixed body, no cookies, no token in the body).
      assert.equal(colleagueNotice.list_unsubscribe_post, "List-Unsubscribe=One-Click");
      const target = /^<(\S+)>$/.exec(colleagueNotice.list_unsubscribe)?.[1];
      assert.ok(target, colleagueNotice.list_unsubscribe);
      assert.equal(subscription(colleague).status, "confirmed");
      const oneClick = await fetch(target, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://mail.provider.example" },
        body: "List-Unsubscribe=One-Click",
      });
      assert.equal(oneClick.status, 200, await oneClick.text());
      assert.equal(subscription(colleague).status, "unsubscribed");
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
