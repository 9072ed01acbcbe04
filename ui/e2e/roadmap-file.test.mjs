// "Open roadmap file…": a broken file shows its located errors in the window and changes
// nothing; a valid file replaces the roadmap, plans are made from it, and it is still the
// roadmap after a restart. Debug builds let ROADMAP_PLANNER_TEST_PICK_FILE stand in for the
// native file dialog, which WebDriver cannot drive.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { withApp } from "./webdriver.mjs";

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");

const SMALL_ROADMAP = `title = "Tiny roadmap"
[[skills]]
id = "s"
name = "Skill"
[[steps]]
id = "first"
title = "First things"
[[steps]]
id = "second"
title = "Second things"
[[steps]]
id = "third"
title = "Third things"
[[topics]]
id = "a"
step = "first"
title = "A"
hours = 10
skills = ["s"]
[[topics]]
id = "b"
step = "second"
title = "B"
hours = 10
skills = ["s"]
requires = ["a"]
[[topics]]
id = "c"
step = "third"
title = "C"
hours = 10
skills = ["s"]
requires = ["b"]
`;

test("open a broken then a valid roadmap file, plan with it, restart", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-file-"));
  const dataDir = path.join(dir, "data");
  const broken = path.join(dir, "broken.toml");
  const valid = path.join(dir, "tiny.toml");
  writeFileSync(broken, SMALL_ROADMAP.replace('requires = ["a"]', 'requries = ["a"]'));
  writeFileSync(valid, SMALL_ROADMAP);

  await withApp({ ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_TEST_PICK_FILE: broken }, async (s) => {
    await s.waitFor('[data-testid="step-list"]');
    await (await s.find('[data-testid="open-roadmap"]')).click();
    await s.waitFor('[data-testid="roadmap-errors"]');
    const errors = await s.findAll('[data-testid="roadmap-error"]');
    assert.equal(errors.length, 1);
    const text = await errors[0].text();
    assert.match(text, /line 26, column 1/);
    assert.match(text, /unknown field `requries`/);
    assert.equal((await s.findAll('[data-testid="step"]')).length, 8, "the bundled roadmap stays");
    await s.screenshot(path.join(artifacts, "10-roadmap-errors.png"));
  });

  await withApp({ ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_TEST_PICK_FILE: valid }, async (s) => {
    await s.waitFor('[data-testid="step-list"]');
    await (await s.find('[data-testid="open-roadmap"]')).click();
    await s.waitFor('[data-testid="roadmap-source-path"]');
    assert.equal(await (await s.find('[data-testid="roadmap-source-path"]')).text(), valid);
    assert.equal((await s.findAll('[data-testid="step"]')).length, 3);
    await (await s.waitFor('[data-testid="start-date"]')).setValue("2027-02-01");
    await (await s.find('[data-testid="months"]')).setValue("6");
    await (await s.find('[data-testid="create-plan"]')).click();
    await (await s.waitFor('[data-testid="tab-plan"]')).click();
    await s.waitFor('[data-testid="plan"]');
    assert.equal((await s.findAll('[data-testid="plan-step"]')).length, 3);
    await s.screenshot(path.join(artifacts, "11-roadmap-from-file.png"));
  });

  await withApp({ ROADMAP_PLANNER_DATA_DIR: dataDir }, async (s) => {
    await (await s.waitFor('[data-testid="tab-plan"]')).click();
    await s.waitFor('[data-testid="plan"]');
    assert.equal((await s.findAll('[data-testid="plan-step"]')).length, 3);
    await (await s.find('[data-testid="tab-roadmap"]')).click();
    await s.waitFor('[data-testid="roadmap-source-path"]');
    assert.equal(await (await s.find('[data-testid="roadmap-source-path"]')).text(), valid);
    assert.equal((await s.findAll('[data-testid="step"]')).length, 3);
  });
});

test("another roadmap for a plan that knew some of a step it lacks: Create plan works, Cancel puts everything back", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-switch-"));
  const dataDir = path.join(dir, "data");
  const tiny = path.join(dir, "tiny.toml");
  writeFileSync(tiny, SMALL_ROADMAP);
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_NOW: "2027-01-04T08:00", TZ: "Europe/Berlin" };
  // A plan from the bundled roadmap that knows some of its APIs step (the tiny one has none).
  execFileSync(process.env.ROADMAP_CLI, ["plan", "--start", "2027-01-04", "--months", "12", "--some", "apis", "--save"], {
    env: { ...process.env, ...env },
  });
  await withApp({ ...env, ROADMAP_PLANNER_TEST_PICK_FILE: tiny }, async (s) => {
    const subtitle = async () => (await s.find(".app-header .subtitle")).text();
    await (await s.waitFor('[data-testid="tab-roadmap"]')).click();
    const bundled = await subtitle();
    await (await s.waitFor('[data-testid="open-roadmap"]')).click();
    await s.waitFor('[data-testid="setup-cancel"]');
    assert.match(await subtitle(), /^Tiny roadmap/);
    // Cancel: the roadmap the plan was made from is back, in the header and the roadmap panel.
    await (await s.find('[data-testid="setup-cancel"]')).click();
    await (await s.waitFor('[data-testid="tab-roadmap"]')).click();
    await s.waitForText(".app-header .subtitle", (t) => t === bundled);
    assert.equal((await s.findAll('[data-testid="step"]')).length, 8);
    assert.equal(await s.exists('[data-testid="roadmap-source-path"]'), false);
    // Opened again, a plan is made from it: nothing of the old plan's steps stands in the way.
    await (await s.find('[data-testid="open-roadmap"]')).click();
    await (await s.waitFor('[data-testid="start-date"]')).setValue("2027-02-01");
    await (await s.waitFor('[data-testid="create-plan"]')).click();
    await (await s.waitFor('[data-testid="tab-plan"]')).click();
    await s.waitFor('[data-testid="plan"]');
    assert.equal((await s.findAll('[data-testid="plan-step"]')).length, 3);
    assert.equal(await s.exists('[data-testid="error"]'), false);
  });
});
