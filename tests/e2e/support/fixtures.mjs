#!/usr/bin/env node
// Generates the signed fixtures the end-to-end specs load into the widget: a valid envelope signed with
// `trustctl`, and the ways one can be wrong (tampered payload, signed by another key, expired, not JSON,
// too large, unsupported schema version, no signatures, wrong payload type, signed non-JSON payload).
// Everything is real: real Ed25519 keys from `trustctl keygen`, real signatures. A few broken cases are
// ones `trustctl sign` rightly refuses to produce (it checks the manifest first); those are signed here
// with Node's own Ed25519 over the same DSSE pre-authentication encoding, which also cross-checks that
// the widget accepts signatures made by an independent implementation.
//
//   node tests/e2e/support/fixtures.mjs --out DIR --trustctl target/release/trustctl \
//        --manifest public/demo/manifest.json --intake-url http://127.0.0.1:PORT [--index-html index.html]
//
// Writes DIR/site/{index.html,.well-known/trust-center.json,fixtures/*.json,fixtures.json} and DIR/keys/.

import { createHash, createPrivateKey, sign as ed25519Sign } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import { isMain } from "../../../scripts/lib/cli.mjs";

export const PAYLOAD_TYPE = "application/vnd.trust-center.manifest+json";
export const MAX_ENVELOPE_BYTES = 1_048_576;

/** DSSE v1 pre-authentication encoding. */
export function pae(payloadType, payload) {
  const type = Buffer.from(payloadType, "utf8");
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `),
    type,
    Buffer.from(` ${payload.length} `),
    payload,
  ]);
}

/** Key id as the manifest crate defines it: lowercase hex SHA-256 of the raw 32-byte public key. */
export function keyId(publicKeyBase64) {
  return createHash("sha256").update(Buffer.from(publicKeyBase64, "base64")).digest("hex");
}

/** Sign `payload` (Buffer) with a trustctl `.key` file (base64 of the 32-byte seed) into a DSSE envelope. */
export function signWithNode(payload, keyFile, publicKeyBase64, payloadType = PAYLOAD_TYPE) {
  const seed = Buffer.from(readFileSync(keyFile, "utf8").trim(), "base64");
  if (seed.length !== 32) throw new Error(`${keyFile} does not hold a 32-byte Ed25519 seed`);
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  const privateKey = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
  const signature = ed25519Sign(null, pae(payloadType, payload), privateKey);
  return {
    payloadType,
    payload: payload.toString("base64"),
    signatures: [{ keyid: keyId(publicKeyBase64), sig: signature.toString("base64") }],
  };
}

function run(trustctl, args) {
  return execFileSync(trustctl, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Generate every fixture. Returns the index that is also written to site/fixtures.json. */
export function generateFixtures({ out, trustctl, manifestPath, intakeUrl, indexHtml }) {
  const keysDir = path.join(out, "keys");
  const manifestsDir = path.join(out, "manifests");
  const siteDir = path.join(out, "site");
  const fixturesDir = path.join(siteDir, "fixtures");
  for (const dir of [keysDir, manifestsDir, fixturesDir, path.join(siteDir, ".well-known")]) {
    mkdirSync(dir, { recursive: true });
  }

  run(trustctl, ["keygen", "--out", path.join(keysDir, "signer"), "--force"]);
  run(trustctl, ["keygen", "--out", path.join(keysDir, "other"), "--force"]);
  const signerKey = path.join(keysDir, "signer.key");
  const otherKey = path.join(keysDir, "other.key");
  const publicKey = readFileSync(path.join(keysDir, "signer.pub"), "utf8").trim();
  const otherPublicKey = readFileSync(path.join(keysDir, "other.pub"), "utf8").trim();

  const base = JSON.parse(readFileSync(manifestPath, "utf8"));
  if (base.access_requests && intakeUrl) base.access_requests.intake_url = intakeUrl;
  const writeManifest = (name, manifest) => {
    const file = path.join(manifestsDir, `${name}.json`);
    writeFileSync(file, JSON.stringify(manifest, null, 2) + "\n");
    return file;
  };
  const fixturePath = (name) => path.join(fixturesDir, `${name}.json`);
  const signedBy = {};
  /** trustctl first; Node signing only when trustctl refuses a deliberately broken manifest. */
  const signManifest = (name, manifest, key, keyPublic, { allowNodeFallback = false } = {}) => {
    const file = writeManifest(name, manifest);
    try {
      run(trustctl, ["sign", file, "--key", key, "--out", fixturePath(name), "--dev"]);
      signedBy[name] = "trustctl";
    } catch (error) {
      if (!allowNodeFallback) {
        throw new Error(`trustctl sign refused the ${name} fixture:\n${error.stderr || error.message}`);
      }
      const envelope = signWithNode(readFileSync(file), key, keyPublic);
      writeFileSync(fixturePath(name), JSON.stringify(envelope, null, 2) + "\n");
      signedBy[name] = "node";
    }
    return JSON.parse(readFileSync(fixturePath(name), "utf8"));
  };
  const writeEnvelope = (name, envelope, signer = "node") => {
    writeFileSync(fixturePath(name), typeof envelope === "string" ? envelope : JSON.stringify(envelope, null, 2) + "\n");
    signedBy[name] = signer;
  };

  // valid: what a vendor publishes.
  const valid = signManifest("valid", base, signerKey, publicKey);
  writeFileSync(path.join(siteDir, ".well-known", "trust-center.json"), JSON.stringify(valid, null, 2) + "\n");

  // tampered: one character of the signed payload changed after signing.
  const payload = Buffer.from(valid.payload, "base64").toString("utf8");
  const tamperedPayload = payload.replace(base.organization.name, base.organization.name + "!");
  if (tamperedPayload === payload) throw new Error("could not tamper with the payload (organization.name not found)");
  writeEnvelope("tampered", { ...valid, payload: Buffer.from(tamperedPayload).toString("base64") }, "trustctl+edit");

  // wrong-key: a perfectly good signature, by a key the page does not trust.
  signManifest("wrong-key", base, otherKey, otherPublicKey);

  // expired: expires_at in the past.
  signManifest("expired", { ...base, issued_at: "2024-01-01", expires_at: "2024-06-30" }, signerKey, publicKey, {
    allowNodeFallback: true,
  });

  // unsupported-version: a future schema the widget does not know.
  signManifest("unsupported-version", { ...base, schema_version: 2 }, signerKey, publicKey, {
    allowNodeFallback: true,
  });

  // malformed: not JSON at all.
  writeEnvelope("malformed", '{"payloadType": "application/vnd.trust-center.manifest+json", "payload": ', "none");

  // no-signatures: well-formed envelope with an empty signature list.
  writeEnvelope("no-signatures", { ...valid, signatures: [] }, "none");

  // wrong-payload-type: signed, but declares another content type.
  writeEnvelope(
    "wrong-payload-type",
    signWithNode(Buffer.from(payload), signerKey, publicKey, "application/json"),
  );

  // malformed-manifest: correctly signed bytes that are not a manifest.
  writeEnvelope("malformed-manifest", signWithNode(Buffer.from("this is not JSON"), signerKey, publicKey));

  // oversize: a valid envelope padded past the 1 MiB limit (whitespace is still valid JSON).
  const validText = JSON.stringify(valid);
  writeEnvelope("oversize", validText + " ".repeat(MAX_ENVELOPE_BYTES + 1 - validText.length + 16), "trustctl+padding");

  const fixture = (name, expect, errorCodes, description) => ({
    url: `/fixtures/${name}.json`,
    expect,
    errorCodes,
    description,
    signedBy: signedBy[name],
  });
  const index = {
    publicKey,
    otherPublicKey,
    keyId: keyId(publicKey),
    intakeUrl,
    documentIds: (base.documents ?? []).map((document) => document.id),
    organization: base.organization.name,
    fixtures: {
      valid: fixture("valid", "verified", [], "signed by the trusted key"),
      tampered: fixture("tampered", "error", ["bad_signature", "threshold_not_met"], "payload changed after signing"),
      "wrong-key": fixture("wrong-key", "error", ["untrusted_key", "threshold_not_met"], "signed by a key the page does not pin"),
      expired: fixture("expired", "error", ["expired"], "expires_at is in the past"),
      "unsupported-version": fixture("unsupported-version", "error", ["unsupported_schema_version"], "schema_version 2"),
      malformed: fixture("malformed", "error", ["malformed_envelope"], "not JSON"),
      "no-signatures": fixture("no-signatures", "error", ["no_signatures"], "empty signature list"),
      "wrong-payload-type": fixture("wrong-payload-type", "error", ["wrong_payload_type"], "payloadType application/json"),
      "malformed-manifest": fixture("malformed-manifest", "error", ["malformed_manifest"], "signed bytes are not a manifest"),
      oversize: fixture("oversize", "error", ["too_large"], "envelope larger than 1 MiB"),
      // No file behind these: the server answers 404, or nothing listens (port 9 on loopback).
      "not-found": { ...fixture("not-found", "error", ["http_status"], "the envelope URL answers 404"), url: "/fixtures/no-such-envelope.json" },
      unreachable: { ...fixture("unreachable", "error", ["network"], "nothing listens at the envelope URL"), url: "http://127.0.0.1:9/trust-center.json" },
    },
  };
  writeFileSync(path.join(siteDir, "fixtures.json"), JSON.stringify(index, null, 2) + "\n");

  if (indexHtml && existsSync(indexHtml)) {
    const html = readFileSync(indexHtml, "utf8").replaceAll("{{DEMO_PUBLIC_KEY}}", publicKey);
    writeFileSync(path.join(siteDir, "index.html"), html);
  }
  return index;
}

function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: "string" },
      trustctl: { type: "string" },
      manifest: { type: "string" },
      "intake-url": { type: "string" },
      "index-html": { type: "string" },
    },
    strict: true,
  });
  const options = {
    out: values.out,
    trustctl: values.trustctl,
    manifestPath: values.manifest,
    intakeUrl: values["intake-url"],
    indexHtml: values["index-html"],
  };
  if (!options.out || !options.trustctl || !options.manifestPath) {
    throw new Error("usage: fixtures.mjs --out DIR --trustctl PATH --manifest FILE [--intake-url URL] [--index-html FILE]");
  }
  const index = generateFixtures(options);
  const names = Object.keys(index.fixtures);
  console.log(`fixtures: ${names.length} envelopes (${names.join(", ")}) in ${path.join(options.out, "site")}`);
}

if (isMain(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`fixtures: ${error.message}`);
    process.exit(1);
  }
}
