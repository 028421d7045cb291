// The wasm name shortener used by scripts/build-widget.sh (scripts/shorten-wasm-names.mjs): it must
// re-encode the import and export sections correctly, rewrite the glue to match, and refuse any
// input it cannot rewrite consistently. Self-contained: the fixture module is written byte by byte
// below and the fixture glue is a miniature of wasm-bindgen's output; both are run in Node.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import {
  encodeU32,
  parseExports,
  parseImports,
  readSections,
  shortenWasmNames,
} from "../../scripts/shorten-wasm-names.mjs";

const SCRIPT = fileURLToPath(new URL("../../scripts/shorten-wasm-names.mjs", import.meta.url));
const MODULE = "./fixture_bg.js";
const LOG = "__wbg_log_0123456789abcdef";
const ADD = "__wbg_addOneToTheNumber_fedcba9876543210";
const INVOKE = "wasm_bindgen_0123456789abcdef___convert__closures_____invoke___i32__i32_";

// --- a tiny wasm module, written by hand ---------------------------------------------------------

/** Unsigned LEB128, written independently of the script's own encoder. */
function leb(n) {
  const out = [];
  for (;;) {
    const b = n % 128;
    n = Math.floor(n / 128);
    if (n === 0) return [...out, b];
    out.push(b | 0x80);
  }
}
const name = (text) => [...leb(Buffer.byteLength(text)), ...Buffer.from(text)];
const section = (id, bytes) => [id, ...leb(bytes.length), ...bytes];
const vec = (items) => [...leb(items.length), ...items.flat()];

/**
 * Imports: ./fixture_bg.js LOG () → (), ./fixture_bg.js ADD (i32) → i32, and ./snippets/x.js
 * keep_me () → () from another module, which must stay as it is.
 * Exports: memory, run(x) = ADD(x) after calling LOG, INVOKE(x) = 2x, __wbindgen_start.
 * The import section is longer than 127 bytes before renaming and shorter after, so its size
 * prefix changes length. A custom section "producers" must pass through unchanged.
 */
function fixtureWasm() {
  const types = vec([
    [0x60, 0x00, 0x00], // 0: () -> ()
    [0x60, 0x01, 0x7f, 0x01, 0x7f], // 1: (i32) -> i32
  ]);
  const imports = vec([
    [...name(MODULE), ...name(LOG), 0x00, 0x00],
    [...name(MODULE), ...name(ADD), 0x00, 0x01],
    [...name("./snippets/x.js"), ...name("keep_me"), 0x00, 0x00],
  ]);
  const functions = vec([[0x01], [0x01], [0x00]]); // funcs 3, 4, 5 (0-2 are the imports)
  const memory = vec([[0x00, 0x01]]); // one memory, at least one page
  const exports = vec([
    [...name("memory"), 0x02, 0x00],
    [...name("run"), 0x00, 0x03],
    [...name(INVOKE), 0x00, 0x04],
    [...name("__wbindgen_start"), 0x00, 0x05],
  ]);
  const body = (code) => [...leb(code.length + 1), 0x00, ...code]; // no locals
  const code = vec([
    body([0x20, 0x00, 0x10, 0x01, 0x10, 0x00, 0x0b]), // local.get 0; call ADD; call LOG; end
    body([0x20, 0x00, 0x41, 0x02, 0x6c, 0x0b]), // local.get 0; i32.const 2; i32.mul; end
    body([0x10, 0x02, 0x0b]), // call keep_me; end
  ]);
  const custom = [...name("producers"), 1, 2, 3];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, types),
    ...section(2, imports),
    ...section(3, functions),
    ...section(5, memory),
    ...section(7, exports),
    ...section(10, code),
    ...section(0, custom),
  ]);
}

/** A miniature of wasm-bindgen's --target web glue for the fixture, plus a test hook. */
const fixtureGlue = ({ extraImportKey = "", dropLog = false, extra = "" } = {}) => `/**
 * Doubles \`x\` through the exported closure shim, like [\`run\`] does with ADD.
 * @param {number} x
 */
export function run(x) {
    return wasm.run(x);
}
export function memoryBytes() {
    return wasm.memory.buffer.byteLength;
}
export const calls = [];
function ${INVOKE}(arg0) {
    return wasm.${INVOKE}(arg0);
}
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
${extraImportKey}        ${ADD}: function(arg0) {
            return arg0 + 1;
        },
${dropLog ? "" : `        ${LOG}: function() {
            calls.push(makeClosure(${INVOKE}));
        },
`}    };
    return {
        __proto__: null,
        "${MODULE}": import0,
        "./snippets/x.js": { __proto__: null, keep_me: function() { calls.push("keep_me"); } },
    };
}
function makeClosure(f) {
    return f;
}
${extra}
let wasm;
export function initSync(bytes) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), __wbg_get_imports());
    wasm = instance.exports;
    wasm.__wbindgen_start();
    return wasm;
}
`;

/** Loads glue text as an ES module (from a temp file) and instantiates `bytes` with it. */
async function runGlue(glue, bytes) {
  const dir = mkdtempSync(path.join(tmpdir(), "shorten-names-"));
  try {
    const file = path.join(dir, "fixture.mjs");
    writeFileSync(file, glue);
    const module = await import(pathToFileURL(file).href);
    const exports = module.initSync(bytes);
    return { module, exports };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const shorten = (wasm, glue) => shortenWasmNames(wasm, glue, { module: MODULE });

describe("shortenWasmNames", () => {
  it("the fixture itself is a valid module that the original glue runs", async () => {
    const wasm = fixtureWasm();
    assert.ok(WebAssembly.validate(wasm));
    const { module } = await runGlue(fixtureGlue(), wasm);
    assert.equal(module.run(41), 42);
  });

  it("re-encodes both sections into a valid module with short, unique names", () => {
    const before = fixtureWasm();
    const { wasm, imports, exports } = shorten(before, fixtureGlue());
    assert.ok(WebAssembly.validate(wasm), "the rewritten module validates");

    const mod = new WebAssembly.Module(wasm);
    const importList = WebAssembly.Module.imports(mod);
    assert.deepEqual(
      importList.map((i) => [i.module, i.name]),
      [
        [MODULE, imports.get(LOG)],
        [MODULE, imports.get(ADD)],
        ["./snippets/x.js", "keep_me"], // another module: untouched
      ],
    );
    const exportNames = WebAssembly.Module.exports(mod).map((e) => e.name);
    assert.deepEqual(exportNames, ["memory", "run", INVOKE, "__wbindgen_start"].map((n) => exports.get(n)));

    for (const map of [imports, exports]) {
      const names = [...map.values()];
      assert.equal(new Set(names).size, names.length, "new names are unique");
      for (const n of names) assert.match(n, /^[A-Za-z][A-Za-z0-9]?$/, "new names are one or two characters");
    }

    // Everything outside the two sections is byte for byte the same, custom section included.
    const strip = (bytes) => readSections(bytes).filter((s) => s.id !== 2 && s.id !== 7);
    assert.deepEqual(strip(wasm), strip(before));
    // The import section shrank below 128 bytes, so its size prefix is now one byte shorter.
    const sizeOf = (bytes, id) => readSections(bytes).find((s) => s.id === id).payload.length;
    assert.ok(sizeOf(before, 2) >= 128 && sizeOf(wasm, 2) < 128);
    // The parsers agree with the engine on the rewritten sections.
    assert.deepEqual(
      parseImports(readSections(wasm).find((s) => s.id === 2).payload).map((i) => i.field),
      importList.map((i) => i.name),
    );
    assert.deepEqual(
      parseExports(readSections(wasm).find((s) => s.id === 7).payload).map((e) => e.name),
      exportNames,
    );
  });

  it("rewrites the glue consistently: the new pair runs exactly like the old one", async () => {
    const { wasm, glue, exports } = shorten(fixtureWasm(), fixtureGlue());
    for (const old of [LOG, ADD]) assert.ok(!glue.includes(old), `${old} is gone from the glue`);
    assert.ok(!glue.includes(`wasm.${INVOKE}`) && !glue.includes("wasm.run(") && !glue.includes("wasm.__wbindgen_start"));
    assert.ok(glue.includes(`wasm.${exports.get("run")}(x)`));
    // The glue's own JS names, comments and the other module are left alone.
    assert.ok(glue.includes("export function run(x)"));
    assert.ok(glue.includes(`function ${INVOKE}(arg0)`) && glue.includes(`makeClosure(${INVOKE})`));
    assert.ok(glue.includes("like [`run`] does"));
    assert.ok(glue.includes("keep_me: function"));

    const { module } = await runGlue(glue, wasm);
    assert.equal(module.run(41), 42); // run → ADD import → LOG import (pushes the closure)
    assert.equal(module.calls[0], "keep_me"); // __wbindgen_start → the other module's import
    assert.equal(module.calls[1](21), 42); // the closure shim calls the renamed INVOKE export
    assert.equal(module.memoryBytes(), 65536); // wasm.memory under its new name
  });

  it("never hands out a name already used as a key of the import object", () => {
    const { imports } = shorten(
      fixtureWasm(),
      fixtureGlue({ extraImportKey: "        a: function() {},\n        b: function() {},\n" }),
    );
    assert.ok(![...imports.values()].some((n) => n === "a" || n === "b"));
  });

  it("refuses a glue that lacks one of the wasm's imports", () => {
    assert.throws(() => shorten(fixtureWasm(), fixtureGlue({ dropLog: true })), new RegExp(`import "${LOG}" is defined 0 times`));
  });

  it("refuses a glue that never reads one of the exports", () => {
    const glue = fixtureGlue().replace("return wasm.run(x);", "return 0;");
    assert.throws(() => shorten(fixtureWasm(), glue), /export "run" is never read as wasm\.run/);
  });

  it("refuses an old name in a context it does not know", () => {
    for (const extra of [
      `const start = wasm["__wbindgen_start"];`, // a string: would be missed
      `function other(instance) { return instance.exports.run; }`, // another way to the exports
      `const { memory } = wasm;`, // destructuring
      `const table = { ${ADD}: 1 };`, // an import name outside the import object
    ]) {
      assert.throws(() => shorten(fixtureWasm(), fixtureGlue({ extra })), /unexpected context/, extra);
    }
  });

  it("refuses a glue that hands the exports object on under another name", () => {
    for (const extra of [
      `const exportsAlias = wasm;`, // an alias: exportsAlias.run would be missed
      `function other() { const { run } = wasm; return run; }`, // destructuring a name the glue also declares
      `function other() { return Object.keys(wasm); }`, // passed to a function
    ]) {
      assert.throws(() => shorten(fixtureWasm(), fixtureGlue({ extra })), /exports object "wasm" is used in an unexpected way/, extra);
    }
  });

  it("refuses input that is not a wasm module, or a module without the glue's imports", () => {
    assert.throws(() => shorten(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), fixtureGlue()), /not a wasm module/);
    assert.throws(
      () => shortenWasmNames(fixtureWasm(), fixtureGlue(), { module: "./other_bg.js" }),
      /imports nothing from "\.\/other_bg\.js"/,
    );
  });

  it("encodes LEB128 u32 like the specification", () => {
    for (const n of [0, 1, 127, 128, 255, 16383, 16384, 2 ** 21, 2 ** 32 - 1]) {
      assert.deepEqual([...encodeU32(n)], leb(n), String(n));
    }
    assert.throws(() => encodeU32(2 ** 32));
  });
});

describe("shorten-wasm-names.mjs (command line)", () => {
  const withFiles = (glue, check) => {
    const dir = mkdtempSync(path.join(tmpdir(), "shorten-names-cli-"));
    try {
      const wasmFile = path.join(dir, "fixture_bg.wasm");
      const glueFile = path.join(dir, "fixture.js"); // the module name "./fixture_bg.js" follows from it
      writeFileSync(wasmFile, fixtureWasm());
      writeFileSync(glueFile, glue);
      check(wasmFile, glueFile);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("rewrites both files in place and prints what it did", () => {
    withFiles(fixtureGlue(), (wasmFile, glueFile) => {
      const out = execFileSync(process.execPath, [SCRIPT, "--wasm", wasmFile, "--glue", glueFile], { encoding: "utf8" });
      assert.match(out, /2 imports and 4 exports renamed/);
      assert.ok(WebAssembly.validate(readFileSync(wasmFile)));
      assert.ok(!readFileSync(glueFile, "utf8").includes(ADD));
    });
  });

  it("exits non-zero with a clear message and leaves both files untouched on an inconsistent glue", () => {
    withFiles(fixtureGlue({ dropLog: true }), (wasmFile, glueFile) => {
      const glueBefore = readFileSync(glueFile, "utf8");
      const wasmBefore = readFileSync(wasmFile);
      let error;
      try {
        execFileSync(process.execPath, [SCRIPT, "--wasm", wasmFile, "--glue", glueFile], { encoding: "utf8", stdio: "pipe" });
      } catch (e) {
        error = e;
      }
      assert.ok(error, "the script failed");
      assert.equal(error.status, 1);
      assert.match(error.stderr, /shorten-wasm-names: cannot rewrite the glue consistently/);
      assert.match(error.stderr, new RegExp(LOG));
      assert.equal(readFileSync(glueFile, "utf8"), glueBefore);
      assert.deepEqual(readFileSync(wasmFile), wasmBefore);
    });
  });
});
