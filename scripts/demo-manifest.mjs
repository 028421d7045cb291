// The demo manifest for a given day. public/demo/manifest.json tells its story as of STORY_DAY (the
// SOC 2 report a few weeks old with a bridge letter, the next ISO surveillance audit due in a few
// weeks, …). A fixed file would expire (on its `expires_at`) and then show a newcomer an expired
// page, so scripts/demo.sh and the e2e fixtures sign a copy whose every date is moved by the same
// number of days, today − STORY_DAY: each date keeps its distance to today, and the page reads the
// same on any day. Only string values that are exactly a calendar date (YYYY-MM-DD) move; versions
// such as "2026-03", ids and free text stay as they are.
//
//   node scripts/demo-manifest.mjs --out FILE [--today YYYY-MM-DD] [--in public/demo/manifest.json]
//
// --today defaults to today's UTC date.

import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

import { isMain } from "./lib/cli.mjs";

/** The day public/demo/manifest.json's dates describe (also the SSR tests' "today"). */
export const STORY_DAY = "2026-11-28";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date, or null if `text` is not a real calendar date. */
export function dayNumber(text) {
  const match = DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  const time = Date.UTC(year, month - 1, day);
  const back = new Date(time);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return time / DAY_MS;
}

/** The YYYY-MM-DD date `days` days after 1970-01-01. */
export function dateOf(days) {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** A deep copy of `value` with every calendar-date string moved by `days`. */
export function shiftDates(value, days) {
  if (typeof value === "string") {
    const number = dayNumber(value);
    return number === null ? value : dateOf(number + days);
  }
  if (Array.isArray(value)) return value.map((item) => shiftDates(item, days));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shiftDates(item, days)]));
  }
  return value;
}

/** The demo manifest as it reads on `today` (YYYY-MM-DD). */
export function demoManifestFor(manifest, today) {
  const target = dayNumber(today);
  if (target === null) throw new Error(`--today must be a date YYYY-MM-DD, not "${today}"`);
  return shiftDates(manifest, target - dayNumber(STORY_DAY));
}

function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      in: { type: "string", default: "public/demo/manifest.json" },
      out: { type: "string" },
      today: { type: "string", default: new Date().toISOString().slice(0, 10) },
    },
    strict: true,
  });
  if (!values.out) throw new Error("usage: demo-manifest.mjs --out FILE [--today YYYY-MM-DD] [--in FILE]");
  const manifest = JSON.parse(readFileSync(values.in, "utf8"));
  writeFileSync(values.out, JSON.stringify(demoManifestFor(manifest, values.today), null, 2) + "\n");
}

if (isMain(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`demo-manifest: ${error.message}`);
    process.exit(1);
  }
}
