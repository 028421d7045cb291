// The NDA request form inside the real widget, against the real intake service (`trustctl serve`):
// client-side validation (messages next to fields, aria-invalid, focus on the first problem), the happy
// path with a request id that the service really stored, the service's own field errors shown next to
// the field, and a failed submission that keeps the visitor's input — across a reload — and succeeds on
// retry with the same idempotency key.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";

import { axeViolations, formatViolations } from "./support/axe.mjs";
import { launchBrowser, newPage } from "./support/browser.mjs";
import { e2eEnv } from "./support/env.mjs";
import { TrustCenterPage } from "./support/trust-center-page.mjs";

/** Page object for the NDA request form. */
class NdaForm {
  constructor(trustCenter) {
    this.trustCenter = trustCenter;
    this.host = trustCenter.host;
    // Scoped to the form: other parts of the page have labels that contain the same words.
    this.form = trustCenter.host.locator("form.tc-nda__form");
    this.name = this.form.getByLabel("Full name");
    this.email = this.form.getByLabel("Work e-mail");
    this.company = this.form.getByLabel("Company");
    this.reason = this.form.getByLabel("Why do you need it?");
    this.accept = this.form.getByLabel(/I have read and accept the non-disclosure agreement/);
    this.send = trustCenter.getByRole("button", { name: "Send request" });
    this.retry = trustCenter.getByRole("button", { name: "Retry" });
    this.failure = trustCenter.host.locator(".tc-nda__failure");
    this.confirmation = trustCenter.host.locator(".tc-nda__done");
  }

  /** Click the SOC 2 card's request action and wait for the form. */
  async open() {
    await this.trustCenter.getByRole("button", { name: "Request report under NDA" }).click();
    await this.name.waitFor();
    return this;
  }

  async fill({ name, email, company, reason = "", accept = true }) {
    await this.name.fill(name);
    await this.email.fill(email);
    await this.company.fill(company);
    await this.reason.fill(reason);
    if (accept) await this.accept.check();
  }

  async values() {
    return {
      name: await this.name.inputValue(),
      email: await this.email.inputValue(),
      company: await this.company.inputValue(),
      reason: await this.reason.inputValue(),
      accept: await this.accept.isChecked(),
    };
  }

  /** The error message element a field points at through aria-describedby, or null. */
  async errorFor(field) {
    const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter(Boolean);
    for (const id of ids) {
      if (!id.endsWith("-error")) continue;
      return (await this.host.locator(`#${id}`).textContent()).trim();
    }
    return null;
  }

  async focusedId() {
    return this.host.evaluate((element) => element.shadowRoot?.activeElement?.id ?? null);
  }

  async requestId() {
    return this.host.locator("[data-request-id]").getAttribute("data-request-id");
  }
}

const VISITOR = {
  name: "Ada Lovelace",
  email: "ada.lovelace@example.com",
  company: "Analytical Engines Ltd",
  reason: "Annual supplier review",
};

async function openWidget(page, manifestUrl) {
  const { baseUrl, fixtures } = e2eEnv();
  const trustCenter = new TrustCenterPage(page, baseUrl);
  await trustCenter.openHost({ manifest: manifestUrl, "public-key": fixtures.publicKey, dev: "" });
  await trustCenter.waitForState("verified");
  return { trustCenter, form: await new NdaForm(trustCenter).open() };
}

/** The request as the intake service stored it (read with `trustctl requests show --json`). */
function storedRequest(requestId) {
  const { trustctl, intakeConfig } = e2eEnv();
  const output = execFileSync(trustctl, ["requests", "show", "--config", intakeConfig, requestId, "--json"], {
    encoding: "utf8",
  });
  return JSON.parse(output).request;
}

/** A loopback port nobody listens on (yet). */
async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Signs (with trustctl and the fixtures' trusted key) a copy of the valid manifest whose intake_url
 * points at `intakeUrl`, and publishes it on the test site. Returns its URL path.
 */
function publishManifestWithIntake(name, intakeUrl) {
  const { trustctl } = e2eEnv();
  const workDir = path.dirname(path.dirname(process.env.E2E_FIXTURES));
  const manifest = JSON.parse(readFileSync(path.join(workDir, "manifests", "valid.json"), "utf8"));
  manifest.access_requests.intake_url = intakeUrl;
  const manifestFile = path.join(workDir, "manifests", `${name}.json`);
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
  const out = path.join(workDir, "site", "fixtures", `${name}.json`);
  execFileSync(trustctl, ["sign", manifestFile, "--key", path.join(workDir, "keys", "signer.key"), "--out", out, "--dev"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return `/fixtures/${name}.json`;
}

/**
 * A real HTTP gateway on `port` in front of the real intake service. The first `failFirst` POSTs get
 * an HTTP 502 (with CORS headers, like a real gateway in front of the service); everything else is
 * forwarded unchanged. Records each POST body.
 */
function startGateway(port, target, { failFirst = 0 } = {}) {
  const posts = [];
  let failuresLeft = failFirst;
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      if (request.method === "POST") posts.push(JSON.parse(body.toString("utf8")));
      if (request.method === "POST" && failuresLeft > 0) {
        failuresLeft -= 1;
        response.writeHead(502, {
          "content-type": "text/plain",
          "access-control-allow-origin": request.headers.origin ?? "*",
        });
        response.end("bad gateway");
        return;
      }
      const upstream = new URL(request.url, target);
      const forward = http.request(
        upstream,
        { method: request.method, headers: { ...request.headers, host: upstream.host } },
        (reply) => {
          response.writeHead(reply.statusCode, reply.headers);
          reply.pipe(response);
        },
      );
      forward.on("error", (error) => {
        response.writeHead(500);
        response.end(String(error));
      });
      forward.end(body);
    });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve({ server, posts })));
}

/**
 * Problems that concern this spec: uncaught page errors, and console errors or failed requests
 * involving the test site or the intake service. (Assets the demo manifest points at elsewhere,
 * such as a logo on the demo server, are not part of these specs.)
 */
function ownProblems(problems) {
  const { baseUrl, intakeUrl } = e2eEnv();
  const origins = [new URL(baseUrl).origin, new URL(intakeUrl).origin];
  return problems.filter(
    (problem) => problem.startsWith("page error:") || origins.some((origin) => problem.includes(origin)),
  );
}

describe("NDA request form", () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it("validates on the client: messages next to fields, aria-invalid, focus on the first problem", async () => {
    const { context, page } = await newPage(browser);
    try {
      const { form } = await openWidget(page, e2eEnv().fixtures.fixtures.valid.url);
      await form.send.click();

      assert.equal(await form.name.getAttribute("aria-invalid"), "true");
      assert.equal(await form.errorFor(form.name), "Enter your full name.");
      assert.match(await form.errorFor(form.email), /work e-mail address/);
      assert.equal(await form.errorFor(form.company), "Enter the company you work for.");
      assert.match(await form.errorFor(form.accept), /accept the NDA/);
      assert.equal(await form.errorFor(form.reason), null, "the reason is optional");
      assert.match(await form.focusedId(), /-name$/, "focus moves to the first invalid field");

      await form.fill({ ...VISITOR, email: "ada at example" });
      await form.send.click();
      assert.equal(await form.name.getAttribute("aria-invalid"), null, "fixed fields lose their error");
      assert.match(await form.errorFor(form.email), /does not look like an e-mail address/);
      assert.match(await form.focusedId(), /-email$/);

      const violations = await axeViolations(page, { include: ["trust-center", ".tc-nda"] });
      assert.deepEqual(violations, [], formatViolations(violations));
    } finally {
      await context.close();
    }
  });

  it("sends the request to the intake service and confirms with the stored request id", async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      const { form } = await openWidget(page, e2eEnv().fixtures.fixtures.valid.url);
      // The NDA text and its version are shown before acceptance.
      assert.match(await form.host.locator(".tc-nda__terms").textContent(), /version 2026-03/);
      await form.fill(VISITOR);
      await form.send.click();

      await form.confirmation.waitFor();
      assert.match(await form.confirmation.textContent(), /Request received/);
      const requestId = await form.requestId();
      assert.match(requestId, /^req_/);

      const stored = storedRequest(requestId);
      assert.equal(stored.email, VISITOR.email);
      assert.equal(stored.name, VISITOR.name);
      assert.equal(stored.company, VISITOR.company);
      assert.equal(stored.reason, VISITOR.reason);
      assert.equal(stored.document_id, "soc2-type2-2026");
      assert.equal(stored.nda_version, "2026-03");
      assert.match(stored.idempotency_key, /^[A-Za-z0-9_-]{16,64}$/);

      // The saved draft is gone after success: a reload shows an empty form.
      await page.reload();
      await new TrustCenterPage(page, e2eEnv().baseUrl).waitForState("verified");
      const again = await new NdaForm(new TrustCenterPage(page, e2eEnv().baseUrl)).open();
      assert.deepEqual(await again.values(), { name: "", email: "", company: "", reason: "", accept: false });
      assert.deepEqual(ownProblems(problems), [], "no page errors or failed requests to the site or the service");
    } finally {
      await context.close();
    }
  });

  it("while a request is out: disabled fields and buttons, \"Sending…\", and a second press sends nothing", async () => {
    const { context, page } = await newPage(browser);
    try {
      const { form } = await openWidget(page, e2eEnv().fixtures.fixtures.valid.url);
      // Hold the request at the browser until the checks below are done, then let it through.
      let release;
      const held = new Promise((resolve) => (release = resolve));
      let posts = 0;
      await page.route("**/v1/access-requests", async (route) => {
        if (route.request().method() === "POST") posts += 1;
        await held;
        await route.continue();
      });
      await form.fill(VISITOR);
      await form.send.click();
      const busy = form.trustCenter.getByRole("button", { name: "Sending…" });
      await busy.waitFor();
      assert.equal(await busy.isDisabled(), true, "the send button is disabled");
      for (const field of [form.name, form.email, form.company, form.reason, form.accept]) {
        assert.equal(await field.isDisabled(), true, "fields are disabled while sending");
      }
      assert.equal(await form.trustCenter.getByRole("button", { name: "Clear the form" }).isDisabled(), true);
      assert.equal(await form.form.getAttribute("aria-busy"), "true");
      assert.match(await form.host.locator(".tc-nda__sending").textContent(), /Sending your request/);
      // A submission by other means (Enter, a script) while one is out sends nothing.
      await form.form.evaluate((element) => element.requestSubmit());
      release();
      await form.confirmation.waitFor();
      assert.equal(posts, 1, "exactly one request was sent");
      assert.equal(await form.form.getAttribute("aria-busy"), null);
    } finally {
      await context.close();
    }
  });

  it("keeps the idempotency key pending across retries of the same input and renews it when the input changes", async () => {
    const port = await freePort();
    const manifestUrl = publishManifestWithIntake("nda-renew", `http://127.0.0.1:${port}`);
    const { context, page } = await newPage(browser);
    try {
      const { form } = await openWidget(page, manifestUrl);
      const savedKey = () =>
        page.evaluate(() => {
          const entry = Object.keys(localStorage).find((key) => key.startsWith("trust-center:nda-draft:"));
          return entry ? (JSON.parse(localStorage.getItem(entry)).pending_key ?? null) : null;
        });
      await form.fill(VISITOR);
      assert.equal(await savedKey(), null, "no key before the first submission");
      await form.send.click();
      await form.failure.waitFor();
      const first = await savedKey();
      assert.match(first ?? "", /^[A-Za-z0-9_-]{16,64}$/, "the pending key is saved with the draft");
      await form.retry.click();
      await form.failure.waitFor();
      assert.equal(await savedKey(), first, "a retry of the same input keeps the key");
      await form.reason.fill("Changed reason");
      assert.equal(await savedKey(), null, "an edit drops the pending key");
      await form.send.click();
      await form.failure.waitFor();
      const second = await savedKey();
      assert.match(second ?? "", /^[A-Za-z0-9_-]{16,64}$/);
      assert.notEqual(second, first, "changed input gets a new key");
    } finally {
      await context.close();
    }
  });

  it("shows the service's own field errors next to the field", async () => {
    const { context, page } = await newPage(browser);
    try {
      const { form } = await openWidget(page, e2eEnv().fixtures.fixtures.valid.url);
      // The service blocks free-mail addresses; the client cannot know its list.
      await form.fill({ ...VISITOR, email: "ada.lovelace@gmail.com" });
      await form.send.click();
      await form.failure.waitFor();
      assert.match(await form.failure.textContent(), /did not accept some of your details/);
      assert.equal(await form.email.getAttribute("aria-invalid"), "true");
      assert.ok((await form.errorFor(form.email))?.length > 0, "the service's message sits next to the e-mail field");
      assert.equal(await form.email.inputValue(), "ada.lovelace@gmail.com", "input is kept");
    } finally {
      await context.close();
    }
  });

  it("keeps typed input across a reload until the visitor clears the form", async () => {
    const { context, page } = await newPage(browser);
    try {
      const manifestUrl = e2eEnv().fixtures.fixtures.valid.url;
      let { form } = await openWidget(page, manifestUrl);
      await form.fill(VISITOR);
      await page.reload();
      ({ form } = await openWidget(page, manifestUrl));
      assert.deepEqual(await form.values(), { ...VISITOR, accept: true }, "input is restored after reload");

      await form.trustCenter.getByRole("button", { name: "Clear the form" }).click();
      assert.deepEqual(await form.values(), { name: "", email: "", company: "", reason: "", accept: false });
      await page.reload();
      ({ form } = await openWidget(page, manifestUrl));
      assert.deepEqual(
        await form.values(),
        { name: "", email: "", company: "", reason: "", accept: false },
        "nothing is kept in the browser after clearing",
      );
    } finally {
      await context.close();
    }
  });

  it("keeps the input after a failed submission (also across a reload) and retries with the same key", async () => {
    const port = await freePort();
    const manifestUrl = publishManifestWithIntake("nda-gateway", `http://127.0.0.1:${port}`);
    const { context, page } = await newPage(browser);
    let gateway;
    try {
      // 1. Nothing listens on the intake address: a real network failure.
      let { form } = await openWidget(page, manifestUrl);
      await form.fill(VISITOR);
      await form.send.click();
      await form.failure.waitFor();
      assert.match(await form.failure.textContent(), new RegExp(`Could not reach .*127\\.0\\.0\\.1:${port}`));
      assert.ok(await form.retry.isVisible(), "a Retry button is offered");
      assert.deepEqual(await form.values(), { ...VISITOR, accept: true }, "input is kept");

      // 2. Reload: the input comes back from local storage.
      await page.reload();
      ({ form } = await openWidget(page, manifestUrl));
      assert.deepEqual(await form.values(), { ...VISITOR, accept: true }, "input is restored after reload");

      // 3. A gateway now answers, first with HTTP 502, then forwards to the real intake service.
      gateway = await startGateway(port, e2eEnv().intakeUrl, { failFirst: 1 });
      await form.send.click();
      await form.failure.waitFor();
      await page.waitForFunction(
        (host) => /HTTP 502/.test(host.shadowRoot.querySelector(".tc-nda__failure")?.textContent ?? ""),
        await form.host.elementHandle(),
      );
      await form.retry.click();
      await form.confirmation.waitFor();
      const requestId = await form.requestId();
      assert.match(requestId, /^req_/);

      assert.equal(gateway.posts.length, 2, "one failed and one forwarded POST");
      const [first, second] = gateway.posts;
      assert.equal(first.idempotency_key, second.idempotency_key, "the retry reuses the idempotency key");
      assert.equal(storedRequest(requestId).idempotency_key, first.idempotency_key);
      assert.equal(storedRequest(requestId).email, VISITOR.email);
    } finally {
      await context.close();
      await new Promise((resolve) => (gateway ? gateway.server.close(resolve) : resolve()));
    }
  });
});
