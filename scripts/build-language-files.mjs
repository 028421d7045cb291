#!/usr/bin/env node
// Builds the widget's language files from the catalogue sources (see docs/i18n.md):
//   i18n/en.json            the English catalogue; build.rs compiles it into the wasm
//   i18n/<lang>.json        German, French, Spanish: the same ids, translated
// into OUT/trust-center.<lang>.json, the files the loader downloads: a JSON array whose first
// entry is the catalogue id (FNV-1a of the ids, as build.rs computes it) and then one text per
// message in id order (plural forms joined by U+001F), so the wasm needs no id strings.
//
// Refuses (exit 1, every problem listed) a language that misses a message, has one English does
// not, gives a plural message as a plain text or the other way round, or uses a {placeholder}
// the English message does not have. tests/i18n_catalogue.rs checks the same rules natively.
//
// Usage: node scripts/build-language-files.mjs --out DIR [--i18n DIR]

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const LANGUAGES = ["de", "fr", "es"];

/** FNV-1a (32 bit) of the ids joined by newlines, as 8 hex digits. */
export function catalogueId(ids) {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(ids.join("\n"), "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** The ids in the order build.rs uses (serde_json's map: sorted by bytes; ids are ASCII). */
export function sortedIds(catalogue) {
  return Object.keys(catalogue).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The `{name}` placeholders of a message (all plural forms together). */
export function placeholders(value) {
  const texts = typeof value === "string" ? [value] : Object.values(value ?? {});
  const names = new Set();
  for (const text of texts) {
    for (const match of String(text).matchAll(/\{([a-z_]+)\}/g)) {
      names.add(match[1]);
    }
  }
  return names;
}

const isPlural = (value) =>
  value !== null && typeof value === "object" && typeof value.one === "string" && typeof value.other === "string";

/** Every problem of `translation` against `english`, as sentences. */
export function checkCatalogue(english, translation, lang) {
  const problems = [];
  for (const id of Object.keys(english)) {
    if (!(id in translation)) {
      problems.push(`${lang}: missing message ${id}`);
      continue;
    }
    const en = english[id];
    const tr = translation[id];
    if (isPlural(en) !== isPlural(tr) || (!isPlural(tr) && typeof tr !== "string")) {
      problems.push(`${lang}: ${id} must be ${isPlural(en) ? 'plural forms {"one", "other"}' : "a text"}`);
      continue;
    }
    const allowed = placeholders(en);
    for (const name of placeholders(tr)) {
      if (!allowed.has(name)) {
        problems.push(`${lang}: ${id} uses {${name}}, which the English message does not have`);
      }
    }
  }
  for (const id of Object.keys(translation)) {
    if (!(id in english)) {
      problems.push(`${lang}: extra message ${id} (not in en.json)`);
    }
  }
  return problems;
}

/** The language file's JSON text for `translation`. */
export function languageFile(english, translation) {
  const ids = sortedIds(english);
  const texts = ids.map((id) => {
    const value = translation[id];
    return isPlural(value) ? `${value.one}\u001f${value.other}` : value;
  });
  return JSON.stringify([catalogueId(ids), ...texts]);
}

function main(args) {
  const option = (name) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const out = option("--out");
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const dir = option("--i18n") ?? path.join(root, "i18n");
  if (!out) {
    console.error("usage: build-language-files.mjs --out DIR [--i18n DIR]");
    process.exit(2);
  }
  const read = (lang) => JSON.parse(readFileSync(path.join(dir, `${lang}.json`), "utf8"));
  const english = read("en");
  const problems = [];
  const files = [];
  for (const lang of LANGUAGES) {
    const translation = read(lang);
    problems.push(...checkCatalogue(english, translation, lang));
    files.push([lang, languageFile(english, translation)]);
  }
  if (problems.length) {
    console.error(problems.join("\n"));
    process.exit(1);
  }
  mkdirSync(out, { recursive: true });
  for (const [lang, text] of files) {
    writeFileSync(path.join(out, `trust-center.${lang}.json`), text);
  }
  console.log(`language files: ${LANGUAGES.map((lang) => `trust-center.${lang}.json`).join(", ")}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
