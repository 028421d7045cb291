// The loader (public/trust-center.js) starts downloading the envelope as soon as the element
// connects, in parallel with the wasm, and hands the pending response to the widget. These specs
// prove that this path is really taken (one request for the envelope, not two) and that it changes
// nothing the widget enforces: the signature over the exact bytes, the Content-Length pre-check and
// the actual-length check, the HTTP status and network failures with their reasons, and a download
// for an address other than the one the widget would request is never used.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";

import { launchBrowser, newPage } from "./support/browser.mjs";
import { e2eEnv } from "./support/env.mjs";
import { TrustCenterPage } from "./support/trust-center-page.mjs";

const MAX_ENVELOPE_BYTES = 1_048_576;

/**
 * A loopback server for answers the static server cannot give: a body larger than the limit sent
 * without Content-Length (chunked), and an HTTP error status. CORS-enabled, as a vendor's would be.
 */
async function startOddServer() {
  const server = createServer((request, response) => {
    const cors = { "access-control-allow-origin": "*", "cache-control": "no-store" };
    if (request.url === "/chunked-oversize.json") {
      response.writeHead(200, { ...cors, "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      for (let sent = 0; sent <= MAX_ENVELOPE_BYTES; sent += chunk.length) response.write(chunk);
      response.end("{}");
    } else if (request.url === "/unavailable.json") {
      response.writeHead(503, { ...cors, "content-type": "text/plain" });
      response.end("maintenance\n");
    } else {
      response.writeHead(404, cors);
      response.end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

describe("the envelope download started by the loader", () => {
  let browser;
  let odd;
  before(async () => {
    browser = await launchBrowser();
    odd = await startOddServer();
  });
  after(async () => {
    await browser?.close();
    await odd?.close();
  });

  const { fixtures, publicKey, organization } = e2eEnv().fixtures;

  /**
   * Opens the test host with `manifest`; returns state, error code, shown text, the envelope
   * requests and whether one was made while the wasm download was still held back (only the
   * loader can make it then: the widget's own request needs the wasm).
   */
  async function load(manifest, { prepare } = {}) {
    const { baseUrl } = e2eEnv();
    const { context, page } = await newPage(browser);
    try {
      const requested = [];
      let envelopeRequested;
      const firstEnvelopeRequest = new Promise((resolve) => (envelopeRequested = resolve));
      page.on("request", (request) => {
        if (/\.json(\?|$)/.test(request.url())) {
          requested.push(request.url());
          envelopeRequested(true);
        }
      });
      let beforeWasm = false;
      await page.route(/_bg\.wasm$/, async (route) => {
        const timeout = new Promise((resolve) => setTimeout(() => resolve(false), 5_000));
        beforeWasm = await Promise.race([firstEnvelopeRequest, timeout]);
        await route.continue();
      });
      if (prepare) await prepare(page);
      const trustCenter = new TrustCenterPage(page, baseUrl);
      await trustCenter.openHost({ manifest, "public-key": publicKey, dev: "" });
      const state = await trustCenter.waitForSettled();
      return {
        state,
        code: await trustCenter.errorCode(),
        text: await trustCenter.shadowText(),
        marked: await trustCenter.hasVerifiedMark(),
        requested,
        beforeWasm,
      };
    } finally {
      await context.close();
    }
  }

  /** Asserts the error state with `code`, no verified mark and none of the manifest's claims. */
  function assertRefused(result, code) {
    assert.equal(result.state, "error", `state (data-error-code=${result.code})`);
    assert.equal(result.code, code);
    assert.equal(result.marked, false, "no verified mark on failure");
    for (const claim of [organization, "SOC 2® Type", "Certificate number", "Verified:"]) {
      assert.ok(!result.text.includes(claim), `the error page shows "${claim}"`);
    }
  }

  const requestsFor = (result, path) => result.requested.filter((url) => url.endsWith(path)).length;
  const assertPrefetched = (result) =>
    assert.ok(result.beforeWasm, "the loader requested the envelope before the wasm had loaded");

  it("is used: the valid envelope is requested once and verified", async () => {
    const result = await load(fixtures.valid.url);
    assertPrefetched(result);
    assert.equal(result.state, "verified", `state (data-error-code=${result.code})`);
    assert.ok(result.marked, "verified mark set");
    assert.equal(requestsFor(result, fixtures.valid.url), 1, `requests: ${result.requested.join(", ")}`);
  });

  it("does not skip the signature: a tampered envelope is refused", async () => {
    const result = await load(fixtures.tampered.url);
    assertPrefetched(result);
    assertRefused(result, "bad_signature");
    assert.equal(requestsFor(result, fixtures.tampered.url), 1, `requests: ${result.requested.join(", ")}`);
  });

  it("does not skip the Content-Length pre-check: a too-large envelope is refused", async () => {
    const result = await load(fixtures.oversize.url);
    assertPrefetched(result);
    assertRefused(result, "too_large");
    assert.match(result.text, /too large/);
    assert.equal(requestsFor(result, fixtures.oversize.url), 1, `requests: ${result.requested.join(", ")}`);
  });

  it("does not skip the actual-length check: a too-large body without Content-Length is refused", async () => {
    const url = `${odd.url}/chunked-oversize.json`;
    const result = await load(url);
    assertPrefetched(result);
    assertRefused(result, "too_large");
    assert.match(result.text, new RegExp(`at most ${MAX_ENVELOPE_BYTES} bytes`));
    assert.equal(requestsFor(result, "/chunked-oversize.json"), 1, `requests: ${result.requested.join(", ")}`);
  });

  it("reports an HTTP error status with the status", async () => {
    const result = await load(`${odd.url}/unavailable.json`);
    assertPrefetched(result);
    assertRefused(result, "http_status");
    assert.match(result.text, /HTTP 503/);
  });

  it("reports a network failure with its reason and the address", async () => {
    const url = fixtures.valid.url;
    const result = await load(url, {
      prepare: (page) => page.route((target) => target.pathname === url, (route) => route.abort("connectionrefused")),
    });
    assertPrefetched(result);
    assertRefused(result, "network");
    assert.match(result.text, /Could not reach the trust-center file/);
    assert.ok(result.text.includes(url), `the reason names ${url}: ${result.text}`);
  });

  it("is not used for another address: a manifest attribute changed after the download started", async () => {
    // The host page changes the attribute right after the loader has started its download of the
    // valid envelope (before the wasm has loaded): the widget must request the new address itself.
    const result = await load(fixtures.valid.url, {
      prepare: (page) =>
        page.addInitScript(
          ({ from, to }) => {
            const realFetch = window.fetch;
            window.fetch = function (input, init) {
              const response = realFetch.call(this, input, init);
              if (typeof input === "string" && input === from) {
                document.querySelector("trust-center")?.setAttribute("manifest", to);
              }
              return response;
            };
          },
          { from: fixtures.valid.url, to: fixtures.tampered.url },
        ),
    });
    assertRefused(result, "bad_signature");
    assert.equal(requestsFor(result, fixtures.tampered.url), 1, `requests: ${result.requested.join(", ")}`);
  });
});
