// Launches Debian's Chromium through playwright-core (Playwright cannot download its own browsers
// here). One browser per test file; each test gets a fresh context (fresh storage, fresh profile).

import { chromium } from "playwright-core";

/** Flags that keep headless Chromium quiet and working as root on a closed network. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launch headless Chromium (CHROMIUM_PATH overrides /usr/bin/chromium). Playwright gives it a new empty profile. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * A new context + page that records console errors and failed requests in `problems`, so a spec
 * can assert there were none and show them when there were.
 */
export async function newPage(browser, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const problems = [];
  // Browsers ask for /favicon.ico on their own; a page without one is not a problem of the widget.
  const ignored = (url) => /\/favicon\.ico$/.test(url ?? "");
  page.on("console", (message) => {
    const where = message.location()?.url;
    if (message.type() === "error" && !ignored(where)) problems.push(`console: ${message.text()} (${where})`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  );
  return { context, page, problems };
}
