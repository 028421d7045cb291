#!/usr/bin/env node
// Browser half of scripts/bench.sh: drives Debian's headless Chromium through playwright-core and
// prints one JSON object with every browser measurement. It never asserts a time.
//
//   node bench/browser.mjs --base-url http://127.0.0.1:PORT/ --public-key BASE64 [--runs 15]
//        [--scale-runs 5] [--today 2026-11-28]
//
// The site (served by scripts/static-server.mjs, no caching) must have:
//   /bench/widget-NAME.html   a page whose markup is one <trust-center dev manifest=/envelopes/NAME.json
//                             public-key=…> element and the loader <script type=module src=/dist/trust-center.js>
//   /bench/static.html        the same verified page (demo envelope) rendered by Yew SSR (examples/render_static.rs)
//   /bench/blank.html         an empty page (for the wasm verification benchmark)
//   /envelopes/{demo,100k,large-1x,large-2x,large-4x}.json   signed envelopes
//   /bench-dist/verify/bench_verify_wasm.js   the verification benchmark module (bench/verify-wasm)
//
// Measurements:
//   ttv      navigation start → performance.mark("trust-center:verified") for the widget, and
//            navigation start → loadEventStart for the static page (its HTML and its stylesheet are
//            both loaded then; the page has no script). Fresh browser context per load, HTTP cache
//            disabled through the DevTools protocol, widget and static loads interleaved. Also the
//            widget page with preload hints (/bench/widget-demo-preload.html).
//   verify   VerifyBench.run(k) (open_envelope inside wasm) timed in batches, median per call; and
//            VerifyBench.parse_only(k) (only the manifest JSON parse) the same way.
//   scale    the widget's verified mark for the large envelopes (fetch + verify + parse + status + render).
//   faq      per keystroke: input event dispatched → first DOM mutation batch in the shadow root
//            (Yew renders in one task, so this is "DOM updated"), and → the next animation frame
//            (style + layout + paint of the change).

import { launchBrowser } from "../tests/e2e/support/browser.mjs";

const options = {
  runs: 15,
  scaleRuns: 5,
  today: "2026-11-28",
};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const value = () => argv[++i];
  switch (argv[i]) {
    case "--base-url": options.baseUrl = value(); break;
    case "--public-key": options.publicKey = value(); break;
    case "--runs": options.runs = Number(value()); break;
    case "--scale-runs": options.scaleRuns = Number(value()); break;
    case "--today": options.today = value(); break;
    case "--only": options.only = value().split(","); break;
    default: throw new Error(`unknown option ${argv[i]}`);
  }
}
if (!options.baseUrl || !options.publicKey) {
  throw new Error("usage: browser.mjs --base-url URL --public-key BASE64 [--runs N] [--scale-runs N]");
}
const wanted = (name) => !options.only || options.only.includes(name);
const log = (text) => process.stderr.write(`    ${text}\n`);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
};
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null;
};
const summary = (values) => ({
  median: median(values),
  p90: percentile(values, 90),
  min: values.length ? Math.min(...values) : null,
  max: values.length ? Math.max(...values) : null,
  n: values.length,
  values,
});

const widgetUrl = (envelope) => new URL(`bench/widget-${envelope}.html`, options.baseUrl).href;

/** A fresh context and page with the HTTP cache disabled; problems (console errors) collected. */
async function freshPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // "Painted": the first task after the next animation frame once the widget reports
  // data-state="verified" (a MutationObserver sees that in the same microtask checkpoint as the
  // trust-center:verified mark) or, on the static page, once the load event starts. Both sides
  // then include the layout and paint of the finished page.
  await context.addInitScript(() => {
    const markPainted = () =>
      requestAnimationFrame(() => setTimeout(() => performance.mark("bench:painted"), 0));
    const watch = (host) =>
      new MutationObserver((_, observer) => {
        if (host.getAttribute("data-state") === "verified") {
          observer.disconnect();
          markPainted();
        }
      }).observe(host, { attributes: true, attributeFilter: ["data-state"] });
    if (location.pathname.endsWith("/static.html")) {
      addEventListener("load", markPainted);
    } else {
      document.addEventListener("DOMContentLoaded", () => {
        const host = document.querySelector("trust-center");
        if (host) watch(host);
      });
    }
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !/favicon/.test(message.location()?.url ?? "")) problems.push(message.text());
  });
  return { context, page, problems };
}

/** Loads the widget page and returns the verified mark's time (ms since navigation start). */
async function widgetLoad(browser, envelope, keep = false) {
  const { context, page, problems } = await freshPage(browser);
  await page.goto(widgetUrl(envelope), { waitUntil: "commit" });
  const state = await page
    .waitForFunction(
      () => {
        const host = document.querySelector("trust-center");
        const value = host?.getAttribute("data-state");
        return value === "verified" || value === "error" ? value : null;
      },
      null,
      { timeout: 120_000, polling: 20 },
    )
    .then((handle) => handle.jsonValue());
  if (state !== "verified") {
    const code = await page.evaluate(() => document.querySelector("trust-center")?.getAttribute("data-error-code"));
    await context.close();
    throw new Error(`the widget did not verify ${envelope}: data-error-code=${code} ${problems.join("; ")}`);
  }
  await page.waitForFunction(() => performance.getEntriesByName("bench:painted").length > 0, null, {
    timeout: 60_000,
    polling: 20,
  });
  const { mark, painted, phases } = await page.evaluate(() => {
    const resources = performance.getEntriesByType("resource");
    const find = (part) => resources.find((entry) => entry.name.includes(part));
    const wasm = find("_bg.wasm");
    const envelope = find("/envelopes/");
    return {
      mark: performance.getEntriesByName("trust-center:verified")[0]?.startTime ?? null,
      painted: performance.getEntriesByName("bench:painted")[0]?.startTime ?? null,
      phases: {
        wasmEnd: wasm ? wasm.responseEnd : null,
        envelopeStart: envelope ? envelope.startTime : null,
        envelopeEnd: envelope ? envelope.responseEnd : null,
      },
    };
  });
  if (keep) return { mark, painted, phases, context, page };
  await context.close();
  return { mark, painted, phases };
}

/** Loads the static page; returns loadEventStart and DOMContentLoaded end. */
async function staticLoad(browser) {
  const { context, page, problems } = await freshPage(browser);
  await page.goto(new URL("bench/static.html", options.baseUrl).href, { waitUntil: "load" });
  await page.waitForFunction(() => performance.getEntriesByName("bench:painted").length > 0, null, {
    timeout: 60_000,
    polling: 20,
  });
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    return {
      load: nav.loadEventStart,
      painted: performance.getEntriesByName("bench:painted")[0]?.startTime ?? null,
      dcl: nav.domContentLoadedEventEnd,
      hasPage: !!document.querySelector("trust-center")?.shadowRoot?.querySelector(".tc-root"),
    };
  });
  await context.close();
  if (!timing.hasPage) throw new Error(`the static page has no rendered trust page ${problems.join("; ")}`);
  return timing;
}

async function measureTtv(browser) {
  // One unmeasured load of each warms the server and the OS file cache, not the browser.
  await widgetLoad(browser, "demo");
  await widgetLoad(browser, "demo-preload");
  await widgetLoad(browser, "demo-de");
  await staticLoad(browser);
  const widget = [];
  const widgetPainted = [];
  const staticPainted = [];
  const phases = { wasmEnd: [], envelopeStart: [], envelopeEnd: [] };
  const preload = [];
  const german = [];
  const staticLoadTimes = [];
  // Rotate the order each round so that drift on a shared machine hits all three alike.
  const measures = [
    async () => {
      const load = await widgetLoad(browser, "demo");
      widget.push(load.mark);
      widgetPainted.push(load.painted);
      for (const [name, value] of Object.entries(load.phases)) if (value !== null) phases[name].push(value);
    },
    async () => preload.push((await widgetLoad(browser, "demo-preload")).mark),
    async () => german.push((await widgetLoad(browser, "demo-de")).mark),
    async () => {
      const load = await staticLoad(browser);
      staticLoadTimes.push(load.load);
      staticPainted.push(load.painted);
    },
  ];
  for (let i = 0; i < options.runs; i++) {
    for (let j = 0; j < measures.length; j++) await measures[(i + j) % measures.length]();
  }
  return {
    widget: summary(widget),
    phases: Object.fromEntries(Object.entries(phases).map(([name, values]) => [name, summary(values)])),
    preload: summary(preload),
    german: summary(german),
    static: summary(staticLoadTimes),
    painted: { widget: summary(widgetPainted), static: summary(staticPainted) },
  };
}

async function measureVerify(browser) {
  const { context, page } = await freshPage(browser);
  await page.goto(new URL("bench/blank.html", options.baseUrl).href);
  const result = await page.evaluate(
    async ({ publicKey, today }) => {
      const glue = await import("/bench-dist/verify/bench_verify_wasm.js");
      await glue.default();
      const bytes = new Uint8Array(await (await fetch("/envelopes/100k.json", { cache: "no-store" })).arrayBuffer());
      const bench = new glue.VerifyBench(bytes, publicKey, today);
      // Per function: warm up (tier-up of the wasm code), size batches to about 20 ms each,
      // then time 40 batches; microseconds per call.
      const time = (run) => {
        let calls = 0;
        const warmStart = performance.now();
        while (performance.now() - warmStart < 500) {
          run(1);
          calls++;
        }
        const perCall = (performance.now() - warmStart) / calls;
        const batch = Math.max(1, Math.round(20 / perCall));
        const samples = [];
        for (let i = 0; i < 40; i++) {
          const started = performance.now();
          run(batch);
          samples.push(((performance.now() - started) * 1000) / batch);
        }
        return { samples, batch };
      };
      const full = time((n) => bench.run(n));
      const parse = time((n) => bench.parse_only(n));
      bench.free();
      return { full, parse, envelopeBytes: bytes.length };
    },
    { publicKey: options.publicKey, today: options.today },
  );
  await context.close();
  return {
    micros: summary(result.full.samples),
    batch: result.full.batch,
    parseMicros: summary(result.parse.samples),
    envelopeBytes: result.envelopeBytes,
  };
}

async function measureScale(browser) {
  const scales = {};
  for (const name of ["large-1x", "large-2x", "large-4x"]) {
    const marks = [];
    for (let i = 0; i < options.scaleRuns; i++) marks.push((await widgetLoad(browser, name)).mark);
    scales[name] = summary(marks);
    log(`render ${name}: median ${median(marks).toFixed(0)} ms`);
  }
  return scales;
}

/** Types `word` into the FAQ search one character at a time, then clears it; per-keystroke times. */
async function measureFaq(browser, envelope, rounds) {
  const { context, page } = await widgetLoad(browser, envelope, true);
  const result = await page.evaluate(
    async ({ words, rounds }) => {
      const root = document.querySelector("trust-center").shadowRoot;
      const input = root.querySelector("#tc-faq-search");
      if (!input) throw new Error("no FAQ search field (#tc-faq-search) in the verified page");
      const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const keystroke = (value) =>
        new Promise((resolve) => {
          let domAt = null;
          const observer = new MutationObserver(() => {
            if (domAt === null) domAt = performance.now();
          });
          observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
          const started = performance.now();
          input.value = value;
          input.dispatchEvent(new InputEvent("input", { bubbles: true, composed: true, data: value.slice(-1) }));
          requestAnimationFrame(() =>
            setTimeout(() => {
              observer.disconnect();
              const framed = performance.now();
              resolve({ dom: (domAt ?? framed) - started, frame: framed - started, changed: domAt !== null });
            }, 0),
          );
        });
      const typing = [];
      const clearing = [];
      let unchanged = 0;
      for (let round = 0; round < rounds; round++) {
        for (const word of words) {
          for (let i = 1; i <= word.length; i++) {
            const t = await keystroke(word.slice(0, i));
            if (!t.changed) unchanged++;
            typing.push(t);
            await nextFrame();
          }
          const t = await keystroke("");
          if (!t.changed) unchanged++;
          clearing.push(t);
          await nextFrame();
        }
      }
      const items = root.querySelectorAll(".tc-faq__item").length;
      return { typing, clearing, unchanged, items };
    },
    { words: ["key rotation", "backups"], rounds },
  );
  await context.close();
  return {
    entries: result.items,
    unchanged: result.unchanged,
    typingDom: summary(result.typing.map((t) => t.dom)),
    typingFrame: summary(result.typing.map((t) => t.frame)),
    clearDom: summary(result.clearing.map((t) => t.dom)),
    clearFrame: summary(result.clearing.map((t) => t.frame)),
  };
}

const browser = await launchBrowser();
const results = { chromium: browser.version(), runs: options.runs, scaleRuns: options.scaleRuns };
try {
  if (wanted("ttv")) {
    log(`time to verified page: ${options.runs} loads each of the widget, the widget with preload hints and the static page…`);
    results.ttv = await measureTtv(browser);
    log(`widget ${results.ttv.widget.median.toFixed(0)} ms, with preload hints ${results.ttv.preload.median.toFixed(0)} ms, static ${results.ttv.static.median.toFixed(0)} ms`);
  }
  if (wanted("verify")) {
    log("open_envelope inside wasm…");
    results.verify = await measureVerify(browser);
    log(`wasm verify: median ${results.verify.micros.median.toFixed(0)} µs`);
  }
  if (wanted("scale")) {
    log(`large manifests: ${options.scaleRuns} loads each…`);
    results.scale = await measureScale(browser);
  }
  if (wanted("faq")) {
    results.faq = {};
    for (const [name, rounds] of [["large-1x", 3], ["large-2x", 2], ["large-4x", 1]]) {
      log(`FAQ search keystrokes on ${name}…`);
      results.faq[name] = await measureFaq(browser, name, rounds);
      log(`${name}: ${results.faq[name].entries} entries, median ${results.faq[name].typingDom.median.toFixed(1)} ms to DOM`);
    }
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results) + "\n");
