// The whole journey through e-mail, with nothing copied by hand: a visitor submits the widget's NDA form,
// receives the receipt by e-mail (real SMTP on loopback), the vendor is notified and approves with
// `trustctl requests approve`, the approval e-mail arrives, the visitor opens its link in the browser
// and gets the document, and the audit trail records the download.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

import { launchBrowser, newPage } from "./support/browser.mjs";
import { e2eEnv } from "./support/env.mjs";
import { downloadLinkIn, waitForMail } from "./support/mail.mjs";
import { TrustCenterPage } from "./support/trust-center-page.mjs";

const VISITOR = {
  name: "Grace Hopper",
  email: `grace.hopper+${Date.now()}@example.com`,
  company: "Compilers & Co",
  reason: "Supplier security review",
};

function trustctl(args) {
  const { trustctl, intakeConfig } = e2eEnv();
  return execFileSync(trustctl, [...args, "--config", intakeConfig], { encoding: "utf8" });
}

/**
 * Opens a download link from an e-mail the way the visitor does and returns the document's bytes.
 * The one place that knows how a link becomes a file: a direct attachment, or an HTML page whose
 * button (a form POST) starts the download.
 */
async function openLinkAndGetDocument(page, link) {
  await page.goto(link);
  const button = page.getByRole("button", { name: "Download" });
  const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
  return download.path();
}

describe("request journey through e-mail", () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it("form → receipt e-mail → approve → link e-mail → document → audit trail", async () => {
    const { baseUrl, fixtures } = e2eEnv();
    const { page, context } = await newPage(browser, { acceptDownloads: true });
    try {
      const trustCenter = new TrustCenterPage(page, baseUrl);
      await trustCenter.openHost({ manifest: "/fixtures/valid.json", "public-key": fixtures.publicKey, dev: "" });
      await trustCenter.waitForState("verified");
      await trustCenter.getByRole("button", { name: "Request report under NDA" }).click();
      const form = trustCenter.host.locator("form.tc-nda__form");
      await form.getByLabel("Full name").fill(VISITOR.name);
      await form.getByLabel("Work e-mail").fill(VISITOR.email);
      await form.getByLabel("Company").fill(VISITOR.company);
      await form.getByLabel("Why do you need it?").fill(VISITOR.reason);
      await form.getByLabel(/I have read and accept the non-disclosure agreement/).check();
      await trustCenter.getByRole("button", { name: "Send request" }).click();
      const done = trustCenter.host.locator("[data-request-id]");
      await done.waitFor({ timeout: 15_000 });
      const requestId = await done.getAttribute("data-request-id");
      assert.match(requestId, /^req_[0-9a-f]{32}$/);

      // The receipt reaches the visitor's mailbox with what they accepted.
      const stored = JSON.parse(trustctl(["requests", "show", requestId, "--json"])).request;
      const receipt = await waitForMail((m) => m.envelope_to === VISITOR.email && m.text.includes(requestId), {
        what: "the receipt",
      });
      assert.equal(receipt.content_type, "multipart/alternative");
      assert.ok(receipt.text.includes(stored.nda_version) && receipt.text.includes(stored.nda_sha256));
      assert.ok(receipt.html.includes(stored.nda_sha256));

      // The vendor's notice carries the command to decide; the vendor runs it.
      const notice = await waitForMail(
        (m) => m.envelope_to === "security@vendor.example" && m.text.includes(requestId),
        { what: "the vendor's notice" },
      );
      assert.ok(notice.text.includes(`trustctl requests approve ${requestId}`));
      assert.ok(notice.html.includes("Compilers &amp; Co"), "requester text is escaped in the HTML part");
      trustctl(["requests", "approve", requestId, "--by", "e2e"]);

      // The approval e-mail arrives; its link (text and HTML part alike) gets the visitor the document.
      const approval = await waitForMail(
        (m) => m.envelope_to === VISITOR.email && m.subject.startsWith("Your access to"),
        { what: "the approval e-mail" },
      );
      const link = downloadLinkIn(approval.text);
      assert.ok(approval.html.includes(link.replaceAll("/", "&#x2f;")) || approval.html.includes(link));
      const file = await openLinkAndGetDocument(page, link);
      assert.equal(readFileSync(file).subarray(0, 5).toString("latin1"), "%PDF-");
      // The document the visitor got is stamped for them (read back with poppler's pdftotext).
      const extracted = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
      const flat = extracted.replace(/\s+/g, " ");
      assert.ok(flat.includes(requestId), `the stamp names the request: ${flat}`);
      assert.ok(flat.includes(VISITOR.email), `the stamp names the recipient: ${flat}`);

      // The audit trail shows the download.
      const audit = JSON.parse(trustctl(["requests", "show", requestId, "--json"])).audit.map((e) => e.event);
      assert.deepEqual(audit.slice(0, 2), ["submitted", "approved"]);
      assert.ok(audit.includes("downloaded"), `audit trail: ${audit.join(", ")}`);
    } finally {
      await context.close();
    }
  });
});
