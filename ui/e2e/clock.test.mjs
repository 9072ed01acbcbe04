// Time as a user lives it: a replan on a Sunday evening leaves the hours that have passed
// alone, and a window left open over midnight moves to the new day by itself. The clock is
// set with ROADMAP_PLANNER_NOW (debug builds) and then runs on in real time.

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

function plan(dataDir, availability) {
  execFileSync(process.env.ROADMAP_CLI, [
    "plan", "--start", "2027-01-04", "--months", "12", "--availability", availability, "--save",
  ], {
    env: { ...process.env, ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_NOW: "2027-01-04T08:00", TZ: "Europe/Berlin" },
  });
}

/** Every live session's slot, and the slots more than one live session holds. */
function doubleBooked(dataDir) {
  return query(dataDir, `SELECT date, start, COUNT(*) FROM sessions
    WHERE status != 'cancelled' GROUP BY date, start HAVING COUNT(*) > 1`);
}

test("a Sunday-evening replan and move leave one session per slot and nothing in the past", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-clock-"));
  plan(dataDir, "wed=19:00-21:00,sun=09:00-13:00");
  const [[missedId]] = query(dataDir, "SELECT id FROM sessions WHERE date = '2027-01-10' AND start = '09:00'");
  const before = query(dataDir, "SELECT id, date, start FROM sessions ORDER BY id");
  // Sunday 2027-01-10, 20:00 in Berlin.
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_NOW: "2027-01-10T20:00", TZ: "Europe/Berlin" };

  await withApp(env, async (s) => {
    await s.waitFor('[data-testid="this-week"][data-week="2027-W01"]');
    const row = `[data-testid="session"][data-session-id="${missedId}"]`;
    await (await s.waitFor(`${row} [data-testid="mark-missed"]`)).click();
    await s.waitFor(`${row}[data-status="missed"]`);
    // Replan from today → push the finish date → accept.
    await (await s.find('[data-testid="replan-open"]')).click();
    await (await s.waitFor('[data-testid="policy-extend"]')).click();
    await (await s.find('[data-testid="replan-preview"]')).click();
    await s.waitFor('[data-testid="replan-result"]');
    await (await s.find('[data-testid="replan-accept"]')).click();
    await s.waitForText('[data-testid="this-week"]', (t) => !t.includes("Accept this replan"));
    // This week still shows exactly one session at Sunday 09:00: the missed one.
    const sunday = await s.execute(`return [...document.querySelectorAll('[data-testid="session"]')]
      .map((r) => [r.dataset.sessionId, r.dataset.status, r.querySelector('.when').textContent])
      .filter(([, , when]) => when.startsWith("Sun") && when.includes("09:00"))`);
    assert.equal(sunday.length, 1, JSON.stringify(sunday));
    assert.equal(sunday[0][1], "missed");
    // The 11:00 session has started too: it is history, with nothing offering to move it.
    const eleven = await s.execute(`return [...document.querySelectorAll('[data-testid="session"]')]
      .filter((r) => /^Sun,? 10 Jan · 11:00/.test(r.querySelector('.when').textContent))
      .map((r) => !!r.querySelector('[data-testid="move"]'))`);
    assert.deepEqual(eleven, [false]);
    await s.screenshot(path.join(artifacts, "80-sunday-evening-replan.png"));

    // "Move…" (and the calendar's drag) call move_session: next Sunday's first session to
    // Wednesday morning. Its freed slot is not refilled at an hour that has passed.
    const [[nextId]] = query(dataDir, "SELECT id FROM sessions WHERE date = '2027-01-17' AND status = 'planned' ORDER BY start LIMIT 1");
    const moved = await s.executeAsync(
      `const [id, done] = arguments;
       window.__TAURI_INTERNALS__.invoke("move_session", { id, date: "2027-01-13", start: "07:00" })
         .then(() => done("ok"), (e) => done(e));`,
      [nextId],
    );
    assert.equal(moved, "ok", JSON.stringify(moved));
    // Into the past: refused with a message, nothing changed.
    const refused = await s.executeAsync(
      `const [id, done] = arguments;
       window.__TAURI_INTERNALS__.invoke("move_session", { id, date: "2027-01-10", start: "10:00" })
         .then(() => done("accepted"), (e) => done(e));`,
      [nextId],
    );
    assert.equal(refused.kind, "invalid_input", JSON.stringify(refused));
    assert.match(refused.message, /in the past/);
  });

  assert.deepEqual(doubleBooked(dataDir), []);
  // Every session that is new or whose time changed starts after Sunday 20:00.
  const old = new Map(before.map(([id, date, start]) => [id, `${date} ${start}`]));
  const changed = query(dataDir, "SELECT id, date, start FROM sessions WHERE status != 'cancelled'")
    .filter(([id, date, start]) => old.get(id) !== `${date} ${start}`);
  assert.ok(changed.length > 0, "the replan moved nothing");
  for (const [id, date, start] of changed) {
    assert.ok(`${date} ${start}` >= "2027-01-10 20:00", `session ${id} was put at ${date} ${start}`);
  }
  assert.deepEqual(query(dataDir, `SELECT status FROM sessions WHERE id = ${missedId}`), [["missed"]]);
});

test("a window left open over midnight moves to the new day by itself", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-midnight-"));
  plan(dataDir, "mon=19:00-21:00,wed=19:00-21:00,sun=09:00-13:00");
  // Sunday 23:59:20; the clock runs on, so Monday begins 40 s after the window opens.
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_NOW: "2027-01-10T23:59", TZ: "Europe/Berlin" };
  await withApp(env, async (s) => {
    await s.waitFor('[data-testid="home"][data-today="2027-01-10"]');
    await s.waitFor('[data-testid="this-week"][data-week="2027-W01"]');
    // No click, no key: the window notices the new day within its half-minute check.
    await s.waitFor('[data-testid="home"][data-today="2027-01-11"]', 100_000);
    await s.waitFor('[data-testid="this-week"][data-week="2027-W02"]');
    const days = await s.execute(`return [...document.querySelectorAll('[data-testid="session"] .when')]
      .map((w) => w.textContent.slice(0, 3))`);
    assert.ok(days.includes("Mon"), JSON.stringify(days));
    await s.screenshot(path.join(artifacts, "81-after-midnight.png"));
  });
});

test("the app and the CLI writing at once: no 'database is locked', no lost write", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-writers-"));
  plan(dataDir, "mon=19:00-21:00,wed=19:00-21:00,sun=09:00-13:00");
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_NOW: "2027-01-10T20:00", TZ: "Europe/Berlin" };
  const [[id]] = query(dataDir, "SELECT id FROM sessions WHERE date = '2027-01-06' ORDER BY start LIMIT 1");
  const { execFile } = await import("node:child_process");
  const cli = (args) =>
    new Promise((resolve) => {
      execFile(process.env.ROADMAP_CLI, args, { env: { ...process.env, ...env } }, (error, stdout, stderr) =>
        resolve({ code: error ? error.code ?? 1 : 0, stderr }),
      );
    });

  await withApp(env, async (s) => {
    const row = `[data-testid="session"][data-session-id="${id}"]`;
    await s.waitFor(row);
    // The CLI logs study twenty times, four at a time, while the window checks the session
    // off and undoes it again and again.
    const runs = [];
    const writers = (async () => {
      for (let round = 0; round < 5; round++) {
        const batch = [1, 2, 3, 4].map((k) => cli(["log", "git-basics", String(round * 4 + k)]));
        runs.push(...(await Promise.all(batch)));
      }
    })();
    for (let i = 0; i < 6; i++) {
      await (await s.waitFor(`${row} [data-testid="mark-done"]`)).click();
      await s.waitFor(`${row}[data-status="done"]`);
      await (await s.waitFor(`${row} [data-testid="mark-undo"]`)).click();
      await s.waitFor(`${row}[data-status="planned"]`);
    }
    await (await s.waitFor(`${row} [data-testid="mark-done"]`)).click();
    await s.waitFor(`${row}[data-status="done"]`);
    await writers;
    assert.equal(await s.exists('[data-testid="week-error"]'), false);
    assert.deepEqual(runs.filter((r) => r.code !== 0), [], "a CLI write failed");
  });
  // Every write landed: twenty logs of 1 to 20 minutes, and the window's last mark.
  assert.deepEqual(query(dataDir, "SELECT COUNT(*), SUM(minutes) FROM study_log"), [[20, 210]]);
  assert.deepEqual(query(dataDir, `SELECT status FROM sessions WHERE id = ${id}`), [["done"]]);
});

test("a session that begins while the window is open stops offering Move…", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-begun-"));
  plan(dataDir, "wed=19:00-21:00,sun=09:00-13:00");
  const [[id]] = query(dataDir, "SELECT id FROM sessions WHERE date = '2027-01-06' AND start = '19:00'");
  // Wednesday, half a minute before the session: the clock then runs on.
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_NOW: "2027-01-06T18:59:30", TZ: "Europe/Berlin" };
  await withApp(env, async (s) => {
    const move = `[data-testid="session"][data-session-id="${id}"] [data-testid="move"]`;
    await s.waitFor(move);
    // The window asks the clock whenever it comes back to the front (and every half minute).
    const deadline = Date.now() + 60_000;
    while (await s.exists(move)) {
      assert.ok(Date.now() < deadline, "Move… still offered a minute after the session began");
      await s.execute(`window.dispatchEvent(new Event("focus"))`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    // Still there to check off, and the day has not changed under it.
    await s.waitFor(`[data-testid="session"][data-session-id="${id}"] [data-testid="mark-done"]`);
  });
});
