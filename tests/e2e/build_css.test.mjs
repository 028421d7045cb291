// The stylesheet minifier used by scripts/build-widget.sh: it may drop comments and whitespace but
// must never change what a rule means (strings, descendant combinators, values keep their text).

import { describe, it } from "node:test";
import assert from "node:assert/strict";

import { minifyCss } from "../../scripts/minify-css.mjs";

describe("minifyCss", () => {
  it("drops comments and the whitespace around braces, semicolons and commas", () => {
    const css = "/* header */\n.a ,\n.b {\n  color: red;\n  margin: 0 auto;\n}\n";
    assert.equal(minifyCss(css), ".a,.b{color: red;margin: 0 auto}\n");
  });

  it("keeps the space of a descendant combinator and inside values", () => {
    const css = ".card   :focus-visible { outline: 2px solid var(--x); }";
    assert.equal(minifyCss(css), ".card :focus-visible{outline: 2px solid var(--x)}\n");
  });

  it("leaves strings untouched, even when they look like comments or contain quotes", () => {
    const css = `.q::before { content: "/* not a comment */  ;}"; font-family: 'It\\'s  Mono'; }`;
    assert.equal(
      minifyCss(css),
      `.q::before{content: "/* not a comment */  ;}";font-family: 'It\\'s  Mono'}\n`,
    );
  });

  it("keeps at-rule preludes readable", () => {
    const css = "@media (max-width: 640px) and (prefers-color-scheme: dark) {\n .a { gap: 1rem }\n}";
    assert.equal(
      minifyCss(css),
      "@media (max-width: 640px) and (prefers-color-scheme: dark){.a{gap: 1rem}}\n",
    );
  });

  it("treats an unterminated comment as running to the end", () => {
    assert.equal(minifyCss(".a{b:c}/* trailing"), ".a{b:c}\n");
  });
});
