// The environment scripts/test.sh prepares for the end-to-end specs: where the built widget is served
// (plain and under a strict Content-Security-Policy), where the intake service listens, and the signed
// fixtures it generated. Run the specs through `scripts/test.sh e2e`, which sets all of these.

import { readFileSync } from "node:fs";

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set. The end-to-end specs need the servers and fixtures that scripts/test.sh starts: ` +
        "run `scripts/test.sh e2e`.",
    );
  }
  return value;
}

/**
 * @typedef {{ url: string, expect: "verified" | "error", errorCode?: string, description: string }} Fixture
 * @typedef {{ publicKey: string, otherPublicKey: string, intakeUrl: string, documentIds: string[], organization: string,
 *             fixtures: Record<string, Fixture> }} FixtureIndex
 */

let cached;
/** @returns {{ baseUrl: string, cspBaseUrl: string, intakeUrl: string, intakeConfig: string, trustctl: string, fixtures: FixtureIndex }} */
export function e2eEnv() {
  if (!cached) {
    cached = {
      baseUrl: required("E2E_BASE_URL"),
      cspBaseUrl: required("E2E_CSP_BASE_URL"),
      intakeUrl: required("E2E_INTAKE_URL"),
      intakeConfig: required("E2E_INTAKE_CONFIG"),
      trustctl: required("E2E_TRUSTCTL"),
      fixtures: JSON.parse(readFileSync(required("E2E_FIXTURES"), "utf8")),
    };
  }
  return cached;
}
