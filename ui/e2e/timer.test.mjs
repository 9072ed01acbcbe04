// The study timer in the real window: a timer started earlier (from the CLI, the same timer)
// is found running when the app opens, the computer's sleep inside it is asked about, and the
// real minutes show in the week (more than planned), in Progress and in the forecast's
// evidence.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { withApp } from "./webdriver.mjs";

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");
const click = async (s, css) => (await s.waitFor(css)).click();

test("a session timed from start to stop: its real minutes everywhere", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-timer-"));
  const base = { ROADMAP_PLANNER_DATA_DIR: dataDir, TZ: "UTC" };
  const cli = (now, args, extra = {}) =>
    execFileSync(process.env.ROADMAP_CLI, args, {
      env: { ...process.env, ...base, ROADMAP_PLANNER_NOW: now, ...extra },
      encoding: "utf8",
    });
  cli("2027-01-04T08:00", [
    "plan", "--start", "2027-01-04", "--months", "12", "--time-zone", "UTC",
    "--availability", "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-13:00", "--save",
  ]);
  const next = JSON.parse(cli("2027-01-04T18:55", ["next", "--format", "json"]));
  assert.equal(next.start, "19:00");
  const planned = next.minutes;

  // Before it starts, This week opens on it.
  await withApp({ ...base, ROADMAP_PLANNER_NOW: "2027-01-04T18:55" }, async (s) => {
    await s.waitForText('[data-testid="next-when"]', (t) => t.startsWith("Your first session is"));
    assert.match(await (await s.find('[data-testid="next-place"]')).text(), new RegExp(`session 1 of \\d+`));
  });
  cli("2027-01-04T19:00", ["timer", "start", String(next.session)]);

  // At 21:40, twenty minutes of it asleep: running since 19:00, and the stop asks.
  const env = { ...base, ROADMAP_PLANNER_NOW: "2027-01-04T21:40", ROADMAP_PLANNER_SUSPENDED: "1200" };
  await withApp(env, async (s) => {
    await s.waitFor('[data-testid="timer"][data-running="true"]');
    assert.match(await (await s.find('[data-testid="timer-minutes"]')).text(), /^2 h 40 min$/);
    await click(s, '[data-testid="timer-stop"]');
    const asked = await s.waitForText('[data-testid="timer-away"]', (t) => t.includes("asleep for 20 minutes"));
    assert.match(asked, /Count those 20 minutes as study\?/);
    await s.screenshot(path.join(artifacts, "62-timer-away.png"));
    await click(s, '[data-testid="timer-drop"]');
    const said = await s.waitForText('[data-testid="timer-said"]', (t) => t.length > 0);
    assert.match(said, /session done, 2 h 20 min studied/);
    const row = `[data-testid="session"][data-session-id="${next.session}"]`;
    await s.waitFor(`${row}[data-status="done"]`);
    assert.match(await (await s.find(`${row} [data-testid="session-status"]`)).text(), /Done: 140 min/);
    assert.ok(140 > planned);
    await click(s, '[data-testid="tab-progress"]');
    const step = await s.waitFor('[data-testid="dash-step"][data-id="languages"]');
    assert.equal(await step.attribute("data-minutes-done"), "140");
  });
  const forecast = JSON.parse(cli("2027-01-04T21:45", ["forecast", "--format", "json"]));
  assert.ok(Math.abs(forecast.hours_seen - 140 / 60) < 0.01, `hours seen ${forecast.hours_seen}`);
});
