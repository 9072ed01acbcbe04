// One week's own times in the window: next week gets no study time (its sessions become
// behind, no other week moves), the week says so in the picker, and it goes back to the
// usual times without anything else moving.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { withApp } from "./webdriver.mjs";

function cli(env, args) {
  return execFileSync(process.env.ROADMAP_CLI, args, { env: { ...process.env, ...env }, encoding: "utf8" });
}
const click = async (s, css) => (await s.waitFor(css)).click();
const sessions = (env) => JSON.parse(cli(env, ["sessions", "--format", "json"]));
const inWeek = (x, monday, sunday) => monday <= x.date && x.date <= sunday;

test("a week without study, then the usual week again, in the window", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-weeks-"));
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_TODAY: "2027-02-01" };
  cli(env, [
    "plan", "--start", "2027-01-04", "--months", "12",
    "--availability", "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-13:00", "--save",
  ]);
  const before = sessions(env);
  await withApp(env, async (s) => {
    await s.waitForText('[data-testid="week-times-kind"]', (t) => t === "your usual times");
    await click(s, '[data-testid="week-times-open"]');
    await s.waitFor('[data-testid="week-times-week"]');
    await s.execute(`const sel = document.querySelector('[data-testid="week-times-week"]');
      sel.value = "2027-02-08"; sel.dispatchEvent(new Event("change", { bubbles: true }));`);
    await click(s, '[data-testid="week-times-none"]');
    await s.waitForText('[data-testid="week-times-said"]', (t) => t.includes("has no study time"));
    const after = sessions(env);
    for (const b of before) {
      const a = after.find((x) => x.id === b.id);
      if (!inWeek(b, "2027-02-08", "2027-02-14")) assert.deepEqual(a, b, "a session outside the week changed");
    }
    assert.equal(after.filter((x) => inWeek(x, "2027-02-08", "2027-02-14") && x.status !== "cancelled").length, 0);
    assert.ok(before.some((x) => inWeek(x, "2027-02-08", "2027-02-14")), "the week had sessions");
    // The picker marks the week; back to the usual times, nothing else moves.
    await click(s, '[data-testid="week-times-open"]');
    await s.execute(`const sel = document.querySelector('[data-testid="week-times-week"]');
      sel.value = "2027-02-08"; sel.dispatchEvent(new Event("change", { bubbles: true }));`);
    assert.match(await (await s.find('[data-testid="week-times-week"] option[value="2027-02-08"]')).text(), /its own times/);
    await click(s, '[data-testid="week-times-usual"]');
    await s.waitForText('[data-testid="week-times-said"]', (t) => t.includes("usual times again"));
    assert.deepEqual(sessions(env), after);
  });
  const status = JSON.parse(cli({ ...env, ROADMAP_PLANNER_TODAY: "2027-02-09" }, ["status", "--format", "json"]));
  assert.equal(status.week.available_minutes, 8 * 60);
  assert.deepEqual(status.plan.settings.weeks, {});
});
