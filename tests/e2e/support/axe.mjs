// Accessibility checks with axe-core, run inside the page (the widget's open shadow root included).

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/**
 * Run axe on the page and return violations at or above `minimumImpact`
 * ("minor" | "moderate" | "serious" | "critical"). Evaluated through the DevTools protocol, so a strict
 * page CSP does not block it.
 */
export async function axeViolations(page, { minimumImpact = "serious", include = "trust-center" } = {}) {
  const ranks = { minor: 1, moderate: 2, serious: 3, critical: 4 };
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async (selector) => {
    // axe walks open shadow roots of the included elements.
    const result = await window.axe.run(selector ? { include: [selector] } : document, {
      resultTypes: ["violations"],
    });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
    }));
  }, include);
  return results.filter((violation) => (ranks[violation.impact] ?? 0) >= ranks[minimumImpact]);
}

/** Human-readable list of violations for an assertion message. */
export function formatViolations(violations) {
  return violations.map((v) => `- [${v.impact}] ${v.id}: ${v.help}\n    ${v.targets.join("\n    ")}`).join("\n");
}
