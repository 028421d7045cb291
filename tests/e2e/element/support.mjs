// Shared helpers for the custom-element specs (tests/e2e/element_*.test.mjs): a loopback site of
// their own serving the built bundle under /dist and envelopes signed at test time with real
// Ed25519 keys (made with node:crypto), plus page helpers that drive <trust-center> elements.

import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { startStaticServer } from "../../../scripts/static-server.mjs";
import { currentManifest } from "../security/support.mjs";
import { keyId, signWithNode } from "../support/fixtures.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, "../../..");
export { currentManifest, keyId };

/**
 * A temporary site: envelopes are written into a fresh directory served at `/`, the bundle at
 * `/dist`, and this folder's pages (site/) behind them.
 */
export async function startElementSite({ headers = {}, extraRoots = [] } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "trust-center-element-"));
  const server = await startStaticServer({
    roots: [dir, path.join(HERE, "site"), ...extraRoots],
    mounts: { "/dist": path.join(REPO_ROOT, "dist") },
    headers,
  });
  const keys = new Map();
  return {
    dir,
    url: server.url,
    /** A fresh real Ed25519 key: { keyFile, publicKey } (base64 of the raw 32 bytes). */
    key(name = "vendor") {
      if (!keys.has(name)) {
        const { privateKey, publicKey } = generateKeyPairSync("ed25519");
        const seed = privateKey.export({ format: "jwk" }).d;
        const raw = publicKey.export({ format: "jwk" }).x;
        const keyFile = path.join(dir, `${name}.key`);
        writeFileSync(keyFile, Buffer.from(seed, "base64url").toString("base64"));
        keys.set(name, { keyFile, publicKey: Buffer.from(raw, "base64url").toString("base64") });
      }
      return keys.get(name);
    },
    /** Signs `manifest` with key `keyName` into `fileName`; returns its URL path. */
    sign(fileName, manifest, keyName = "vendor") {
      const { keyFile, publicKey } = this.key(keyName);
      const envelope = signWithNode(Buffer.from(JSON.stringify(manifest, null, 2), "utf8"), keyFile, publicKey);
      writeFileSync(path.join(dir, fileName), JSON.stringify(envelope));
      return `/${fileName}`;
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A manifest whose organisation name and version say which one the page shows. */
export function namedManifest(name, version) {
  const manifest = currentManifest({ version });
  manifest.organization = { ...manifest.organization, name };
  return manifest;
}

/**
 * Adds a <trust-center id=…> with `attributes` to the page's #host and returns nothing; the
 * element starts loading at once (the loader is already on the page).
 */
export async function addWidget(page, attributes, id = "tc") {
  await page.evaluate(
    ({ attributes, id }) => {
      const element = document.createElement("trust-center");
      element.id = id;
      for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
      document.getElementById("host").append(element);
    },
    { attributes, id },
  );
}

/** Waits for data-state `state` on #id, failing with the state actually reached. */
export async function waitForState(page, state, id = "tc", timeout = 15_000) {
  try {
    await page.waitForFunction(
      ({ state, id }) => document.getElementById(id)?.dataset.state === state,
      { state, id },
      { timeout },
    );
  } catch (error) {
    const actual = await page.evaluate((id) => {
      const element = document.getElementById(id);
      return `${element?.dataset.state} ${element?.dataset.errorCode ?? ""}`;
    }, id);
    throw new Error(`#${id} did not reach data-state="${state}" (it is ${actual})`, { cause: error });
  }
}

/** What #id shows: data-state, error code and the text of its shadow root. */
export async function widgetSnapshot(page, id = "tc") {
  return page.evaluate((id) => {
    const element = document.getElementById(id);
    const root = element?.shadowRoot;
    return {
      state: element?.dataset.state ?? null,
      errorCode: element?.dataset.errorCode ?? null,
      text: root ? [...root.children].map((child) => child.textContent).join(" ") : "",
      banner: root?.querySelector(".tc-banner") ? true : false,
      mounts: root ? [...root.children].filter((child) => child.classList.contains("tc-mount")).length : 0,
    };
  }, id);
}
