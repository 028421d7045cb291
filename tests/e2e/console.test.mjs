// The review console in real Chromium with a virtual WebAuthn authenticator (DevTools protocol):
// a reviewer created by `trustctl console add-reviewer` enrols a passkey through the printed link,
// signs out and in again (the pre-sign-in session id is not accepted afterwards: no fixation), sees a
// request submitted through the public API, approves it with the keyboard only, the approval e-mail
// arrives on the loopback SMTP server, its link's Download button (a POST) serves the file, the
// download shows in the request's timeline, axe-core finds no
// violations on the inbox and request pages, and removing the reviewer from the CLI signs them out.
// It runs twice: on the service's SQLite file, and on a fresh database of the PostgreSQL cluster that
// scripts/test.sh starts (TEST_POSTGRES_URL, with TEST_POSTGRES_BIN for psql; required when CI=true,
// skipped with a note otherwise).
//
// The spec starts its own `trustctl serve` (public API + console listeners on free loopback ports) with
// its own configuration; it needs E2E_TRUSTCTL (default target/release/trustctl) and the mail catcher
// of scripts/test.sh's e2e layer (E2E_SMTP_PORT, E2E_MAILDIR). UPDATE_SCREENSHOTS=1 writes docs/screenshots/console-inbox.png.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { axeViolations, formatViolations } from "./support/axe.mjs";
import { downloadLinkIn, waitForMail } from "./support/mail.mjs";
import { launchBrowser, newPage } from "./support/browser.mjs";
import { writeIntakeConfig } from "../../scripts/write-intake-config.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TRUSTCTL = process.env.E2E_TRUSTCTL || path.join(REPO, "target/release/trustctl");
const MANIFEST = path.join(REPO, "public/demo/manifest.json");

/** A TCP port on 127.0.0.1 that is free right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `trustctl serve` and resolves once both listeners have announced themselves. */
function startService(configPath, env) {
  const child = spawn(TRUSTCTL, ["serve", "--config", configPath], { stdio: ["ignore", "pipe", "pipe"], env });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`trustctl serve did not start:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      const console = output.match(/trust-intake console on (http:\/\/localhost:\d+)/);
      if (console && /trust-intake listening on/.test(output)) {
        clearTimeout(timer);
        resolve({ child, consoleUrl: console[1], log: () => output });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`trustctl serve exited with ${code}:\n${output}`));
    });
  });
}

/** Presses Tab until `locator` has focus (at most `limit` presses): proves it is reachable by keyboard. */
async function tabTo(page, locator, limit = 40) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await locator.evaluate((element) => element === document.activeElement)) return;
  }
  throw new Error(`could not reach ${locator} with the Tab key`);
}

/** A new, empty database on the test cluster for one run, as a postgres:// URL. */
function freshPostgresDatabase(clusterUrl) {
  const name = `console_e2e_${process.pid}_${Date.now()}`;
  const psql = path.join(process.env.TEST_POSTGRES_BIN || "/usr/bin", "psql");
  execFileSync(psql, ["-d", clusterUrl, "-qc", `CREATE DATABASE ${name}`], { stdio: ["ignore", "ignore", "inherit"] });
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const POSTGRES_SKIP = process.env.TEST_POSTGRES_URL
  ? false
  : "TEST_POSTGRES_URL is not set (scripts/test.sh e2e starts a PostgreSQL cluster and sets it)";
if (POSTGRES_SKIP && process.env.CI === "true") {
  throw new Error(`the console e2e must also run on PostgreSQL in CI: ${POSTGRES_SKIP}`);
}

for (const engine of [
  { name: "SQLite", skip: false, databaseUrl: () => undefined, env: {} },
  // Instances sharing a PostgreSQL database must share the link-signing secret, so the service
  // refuses to generate one per machine: the run gives it one, as an operator would.
  {
    name: "PostgreSQL",
    skip: POSTGRES_SKIP,
    databaseUrl: () => freshPostgresDatabase(process.env.TEST_POSTGRES_URL),
    env: { TRUST_INTAKE_SIGNING_SECRET: randomBytes(32).toString("base64url") },
  },
]) describe(`review console on ${engine.name} (passkeys in Chromium's virtual authenticator)`, { skip: engine.skip }, () => {
  let dir, service, browser, publicUrl, configPath;
  const requiredEnv = (name) => {
    if (!process.env[name]) throw new Error(`${name} is not set: run this spec through scripts/test.sh e2e`);
    return process.env[name];
  };

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "console-e2e-"));
    const [publicPort, consolePort] = [await freePort(), await freePort()];
    configPath = path.join(dir, "intake.toml");
    writeIntakeConfig({
      manifestPath: MANIFEST,
      out: configPath,
      listen: `127.0.0.1:${publicPort}`,
      origins: ["http://127.0.0.1:9"],
      autoApprove: ["partner.example"],
      consoleListen: `127.0.0.1:${consolePort}`,
      smtpPort: requiredEnv("E2E_SMTP_PORT"),
      databaseUrl: engine.databaseUrl(),
    });
    publicUrl = `http://127.0.0.1:${publicPort}`;
    service = await startService(configPath, { ...process.env, ...engine.env });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    service?.child.kill("SIGTERM");
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const trustctl = (...args) =>
    execFileSync(TRUSTCTL, [...args, "--config", configPath], { encoding: "utf8", env: { ...process.env, ...engine.env } });

  it("enrol → sign in → approve by keyboard → the e-mail arrives → download in the timeline", async () => {
    const { consoleUrl } = service;
    const printed = trustctl("console", "add-reviewer", "alice");
    const enrolLink = printed.match(/http:\/\/localhost:\d+\/enrol\/\S+/)?.[0];
    assert.ok(enrolLink?.startsWith(consoleUrl), printed);

    const { context, page, problems } = await newPage(browser);
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    // Enrolment: the link signs the new reviewer in.
    await page.goto(enrolLink);
    await page.getByRole("button", { name: "Create a passkey for alice" }).click();
    await page.waitForURL(`${consoleUrl}/inbox`, { timeout: 10_000 }).catch(async (error) => {
      const status = await page.locator("[data-webauthn-status]").textContent();
      throw new Error(`enrolment did not finish: "${status}" ${problems.join("; ")} (${error.message})`);
    });
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Inbox");
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    assert.equal(credentials.length, 1, "one passkey was created in the authenticator");

    // The link works once.
    const reuse = await page.request.get(enrolLink);
    assert.equal(reuse.status(), 404);

    // Sign out, then sign in with the passkey.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in$/, { timeout: 10_000 }).catch(async (error) => {
      throw new Error(`sign-out: ${page.url()} ${await page.locator("main").textContent()} (${error.message})`);
    });
    const preSignIn = (await context.cookies(consoleUrl)).find((c) => c.name === "tc_console");
    assert.ok(preSignIn, "the sign-in page sets a pre-sign-in session cookie");
    assert.equal(preSignIn.httpOnly, true);
    assert.equal(preSignIn.sameSite, "Strict");
    let violations = await axeViolations(page, { minimumImpact: "minor", include: null });
    assert.equal(violations.length, 0, `axe on the sign-in page:\n${formatViolations(violations)}`);
    // The sign-in options for alice (a real passkey) and for a name nobody has look alike: the same
    // fields, one credential each (the second a decoy), so the answer tells nobody who exists.
    const [real, decoy] = await page.evaluate(async (names) => {
      const csrf = document.querySelector("[data-csrf]").dataset.csrf;
      const ask = (name) => fetch("/sign-in/options", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify({ name }),
      }).then((reply) => reply.json());
      return Promise.all(names.map(ask));
    }, ["alice", "mallory"]);
    const keys = (value) => value && typeof value === "object" && !Array.isArray(value)
      ? Object.keys(value).sort().map((key) => `${key}:${keys(value[key])}`).join(",")
      : typeof value;
    assert.equal(keys(decoy.publicKey), keys(real.publicKey));
    assert.equal(real.publicKey.allowCredentials.length, 1);
    assert.equal(decoy.publicKey.allowCredentials.length, 1);
    assert.deepEqual(Object.keys(decoy.publicKey.allowCredentials[0]).sort(),
      Object.keys(real.publicKey.allowCredentials[0]).sort());
    await page.getByLabel("Reviewer name").fill("alice");
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(`${consoleUrl}/inbox`, { timeout: 10_000 }).catch(async (error) => {
      const status = await page.locator("[data-webauthn-status]").textContent();
      throw new Error(`sign-in did not finish: "${status}" ${problems.join("; ")} (${error.message})`);
    });
    const signedIn = (await context.cookies(consoleUrl)).find((c) => c.name === "tc_console");
    assert.notEqual(signedIn.value, preSignIn.value, "signing in issues a new session id");
    // Session fixation: the id from before sign-in opens nothing afterwards.
    const fixated = await fetch(`${consoleUrl}/inbox`, {
      headers: { cookie: `tc_console=${preSignIn.value}` },
      redirect: "manual",
    });
    assert.equal(fixated.status, 303);
    assert.match(fixated.headers.get("location"), /^\/sign-in/);

    // A request arrives through the public API, as the widget sends it.
    const submitted = await fetch(`${publicUrl}/v1/access-requests`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "Jane Doe",
        email: "jane@prospect.example",
        company: "Prospect Ltd",
        reason: "Vendor due diligence",
        document_id: "soc2-type2-2026",
        nda_version: "2026-03",
        nda_sha256: "7d30b5d9af1e5441dfa29f35a5f9abc6d4df6be785592204ae64ebf25d0fea23",
        nda_accepted: true,
        idempotency_key: "console-e2e-submission-0001",
      }),
    });
    assert.equal(submitted.status, 201);
    const { request_id: requestId } = await submitted.json();
    // partner.example is on the auto-approve list: the inbox shows that rule.
    for (const [i, company] of ["Northwind Traders", "Contoso Bank", "Partner Networks"].entries()) {
      const other = await fetch(`${publicUrl}/v1/access-requests`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          name: "Sam Lee",
          email: `sam${i}@${company.split(" ")[0].toLowerCase()}.example`,
          company,
          document_id: ["soa-v7", "pentest-summary-2026", "soc2-type2-2026"][i],
          nda_version: "2026-03",
          nda_sha256: "7d30b5d9af1e5441dfa29f35a5f9abc6d4df6be785592204ae64ebf25d0fea23",
          nda_accepted: true,
          idempotency_key: `console-e2e-submission-100${i}`,
        }),
      });
      assert.equal(other.status, 201);
    }

    await page.reload();
    const row = page.locator(`tr[data-request-id="${requestId}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), /Prospect Ltd.*jane@prospect\.example.*prospect\.example.*soc2-type2-2026.*pending/s);
    const partnerRow = page.locator("tr", { hasText: "Partner Networks" });
    assert.match(await partnerRow.textContent(), /approved.*partner\.example is on the auto-approve list/s);
    violations = await axeViolations(page, { minimumImpact: "minor", include: null });
    assert.equal(violations.length, 0, `axe on the inbox:\n${formatViolations(violations)}`);
    if (process.env.UPDATE_SCREENSHOTS && engine.name === "SQLite") {
      await page.setViewportSize({ width: 1280, height: 640 });
      await page.screenshot({ path: path.join(REPO, "docs/screenshots/console-inbox.png") });
    }

    // Keyboard only: Tab to the request, Enter; Tab to the days field, type; Tab to the button, Enter.
    await page.locator("body").focus();
    await tabTo(page, row.getByRole("link", { name: "Prospect Ltd" }));
    await page.keyboard.press("Enter");
    await page.waitForURL(`${consoleUrl}/requests/${requestId}`);
    await tabTo(page, page.getByLabel("Access for (days)"));
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("14");
    await page.keyboard.press("Tab");
    await page.keyboard.type("NDA on file; approved from the keyboard");
    await tabTo(page, page.getByRole("button", { name: "Approve and send the link" }), 5);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${consoleUrl}/requests/${requestId}?done=approved`);
    assert.match(await page.getByRole("status").first().textContent(), /Approved/);
    const timeline = page.locator("ol.timeline");
    assert.match(await timeline.textContent(), /Approved\s+by reviewer:alice/);
    assert.match(await timeline.textContent(), /NDA on file; approved from the keyboard/);
    violations = await axeViolations(page, { minimumImpact: "minor", include: null });
    assert.equal(violations.length, 0, `axe on the request page:\n${formatViolations(violations)}`);

    // The requester's e-mail arrives on the loopback SMTP server; its link opens the download page,
    // whose button (a form POST) serves the file.
    const email = await waitForMail(
      (m) => m.envelope_to === "jane@prospect.example" && m.subject.startsWith("Your access to")
        && m.text.includes(`${publicUrl}/v1/downloads/`),
      { what: "the approval e-mail" },
    );
    const link = downloadLinkIn(email.text);
    assert.match(await timeline.textContent(), /E-mail to jane@prospect\.example/);

    // The requester downloads; the reviewer sees it in the timeline.
    const download = await fetch(link, {
      method: "POST",
      headers: { "user-agent": "console-e2e requester", "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    assert.equal(download.status, 200);
    assert.equal(Buffer.from(await download.arrayBuffer()).subarray(0, 5).toString("latin1"), "%PDF-");
    await page.reload();
    assert.match(await page.locator("ol.timeline").textContent(), /Downloaded\s+by the requester\s+from 127\.0\.0\.1/);

    // The overview counts the download and the decision; its page is accessible too.
    await page.getByRole("link", { name: "Overview and export" }).click();
    await page.waitForURL(`${consoleUrl}/overview`);
    assert.match(await page.locator("main").textContent(), /soc2-type2-2026\s*1/);
    violations = await axeViolations(page, { minimumImpact: "minor", include: null });
    assert.equal(violations.length, 0, `axe on the overview:\n${formatViolations(violations)}`);

    // Removing the reviewer from the CLI signs them out at once.
    trustctl("console", "remove-reviewer", "alice");
    await page.reload();
    await page.waitForURL(/\/sign-in\?next=/);
    assert.deepEqual(problems.filter((p) => !/status of 40[134]/.test(p)), []);
    await context.close();
  });
});
