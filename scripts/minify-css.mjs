// Minifies CSS conservatively for the widget bundle: drops comments and collapses whitespace,
// never touching the inside of strings. It does not rewrite values or selectors, so the output
// means exactly what the source means.
//
//   node scripts/minify-css.mjs < in.css > out.css

import { readFileSync } from "node:fs";

/** Characters around which whitespace carries no meaning in CSS. */
const TIGHT = new Set(["{", "}", ";", ",", ">"]);

/** Returns `css` without comments and with insignificant whitespace removed. */
export function minifyCss(css) {
  let out = "";
  let pendingSpace = false;
  for (let i = 0; i < css.length; i++) {
    const ch = css[i];
    if (ch === "/" && css[i + 1] === "*") {
      const end = css.indexOf("*/", i + 2);
      i = end === -1 ? css.length : end + 1;
      pendingSpace = true;
      continue;
    }
    if (/\s/.test(ch)) {
      pendingSpace = true;
      continue;
    }
    if (pendingSpace && out !== "" && !TIGHT.has(ch) && !TIGHT.has(out[out.length - 1])) {
      out += " ";
    }
    pendingSpace = false;
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < css.length && css[j] !== ch) {
        j += css[j] === "\\" ? 2 : 1;
      }
      out += css.slice(i, j + 1);
      i = j;
      continue;
    }
    if (ch === "}" && out.endsWith(";")) {
      out = out.slice(0, -1); // The last declaration needs no semicolon.
    }
    out += ch;
  }
  return out + "\n";
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(minifyCss(readFileSync(0, "utf8")));
}
