// The plan setup screen runs the scheduler live: feasibility, hours needed and available, and
// one-click fixes; a malformed availability is explained in the window.

import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { withApp } from "./webdriver.mjs";

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");

test("the setup screen previews feasibility and applies a fix in one click", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-preview-"));
  await withApp({ ROADMAP_PLANNER_DATA_DIR: dataDir }, async (s) => {
    await (await s.waitFor('[data-testid="start-date"]')).setValue("2027-01-04");
    await (await s.find('[data-testid="months"]')).setValue("6");
    await (await s.find('[data-testid="availability"]')).setValue("mon=19:00-21:00,sat=09:00-13:00");
    await s.waitForText('[data-testid="preview-feasible"]', (t) => t.startsWith("Not feasible"));
    assert.equal(await (await s.find('[data-testid="preview-available"]')).text(), "6.0 h a week");
    await s.waitFor('[data-testid="fix-more-hours"]');
    await s.screenshot(path.join(artifacts, "20-setup-not-feasible.png"));

    await (await s.find('[data-testid="fix-more-hours"]')).click();
    await s.waitForText('[data-testid="preview-feasible"]', (t) => t.startsWith("On track"));
    const proposed = await (await s.waitFor('[data-testid="preview-proposed"]')).text();
    assert.match(proposed, /sat=09:00-/);
    await s.screenshot(path.join(artifacts, "21-setup-fixed.png"));

    await (await s.find('[data-testid="availability"]')).setValue("someday=19:00-21:00");
    const err = await s.waitForText('[data-testid="preview-error"]', (t) => t.length > 0);
    assert.match(err, /unknown weekday "someday"/);
  });
});
