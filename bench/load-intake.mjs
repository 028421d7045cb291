#!/usr/bin/env node
// Load generator for the intake service (scripts/bench.sh, section 5). Posts access requests to
// POST {base}/v1/access-requests over keep-alive HTTP/1.1 connections on 127.0.0.1, each with its
// own idempotency key, until a request count or a time limit is reached (whichever comes first),
// then prints one JSON line: requests/s, latency percentiles, status counts, and the file with
// every acknowledged request id (for the lost-rows check against the database).
//
//   node bench/load-intake.mjs --base http://127.0.0.1:PORT --manifest FILE --ids-out FILE
//        [--requests 20000] [--seconds 20] [--connections 16]
// --base may be repeated (several instances on one database): requests go to them in turn.

import http from "node:http";
import { readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";

const options = { requests: 20000, seconds: 20, connections: 16, bases: [] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const value = () => argv[++i];
  switch (argv[i]) {
    case "--base": options.bases.push(value()); break;
    case "--manifest": options.manifest = value(); break;
    case "--ids-out": options.idsOut = value(); break;
    case "--requests": options.requests = Number(value()); break;
    case "--seconds": options.seconds = Number(value()); break;
    case "--connections": options.connections = Number(value()); break;
    default: throw new Error(`unknown option ${argv[i]}`);
  }
}
if (!options.bases.length || !options.manifest || !options.idsOut) {
  throw new Error("usage: load-intake.mjs --base URL --manifest FILE --ids-out FILE [--requests N] [--seconds S] [--connections C]");
}
const bases = options.bases.map((text) => new URL(text));
for (const base of bases) {
  if (!["127.0.0.1", "localhost", "[::1]"].includes(base.hostname)) {
    throw new Error(`refusing to load-test ${base.hostname}: loopback addresses only`);
  }
}

const manifest = JSON.parse(readFileSync(options.manifest, "utf8"));
const nda = manifest.access_requests?.nda;
const document = manifest.documents?.find((d) => d.access === "nda");
if (!nda || !document) throw new Error(`${options.manifest} has no NDA document and NDA terms to request`);

const runId = randomBytes(4).toString("hex");
const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });

function body(index) {
  return JSON.stringify({
    name: `Load Test ${index}`,
    email: `buyer${index}@acme-${runId}.example`,
    company: "Acme Load Testing",
    reason: "Benchmark of the intake service on loopback.",
    document_id: document.id,
    nda_version: nda.version,
    nda_sha256: nda.sha256,
    nda_accepted: true,
    idempotency_key: `bench-${runId}-${String(index).padStart(8, "0")}`,
  });
}

function post(index) {
  const payload = body(index);
  const base = bases[index % bases.length];
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const request = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: "POST",
        path: "/v1/access-requests",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () => {
          const micros = Number(process.hrtime.bigint() - started) / 1000;
          let requestId = null;
          if (response.statusCode === 201) {
            try {
              requestId = JSON.parse(Buffer.concat(chunks).toString("utf8")).request_id ?? null;
            } catch {
              requestId = null;
            }
          }
          resolve({ status: response.statusCode, micros, requestId, detail: response.statusCode === 201 ? null : Buffer.concat(chunks).toString("utf8").slice(0, 300) });
        });
      },
    );
    request.on("error", (error) => resolve({ status: 0, micros: 0, requestId: null, detail: error.message }));
    request.end(payload);
  });
}

const latencies = [];
const statuses = {};
const ids = [];
const sampleErrors = [];
let next = 0;
const started = process.hrtime.bigint();
const deadline = started + BigInt(Math.round(options.seconds * 1e9));

async function worker() {
  while (next < options.requests && process.hrtime.bigint() < deadline) {
    const index = next++;
    const result = await post(index);
    statuses[result.status] = (statuses[result.status] ?? 0) + 1;
    if (result.status === 201 && result.requestId) {
      latencies.push(result.micros);
      ids.push(result.requestId);
    } else if (sampleErrors.length < 5) {
      sampleErrors.push(`${result.status}: ${result.detail}`);
    }
  }
}

await Promise.all(Array.from({ length: options.connections }, worker));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
agent.destroy();
writeFileSync(options.idsOut, ids.join("\n") + (ids.length ? "\n" : ""));

latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] / 1000 : null);
const sent = next;
const errors = sent - ids.length;
process.stdout.write(
  JSON.stringify({
    sent,
    acknowledged: ids.length,
    errors,
    statuses,
    sampleErrors,
    seconds,
    connections: options.connections,
    instances: bases.length,
    requestsPerSecond: ids.length / seconds,
    p50ms: pct(50),
    p90ms: pct(90),
    p99ms: pct(99),
    maxms: latencies.length ? latencies[latencies.length - 1] / 1000 : null,
    idsFile: options.idsOut,
  }) + "\n",
);
