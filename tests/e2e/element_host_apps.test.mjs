// The packaged widget in real host apps: `npm pack` of the built package (scripts/package-widget.mjs)
// is installed into fresh copies of examples/{plain,react,vue}, each built with Vite and driven in
// Chromium against envelopes signed at test time:
//  - plain page: the element written in the HTML verifies; the wasm comes from Vite's assets;
//  - React 19: the widget on one hash route; ten route changes (mount/unmount each time) verify
//    every time and leave no listener behind (DevTools protocol); theme and manifest toggles
//    re-verify, with the events' version reaching the app;
//  - Vue 3: v-if hides/shows the widget, a bound attribute switches the manifest.
// npm installs are cached in E2E_HOST_APPS_DIR (default target/e2e-host-apps/): the first run
// downloads Vite, React and Vue from the npm registry; later runs only reinstall the tarball.

import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { startStaticServer } from "../../scripts/static-server.mjs";
import { packageWidget } from "../../scripts/package-widget.mjs";
import { launchBrowser, newPage } from "./support/browser.mjs";
import { REPO_ROOT, keyId, namedManifest, startElementSite } from "./element/support.mjs";

const APPS = ["plain", "react", "vue"];
const WORK = process.env.E2E_HOST_APPS_DIR || path.join(REPO_ROOT, "target/e2e-host-apps");

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options });
}

/** Packs the widget, installs it (and the apps' dependencies, cached) and builds the three apps. */
function prepareApps(env) {
  const started = Date.now();
  mkdirSync(WORK, { recursive: true });
  const { tarball } = packageWidget({ dist: path.join(REPO_ROOT, "dist"), out: path.join(WORK, "package") });
  // One install for the three apps: the union of their dependencies, the widget from the tarball.
  const dependencies = {};
  for (const app of APPS) {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "examples", app, "package.json"), "utf8"));
    Object.assign(dependencies, manifest.dependencies, manifest.devDependencies);
  }
  dependencies["trust-center-widget"] = `file:${tarball}`;
  // For the type check of the package's declarations.
  Object.assign(dependencies, { typescript: "^5.9.0", "@types/react": "^19.0.0" });
  const packageJson = JSON.stringify({ name: "trust-center-host-apps", private: true, type: "module", dependencies }, null, 2);
  const fresh = !existsSync(path.join(WORK, "node_modules")) || readFileSyncOr(path.join(WORK, "package.json")) !== packageJson;
  writeFileSync(path.join(WORK, "package.json"), packageJson);
  rmSync(path.join(WORK, "node_modules/trust-center-widget"), { recursive: true, force: true });
  run("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"], { cwd: WORK });
  const installed = Date.now();
  for (const app of APPS) {
    const dir = path.join(WORK, "apps", app);
    rmSync(dir, { recursive: true, force: true });
    cpSync(path.join(REPO_ROOT, "examples", app), dir, { recursive: true });
    rmSync(path.join(dir, "package.json")); // the shared install one level up serves all three
    run(path.join(WORK, "node_modules/.bin/vite"), ["build", "--logLevel", "warn"], { cwd: dir, env: { ...process.env, ...env } });
  }
  console.log(
    `host apps: npm install ${((installed - started) / 1000).toFixed(1)} s (${fresh ? "dependencies changed or first run" : "cached"}), ` +
      `3 Vite builds ${((Date.now() - installed) / 1000).toFixed(1)} s; vite ${JSON.parse(readFileSync(path.join(WORK, "node_modules/vite/package.json"), "utf8")).version}`,
  );
}

function readFileSyncOr(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** Listener counts on window, through the DevTools protocol. */
async function windowListeners(cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  const { result } = await cdp.send("Runtime.evaluate", { expression: "window" });
  const { listeners } = await cdp.send("DOMDebugger.getEventListeners", { objectId: result.objectId });
  await cdp.send("Runtime.releaseObject", { objectId: result.objectId });
  const dom = await cdp.send("Memory.getDOMCounters");
  return { total: listeners.length, hashchange: listeners.filter((l) => l.type === "hashchange").length, jsEventListeners: dom.jsEventListeners };
}

function widgetState(page) {
  return page.evaluate(() => {
    const all = document.querySelectorAll("trust-center");
    const element = all[0];
    const root = element?.shadowRoot;
    return {
      count: all.length,
      state: element?.dataset.state ?? null,
      theme: root?.querySelector(".tc-root")?.dataset.theme ?? null,
      text: root ? root.textContent : "",
      outcome: document.getElementById("outcome")?.textContent ?? document.getElementById("status")?.textContent ?? null,
    };
  });
}

async function waitVerified(page, organization) {
  await page.waitForFunction(
    (name) => {
      const element = document.querySelector("trust-center");
      return element?.dataset.state === "verified" && element.shadowRoot.textContent.includes(name);
    },
    organization,
    { timeout: 15_000 },
  );
}

describe("host apps built with Vite from the packed widget", () => {
  let browser;
  let site;
  const servers = {};
  before(async () => {
    site = await startElementSite();
    site.sign("alpha.json", namedManifest("Alpha Vendor Ltd", 3));
    site.sign("beta.json", namedManifest("Beta Vendor GmbH", 4));
    prepareApps({
      VITE_TRUST_CENTER_MANIFEST: "/alpha.json",
      VITE_TRUST_CENTER_OTHER_MANIFEST: "/beta.json",
      VITE_TRUST_CENTER_PUBLIC_KEY: site.key().publicKey,
    });
    for (const app of APPS) {
      servers[app] = await startStaticServer({ roots: [site.dir, path.join(WORK, "apps", app, "dist")] });
    }
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    for (const server of Object.values(servers)) await server.close();
    await site?.close();
  });

  it("TypeScript: the declarations type the element, its attributes and events, and React's JSX", () => {
    const dir = path.join(WORK, "typecheck");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true, noEmit: true, jsx: "react-jsx", target: "es2022", module: "esnext",
          moduleResolution: "bundler", lib: ["dom", "es2022"], types: [], skipLibCheck: false,
        },
        include: ["check.tsx"],
      }),
    );
    writeFileSync(
      path.join(dir, "check.tsx"),
      `import "trust-center-widget";
import "trust-center-widget/react";
import type { TrustCenterElement, TrustCenterErrorDetail } from "trust-center-widget";

const element: TrustCenterElement | null = document.querySelector("trust-center");
element?.addEventListener("trust-center:verified", (event) => {
  const version: number = event.detail.version;
  const keyIds: string[] = event.detail.keyIds;
  console.log(version, keyIds, element.dataset.state);
});
element?.addEventListener("trust-center:error", (event) => {
  const detail: TrustCenterErrorDetail = event.detail;
  console.log(detail.code, detail.message);
});
// @ts-expect-error: the detail of trust-center:verified has no code
element?.addEventListener("trust-center:verified", (event) => event.detail.code);

export const ok = <trust-center manifest="/m.json" public-key="KEY" theme="dark" threshold={2} dev />;
// @ts-expect-error: theme is auto, light or dark
export const badTheme = <trust-center manifest="/m.json" public-key="KEY" theme="blue" />;
// @ts-expect-error: manifest is required
export const noManifest = <trust-center public-key="KEY" />;
`,
    );
    const tsc = path.join(WORK, "node_modules/.bin/tsc");
    try {
      run(tsc, ["-p", dir]);
    } catch (error) {
      assert.fail(`tsc found errors:\n${error.stdout}${error.stderr}`);
    }
  });

  it("plain page: the element in the HTML verifies, loading the wasm from Vite's assets", async () => {
    const { context, page, problems } = await newPage(browser);
    const wasm = [];
    page.on("response", (response) => response.url().endsWith(".wasm") && wasm.push(new URL(response.url()).pathname));
    await page.goto(servers.plain.url);
    await waitVerified(page, "Alpha Vendor Ltd");
    await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("Verified"));
    const shown = await widgetState(page);
    assert.equal(shown.outcome, `Verified: version 3, signed by ${keyId(site.key().publicKey)}`);
    assert.equal(wasm.length, 1);
    assert.match(wasm[0], /^\/assets\/.+\.wasm$/, "the wasm is one of the app's built assets");
    assert.deepEqual(problems, []);
    await context.close();
  });

  it("React: route changes mount and unmount the widget cleanly; attribute toggles re-verify", async () => {
    const { context, page, problems } = await newPage(browser);
    const cdp = await context.newCDPSession(page);
    await page.addInitScript(() => {
      window.__verified = 0;
      document.addEventListener("trust-center:verified", () => (window.__verified += 1));
    });
    await page.goto(`${servers.react.url}#/`);
    await page.getByRole("heading", { name: "Welcome" }).waitFor();
    assert.equal((await widgetState(page)).count, 0);
    const counts = [];
    for (let visit = 0; visit < 10; visit += 1) {
      await page.getByRole("link", { name: "Security" }).click();
      await waitVerified(page, "Alpha Vendor Ltd");
      await page.getByRole("link", { name: "About" }).click();
      await page.getByRole("heading", { name: "About us" }).waitFor();
      assert.equal((await widgetState(page)).count, 0, "the route without the widget has none");
      counts.push(await windowListeners(cdp));
    }
    console.log(`React, after each of 10 Security → About round trips: window listeners ${counts.map((c) => c.total).join(" ")}; JS listeners ${counts.map((c) => c.jsEventListeners).join(" ")}`);
    assert.equal(counts.at(-1).hashchange, counts[0].hashchange, "no hashchange listener left per visit");
    assert.ok(counts.at(-1).total <= counts[0].total, "window listeners flat");
    assert.ok(counts.at(-1).jsEventListeners - counts[1].jsEventListeners <= 5, "JS listeners flat");

    await page.getByRole("link", { name: "Security" }).click();
    await waitVerified(page, "Alpha Vendor Ltd");
    assert.equal((await widgetState(page)).theme, "light");
    const verifiedBefore = await page.evaluate(() => window.__verified);
    await page.getByRole("button", { name: "Theme: light" }).click();
    await page.waitForFunction((count) => window.__verified === count + 1, verifiedBefore);
    await waitVerified(page, "Alpha Vendor Ltd");
    assert.equal((await widgetState(page)).theme, "dark");
    await page.getByRole("button", { name: "Switch manifest" }).click();
    await waitVerified(page, "Beta Vendor GmbH");
    await page.waitForFunction(() => document.getElementById("outcome").textContent.includes("version 4"));
    const shown = await widgetState(page);
    assert.doesNotMatch(shown.text, /Alpha Vendor Ltd/);
    assert.equal(shown.theme, "dark");
    assert.deepEqual(problems, []);
    await context.close();
  });

  it("Vue: v-if hides and shows the widget, a bound attribute switches the manifest", async () => {
    const { context, page, problems } = await newPage(browser);
    await page.goto(servers.vue.url);
    await waitVerified(page, "Alpha Vendor Ltd");
    await page.waitForFunction(() => document.getElementById("outcome").textContent.includes("version 3"));
    await page.getByRole("button", { name: "Hide trust center" }).click();
    assert.equal((await widgetState(page)).count, 0);
    await page.getByRole("button", { name: "Show trust center" }).click();
    await waitVerified(page, "Alpha Vendor Ltd");
    await page.getByRole("button", { name: "Switch manifest" }).click();
    await waitVerified(page, "Beta Vendor GmbH");
    await page.waitForFunction(() => document.getElementById("outcome").textContent.includes("version 4"));
    assert.doesNotMatch((await widgetState(page)).text, /Alpha Vendor Ltd/);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
