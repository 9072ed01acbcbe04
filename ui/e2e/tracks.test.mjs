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

test("switch a running Python plan to Node.js: shared study kept, Node's topics planned", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-switch-"));
  const env = { ROADMAP_PLANNER_DATA_DIR: path.join(dir, "data") };
  const cli = (now, args) =>
    execFileSync(process.env.ROADMAP_CLI, args, { env: { ...process.env, ...env, ROADMAP_PLANNER_NOW: now }, encoding: "utf8" });
  cli("2027-01-04T08:00", ["plan", "--start", "2027-01-04", "--months", "12", "--availability", "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-13:00", "--save"]);
  // Two weeks studied as planned, and a shared topic (Git basics) done.
  const now = "2027-01-17T20:00";
  const sessions = () => JSON.parse(cli(now, ["sessions", "--format", "json"]));
  const studied = sessions().filter((x) => x.date < "2027-01-17").map((x) => x.id);
  for (const id of studied) cli(now, ["mark", String(id), "done"]);
  cli(now, ["done", "git-basics"]);

  await withApp({ ...env, ROADMAP_PLANNER_NOW: now }, async (s) => {
    await s.waitFor('[data-testid="this-week"]');
    await (await s.find('[data-testid="tab-roadmap"]')).click();
    await s.waitForAttribute('[data-testid="roadmap-choice"]', "data-shown", (v) => v === "python");
    await (await s.find('[data-testid="track-switch-open"][data-option="node"]')).click();
    await s.waitFor('[data-testid="track-switch-preview"]');
    const preview = await (await s.find('[data-testid="track-switch-preview"]')).text();
    // The preview names what goes and what comes, by title.
    assert.match(preview, /keeps every session you checked off/);
    assert.match(preview, /JavaScript and TypeScript fundamentals/);
    await (await s.find('[data-testid="track-switch-accept"]')).click();
    await s.waitFor('[data-testid="track-switched"]');
    await s.waitForAttribute('[data-testid="roadmap-choice"]', "data-shown", (v) => v === "node");
    assert.match(await (await s.find('[data-testid="roadmap-choice"]')).text(), /Language track: Node\.js .*also offered: Python, Java/);
  });

  const after = sessions();
  for (const id of studied) assert.equal(after.find((x) => x.id === id)?.status, "done", `session ${id} kept`);
  const toCome = (topic) => after.some((x) => x.topic === topic && x.kind === "study" && x.status === "planned" && x.date >= "2027-01-18");
  assert.ok(!toCome("python-fundamentals") && !toCome("flask-basics"), "nothing of Python is still to come");
  assert.ok(toCome("node-fundamentals") && toCome("express-basics"), "Node's topics are planned");
  assert.ok(toCome("sql-queries") && !toCome("git-basics"), "shared topics as they were");
  const status = JSON.parse(cli(now, ["status", "--format", "json"]));
  assert.deepEqual(status.plan.settings.chosen, ["node"]);
});

test("the bundled roadmap: choose Java at setup, and no Python-only topic is planned", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-java-"));
  const env = { ROADMAP_PLANNER_DATA_DIR: path.join(dir, "data"), ROADMAP_PLANNER_TODAY: "2027-01-25" };
  await withApp(env, async (s) => {
    await s.waitFor('[data-testid="choice"][data-choice-id="track"]');
    const text = await (await s.find('[data-testid="choice"]')).text();
    assert.match(text, /Python.*Java.*Node\.js/s);
    assert.match(text, /Only in this one: Java fundamentals, /);
    await (await s.find('[data-option-id="java"]')).click();
    await (await s.find('[data-testid="months"]')).setValue("24");
    await (await s.find('[data-testid="create-plan"]')).click();
    await s.waitForText('[data-testid="this-week"]', (t) => t.includes("Java fundamentals"));
  });
  const planned = JSON.parse(execFileSync(process.env.ROADMAP_CLI, ["sessions", "--format", "json"], { env: { ...process.env, ...env }, encoding: "utf8" }))
    .filter((x) => x.status !== "cancelled")
    .map((x) => x.topic);
  assert.ok(planned.includes("java-fundamentals") && planned.includes("java-spring-intro") && planned.includes("sql-queries"));
  for (const t of ["python-fundamentals", "python-testing", "flask-basics", "django-intro", "database-from-code", "express-basics"]) {
    assert.ok(!planned.includes(t), `${t} is not planned on the Java track`);
  }
  assert.deepEqual(planned.filter((t) => t.startsWith("python-") || t.startsWith("node-")), []);
});
