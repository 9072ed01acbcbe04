// Desktop reminders from the real app, to a notification server written for the test
// (scripts/notify-server.py) on a private session bus: it records every call and acts as a
// user would. A reminder arrives at its minute (debug clock, to the second), none for a
// session done before it, and each action does what it says: Snooze brings it back, Start
// starts the timer and shows This week, a reminder whose session moved is withdrawn, Not today
// marks the session missed before its day, and without actions a click opens This week. Idle
// time inside a study timer, as GNOME's idle monitor reports it, is asked about at its stop.

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { withApp } from "./webdriver.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const artifacts = path.join(root, "ui/e2e/artifacts");
const python = process.env.ICS_CHECK_PYTHON ?? path.join(root, ".tools/venv/bin/python");

/** A private session bus, torn down with `stop`. */
async function privateBus() {
  const daemon = spawn("dbus-daemon", ["--session", "--nofork", "--print-address=1"], { stdio: ["ignore", "pipe", "inherit"] });
  const address = await new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: daemon.stdout });
    lines.once("line", resolve);
    daemon.once("exit", (code) => reject(new Error(`dbus-daemon exited with ${code}`)));
    setTimeout(() => reject(new Error("dbus-daemon gave no address")), 10_000);
  });
  return { address: address.trim(), stop: () => daemon.kill() };
}

/** The test's notification server on `address`: its calls as they come, and a way to act. */
async function notifyServer(address, extra = []) {
  const child = spawn(python, [path.join(root, "scripts/notify-server.py"), ...extra], {
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: address },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const calls = [];
  const waiters = [];
  readline.createInterface({ input: child.stdout }).on("line", (line) => {
    const call = JSON.parse(line);
    calls.push(call);
    for (const w of waiters.splice(0)) w();
  });
  /** The first call from index `from` on that `pick` accepts, waited for up to `ms`. */
  const waitFor = (pick, ms, what, from = 0) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms; calls: ${JSON.stringify(calls)}`)), ms);
      const check = () => {
        const found = calls.slice(from).find(pick);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        } else waiters.push(check);
      };
      check();
    });
  await waitFor((c) => c.call === "ready", 15_000, "ready");
  return {
    calls,
    waitFor,
    invoke: (id, action) => child.stdin.write(`invoke ${id} ${action}\n`),
    idle: (ms) => child.stdin.write(`idle ${ms}\n`),
    stop: () => child.kill(),
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test("reminders: at the minute, none for a session done, and every action", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-remind-"));
  const base = { ROADMAP_PLANNER_DATA_DIR: dataDir, TZ: "UTC" };
  const cli = (now, args) =>
    execFileSync(process.env.ROADMAP_CLI, args, {
      env: { ...process.env, ...base, ROADMAP_PLANNER_NOW: now },
      encoding: "utf8",
    });
  // Mon 19:00 (#1) and Wed 19:00, 20:00 (#2, #3), an hour each.
  cli("2027-01-04T08:00", [
    "plan", "--start", "2027-01-04", "--months", "12", "--time-zone", "UTC",
    "--availability", "mon=19:00-20:00,wed=19:00-21:00", "--session-max", "60", "--save",
  ]);
  const sessions = JSON.parse(cli("2027-01-04T08:00", ["sessions", "--format", "json", "--to", "2027-01-06"]));
  const [first, wed19, wed20] = sessions.map((s) => s.id);
  assert.deepEqual(sessions.map((s) => `${s.date} ${s.start}`), ["2027-01-04 19:00", "2027-01-06 19:00", "2027-01-06 20:00"]);
  cli("2027-01-04T08:00", ["reminders", "15"]);

  const bus = await privateBus();
  let server = await notifyServer(bus.address);
  const env = (now) => ({ ...base, ROADMAP_PLANNER_NOW: now, DBUS_SESSION_BUS_ADDRESS: bus.address, ROADMAP_PLANNER_SNOOZE_SECONDS: "3" });
  try {
    // Done before its reminder: nothing fires at 18:45.
    cli("2027-01-04T18:40", ["mark", String(first), "done"]);
    await withApp(env("2027-01-04T18:44:50"), async (s) => {
      await s.waitFor('[data-testid="this-week"]');
      await sleep(22_000);
    });
    assert.deepEqual(server.calls.filter((c) => c.call === "Notify"), [], "a reminder for a session done");
    cli("2027-01-04T18:41", ["mark", String(first), "planned"]);

    // Planned: it arrives at 18:45, with its actions. Snooze brings it back; Start starts the
    // timer and shows This week; moved, it is withdrawn.
    await withApp(env("2027-01-04T18:44:50"), async (s) => {
      await click(s, '[data-testid="tab-plan"]');
      const n = await server.waitFor((c) => c.call === "Notify", 40_000, "the 18:45 reminder");
      assert.equal(n.summary, "Study: Python fundamentals");
      assert.match(n.body, /^19:00–20:00 \(60 min\)/);
      assert.deepEqual(n.actions, ["default", "start", "snooze", "not-today"]);
      await sleep(500);
      server.invoke(n.id, "snooze");
      const again = await server.waitFor((c) => c.call === "Notify" && c.id !== n.id, 30_000, "the snoozed reminder");
      assert.equal(again.summary, n.summary);
      await sleep(500);
      server.invoke(again.id, "start");
      await s.waitFor('[data-testid="tab-week"][aria-selected="true"]');
      await s.waitFor('[data-testid="timer"][data-running="true"]');
      await s.screenshot(path.join(artifacts, "60-reminder-start.png"));
      const status = JSON.parse(cli("2027-01-04T18:46", ["timer", "status", "--format", "json"]));
      assert.equal(status.session, first);
      assert.equal(status.running, true);
      cli("2027-01-04T18:46", ["timer", "stop", "--discard"]);
      cli("2027-01-04T18:46", ["move", String(first), "2027-01-04T19:30"]);
      await server.waitFor((c) => c.call === "CloseNotification" && c.id === again.id, 30_000, "the moved session's reminder withdrawn");
    });

    // The evening before: a reminder 24 h 15 min ahead, Not today marks Wednesday's session
    // missed although its day has not begun.
    cli("2027-01-05T08:00", ["reminders", String(24 * 60 + 15)]);
    const before = server.calls.length;
    await withApp(env("2027-01-05T18:44:50"), async (s) => {
      await s.waitFor('[data-testid="this-week"]');
      const n = await server.waitFor((c) => c.call === "Notify", 40_000, "Wednesday's reminder", before);
      assert.match(n.body, /^19:00–20:00/);
      await sleep(500);
      server.invoke(n.id, "not-today");
      const deadline = Date.now() + 20_000;
      let status;
      do {
        await sleep(500);
        status = JSON.parse(cli("2027-01-05T18:46", ["sessions", "--format", "json", "--to", "2027-01-06"])).find((x) => x.id === wed19).status;
      } while (status !== "missed" && Date.now() < deadline);
      assert.equal(status, "missed");
    });

    // A desktop without actions: the reminder offers none but a click, which opens This week.
    server.stop();
    server = await notifyServer(bus.address, ["--no-actions"]);
    cli("2027-01-05T08:00", ["reminders", String(25 * 60 + 15)]);
    await withApp(env("2027-01-05T18:44:50"), async (s) => {
      await click(s, '[data-testid="tab-plan"]');
      await s.waitFor('[data-testid="tab-plan"][aria-selected="true"]');
      const n = await server.waitFor((c) => c.call === "Notify", 40_000, "the reminder of Wednesday 20:00");
      assert.deepEqual(n.actions, ["default"]);
      assert.match(n.body, /^20:00/);
      await sleep(500);
      server.invoke(n.id, "default");
      await s.waitFor('[data-testid="tab-week"][aria-selected="true"]');
    });
    assert.ok(wed20 > wed19);

    // Idle inside a timer (GNOME's idle monitor says ten minutes without input): asked about
    // at the stop, and left out when the learner says so.
    server.stop();
    server = await notifyServer(bus.address, ["--idle"]);
    cli("2027-01-06T10:00", ["reminders", "off"]);
    cli("2027-01-06T10:00", ["timer", "start", "--topic", "git-basics"]);
    server.idle(600_000);
    await withApp(env("2027-01-06T10:20"), async (s) => {
      await server.waitFor((c) => c.call === "GetIdletime", 30_000, "the idle time read");
      await s.waitFor('[data-testid="timer"][data-running="true"]');
      await (await s.waitFor('[data-testid="timer-stop"]')).click();
      const asked = await s.waitForText('[data-testid="timer-away"]', (t) => t.length > 0);
      assert.match(asked, /no input from you for 10 minutes/);
      await (await s.find('[data-testid="timer-drop"]')).click();
      const said = await s.waitForText('[data-testid="timer-said"]', (t) => t.length > 0);
      const logged = Number(/(\d+) minutes logged/.exec(said)?.[1]);
      assert.ok(logged >= 9 && logged <= 11, said);
    });
  } finally {
    server.stop();
    bus.stop();
  }
});

const click = async (s, css) => (await s.waitFor(css)).click();
