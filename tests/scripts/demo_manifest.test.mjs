// scripts/demo-manifest.mjs: which strings count as dates, and that every date moves by the same
// number of days (so each keeps its distance to "today"), across month ends and leap days.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { STORY_DAY, dateOf, dayNumber, demoManifestFor, shiftDates } from "../../scripts/demo-manifest.mjs";

describe("demo-manifest", () => {
  it("reads only real calendar dates", () => {
    assert.equal(dateOf(dayNumber("2024-02-29")), "2024-02-29");
    for (const notADate of ["2026-03", "2026-02-30", "2025-02-29", "2026-13-01", " 2026-01-01", "soc2-type2-2026", "2026-01-01T00:00:00Z"]) {
      assert.equal(dayNumber(notADate), null, notADate);
    }
  });

  it("moves every date by the same days and leaves everything else alone", () => {
    const value = { a: "2026-11-28", list: [{ due_by: "2027-02-28" }, "2026-03", 7, true, null], id: "x-2026-01-01" };
    assert.deepEqual(shiftDates(value, 1), {
      a: "2026-11-29",
      list: [{ due_by: "2027-03-01" }, "2026-03", 7, true, null],
      id: "x-2026-01-01",
    });
    assert.deepEqual(shiftDates(value, 0), value);
  });

  it("dates the demo manifest for any day, keeping each date's distance to it", () => {
    const manifest = JSON.parse(readFileSync(new URL("../../public/demo/manifest.json", import.meta.url), "utf8"));
    const distance = (date, today) => dayNumber(date) - dayNumber(today);
    for (const today of [STORY_DAY, "2027-03-01", "2040-02-29", "2099-12-31"]) {
      const moved = demoManifestFor(manifest, today);
      assert.equal(distance(moved.expires_at, today), distance(manifest.expires_at, STORY_DAY));
      assert.equal(distance(moved.issued_at, today), distance(manifest.issued_at, STORY_DAY));
      assert.equal(moved.access_requests?.nda?.version, manifest.access_requests?.nda?.version);
    }
    assert.throws(() => demoManifestFor(manifest, "tomorrow"), /--today must be a date/);
  });
});
