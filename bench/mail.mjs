#!/usr/bin/env node
// E-mail benchmark (scripts/bench.sh, section 6): the intake service delivering to the loopback SMTP
// server (aiosmtpd, storing .eml files). Prints one JSON line:
//   throughput  N requests posted at once (a receipt + a vendor notice each, 2N e-mails queued):
//               e-mails delivered per second, from the first POST to the last message stored
//   approval    M approvals, one after another, each with `trustctl requests approve`: time from the
//               command's start to the approval e-mail's file appearing (median, p99)
//
//   node bench/mail.mjs --base http://127.0.0.1:PORT --manifest FILE --config intake.toml
//        --trustctl PATH --maildir DIR [--requests 200] [--approvals 30]

import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const options = { requests: 200, approvals: 30 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const value = () => argv[++i];
  switch (argv[i]) {
    case "--base": options.base = value(); break;
    case "--manifest": options.manifest = value(); break;
    case "--config": options.config = value(); break;
    case "--trustctl": options.trustctl = value(); break;
    case "--maildir": options.maildir = value(); break;
    case "--requests": options.requests = Number(value()); break;
    case "--approvals": options.approvals = Number(value()); break;
    default: throw new Error(`unknown option ${argv[i]}`);
  }
}
for (const key of ["base", "manifest", "config", "trustctl", "maildir"]) {
  if (!options[key]) throw new Error(`--${key} is required`);
}
if (!["127.0.0.1", "localhost", "[::1]"].includes(new URL(options.base).hostname)) {
  throw new Error("loopback addresses only");
}

const manifest = JSON.parse(readFileSync(options.manifest, "utf8"));
const nda = manifest.access_requests?.nda;
const document = manifest.documents?.find((d) => d.access === "nda");
if (!nda || !document) throw new Error(`${options.manifest} has no NDA document to request`);
const runId = randomBytes(4).toString("hex");

/** Recipient (X-Envelope-To) of every stored message, by file name; files are never rewritten. */
const seen = new Map();
function scan() {
  for (const name of readdirSync(options.maildir)) {
    if (!name.endsWith(".eml") || seen.has(name)) continue;
    const head = readFileSync(path.join(options.maildir, name), "utf8").slice(0, 400);
    seen.set(name, /^X-Envelope-To: (.*)$/m.exec(head)?.[1]?.trim() ?? "");
  }
  return seen;
}
const countFor = (address) => [...scan().values()].filter((to) => to === address).length;
async function waitUntil(check, limitMs, what) {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function submit(index, prefix) {
  const response = await fetch(`${options.base}/v1/access-requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      name: `Mail Bench ${index}`,
      email: `${prefix}${index}@mail-${runId}.example`,
      company: "Acme Mail Bench",
      reason: "Benchmark of e-mail delivery on loopback.",
      document_id: document.id,
      nda_version: nda.version,
      nda_sha256: nda.sha256,
      nda_accepted: true,
      idempotency_key: `mailbench-${runId}-${prefix}-${String(index).padStart(6, "0")}`,
    }),
  });
  if (response.status !== 201) throw new Error(`POST answered ${response.status}: ${await response.text()}`);
  return (await response.json()).request_id;
}

// Throughput: a burst of requests, then wait for all their e-mails.
const before = scan().size;
const started = performance.now();
for (let i = 0; i < options.requests; i += 20) {
  const batch = [];
  for (let j = i; j < Math.min(i + 20, options.requests); j++) batch.push(submit(j, "burst"));
  await Promise.all(batch);
}
const expected = before + 2 * options.requests;
await waitUntil(() => scan().size >= expected, 300_000, `${2 * options.requests} e-mails`);
const seconds = (performance.now() - started) / 1000;

// Approval → arrival, one at a time (each waits for the receipt first, so only the approval is new).
const latencies = [];
for (let i = 0; i < options.approvals; i++) {
  const id = await submit(i, "approve");
  const address = `approve${i}@mail-${runId}.example`;
  await waitUntil(() => countFor(address) >= 1, 60_000, "the receipt");
  const t0 = performance.now();
  await run(options.trustctl, ["requests", "approve", id, "--config", options.config, "--by", "bench"]);
  await waitUntil(() => countFor(address) >= 2, 60_000, "the approval e-mail");
  latencies.push(performance.now() - t0);
}
latencies.sort((a, b) => a - b);
const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
console.log(
  JSON.stringify({
    messages: 2 * options.requests,
    seconds,
    messagesPerSecond: (2 * options.requests) / seconds,
    approvals: latencies.length,
    approvalP50ms: pick(0.5),
    approvalP99ms: pick(0.99),
  }),
);
