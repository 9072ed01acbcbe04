// This Week in the real window: check off sessions, log time, set and close the week's goal,
// fall behind, preview and accept a replan under each policy, restart, and find everything as
// it was left. "Today" comes from ROADMAP_PLANNER_TODAY, which only debug builds honour.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { withApp } from "./webdriver.mjs";

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");

function cli(env, args) {
  return execFileSync(process.env.ROADMAP_CLI, args, {
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
}

const click = async (s, css) => (await s.waitFor(css)).click();

/** The sessions not cancelled, as the CLI reads them: id, place and status. */
function liveSessions(env) {
  return JSON.parse(cli(env, ["sessions", "--format", "json"]))
    .filter((x) => x.status !== "cancelled")
    .map((x) => [x.id, x.date, x.start, x.minutes, x.status]);
}

test("check off, log, fall behind, replan under each policy, restart", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-progress-"));
  const base = { ROADMAP_PLANNER_DATA_DIR: dataDir };
  // 10 h a week against the roughly 690 h of the roadmap: on track for 18 months.
  cli(base, [
    "plan", "--start", "2027-01-04", "--months", "18",
    "--availability", "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-15:00", "--save",
  ]);

  // Saturday of the first week.
  const week1 = { ...base, ROADMAP_PLANNER_TODAY: "2027-01-09" };
  await withApp(week1, async (s) => {
    await s.waitFor('[data-testid="this-week"][data-week="2027-W01"]');
    // Monday's and Wednesday's sessions went by unmarked: their hours have no time left,
    // said quietly (under a week of the learner's hours: not yet "behind").
    await s.waitFor('[data-testid="slipping"] [data-testid="behind-hours"]');
    assert.equal(await s.exists('[data-testid="behind"]'), false);
    const sessions = await s.findAll('[data-testid="session"]');
    assert.ok(sessions.length >= 4, `${sessions.length} sessions`);
    const id = async (i) => (await s.findAll('[data-testid="session"]'))[i].attribute("data-session-id");
    const [first, second, third] = [await id(0), await id(1), await id(2)];
    const row = (sid) => `[data-testid="session"][data-session-id="${sid}"]`;
    // Monday's session, never ticked, reads as not checked off (it counts as not studied),
    // unlike today's, still to come.
    assert.equal(await (await s.find(`${row(first)} [data-testid="session-status"]`)).text(), "? Not checked off");
    const last = await id(sessions.length - 1);
    assert.equal(await (await s.find(`${row(last)} [data-testid="session-status"]`)).text(), "Planned");
    // The Calendar says the same: "? not checked off" on a past day, not on today's.
    await click(s, '[data-testid="tab-calendar"]');
    await s.waitFor('[data-testid="calendar-event"]');
    const marks = await s.execute(`return [...document.querySelectorAll('[data-testid="calendar-event"]')]
      .map((e) => [e.classList.contains('status-unticked'), e.textContent.includes('? ')]);`);
    assert.ok(marks.some(([c, t]) => c && t), `a past session reads not checked off: ${JSON.stringify(marks)}`);
    assert.ok(marks.some(([c]) => !c), "today's does not");
    await click(s, '[data-testid="tab-week"]');
    await s.waitFor(`${row(first)} [data-testid="mark-done"]`);

    await click(s, `${row(first)} [data-testid="mark-done"]`);
    await s.waitForAttribute(row(first), "data-status", (v) => v === "done");
    await click(s, `${row(second)} [data-testid="mark-partial"]`);
    await (await s.waitFor(`${row(second)} [data-testid="partial-minutes"]`)).setValue("45");
    await click(s, `${row(second)} [data-testid="partial-save"]`);
    await s.waitForAttribute(row(second), "data-status", (v) => v === "partial");
    await click(s, `${row(third)} [data-testid="mark-missed"]`);
    await s.waitForAttribute(row(third), "data-status", (v) => v === "missed");

    // Unplanned study: 30 minutes on the first topic, today.
    const topic = await (await s.find('[data-testid="goal-topics"] li')).attribute("data-topic-id");
    await (await s.find('[data-testid="log-topic"]')).setValue(topic);
    await (await s.find('[data-testid="log-minutes"]')).setValue("30");
    await click(s, '[data-testid="log-submit"]');
    // 120 done + 45 partly + 30 logged.
    await s.waitForAttribute('[data-testid="week-progress"]', "data-value", (v) => v === "195");

    // A future date is refused before anything is sent (the day field's own limit), and
    // nothing changes. The shell refuses it too; the CLI tests cover that message.
    await (await s.find('[data-testid="log-date"]')).setValue("2027-01-10");
    await click(s, '[data-testid="log-submit"]');
    const overflow = await s.execute(
      'return document.querySelector(\'[data-testid="log-date"]\').validity.rangeOverflow;',
    );
    assert.equal(overflow, true);
    assert.equal(await (await s.find('[data-testid="week-progress"]')).attribute("data-value"), "195");
    await (await s.find('[data-testid="log-date"]')).setValue("2027-01-09");

    // The goal: proposed from the plan, edited, then the week is closed with a review.
    await click(s, '[data-testid="goal-edit"]');
    await (await s.waitFor('[data-testid="goal-hours-input"]')).setValue("8");
    await (await s.find('[data-testid="goal-add-topic"]')).setValue("git-basics");
    await click(s, '[data-testid="goal-save"]');
    await s.waitForText('[data-testid="goal-hours"]', (t) => t === "8.0 h");
    await s.waitFor('[data-testid="goal-topics"] [data-topic-id="git-basics"]');
    await s.screenshot(path.join(artifacts, "30-week-checked-off.png"));
    await click(s, '[data-testid="review-partly"]');
    await (await s.find('[data-testid="review-note"]')).setValue("Missed Saturday's last block; logged half an hour.");
    await click(s, '[data-testid="close-week"]');
    await s.waitForText('[data-testid="goal-review"]', (t) => t.includes("partly"));
    // Closed too soon: reopened, the form is back; closed again.
    await click(s, '[data-testid="week-reopen-current"]');
    await s.waitForGone('[data-testid="goal-review"]');
    await click(s, '[data-testid="review-partly"]');
    await click(s, '[data-testid="close-week"]');
    await s.waitForText('[data-testid="goal-review"]', (t) => t.includes("partly"));

    // Skip a topic the learner already knows, from the plan overview.
    await click(s, '[data-testid="tab-plan"]');
    await click(s, '[data-step-id="version-control"] [data-testid="step-toggle"]');
    await click(s, '[data-topic-id="git-basics"] [data-testid="topic-skip"]');
    await s.waitForAttribute('[data-topic-id="git-basics"]', "data-state", (v) => v === "skipped");
    // A skipped topic keeps its place: the day it was skipped, not "— – —".
    assert.equal(await (await s.find('[data-topic-id="git-basics"] [data-testid="topic-when"]')).text(), "skipped on 9 Jan 2027");
    await s.screenshot(path.join(artifacts, "31-plan-topic-skipped.png"));
  });

  // Five months later, with nothing more done: behind.
  const june = { ...base, ROADMAP_PLANNER_TODAY: "2027-06-02" };
  await withApp(june, async (s) => {
    await s.waitFor('[data-testid="this-week"][data-week="2027-W22"]');
    await s.waitFor('[data-testid="behind"]');
    await s.screenshot(path.join(artifacts, "32-behind.png"));

    // The banner's one action: push the finish date, previewed at once.
    await click(s, '[data-testid="behind-extend"]');
    await s.waitFor('[data-testid="replan-result"]');
    assert.equal(await s.execute('return document.querySelector(\'[data-testid="policy-extend"]\').checked;'), true);
    assert.ok(Number(await (await s.find('[data-testid="replan-moved"]')).text()) > 0, "sessions move");
    assert.equal(await (await s.find('[data-testid="replan-hours"]')).text(), "10.0");
    await s.screenshot(path.join(artifacts, "33-replan-extend-preview.png"));
    await click(s, '[data-testid="replan-accept"]');
    // Five months of work pushed past the 18-month target: every hour left has a session
    // again, so not behind; the finish past the target is said, quietly.
    await s.waitFor('[data-testid="replan-open"]');
    assert.equal(await s.exists('[data-testid="behind-hours"]'), false);
    await s.waitFor('[data-testid="past-target"]');
    assert.equal(await s.exists('[data-testid="behind"]'), false);

    // Keep the target by studying more, up to 20 h a week.
    await click(s, '[data-testid="replan-open"]');
    await click(s, '[data-testid="policy-compress"]');
    await (await s.find('[data-testid="policy-cap"]')).setValue("20");
    await click(s, '[data-testid="replan-preview"]');
    const result = await s.waitFor('[data-testid="replan-result"]');
    assert.equal(await result.attribute("data-on-track"), "true");
    const hours = Number(await (await s.find('[data-testid="replan-hours"]')).text());
    assert.ok(hours > 10 && hours <= 20, `compress raises the hours within the cap: ${hours}`);
    await s.screenshot(path.join(artifacts, "34-replan-compress-preview.png"));
    await click(s, '[data-testid="replan-accept"]');
    await s.waitForAttribute('[data-testid="replan"]', "class", (c) => !c.includes("behind"));

    // Drop the optional topics.
    await click(s, '[data-testid="replan-open"]');
    await click(s, '[data-testid="policy-drop"]');
    await click(s, '[data-testid="replan-preview"]');
    await s.waitForText('[data-testid="replan-result"]', (t) => t.includes("Left out:"));
    const kept = liveSessions(june);
    await click(s, '[data-testid="replan-accept"]');
    await s.waitFor('[data-testid="replan-open"]');
    // Taken back at once: every session as it was before it, and only once.
    assert.notDeepEqual(liveSessions(june), kept);
    await s.waitForText('[data-testid="last-replan"]', (t) => t.includes("drop the optional topics"));
    await click(s, '[data-testid="undo-replan"]');
    await s.waitFor('[data-testid="replan-undone"]');
    assert.equal(await s.exists('[data-testid="last-replan"]'), false);
    assert.deepEqual(liveSessions(june), kept);
    // And made again, to keep.
    await click(s, '[data-testid="replan-open"]');
    await click(s, '[data-testid="policy-drop"]');
    await click(s, '[data-testid="replan-preview"]');
    await s.waitForText('[data-testid="replan-result"]', (t) => t.includes("Left out:"));
    await click(s, '[data-testid="replan-accept"]');
    await s.waitFor('[data-testid="undo-replan"]');
    await click(s, '[data-testid="tab-plan"]');
    await s.waitForAttribute('[data-testid="plan-on-track"]', "data-on-track", (v) => v === "true");
    await s.screenshot(path.join(artifacts, "35-after-replans.png"));
  });

  // Restart: everything as it was left.
  await withApp(june, async (s) => {
    await s.waitFor('[data-testid="this-week"][data-week="2027-W22"]');
    assert.equal(await s.exists('[data-testid="behind"]'), false);
    const w1 = await s.waitFor('[data-testid="past-week"][data-week="2027-W01"]');
    const text = await w1.text();
    assert.match(text, /3\.3 h/, "195 minutes done in the first week");
    assert.match(text, /8\.0 h/, "the edited goal");
    assert.match(text, /partly done — Missed Saturday's last block/);
    await click(s, '[data-testid="tab-plan"]');
    await s.waitForAttribute('[data-testid="plan-on-track"]', "data-on-track", (v) => v === "true");
    await click(s, '[data-step-id="version-control"] [data-testid="step-toggle"]');
    await s.waitForAttribute('[data-topic-id="git-basics"]', "data-state", (v) => v === "skipped");
  });

  // Over a year on, the replan's sessions have begun: it stays, and the window says why.
  await withApp({ ...base, ROADMAP_PLANNER_TODAY: "2028-09-04" }, async (s) => {
    await s.waitForText('[data-testid="undo-refused"]', (t) => t.includes("It can no longer be undone") && t.includes("has begun"));
    assert.equal(await s.exists('[data-testid="undo-replan"]'), false);
  });

  const status = JSON.parse(cli(june, ["status", "--format", "json"]));
  assert.equal(status.plan.progress.minutes_done, 195);
  assert.equal(status.plan.settings.include_optional, false);
  assert.equal(status.plan.unplanned_minutes, 0);
  assert.ok(status.plan.available_hours_per_week > 10);
  assert.ok(status.plan.on_track);
});
