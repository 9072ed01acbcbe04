// A roadmap that offers a choice (a language track): setup asks it, with each option's hours
// and what only it has; choosing Java plans no Python-only topic, and the plan keeps Java
// after a restart. The roadmap file is opened through ROADMAP_PLANNER_TEST_PICK_FILE.

import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync } from "node:fs";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { withApp } from "./webdriver.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.join(here, "../../crates/roadmap-core/tests/it/fixtures/tracks.toml");

test("choose Java at setup: no Python-only topic is planned", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-tracks-"));
  const file = path.join(dir, "tracks.toml");
  copyFileSync(fixture, file);
  const env = { ROADMAP_PLANNER_DATA_DIR: path.join(dir, "data"), ROADMAP_PLANNER_TODAY: "2027-01-25" };
  await withApp({ ...env, ROADMAP_PLANNER_TEST_PICK_FILE: file }, async (s) => {
    await s.waitFor('[data-testid="step-list"]');
    await (await s.find('[data-testid="open-roadmap"]')).click();
    await s.waitFor('[data-testid="choice"][data-choice-id="track"]');
    const text = await (await s.find('[data-testid="choice"]')).text();
    assert.match(text, /Python.*about 25 h in all/s);
    assert.match(text, /Java.*about 37 h in all/s);
    assert.match(text, /Only in this one: Java the language, JUnit/);
    assert.equal(await s.execute('return document.querySelector(\'[data-option-id="python"]\').checked;'), true);
    await (await s.find('[data-option-id="java"]')).click();
    await (await s.find('[data-testid="months"]')).setValue("6");
    await (await s.find('[data-testid="create-plan"]')).click();
    await s.waitFor('[data-testid="this-week"]');
  });
  const topics = () =>
    new Set(JSON.parse(execFileSync(process.env.ROADMAP_CLI, ["sessions", "--format", "json"], { env: { ...process.env, ...env }, encoding: "utf8" }))
      .filter((x) => x.status !== "cancelled")
      .map((x) => x.topic));
  assert.deepEqual([...topics()].sort(), ["api", "http", "java-lang", "java-test"]);
  // After a restart the plan is still the Java one.
  await withApp(env, async (s) => {
    await s.waitForText('[data-testid="this-week"]', (t) => t.includes("Java the language"));
    const page = await s.execute("return document.body.innerText;");
    assert.ok(!page.includes("Python the language") && !page.includes("pytest"), page);
    // The Roadmap tab shows the plan's track, and says the other is offered.
    await (await s.find('[data-testid="tab-roadmap"]')).click();
    await s.waitForAttribute('[data-testid="roadmap-choice"]', "data-shown", (v) => v === "java");
    assert.match(await (await s.find('[data-testid="roadmap-choice"]')).text(), /Language track: Java .*also offered: Python/);
    await (await s.find('[data-step-id="basics"] [data-testid="roadmap-step-toggle"]')).click();
    await s.waitForText('[data-testid="step-list"]', (t) => t.includes("Java the language"));
    assert.doesNotMatch(await (await s.find('[data-testid="step-list"]')).text(), /Python the language|pytest/);
  });
});
