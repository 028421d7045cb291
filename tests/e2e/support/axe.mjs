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
  const { checked, violations } = await page.evaluate(async (selector) => {
    // axe walks open shadow roots of the included elements. A list of selectors (host, then inside
    // its shadow root) is axe's `fromShadowDom` context; as a plain nested array axe 4.14 matches
    // nothing and reports nothing.
    const context = !selector ? document : { include: [Array.isArray(selector) ? { fromShadowDom: selector } : selector] };
    const result = await window.axe.run(context, { resultTypes: ["violations"] });
    // How many elements axe looked at (the other result types are counted, not detailed).
    const checked = ["violations", "passes", "incomplete", "inapplicable"]
      .flatMap((type) => result[type])
      .reduce((count, rule) => count + rule.nodes.length, 0);
    return {
      checked,
      violations: result.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
      })),
    };
  }, include);
  // A check that looked at nothing (a selector that matches no element) must not pass as clean.
  if (checked === 0) throw new Error(`axe checked no element: ${JSON.stringify(include)} matches nothing on the page`);
  return violations.filter((violation) => (ranks[violation.impact] ?? 0) >= ranks[minimumImpact]);
}

/** Human-readable list of violations for an assertion message. */
export function formatViolations(violations) {
  return violations.map((v) => `- [${v.impact}] ${v.id}: ${v.help}\n    ${v.targets.join("\n    ")}`).join("\n");
}
