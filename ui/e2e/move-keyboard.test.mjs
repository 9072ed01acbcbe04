// Moving a session without a mouse: This week's "Move…" does what dragging does in the
// calendar. Reached and submitted with the keyboard; the session is pinned at its new time in
// the database, the rest of the plan is fitted around it, and a day in the past is not taken.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { query } from "./db.mjs";
import { withApp } from "./webdriver.mjs";

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");
const ENTER = "\uE007";

test("move a session with the keyboard; a day in the past is not taken", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-move-"));
  // A Wednesday: this week's Saturday session is still to come.
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_TODAY: "2027-01-20" };
  execFileSync(process.env.ROADMAP_CLI, [
    "plan", "--start", "2027-01-04", "--months", "12",
    "--availability", "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-15:00", "--save",
    // Made on its first morning, so this week has a session in the past (Monday's).
  ], { env: { ...process.env, ...env, ROADMAP_PLANNER_NOW: "2027-01-04T08:00" } });
  const [[id, minutes]] = query(dataDir, "SELECT id, minutes FROM sessions WHERE date = '2027-01-23' AND start = '09:00'");
  const othersBefore = query(dataDir, `SELECT id, date, start FROM sessions WHERE id != ${id} AND status != 'cancelled' ORDER BY id`);
  const row = `[data-testid="session"][data-session-id="${id}"]`;

  await withApp(env, async (s) => {
    await s.waitFor('[data-testid="this-week"][data-week="2027-W03"]');
    // Past sessions cannot be moved; today's and later ones can.
    const movable = await s.execute(`return [...document.querySelectorAll('[data-testid="session"]')]
      .map((r) => [r.querySelector('.when').textContent, !!r.querySelector('[data-testid="move"]')])`);
    assert.ok(movable.some(([when, can]) => when.startsWith("Mon") && !can), JSON.stringify(movable));
    assert.ok(movable.some(([when, can]) => when.startsWith("Sat") && can), JSON.stringify(movable));

    // Enter on the button opens the form and puts the focus in its first field.
    await (await s.waitFor(`${row} [data-testid="move"]`)).sendKeys(ENTER);
    await s.waitFor(`${row} [data-testid="move-date"]`);
    assert.equal(await s.execute("return document.activeElement.dataset.testid"), "move-date");
    await s.screenshot(path.join(artifacts, "69-move-form.png"));

    // Into the past: the form says so beside the day, and the session stays where it was.
    await (await s.find(`${row} [data-testid="move-date"]`)).setValue("2027-01-18");
    await (await s.find(`${row} [data-testid="move-start"]`)).setValue("10:00");
    await (await s.find(`${row} [data-testid="move-start"]`)).sendKeys(ENTER);
    assert.match(await s.waitForText(`${row} [data-testid="move-error"]`, (t) => t.length > 0), /^That day has passed: choose Wed,? 20 Jan 2027 or later\.$/);
    assert.equal(await (await s.find(`${row} [data-testid="move-date"]`)).attribute("aria-invalid"), "true");
    assert.deepEqual(query(dataDir, `SELECT date, start, pinned FROM sessions WHERE id = ${id}`), [["2027-01-23", "09:00", 0]]);

    // Thursday at 10:00: Enter in the time field submits.
    await (await s.find(`${row} [data-testid="move-date"]`)).setValue("2027-01-21");
    await (await s.find(`${row} [data-testid="move-start"]`)).sendKeys(ENTER);
    const status = await s.waitForText('[data-testid="week-status"]', (t) => t.includes("moved to"));
    assert.match(status, /moved to Thu,? 21 Jan 2027 at 10:00\. (No other session moved\.|\d+ other sessions? changed: .+\.)$/);
    const when = await (await s.find(`${row} .when`)).text();
    assert.match(when, /^Thu,? 21 Jan · 10:00/);
    assert.match(await (await s.find(row)).text(), /moved by hand/);
    await s.screenshot(path.join(artifacts, "70-moved-with-keyboard.png"));
  });

  assert.deepEqual(query(dataDir, `SELECT date, start, pinned FROM sessions WHERE id = ${id}`), [["2027-01-21", "10:00", 1]]);
  // The rest of the plan was fitted around it: past sessions untouched, and none overlaps it.
  const othersAfter = query(dataDir, `SELECT id, date, start FROM sessions WHERE id != ${id} AND status != 'cancelled' ORDER BY id`);
  const past = (rows) => rows.filter(([, date]) => date < "2027-01-20");
  assert.deepEqual(past(othersAfter), past(othersBefore));
  const clash = query(dataDir, `SELECT COUNT(*) FROM sessions WHERE id != ${id} AND status != 'cancelled'
    AND date = '2027-01-21' AND time(start) < time('10:00', '+${minutes} minutes')
    AND time(start, '+' || minutes || ' minutes') > time('10:00')`);
  assert.deepEqual(clash, [[0]]);
});
