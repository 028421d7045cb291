#!/usr/bin/env node
// Gives the wasm imports and exports that only the wasm-bindgen glue uses short names, in the wasm
// binary and in the glue alike. Step 3 of wasm_bundle_finish in scripts/lib/common.sh, after
// wasm-opt and before esbuild minifies the glue.
//
//   node scripts/shorten-wasm-names.mjs --wasm DIR/NAME_bg.wasm --glue DIR/NAME.js
//
// Both files are rewritten in place; nothing is written unless every check passes.
//
// Why: wasm-bindgen names every import after the JS it calls plus a 16-hex-digit hash
// (`__wbg_createElement_8d1c5d5a1b2c3d4e`) and some exports after the mangled Rust path of a closure
// shim (`wasm_bindgen_a00cff21e8f9afb1___convert__closures_____invoke…`). Each name is written twice,
// once in the wasm import or export section and once in the glue, and the hashes do not compress.
// The names mean nothing at run time: the engine matches an import by (module, field) against the
// object the glue passes to WebAssembly.instantiate, and the glue reads exports as `wasm.<name>`.
//
// What is renamed:
//   - every import field of the glue's own module (`./NAME_bg.js`); the module name is kept, and
//     imports of any other module are left as they are;
//   - every export. The glue reads them only as `wasm.<name>` (`wasm = instance.exports`); the
//     loader and other callers use the glue's own JS functions (`mount`, `default`, …), whose names
//     do not change. The only other way out is the exports object that `init()` / `initSync()`
//     return: after this step its properties have the short names (nothing here uses it).
//
// The glue is rewritten on exact, whole identifier tokens, and every occurrence of an old name must
// be in a context this script knows (see rewriteGlue); otherwise it stops with an error. It also
// stops when a name is missing from the glue, when a new name could clash with a name already in
// use, or when the result does not list exactly the expected imports and exports.
// No dependencies: Node's own WebAssembly API double-checks the re-encoded binary.

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import { isMain } from "./lib/cli.mjs";

/** Exports the glue is known not to read. wasm-bindgen's runtime (rt/mod.rs) always exports these
 * two globals; the glue reads them only when its abort handling is generated (panic=unwind builds,
 * or wasm-bindgen --force-enable-abort-handler), and then as `wasm.<name>` like any export. Our
 * bundles abort on panic, so here they go unread. They are renamed like every export; any *other*
 * export missing from the glue is an error. */
export const UNREFERENCED_EXPORTS_OK = new Set(["__abort_handler", "__instance_terminated"]);

// Words that cannot be used as a plain identifier (ECMAScript reserved words, plus the strict-mode
// and module ones). A property name may legally be one, but new names avoid them anyway.
const RESERVED = new Set(
  ("await break case catch class const continue debugger default delete do else enum export extends " +
    "false finally for function if implements import in instanceof interface let new null package " +
    "private protected public return static super switch this throw true try typeof var void while " +
    "with yield arguments eval undefined NaN Infinity")
    .split(" "),
);

class ShortenError extends Error {}
const fail = (message) => {
  throw new ShortenError(message);
};

// ------------------------------------------------------------------------------------------------
// The wasm binary: sections, LEB128, the import and export sections.

/** A cursor over a byte array with the wasm binary format's primitive readers. */
class Reader {
  constructor(bytes, offset = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = offset;
    this.end = end;
  }
  byte() {
    if (this.pos >= this.end) fail(`unexpected end of data at byte ${this.pos}`);
    return this.bytes[this.pos++];
  }
  /** Unsigned LEB128, at most 5 bytes (u32). */
  u32() {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (result > 0xffffffff) fail(`u32 out of range at byte ${this.pos}`);
        return result;
      }
    }
    fail(`LEB128 u32 longer than 5 bytes at byte ${this.pos}`);
  }
  /** Skips one LEB128 number of up to `maxBytes` bytes (u64 / s33 values are only copied). */
  skipLeb(maxBytes) {
    for (let i = 0; i < maxBytes; i++) {
      if ((this.byte() & 0x80) === 0) return;
    }
    fail(`LEB128 number longer than ${maxBytes} bytes at byte ${this.pos}`);
  }
  /** A name: u32 length, then that many bytes of UTF-8. */
  name() {
    const length = this.u32();
    if (this.pos + length > this.end) fail(`name runs past its section at byte ${this.pos}`);
    const bytes = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      fail(`a name is not valid UTF-8 at byte ${this.pos - length}`);
    }
  }
}

/** Unsigned LEB128 encoding of a u32 (always the shortest form). */
export function encodeU32(value) {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) fail(`cannot encode ${value} as u32`);
  const out = [];
  do {
    let b = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) b |= 0x80;
    out.push(b);
  } while (value !== 0);
  return Uint8Array.from(out);
}

const encodeName = (text) => {
  const bytes = new TextEncoder().encode(text);
  return concat([encodeU32(bytes.length), bytes]);
};

function concat(parts) {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Splits a module into [{id, payload}] (payload without the id byte and size). */
export function readSections(bytes) {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]; // "\0asm", version 1
  if (bytes.length < 8 || header.some((b, i) => bytes[i] !== b)) fail("not a wasm module (bad magic or version)");
  const sections = [];
  const r = new Reader(bytes, 8);
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    if (r.pos + size > bytes.length) fail(`section ${id} runs past the end of the file`);
    sections.push({ id, payload: bytes.subarray(r.pos, r.pos + size) });
    r.pos += size;
  }
  return sections;
}

export function writeSections(sections) {
  const parts = [Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)];
  for (const { id, payload } of sections) parts.push(Uint8Array.of(id), encodeU32(payload.length), payload);
  return concat(parts);
}

/** The name of a custom section (id 0), or null. */
export function customSectionName(section) {
  return section.id === 0 ? new Reader(section.payload).name() : null;
}

// Value types: one byte, except (ref null? <heaptype>) = 0x63 / 0x64 followed by an s33.
function skipValueType(r) {
  const type = r.byte();
  if (type === 0x63 || type === 0x64) r.skipLeb(5);
}

// Limits: a flags byte (bit 0: a maximum follows; bit 1: shared; bit 2: 64-bit), then the minimum
// and maybe the maximum (u64 for 64-bit memories, so up to 10 bytes each).
function skipLimits(r) {
  const flags = r.byte();
  if (flags > 0x07) fail(`unknown limits flags 0x${flags.toString(16)} at byte ${r.pos - 1}`);
  r.skipLeb(10);
  if (flags & 0x01) r.skipLeb(10);
}

const KIND_NAMES = ["function", "table", "memory", "global", "tag"];

/** Imports: [{module, field, kind, desc}] where desc is the raw bytes of the import descriptor. */
export function parseImports(payload) {
  const r = new Reader(payload);
  const count = r.u32();
  const imports = [];
  for (let i = 0; i < count; i++) {
    const module = r.name();
    const field = r.name();
    const start = r.pos;
    const kind = r.byte();
    switch (kind) {
      case 0x00: // function: type index
        r.u32();
        break;
      case 0x01: // table: reference type, limits
        skipValueType(r);
        skipLimits(r);
        break;
      case 0x02: // memory: limits
        skipLimits(r);
        break;
      case 0x03: // global: value type, mutability
        skipValueType(r);
        r.byte();
        break;
      case 0x04: // tag (exception handling): attribute, type index
        r.byte();
        r.u32();
        break;
      default:
        fail(`import "${module}"."${field}" has an unknown kind 0x${kind.toString(16)}`);
    }
    imports.push({ module, field, kind, desc: payload.subarray(start, r.pos) });
  }
  if (r.pos !== payload.length) fail("the import section has trailing bytes");
  return imports;
}

export function encodeImports(imports) {
  const parts = [encodeU32(imports.length)];
  for (const { module, field, desc } of imports) parts.push(encodeName(module), encodeName(field), desc);
  return concat(parts);
}

/** Exports: [{name, kind, index}]. */
export function parseExports(payload) {
  const r = new Reader(payload);
  const count = r.u32();
  const exports = [];
  for (let i = 0; i < count; i++) {
    const name = r.name();
    const kind = r.byte();
    if (kind > 0x04) fail(`export "${name}" has an unknown kind 0x${kind.toString(16)}`);
    exports.push({ name, kind, index: r.u32() });
  }
  if (r.pos !== payload.length) fail("the export section has trailing bytes");
  return exports;
}

export function encodeExports(exports) {
  const parts = [encodeU32(exports.length)];
  for (const { name, kind, index } of exports) parts.push(encodeName(name), Uint8Array.of(kind), encodeU32(index));
  return concat(parts);
}

// ------------------------------------------------------------------------------------------------
// New names.

const FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const REST = FIRST + "0123456789";

/** Yields a, b, …, Z, aa, ab, …: the shortest plain identifiers first, skipping reserved words and
 * every name in `taken`. */
export function* shortNames(taken) {
  for (let length = 1; ; length++) {
    const total = FIRST.length * REST.length ** (length - 1);
    for (let n = 0; n < total; n++) {
      let rest = n;
      let name = "";
      for (let i = length - 1; i > 0; i--) {
        name = REST[rest % REST.length] + name;
        rest = Math.floor(rest / REST.length);
      }
      name = FIRST[rest] + name;
      if (!RESERVED.has(name) && !taken.has(name)) yield name;
    }
  }
}

// ------------------------------------------------------------------------------------------------
// The glue.

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;
const isIdentChar = (ch) => ch !== undefined && /[\w$]/.test(ch);
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Where the glue defines the import object of `module`: wasm-bindgen writes
 *   const import0 = { __proto__: null, <field>: function(…) {…}, … };
 *   return { __proto__: null, "<module>": import0 };
 * Returns the text range of that object literal: from `const import0 = {` up to the next
 * `const importN = {` or the `"<module>": import0` line, whichever comes first.
 */
function findImportObject(glue, module) {
  const mapping = new RegExp(`["']${escapeRegExp(module)}["']\\s*:\\s*([A-Za-z_$][\\w$]*)`).exec(glue);
  if (!mapping) fail(`the glue has no import object for the module "${module}"`);
  const variable = mapping[1];
  const declaration = new RegExp(`\\bconst ${escapeRegExp(variable)} = \\{`).exec(glue);
  if (!declaration || declaration.index > mapping.index) {
    fail(`the glue's import object "${variable}" for "${module}" is not declared before its use`);
  }
  const start = declaration.index;
  const next = /\bconst [A-Za-z_$][\w$]* = \{/g;
  next.lastIndex = start + declaration[0].length;
  const following = next.exec(glue);
  const end = following && following.index < mapping.index ? following.index : mapping.index;
  return { start, end, variable };
}

/** The keys written at the start of a line (`<indent>key:`) inside glue[start, end). */
function lineKeys(glue, start, end) {
  const keys = new Set();
  for (const m of glue.slice(start, end).matchAll(/^[ \t]*([A-Za-z_$][\w$]*)\s*:/gm)) keys.add(m[1]);
  return keys;
}

/** A plain identifier use: not a property (`.x`), not inside quotes, not an object key (`x:`). */
function isPlainReference(before, after) {
  return !/[.'"`]\s*$/.test(before) && !/^['"`]/.test(after) && !/^\s*:/.test(after);
}

/**
 * The glue must reach the exports only through `wasm.<name>`: an alias (`const w = wasm`),
 * destructuring (`const {x} = wasm`) or passing `wasm` to a function would hide accesses from
 * rewriteGlue. So every use of the variable `wasm` that is not `wasm.<name>` must be one of the
 * lines wasm-bindgen writes to declare, set, test and return it. `.wasm` (a file extension),
 * `/wasm` (the MIME type) and comment lines are not the variable.
 */
function checkWasmUses(glue) {
  const allowed = [
    /^let [\w$, ]*\bwasm;$/, // let wasmModule, wasmInstance, wasm;
    /^wasm = instance\.exports;$/,
    /^return wasm;$/,
    /^if \(wasm !== undefined\) return wasm;$/,
  ];
  const problems = [];
  for (const match of glue.matchAll(/\bwasm\b/g)) {
    const at = match.index;
    const previous = glue[at - 1];
    if (glue[at + 4] === "." || previous === "." || previous === "/" || isIdentChar(previous)) continue;
    const lineStart = glue.lastIndexOf("\n", at - 1) + 1;
    const lineEnd = glue.indexOf("\n", at) === -1 ? glue.length : glue.indexOf("\n", at);
    const line = glue.slice(lineStart, lineEnd).trim();
    if (/^(\*|\/\*|\/\/)/.test(line) || allowed.some((pattern) => pattern.test(line))) continue;
    problems.push(`the exports object "wasm" is used in an unexpected way: ${line.slice(0, 160)}`);
  }
  return problems;
}

/**
 * Rewrites the glue: each old name becomes its new name, exactly where it is used as
 *   - an import: a key at the start of a line inside the module's import object (`<old>: function…`),
 *     which must occur exactly once;
 *   - an export: a property of the exports object, `wasm.<old>` (not `x.wasm.<old>`), at least once.
 * Other whole-token occurrences of an old name are left alone only where they cannot mean the wasm
 * import or export:
 *   - a comment line (`*`, `/*`, `//`);
 *   - for an export name, a JS function of the glue with the same text: wasm-bindgen declares one
 *     per export it wraps (`export function mount(…) { … wasm.mount(…) … }`, and for closure shims
 *     `function wasm_bindgen_…_invoke…(…)` passed to makeClosure), so its declaration and plain
 *     references to it (`f(a, b, <name>)`) are JS-local names, not the exports object.
 * Anything else (a string, `instance.exports.<old>`, an object key, destructuring, …) is an
 * unexpected context and an error, since the name would then be missed.
 * The exports object itself must not be handed on under another name either (see checkWasmUses).
 */
export function rewriteGlue(glue, { module, importNames, exportNames, unreferencedOk = UNREFERENCED_EXPORTS_OK }) {
  const object = findImportObject(glue, module);
  // JS functions the glue declares: `function <name>(`.
  const jsFunctions = new Set([...glue.matchAll(/(?:^|[^\w$.])function\s+([A-Za-z_$][\w$]*)\s*\(/g)].map((m) => m[1]));
  const importUses = new Map([...importNames.keys()].map((name) => [name, 0]));
  const exportUses = new Map([...exportNames.keys()].map((name) => [name, 0]));
  const problems = checkWasmUses(glue);
  let out = "";
  let copied = 0;

  for (const match of glue.matchAll(IDENTIFIER)) {
    const name = match[0];
    const at = match.index;
    if (isIdentChar(glue[at - 1])) continue; // the middle of a longer token (e.g. 0x7F)
    if (!importNames.has(name) && !exportNames.has(name)) continue;

    const lineStart = glue.lastIndexOf("\n", at - 1) + 1;
    const lineEnd = glue.indexOf("\n", at) === -1 ? glue.length : glue.indexOf("\n", at);
    const before = glue.slice(lineStart, at);
    const after = glue.slice(at + name.length, lineEnd);
    const line = glue.slice(lineStart, lineEnd).trim();
    const lineNumber = glue.slice(0, at).split("\n").length;

    let replacement = null;
    if (exportNames.has(name) && /(^|[^\w$.])wasm\.$/.test(before)) {
      replacement = exportNames.get(name);
      exportUses.set(name, exportUses.get(name) + 1);
    } else if (
      importNames.has(name) &&
      at > object.start &&
      at < object.end &&
      /^[ \t]*$/.test(before) &&
      /^\s*:/.test(after)
    ) {
      replacement = importNames.get(name);
      importUses.set(name, importUses.get(name) + 1);
    } else if (/^(\*|\/\*|\/\/)/.test(line)) {
      continue; // documentation only
    } else if (exportNames.has(name) && jsFunctions.has(name) && isPlainReference(before, after)) {
      continue; // the glue's JS function of the same name: its declaration or a call / reference
    } else {
      problems.push(`line ${lineNumber}: "${name}" in an unexpected context: ${line.slice(0, 160)}`);
      continue;
    }
    out += glue.slice(copied, at) + replacement;
    copied = at + name.length;
  }
  out += glue.slice(copied);

  for (const [name, uses] of importUses) {
    if (uses !== 1) {
      problems.push(
        `import "${name}" is defined ${uses} times in the glue's import object "${object.variable}" (expected once)`,
      );
    }
  }
  for (const [name, uses] of exportUses) {
    if (uses === 0 && !unreferencedOk.has(name)) problems.push(`export "${name}" is never read as wasm.${name} in the glue`);
  }
  if (problems.length) fail(`cannot rewrite the glue consistently:\n  ${problems.join("\n  ")}`);
  return { glue: out, importUses, exportUses };
}

// ------------------------------------------------------------------------------------------------
// The whole step.

/**
 * Renames the imports of `module` and all exports in `wasmBytes`, and rewrites `glueText` to
 * match. Returns {wasm, glue, imports: Map old→new, exports: Map old→new, sizes}; throws on any
 * inconsistency. `module` defaults to the module name wasm-bindgen gives the glue: "./NAME_bg.js".
 */
export function shortenWasmNames(wasmBytes, glueText, { module, unreferencedOk = UNREFERENCED_EXPORTS_OK } = {}) {
  if (!module) fail("shortenWasmNames needs the glue's module name");
  const sections = readSections(wasmBytes);
  const importSection = sections.find((s) => s.id === 2);
  const exportSection = sections.find((s) => s.id === 7);
  if (sections.filter((s) => s.id === 2).length > 1 || sections.filter((s) => s.id === 7).length > 1) {
    fail("the module has more than one import or export section");
  }
  const imports = importSection ? parseImports(importSection.payload) : [];
  const exports = exportSection ? parseExports(exportSection.payload) : [];
  if (!imports.some((i) => i.module === module)) fail(`the wasm imports nothing from "${module}"`);

  // Names a new name must not take: every old name (so no new name means two things while the
  // glue is rewritten), the other keys of the import object, and import fields of other modules.
  const object = findImportObject(glueText, module);
  const taken = new Set([
    ...imports.map((i) => i.field),
    ...exports.map((e) => e.name),
    ...lineKeys(glueText, object.start, object.end),
    "__proto__",
  ]);

  const importNames = new Map(); // old field → new field (the same field twice keeps one name)
  const importGenerator = shortNames(taken);
  for (const i of imports) {
    if (i.module === module && !importNames.has(i.field)) importNames.set(i.field, importGenerator.next().value);
  }
  const exportNames = new Map();
  const exportGenerator = shortNames(taken);
  for (const e of exports) {
    if (exportNames.has(e.name)) fail(`the wasm exports "${e.name}" twice`);
    exportNames.set(e.name, exportGenerator.next().value);
  }
  // The generators guarantee this; checked anyway because a clash would silently swap functions.
  if (new Set(importNames.values()).size !== importNames.size || new Set(exportNames.values()).size !== exportNames.size) {
    fail("internal error: two old names were given the same new name");
  }

  const rewritten = rewriteGlue(glueText, { module, importNames, exportNames, unreferencedOk });

  const newImports = imports.map((i) => (i.module === module ? { ...i, field: importNames.get(i.field) } : i));
  const newExports = exports.map((e) => ({ ...e, name: exportNames.get(e.name) }));
  const newSections = sections.map((s) => {
    if (s.id === 2) return { id: 2, payload: encodeImports(newImports) };
    if (s.id === 7) return { id: 7, payload: encodeExports(newExports) };
    return s;
  });
  const wasm = writeSections(newSections);

  checkWithEngine(wasmBytes, wasm, newImports, newExports);

  return {
    wasm,
    glue: rewritten.glue,
    imports: importNames,
    exports: exportNames,
    sizes: {
      importSection: [importSection?.payload.length ?? 0, newSections.find((s) => s.id === 2)?.payload.length ?? 0],
      exportSection: [exportSection?.payload.length ?? 0, newSections.find((s) => s.id === 7)?.payload.length ?? 0],
      wasm: [wasmBytes.length, wasm.length],
      glue: [glueText.length, rewritten.glue.length],
    },
  };
}

/**
 * Independent check of the re-encoded binary by Node's own WebAssembly engine: it must validate and
 * list exactly the expected imports and exports, in order. Skipped (with a note) only when this Node
 * cannot compile the *input* either (a wasm feature newer than Node's engine).
 */
function checkWithEngine(before, after, imports, exports) {
  let compiled;
  try {
    new WebAssembly.Module(before);
  } catch (error) {
    process.stderr.write(`note: this Node cannot compile the input wasm (${error.message}); engine check skipped\n`);
    return;
  }
  try {
    compiled = new WebAssembly.Module(after);
  } catch (error) {
    fail(`the rewritten wasm does not compile: ${error.message}`);
  }
  const kinds = KIND_NAMES;
  const want = (list) => JSON.stringify(list);
  const gotImports = WebAssembly.Module.imports(compiled).map((i) => [i.module, i.name, i.kind]);
  const wantImports = imports.map((i) => [i.module, i.field, kinds[i.kind]]);
  if (want(gotImports) !== want(wantImports)) fail("the rewritten wasm does not list the expected imports");
  const gotExports = WebAssembly.Module.exports(compiled).map((e) => [e.name, e.kind]);
  const wantExports = exports.map((e) => [e.name, kinds[e.kind]]);
  if (want(gotExports) !== want(wantExports)) fail("the rewritten wasm does not list the expected exports");
}

// ------------------------------------------------------------------------------------------------
// Command line.

function main(argv) {
  let options;
  try {
    ({ values: options } = parseArgs({
      args: argv,
      options: { wasm: { type: "string" }, glue: { type: "string" }, module: { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    fail(`${error.message} (usage: shorten-wasm-names.mjs --wasm FILE --glue FILE [--module NAME])`);
  }
  if (!options.wasm || !options.glue) fail("usage: shorten-wasm-names.mjs --wasm FILE_bg.wasm --glue FILE.js [--module NAME]");
  // wasm-bindgen --target web names the glue's module after the glue file: NAME.js → "./NAME_bg.js".
  const module = options.module ?? `./${path.basename(options.glue, ".js")}_bg.js`;

  const result = shortenWasmNames(readFileSync(options.wasm), readFileSync(options.glue, "utf8"), { module });
  writeFileSync(options.wasm, result.wasm);
  writeFileSync(options.glue, result.glue);
  const { sizes } = result;
  const arrow = ([a, b]) => `${a} → ${b}`;
  console.log(
    `${result.imports.size} imports and ${result.exports.size} exports renamed; ` +
      `import section ${arrow(sizes.importSection)} B, export section ${arrow(sizes.exportSection)} B, ` +
      `glue ${arrow(sizes.glue)} chars`,
  );
}

if (isMain(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ShortenError)) throw error;
    process.stderr.write(`shorten-wasm-names: ${error.message}\n`);
    process.exit(1);
  }
}
