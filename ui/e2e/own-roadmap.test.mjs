// A learner's own roadmap in the window: a topic added from the Roadmap tab is planned, and
// nothing else moves; an estimate changed and taken back; the plan's roadmap exported as a
// file `roadmap validate` accepts. The sessions are read with the CLI.

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { withApp } from "./webdriver.mjs";

const NOW = "2027-01-06T20:00";

test("add a topic in the app and see it planned, with nothing else moved", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-own-"));
  const file = path.join(dir, "mine.toml");
  const env = { ROADMAP_PLANNER_DATA_DIR: path.join(dir, "data"), ROADMAP_PLANNER_NOW: NOW };
  const cli = (args) => execFileSync(process.env.ROADMAP_CLI, args, { env: { ...process.env, ...env }, encoding: "utf8" });
  cli(["plan", "--start", "2027-01-04", "--months", "12", "--availability", "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-13:00", "--save"]);
  const sessions = () => JSON.parse(cli(["sessions", "--format", "json"]));
  const before = sessions();
  const select = (testid, value) =>
    `const s = document.querySelector('[data-testid="${testid}"]'); s.value = ${JSON.stringify(value)}; s.dispatchEvent(new Event('change', { bubbles: true }));`;
  const type = (testid, value) =>
    `const s = document.querySelector('[data-testid="${testid}"]'); s.value = ${JSON.stringify(value)}; s.dispatchEvent(new Event('input', { bubbles: true }));`;

  await withApp({ ...env, ROADMAP_PLANNER_TEST_PICK_FILE: file }, async (s) => {
    await s.waitFor('[data-testid="this-week"]');
    await (await s.find('[data-testid="tab-roadmap"]')).click();
    await (await s.waitFor('[data-testid="topic-add-open"]')).click();
    await s.waitFor('[data-testid="topic-form"][data-mode="add"]');
    // Nothing filled: each field says what it needs, and nothing is sent.
    await (await s.find('[data-testid="topic-save"]')).click();
    await s.waitForText('[data-testid="topic-form"]', (t) => t.includes("Title: give the topic a title.") && t.includes("Skill areas: pick at least one."));
    await s.execute(type("topic-title", "gRPC basics"));
    await s.execute(select("topic-step", "apis"));
    await (await s.find('[data-testid="topic-skill"][data-skill="apis"]')).click();
    await s.execute(type("topic-hours", "6"));
    // Low and high follow the expected hours: 70 % and 150 %.
    assert.equal(await s.execute(`return document.querySelector('[data-testid="topic-low"]').value;`), "4");
    assert.equal(await s.execute(`return document.querySelector('[data-testid="topic-high"]').value;`), "9");
    await s.execute(
      `const s = document.querySelector('[data-testid="topic-requires"]'); for (const o of s.options) o.selected = o.value === 'rest-design'; s.dispatchEvent(new Event('change', { bubbles: true }));`,
    );
    await (await s.find('[data-testid="resource-add"]')).click();
    await s.execute(type("resource-title", "gRPC documentation"));
    await s.execute(type("resource-url", "https://grpc.io/docs/"));
    await (await s.find('[data-testid="topic-save"]')).click();
    await s.waitForText('[data-testid="topic-edit-done"]', (t) => t.includes("Added “gRPC basics”"));
    await s.waitForText('[data-testid="topic-edits"]', (t) => t.includes("Added “gRPC basics”, about 6 h (4–9)"));
    // The Roadmap tab lists it in its step.
    await (await s.find('[data-step-id="apis"] [data-testid="roadmap-step-toggle"]')).click();
    await s.waitForText('[data-step-id="apis"]', (t) => t.includes("gRPC basics"));

    // A topic's estimate changed, then taken back.
    await s.execute(select("topic-change-pick", "flask-basics"));
    await s.waitFor('[data-testid="topic-form"][data-mode="change"]');
    await s.execute(type("topic-hours", "0"));
    await (await s.find('[data-testid="topic-save"]')).click();
    await s.waitForText('[data-testid="topic-hours-error"]', (t) => t.includes("at least half an hour"));
    await s.execute(type("topic-hours", "20"));
    await s.execute(type("topic-high", "30"));
    await (await s.find('[data-testid="topic-save"]')).click();
    await s.waitForText('[data-testid="topic-edits"]', (t) => t.includes("Changed “Flask: routes, views and requests”: about 20 h"));
    const undos = await s.findAll('[data-testid="topic-edit-undo"]');
    assert.equal(undos.length, 2);
    await undos[1].click();
    await s.waitForText('[data-testid="topic-edit-done"]', (t) => t.includes("taken back"));
    assert.equal((await s.findAll('[data-testid="topic-edit"]')).length, 1);

    // Removing a topic others require is refused with their names.
    await s.execute(select("topic-change-pick", "sql-queries"));
    await (await s.waitFor('[data-testid="topic-remove"]')).click();
    await s.waitForText('[data-testid="topic-edit-error"]', (t) => t.includes("is required by PostgreSQL in practice"));

    await (await s.find('[data-testid="roadmap-export"]')).click();
    await s.waitForText('[data-testid="topic-edit-done"]', (t) => t.includes("mine.toml"));
  });

  const after = sessions();
  const grpc = after.filter((x) => x.topic === "own-grpc-basics" && x.kind === "study" && x.status === "planned");
  assert.equal(grpc.reduce((m, x) => m + x.minutes, 0), 360, "six hours of gRPC planned");
  const lastRest = before.filter((x) => x.topic === "rest-design").map((x) => x.date).sort().at(-1);
  assert.ok(grpc.every((x) => x.date >= lastRest), "after what it requires");
  // Nothing else moved: every other session is as it was (the estimate taken back restored Flask's).
  const key = (x) => `${x.topic} ${x.kind} ${x.date} ${x.start} ${x.minutes} ${x.status}`;
  const others = (list) => list.filter((x) => !x.topic.startsWith("own-") && x.status !== "cancelled").map(key).sort();
  assert.deepEqual(others(after), others(before));
  // The export is a roadmap file the CLI accepts, with the topic in it.
  assert.ok(existsSync(file));
  assert.match(readFileSync(file, "utf8"), /id = "own-grpc-basics"/);
  assert.match(cli(["validate", file]), /8 steps, 55 topics/);
});
