// Creating a plan in the real window: the scheduler's sessions are saved, the This Week screen
// and the plan overview show them, and after a restart the same plan is there and the CLI
// prints it from the same database.

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
  // The first week of the plan, so This Week has sessions to show.
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_TODAY: "2027-01-06" };

  const created = await withApp(env, async (s) => {
    await s.waitFor('[data-testid="step-list"]');
    const steps = await s.findAll('[data-testid="step"]');
    assert.equal(steps.length, 8, "the roadmap's eight steps are listed");
    await s.waitFor('[data-testid="first-run"]');

    await (await s.waitFor('[data-testid="start-date"]')).setValue("2027-01-04");
    await (await s.find('[data-testid="months"]')).setValue("9");
    assert.equal(await (await s.find('[data-testid="months-number"]')).attribute("value"), "9");
    await (await s.find('[data-testid="availability-text-toggle"]')).click();
    await (await s.waitFor('[data-testid="availability"]')).setValue(
      "mon=18:00-21:00,tue=18:00-21:00,wed=18:00-21:00,thu=18:00-21:00,sat=09:00-17:00,sun=09:00-13:00",
    );
    await s.screenshot(path.join(artifacts, "01-setup.png"));

    // Git is known already: its step is skipped, and the plan is shorter for it.
    const before = await (await s.waitFor('[data-testid="preview-required"]')).text();
    await (await s.find('[data-testid="known-version-control"]')).setValue("solid");
    const withoutGit = await s.waitForText('[data-testid="preview-required"]', (t) => t !== before);
    // Some Python already: the languages step starts lighter.
    await (await s.find('[data-testid="known-languages"]')).setValue("some");
    await s.waitForText('[data-testid="preview-required"]', (t) => parseFloat(t) < parseFloat(withoutGit));
    // Spaced review: out of range is refused in words, and "Create plan" waits; 10 % is kept.
    const cap = await s.find('[data-testid="review-cap"]');
    assert.equal(await cap.attribute("value"), "15", "review takes 15 % by default");
    await cap.setValue("80");
    assert.match(await (await s.waitFor('[data-testid="review-cap-error"]')).text(), /0 to 50 %/);
    assert.equal(await (await s.find('[data-testid="create-plan"]')).attribute("disabled"), "true");
    await cap.setValue("10");
    await s.waitForAttribute('[data-testid="create-plan"]', "disabled", (v) => v === null || v === "false");

    await (await s.find('[data-testid="create-plan"]')).click();
    const week = await s.waitFor('[data-testid="this-week"]');
    assert.equal(await week.attribute("data-week"), "2027-W01");
    const sessions = await s.findAll('[data-testid="session"]');
    assert.ok(sessions.length >= 6, `the week has its sessions (${sessions.length})`);
    await s.screenshot(path.join(artifacts, "02-this-week.png"));

    await (await s.find('[data-testid="tab-plan"]')).click();
    const plan = await s.waitFor('[data-testid="plan"]');
    const range = await (await s.find('[data-testid="plan-range"]')).text();
    assert.equal(range, "Start 4 Jan 2027 · target 4 Oct 2027");
    assert.equal((await s.findAll('[data-testid="plan-step"]')).length, 8);
    const milestones = await Promise.all((await s.findAll('[data-testid="milestone"]')).map((m) => m.text()));
    // Every step has a milestone but the one known already (version control, skipped):
    // nothing to reach there, and never a day before the plan begins.
    assert.equal(milestones.filter((m) => m === "—").length, 1, `one step without a milestone: ${milestones}`);
    assert.equal(milestones[6], "—", `version control, known, has none: ${milestones}`);
    assert.ok(milestones.filter((m) => m !== "—").every((m) => /\d{4}$/.test(m)), `every other step has a milestone: ${milestones}`);
    await (await s.find('[data-testid="step-toggle"]')).click();
    await s.waitFor('[data-testid="topic"]');
    await s.screenshot(path.join(artifacts, "03-plan.png"));
    return {
      id: await plan.attribute("data-plan-id"),
      range,
      finish: await (await s.find('[data-testid="plan-finish"]')).text(),
      sessions: sessions.length,
    };
  });

  await withApp(env, async (s) => {
    await s.waitFor('[data-testid="this-week"]');
    assert.equal((await s.findAll('[data-testid="session"]')).length, created.sessions);
    await (await s.find('[data-testid="tab-plan"]')).click();
    const plan = await s.waitFor('[data-testid="plan"]');
    assert.equal(await plan.attribute("data-plan-id"), created.id, "the same plan is shown");
    assert.equal(await (await s.find('[data-testid="plan-range"]')).text(), created.range);
    assert.equal(await (await s.find('[data-testid="plan-months"]')).text(), "9");
    assert.match(await (await s.find('[data-testid="plan-review-cap"]')).text(), /at most 10 % of the week/);
  });

  const status = JSON.parse(
    execFileSync(process.env.ROADMAP_CLI, ["status", "--format", "json"], {
      env: { ...process.env, ...env },
      encoding: "utf8",
    }),
  );
  assert.equal(String(status.plan.id), created.id);
  assert.equal(status.plan.settings.start, "2027-01-04");
  assert.equal(status.plan.settings.months, 9);
  assert.equal(status.plan.target_end, "2027-10-04");
  assert.equal(status.week.sessions.length, created.sessions);
  const [y, m, d] = status.plan.projected_end.split("-").map(Number);
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept?", "Oct", "Nov", "Dec"];
  assert.match(created.finish, new RegExp(`^${d} ${months[m - 1]} ${y}$`), "the window shows the saved finish");
  const git = status.plan.topics.filter((t) => t.step === "version-control");
  assert.ok(git.length > 0 && git.every((t) => t.state === "skipped"), "the known step's topics are skipped");
  assert.deepEqual(status.plan.settings.some, ["languages"], "a step known somewhat is kept with the plan");
  assert.equal(status.plan.settings.review_cap, 10, "the review share is kept with the plan");
  assert.equal(status.plan.unplanned_minutes, 0);
});
