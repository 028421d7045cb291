#!/usr/bin/env node
// Last step of scripts/bench.sh: measures the bundle files (raw, gzip -9, brotli) and turns every
// result file of the run into ONE Markdown table, printed to stdout and written to --out. With
// --update-docs FILE (repeatable) it also replaces the block between `<!-- bench:begin -->` and
// `<!-- bench:end -->` in that file (docs/benchmarks.md). It prints numbers; it asserts nothing.
//
//   node bench/report.mjs --widget-dist DIR --hello-dist DIR --results DIR --out FILE [--update-docs FILE]
//
// DIR for --results holds (each optional; a missing one shows as "not measured"):
//   browser.json  (bench/browser.mjs)   native.json (the bench-json line of crates/manifest/benches/verify.rs)
//   intake.json   (bench/load-intake.mjs)   intake-db.json ({rows, acknowledged, missing})
//   intake-pg1.json, intake-pg2.json (+ -db.json): the same load on PostgreSQL, one and two instances
//   mail.json     (bench/mail.mjs)
//   machine.txt   one line describing the machine   envelopes.json  sizes of the generated manifests
//   watermark.json (the bench-json line of crates/intake/benches/watermark.rs)

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const options = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const value = () => argv[++i];
  switch (argv[i]) {
    case "--widget-dist": options.widgetDist = value(); break;
    case "--hello-dist": options.helloDist = value(); break;
    case "--results": options.results = value(); break;
    case "--out": options.out = value(); break;
    case "--update-docs": (options.updateDocs ??= []).push(value()); break;
    default: throw new Error(`unknown option ${argv[i]}`);
  }
}
if (!options.widgetDist || !options.helloDist || !options.results || !options.out) {
  throw new Error("usage: report.mjs --widget-dist DIR --hello-dist DIR --results DIR --out FILE [--update-docs FILE]");
}

// Issue #13: total ≤ 160,000 bytes gzip -9 (issue #7's 150,000 before); the same number as
// BUNDLE_BUDGET_BYTES in scripts/test.sh.
const BUDGET = 160_000;
const readJson = (name) => {
  const file = path.join(options.results, name);
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
};

/** Raw, gzip -9 (the gzip CLI, as scripts/test.sh counts) and brotli (quality 11, window 24, like `brotli -q 11`). */
function sizes(file) {
  const bytes = readFileSync(file);
  const gzip = execFileSync("gzip", ["-9", "-c", file], { maxBuffer: 64 << 20 }).length;
  const brotli = zlib.brotliCompressSync(bytes, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }).length;
  return { raw: bytes.length, gzip, brotli };
}
const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });
const zero = { raw: 0, gzip: 0, brotli: 0 };

function bundle(dir) {
  const files = readdirSync(dir);
  const pick = (test) => files.filter(test).map((f) => sizes(path.join(dir, f))).reduce(add, zero);
  const wasm = pick((f) => f.endsWith(".wasm"));
  const js = pick((f) => f.endsWith(".js"));
  const css = pick((f) => f.endsWith(".css"));
  return { wasm, js, css, total: add(add(wasm, js), css) };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const triple = (s) => `${kb(s.raw)} / ${kb(s.gzip)} / ${kb(s.brotli)}`;
const ms = (value, digits = 0) => (value === null || value === undefined ? "–" : `${value.toFixed(digits)} ms`);
const us = (value) => (value === null || value === undefined ? "–" : `${value.toFixed(0)} µs`);
const ratio = (a, b, digits = 2) => (a && b ? `${(a / b).toFixed(digits)}×` : "–");
const notMeasured = "not measured";

const widget = bundle(options.widgetDist);
const hello = bundle(options.helloDist);
const browser = readJson("browser.json");
const native = readJson("native.json");
const intake = readJson("intake.json");
const intakeDb = readJson("intake-db.json");
const envelopes = readJson("envelopes.json") ?? {};
const machine = existsSync(path.join(options.results, "machine.txt"))
  ? readFileSync(path.join(options.results, "machine.txt"), "utf8").trim()
  : "unknown machine";

const rows = [];
const row = (section, what, value, baseline, ratioText) => rows.push([section, what, value, baseline, ratioText]);

// 1. Bundle
row("1 bundle", "wasm: raw / gzip -9 / brotli", triple(widget.wasm), `hello-yew: ${triple(hello.wasm)}`, `${ratio(widget.wasm.gzip, hello.wasm.gzip)} (gzip)`);
row("1 bundle", "JS: loader + wasm-bindgen glue (raw / gzip / brotli)", triple(widget.js), `hello-yew glue: ${triple(hello.js)}`, `${ratio(widget.js.gzip, hello.js.gzip)} (gzip)`);
row("1 bundle", "CSS (raw / gzip / brotli)", triple(widget.css), "hello-yew: none", "–");
row(
  "1 bundle",
  `**total gzip** (budget ${BUDGET.toLocaleString("en-US")} bytes); brotli`,
  `**${widget.total.gzip.toLocaleString("en-US")} bytes** = ${kb(widget.total.gzip)} (${((widget.total.gzip * 100) / BUDGET).toFixed(1)}% of budget${widget.total.gzip > BUDGET ? ", OVER" : ""}); ${kb(widget.total.brotli)}`,
  `hello-yew: ${kb(hello.total.gzip)}; ${kb(hello.total.brotli)}`,
  `${ratio(widget.total.gzip, hello.total.gzip)} (gzip)`,
);

// Each language file (issue 19), downloaded only by visitors reading that language.
for (const file of readdirSync(options.widgetDist).filter((f) => /^trust-center\.\w+\.json$/.test(f)).sort()) {
  const s = sizes(path.join(options.widgetDist, file));
  row("1 bundle", `language file ${file} (raw / gzip / brotli; budget 10,240 bytes gzip)`, triple(s), "–", `${((s.gzip * 100) / 10240).toFixed(0)}% of its budget`);
}

// 2. Time to verified page
if (browser?.ttv) {
  const { widget: w, static: s } = browser.ttv;
  row(
    "2 load",
    `time to verified page, demo manifest (navigation start → \`trust-center:verified\`), median of ${w.n} fresh loads [p90]`,
    `${ms(w.median)} [${ms(w.p90)}]`,
    `static SSR HTML (→ loadEventStart): ${ms(s.median)} [${ms(s.p90)}]`,
    `**${ratio(w.median, s.median)}** (goal ≤ 2×)`,
  );
  if (browser.ttv.painted) {
    const { widget: wp, static: sp } = browser.ttv.painted;
    row(
      "2 load",
      "the same loads until the finished page is laid out and painted (first task after the next animation frame, after the mark / after the load event)",
      `${ms(wp.median)} [${ms(wp.p90)}]`,
      `static SSR HTML: ${ms(sp.median)} [${ms(sp.p90)}]`,
      `${ratio(wp.median, sp.median)}`,
    );
  }
  if (browser.ttv.phases) {
    const p = browser.ttv.phases;
    row(
      "2 load",
      "where the widget's time goes (medians, ms since navigation start; resource timing)",
      `wasm downloaded ${ms(p.wasmEnd.median)}; envelope requested ${ms(p.envelopeStart.median)}, received ${ms(p.envelopeEnd.median)}; verified page in DOM ${ms(w.median)}`,
      "the loader starts the wasm and envelope downloads together; the rest is compiling, verifying and rendering",
      "–",
    );
  }
  if (browser.ttv.german) {
    const g = browser.ttv.german;
    row(
      "2 load",
      "the same widget page in German (`lang=\"de\"`: trust-center.de.json fetched beside the envelope)",
      `${ms(g.median)} [${ms(g.p90)}]`,
      `English: ${ms(w.median)}`,
      `${ratio(g.median, w.median)}`,
    );
  }
  if (browser.ttv.preload) {
    const p = browser.ttv.preload;
    row(
      "2 load",
      "the same widget page with preload hints in the host page's head (modulepreload loader + glue, preload wasm, CSS and envelope)",
      `${ms(p.median)} [${ms(p.p90)}]`,
      `static SSR HTML: ${ms(s.median)}`,
      `${ratio(p.median, s.median)}`,
    );
  }
} else {
  row("2 load", "time to verified page", notMeasured, "", "");
}

// 3. Verification
const nativeUs = native?.median_us ?? null;
const wasmUs = browser?.verify?.micros?.median ?? null;
const verifyBytes = envelopes["100k"] ? ` (${kb(envelopes["100k"].payloadBytes)} manifest, ${kb(envelopes["100k"].envelopeBytes)} envelope)` : "";
row(
  "3 verify",
  `open_envelope: Ed25519 verify + parse${verifyBytes}, per call: median (fastest batch); of which the manifest JSON parse`,
  browser?.verify
    ? `wasm in Chromium: ${us(wasmUs)} (${us(browser.verify.micros.min)}); parse ${us(browser.verify.parseMicros?.median)}`
    : notMeasured,
  native
    ? `native (release): ${us(nativeUs)} (${us(native.min_us)}); parse ${us(native.parse_median_us)}` +
        (native.reader_median_us ? ` (reading the JSON tree ${us(native.reader_median_us)})` : "") +
        (native.former_median_us ? `; the former serde_json path ${us(native.former_median_us)}` : "")
    : notMeasured,
  `${ratio(wasmUs, nativeUs, 1)} wasm/native (${ratio(browser?.verify?.micros?.min, native?.min_us, 1)} fastest)`,
);

// 4. FAQ search and scale
const scaleLabel = (name) => {
  const e = envelopes[name];
  return e ? `${e.subprocessors} subprocessors, ${e.documents} documents, ${e.faq} FAQ; ${kb(e.envelopeBytes)} envelope` : name;
};
if (browser?.faq) {
  for (const name of ["large-1x", "large-2x", "large-4x"]) {
    const f = browser.faq[name];
    if (!f) continue;
    row(
      "4 search",
      `FAQ search, per keystroke → DOM updated [→ next frame], ${f.entries} entries shown when empty (${name})`,
      `typing: median ${ms(f.typingDom.median, 1)}, p90 ${ms(f.typingDom.p90, 1)} [${ms(f.typingFrame.median, 1)}]`,
      `clearing (all entries back): ${ms(f.clearDom.median, 1)} [${ms(f.clearFrame.median, 1)}]`,
      name === "large-1x" ? "–" : `${ratio(f.typingDom.median, browser.faq["large-1x"]?.typingDom?.median)} vs 1×`,
    );
  }
} else {
  row("4 search", "FAQ search per keystroke", notMeasured, "", "");
}
if (browser?.scale) {
  const base = browser.scale["large-1x"]?.median;
  for (const name of ["large-1x", "large-2x", "large-4x"]) {
    const s = browser.scale[name];
    if (!s) continue;
    row(
      "4 scale",
      `time to verified page, ${scaleLabel(name)}, median of ${s.n} [p90]`,
      `${ms(s.median)} [${ms(s.p90)}]`,
      browser.ttv ? `demo manifest: ${ms(browser.ttv.widget.median)}` : "",
      name === "large-1x" ? `${ratio(s.median, browser.ttv?.widget?.median)} vs demo` : `${ratio(s.median, base)} vs 1×`,
    );
  }
}

// 5. Intake
if (intake) {
  const lost = intakeDb ? intakeDb.missing : null;
  row(
    "5 intake",
    `POST /v1/access-requests, SQLite WAL + synchronous=FULL, ${intake.connections} keep-alive connections, ${intake.sent} requests in ${intake.seconds.toFixed(1)} s`,
    `**${intake.requestsPerSecond.toFixed(0)} req/s**, p50 ${ms(intake.p50ms, 2)}, p99 ${ms(intake.p99ms, 2)}`,
    `errors: ${intake.errors}; rows in DB: ${intakeDb ? intakeDb.rows : "?"} of ${intake.acknowledged} acknowledged; lost: ${lost ?? "?"}`,
    "–",
  );
} else {
  row("5 intake", "intake service load", notMeasured, "", "");
}
// The same load on PostgreSQL (issue 20): one instance, then two instances on one database.
for (const [file, label] of [["intake-pg1", "1 instance"], ["intake-pg2", "2 instances, one database"]]) {
  const pg = readJson(`${file}.json`);
  const pgDb = readJson(`${file}-db.json`);
  if (!pg) continue;
  row(
    "5 intake",
    `the same on PostgreSQL (${label}), ${pg.connections} connections, ${pg.sent} requests in ${pg.seconds.toFixed(1)} s`,
    `**${pg.requestsPerSecond.toFixed(0)} req/s**, p50 ${ms(pg.p50ms, 2)}, p99 ${ms(pg.p99ms, 2)}`,
    `errors: ${pg.errors}; rows in DB: ${pgDb ? pgDb.rows : "?"} of ${pg.acknowledged} acknowledged; lost: ${pgDb ? pgDb.missing : "?"}`,
    intake ? `${ratio(pg.requestsPerSecond, intake.requestsPerSecond)} SQLite's req/s` : "–",
  );
}

// Section 6: e-mail delivery (bench/mail.mjs).
const mail = readJson("mail.json");
if (mail) {
  row(
    "6 mail",
    `e-mails delivered to a loopback SMTP server (aiosmtpd), one connection per message; ${mail.messages} queued by a burst of ${mail.messages / 2} requests`,
    `**${mail.messagesPerSecond.toFixed(1)} e-mails/s** (${mail.seconds.toFixed(1)} s)`,
    "–",
    "–",
  );
  row(
    "6 mail",
    `approval → e-mail arrival, ${mail.approvals} approvals with \`trustctl requests approve\` (outbox polled every 200 ms)`,
    `p50 ${ms(mail.approvalP50ms)}, p99 ${ms(mail.approvalP99ms)}`,
    "–",
    "–",
  );
} else {
  row("6 mail", "e-mail delivery", notMeasured, "", "");
}

// Section 7: watermarked downloads
const watermark = readJson("watermark.json");
if (watermark) {
  const kb = (bytes) => `${Math.round(bytes / 1000)} KB`;
  row(
    "7 downloads",
    `per-recipient watermark on every page (lopdf; medians, ${watermark.runs} runs at 10 pages, half as many at 200 and per download); download = POST of the 200-page PDF over HTTP on loopback`,
    `stamp 10 pages (${kb(watermark.pdf_10_pages_bytes)}) **${ms(watermark.stamp_10_pages_ms, 2)}**, 200 pages (${kb(watermark.pdf_200_pages_bytes)}) **${ms(watermark.stamp_200_pages_ms, 1)}**; download **${watermark.download_stamped_mb_s.toFixed(1)} MB/s** stamped`,
    `${watermark.download_unstamped_mb_s.toFixed(1)} MB/s unstamped (watermark = "off")`,
    `${ratio(watermark.download_unstamped_mb_s, watermark.download_stamped_mb_s, 1)} slower stamped`,
  );
} else {
  row("7 downloads", "watermarked downloads", notMeasured, "", "");
}

const date = new Date().toISOString().replace(/\.\d+Z$/, " UTC").replace("T", " ");
const header = `Measured ${date} on ${machine}.`;
const table = [
  "| section | measurement | trust-center | baseline | ratio |",
  "| --- | --- | --- | --- | --- |",
  ...rows.map((cells) => `| ${cells.map((c) => String(c).replaceAll("|", "\\|")).join(" | ")} |`),
].join("\n");
const output = `${header}\n\n${table}\n`;
writeFileSync(options.out, output);
process.stdout.write(output);

for (const file of options.updateDocs ?? []) {
  const doc = readFileSync(file, "utf8");
  const begin = "<!-- bench:begin -->";
  const end = "<!-- bench:end -->";
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file} has no ${begin} … ${end} block to replace`);
  writeFileSync(file, `${doc.slice(0, from + begin.length)}\n${output}${doc.slice(to)}`);
  process.stderr.write(`    table written into ${file}\n`);
}
