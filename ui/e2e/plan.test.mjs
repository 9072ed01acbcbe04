// The walking skeleton, end to end in the real window: the roadmap's eight steps are shown, a
// plan is created, and after the app is quit and started again the same plan is there, and the
// CLI prints it from the same database.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { withApp } from "./webdriver.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.join(here, "artifacts");

test("a plan created in the window survives a restart and is what the CLI sees", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-"));
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir };

  const created = await withApp(env, async (s) => {
    await s.waitFor('[data-testid="step-list"]');
    const steps = await s.findAll('[data-testid="step"]');
    assert.equal(steps.length, 8, "the roadmap's eight steps are listed");

    await (await s.waitFor('[data-testid="start-date"]')).setValue("2027-01-04");
    await (await s.find('[data-testid="months"]')).setValue("9");
    assert.equal(await (await s.find('[data-testid="months-label"]')).text(), "9 months");
    await s.screenshot(path.join(artifacts, "01-setup.png"));

    await (await s.find('[data-testid="create-plan"]')).click();
    const plan = await s.waitFor('[data-testid="plan"]');
    const range = await (await s.find('[data-testid="plan-range"]')).text();
    assert.equal(range, "Start 4 Jan 2027 · finish by 4 Oct 2027");
    assert.equal((await s.findAll('[data-testid="plan-step"]')).length, 8);
    await s.screenshot(path.join(artifacts, "02-plan.png"));
    return { id: await plan.attribute("data-plan-id"), range };
  });

  await withApp(env, async (s) => {
    const plan = await s.waitFor('[data-testid="plan"]');
    assert.equal(await plan.attribute("data-plan-id"), created.id, "the same plan is shown");
    assert.equal(await (await s.find('[data-testid="plan-range"]')).text(), created.range);
    assert.equal(await (await s.find('[data-testid="plan-months"]')).text(), "9");
    await s.screenshot(path.join(artifacts, "03-after-restart.png"));
  });

  const status = JSON.parse(
    execFileSync(process.env.ROADMAP_CLI, ["status", "--format", "json"], {
      env: { ...process.env, ...env },
      encoding: "utf8",
    }),
  );
  assert.equal(String(status.id), created.id);
  assert.equal(status.settings.start, "2027-01-04");
  assert.equal(status.settings.months, 9);
  assert.equal(status.target_end, "2027-10-04");
});
