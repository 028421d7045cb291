#!/usr/bin/env node
// Writes benchmark manifests: the demo manifest with its lists grown to a given size.
//
//   node bench/tools/make-manifest.mjs --base public/demo/manifest.json --out FILE
//        (--as-is | --scale X | --target-bytes N) [--intake-url URL]
//
// --as-is keeps the base lists (the demo manifest itself, minus the logo, as compact JSON).
// --scale 1 = 1,000 subprocessors, 200 documents and 500 FAQ entries (the "large manifest" of
// issue 7); --scale 2 and 4 double and quadruple every list. --target-bytes N picks the smallest
// scale (in steps of 0.01) whose compact JSON is at least N bytes (the ~100 KB verification
// benchmark). Entries are compact but realistic (names, purposes, locations, a link on every
// fourth subprocessor, one- or two-sentence FAQ answers) so that even scale 4 still fits in the
// widget's 1 MiB envelope limit after base64. The output is compact JSON (the signed bytes).
// Prints one JSON line: {"file","bytes","subprocessors","documents","faq"}.

import { readFileSync, writeFileSync } from "node:fs";

const PURPOSES = [
  "Cloud hosting", "Email delivery", "Error tracking", "Customer support", "Payments",
  "Log storage", "Analytics", "Identity provider",
];
const LOCATIONS = ["EU", "United States", "Germany", "Ireland", "United Kingdom", "Global"];
const KINDS = ["policy", "pentest_summary", "statement_of_applicability", "other"];
const TOPICS = [
  "encryption", "backups", "access reviews", "incident response", "vendor risk", "logging",
  "retention", "key rotation", "single sign-on", "data residency",
];

const pad = (n) => String(n).padStart(4, "0");

function subprocessor(i) {
  const entry = {
    name: `Vendor ${pad(i)}`,
    purpose: PURPOSES[i % PURPOSES.length],
    locations: [LOCATIONS[i % LOCATIONS.length]],
  };
  if (i % 4 === 0) entry.url = `https://v${pad(i)}.example/security`;
  return entry;
}

function document(i) {
  return {
    id: `doc-${pad(i)}`,
    title: `Policy ${pad(i)}`,
    kind: KINDS[i % KINDS.length],
    access: "nda",
    updated_on: "2026-09-01",
  };
}

function faqEntry(i) {
  const topic = TOPICS[i % TOPICS.length];
  return {
    id: `q-${pad(i)}`,
    question: `How do you handle ${topic} (${pad(i)})?`,
    answer: `We review ${topic} every quarter and record the result.`,
  };
}

/** The base manifest with `scale` × (1000 subprocessors, 200 documents, 500 FAQ entries) added. */
export function buildManifest(base, scale, intakeUrl) {
  const manifest = structuredClone(base);
  delete manifest.organization.logo_url; // no extra image request: both pages load the same bytes
  if (intakeUrl && manifest.access_requests) manifest.access_requests.intake_url = intakeUrl;
  const count = (n) => Math.max(0, Math.round(n * scale));
  const subs = count(1000);
  const docs = count(200);
  const faqs = count(500);
  manifest.subprocessors = Array.from({ length: subs }, (_, i) => subprocessor(i));
  // Keep the documents the SOC 2 / ISO sections refer to; add generated ones up to the count.
  const kept = base.documents.slice(0, Math.min(base.documents.length, docs || base.documents.length));
  manifest.documents = [...kept, ...Array.from({ length: Math.max(0, docs - kept.length) }, (_, i) => document(i))];
  manifest.faq = Array.from({ length: faqs }, (_, i) => faqEntry(i));
  return manifest;
}

function main(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const value = () => argv[++i];
    switch (argv[i]) {
      case "--base": options.base = value(); break;
      case "--out": options.out = value(); break;
      case "--scale": options.scale = Number(value()); break;
      case "--target-bytes": options.targetBytes = Number(value()); break;
      case "--as-is": options.asIs = true; break;
      case "--intake-url": options.intakeUrl = value(); break;
      default: throw new Error(`unknown option ${argv[i]}`);
    }
  }
  if (!options.base || !options.out || !(options.asIs || options.scale > 0 || options.targetBytes > 0)) {
    throw new Error("usage: make-manifest.mjs --base FILE --out FILE (--as-is | --scale X | --target-bytes N) [--intake-url URL]");
  }
  const base = JSON.parse(readFileSync(options.base, "utf8"));
  let manifest;
  let text;
  if (options.asIs) {
    manifest = structuredClone(base);
    delete manifest.organization.logo_url;
    if (options.intakeUrl && manifest.access_requests) manifest.access_requests.intake_url = options.intakeUrl;
    text = JSON.stringify(manifest);
  } else if (options.scale > 0) {
    manifest = buildManifest(base, options.scale, options.intakeUrl);
    text = JSON.stringify(manifest);
  } else {
    for (let scale = 0.01; ; scale += 0.01) {
      manifest = buildManifest(base, scale, options.intakeUrl);
      text = JSON.stringify(manifest);
      if (Buffer.byteLength(text) >= options.targetBytes) break;
    }
  }
  writeFileSync(options.out, text);
  console.log(JSON.stringify({
    file: options.out,
    bytes: Buffer.byteLength(text),
    subprocessors: manifest.subprocessors.length,
    documents: manifest.documents.length,
    faq: manifest.faq.length,
  }));
}

main(process.argv.slice(2));
