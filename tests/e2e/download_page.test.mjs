// The e-mailed download link in real Chromium with JavaScript switched off, against the real intake
// service (`trustctl serve`): the link opens the download page (strict CSP, no script) and records a page
// view, not a download; the page's Download button (a form POST) delivers the PDF stamped for this
// recipient (read back with poppler's pdftotext) and records exactly one download; `trustctl requests
// trace` names the request the saved file came from. The page also passes axe.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { axeViolations, formatViolations } from "./support/axe.mjs";
import { launchBrowser, newPage } from "./support/browser.mjs";
import { e2eEnv } from "./support/env.mjs";

const CSP = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Submit a request over HTTP (as the widget would) and approve it with trustctl; returns id and link. */
async function approvedRequest(name) {
  const { intakeUrl, trustctl, intakeConfig, fixtures } = e2eEnv();
  const documentId = fixtures.documentIds.includes("soc2-type2-2026") ? "soc2-type2-2026" : fixtures.documentIds[0];
  const response = await fetch(`${intakeUrl}/v1/access-requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      name,
      email: "dana.reviewer@prospect.example",
      company: "Prospect & Partners",
      document_id: documentId,
      nda_version: "2026-01",
      nda_sha256: "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b",
      nda_accepted: true,
      idempotency_key: `e2e-download-page-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
    }),
  });
  const receipt = await response.text();
  assert.equal(response.status, 201, receipt);
  const { request_id: id } = JSON.parse(receipt);
  const output = execFileSync(trustctl, ["requests", "approve", id, "--config", intakeConfig, "--by", "e2e"], {
    encoding: "utf8",
  });
  const link = output.match(/https?:\/\/\S+\/v1\/downloads\/\S+/)?.[0];
  assert.ok(link, output);
  return { id, link };
}

function auditEvents(id) {
  const { trustctl, intakeConfig } = e2eEnv();
  const shown = JSON.parse(
    execFileSync(trustctl, ["requests", "show", id, "--config", intakeConfig, "--json"], { encoding: "utf8" }),
  );
  return shown.audit.map((event) => event.event);
}

describe("the download page behind the e-mailed link", () => {
  let browser;
  let scratch;
  before(async () => {
    browser = await launchBrowser();
    scratch = mkdtempSync(path.join(tmpdir(), "download-page-"));
  });
  after(async () => {
    await browser?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("shows the page on GET without counting a download, and the button delivers a stamped PDF", async () => {
    const { id, link } = await approvedRequest("Dana <b>Reviewer</b>");
    const { context, page, problems } = await newPage(browser, { javaScriptEnabled: false, acceptDownloads: true });
    try {
      const styles = [];
      page.on("response", (response) => {
        if (response.url().endsWith("/download-page.css")) styles.push(response.status());
      });
      const response = await page.goto(link);
      assert.equal(response.status(), 200);
      const headers = response.headers();
      assert.equal(headers["content-security-policy"], CSP);
      assert.equal(headers["referrer-policy"], "no-referrer");
      assert.equal(headers["cache-control"], "no-store");
      await page.getByRole("heading", { level: 1 }).waitFor();
      const text = await page.locator("main").innerText();
      assert.match(text, /Dana <b>Reviewer<\/b>, Prospect & Partners <dana\.reviewer@prospect\.example>/);
      assert.match(text, /NDA version 2026-01/);
      assert.match(text, /Access until\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
      assert.match(text, /stamped on every page/);
      assert.equal(await page.locator("main b").count(), 0, "requester text must not become markup");
      assert.deepEqual(styles, [200], "the page's stylesheet loads under its own CSP");
      assert.deepEqual(auditEvents(id), ["submitted", "approved", "page_viewed"]);

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Download" }).click(),
      ]);
      const file = path.join(scratch, "downloaded.pdf");
      await download.saveAs(file);
      const extracted = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
      const flat = extracted.replace(/\s+/g, " ");
      assert.match(flat, /Placeholder for/, "the document's own text is still there");
      assert.ok(flat.includes(id), `the stamp names the request: ${flat}`);
      assert.ok(flat.includes("dana.reviewer@prospect.example"), flat);
      assert.ok(flat.includes("Confidential \u2014 shared under NDA 2026-01"), flat);
      assert.deepEqual(auditEvents(id), ["submitted", "approved", "page_viewed", "downloaded"]);
      // Chromium reports a navigation that turns into a download as an aborted request; that one is
      // the download itself, anything else is a problem.
      const unexpected = problems.filter((p) => p !== `request failed: ${link} (net::ERR_ABORTED)`);
      assert.deepEqual(unexpected, [], unexpected.join("\n"));

      const { trustctl, intakeConfig } = e2eEnv();
      const traced = spawnSync(trustctl, ["requests", "trace", file, "--config", intakeConfig], { encoding: "utf8" });
      assert.equal(traced.status, 0, traced.stdout + traced.stderr);
      assert.ok(traced.stdout.includes(`Traced to    ${id}`), traced.stdout);
      assert.match(traced.stdout, /<- this copy/);
    } finally {
      await context.close();
    }
  });

  it("refuses a tampered link with an error page and no button", async () => {
    const { link } = await approvedRequest("Tamper Test");
    const tampered = link.slice(0, -3) + (link.at(-3) === "A" ? "B" : "A") + link.slice(-2);
    const { context, page } = await newPage(browser, { javaScriptEnabled: false });
    try {
      const response = await page.goto(tampered);
      assert.equal(response.status(), 403);
      assert.equal(response.headers()["content-security-policy"], CSP);
      assert.match(await page.locator("h1").innerText(), /cannot be used/);
      assert.equal(await page.getByRole("button").count(), 0);
    } finally {
      await context.close();
    }
  });

  it("has no serious accessibility violations", async () => {
    const { link } = await approvedRequest("Axe Check");
    const { context, page } = await newPage(browser);
    try {
      await page.goto(link);
      const violations = await axeViolations(page, { include: null });
      assert.deepEqual(violations, [], formatViolations(violations));
    } finally {
      await context.close();
    }
  });
});
