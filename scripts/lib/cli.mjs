// Shared by the node scripts in scripts/ and tests/e2e/support/: the one way they tell whether they
// were run as a program (rather than imported by a test or another script).

import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Whether the module with this `import.meta.url` is the program node was started with. Compares
 * real paths, so a symlinked or relative `node scripts/x.mjs` counts as well.
 * @param {string} moduleUrl the caller's `import.meta.url`
 */
export function isMain(moduleUrl) {
  const started = process.argv[1];
  if (!started) return false;
  try {
    return realpathSync(started) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
