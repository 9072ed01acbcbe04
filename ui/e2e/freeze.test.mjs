// A slow calendar server freezes nothing: while the app waits on a busy calendar's web address
// (a server on this computer that holds its answer for up to 25 s), the window's other commands
// answer at once, and the calendar is added when the answer comes.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { withApp } from "./webdriver.mjs";

const CALENDAR = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
  "BEGIN:VEVENT", "UID:gym@test", "DTSTAMP:20261201T000000Z",
  "DTSTART;TZID=Europe/Berlin:20270107T180000", "DTEND;TZID=Europe/Berlin:20270107T200000",
  "RRULE:FREQ=WEEKLY", "SUMMARY:Gym", "END:VEVENT", "END:VCALENDAR", ""].join("\r\n");

test("the window answers at once while a calendar server takes its time", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-freeze-"));
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_NOW: "2027-01-04T08:00", TZ: "Europe/Berlin" };
  execFileSync(process.env.ROADMAP_CLI, ["plan", "--start", "2027-01-04", "--months", "12",
    "--availability", "mon=19:00-21:00,thu=19:00-21:00,sat=09:00-13:00", "--save"],
  { env: { ...process.env, ...env }, encoding: "utf8" });

  // Holds each request until `release` is called, or 25 s have passed.
  let release = () => {};
  let asked;
  const requested = new Promise((r) => { asked = r; });
  const server = http.createServer((req, res) => {
    let answered = false;
    const answer = () => {
      if (answered) return;
      answered = true;
      res.writeHead(200, { "content-type": "text/calendar" });
      res.end(CALENDAR);
    };
    const timer = setTimeout(answer, 25_000);
    release = () => { clearTimeout(timer); answer(); };
    asked();
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  try {
    await withApp(env, async (s) => {
      await s.waitFor('[data-testid="session"]');
      const url = `http://127.0.0.1:${server.address().port}/s3cret/gym.ics`;
      await s.execute(
        `window.__slowAdd = window.__TAURI_INTERNALS__.invoke("add_busy_url", { url: arguments[0] })
           .then((v) => ({ note: v.note }), (e) => ({ error: e }));`,
        [url],
      );
      await requested;
      // The fetch is in flight: each of these answers within a second.
      const times = await s.executeAsync(
        `const done = arguments[arguments.length - 1];
         (async () => {
           const out = {};
           for (const cmd of ["get_clock", "get_home", "get_calendar", "list_busy", "get_plan"]) {
             const t = performance.now();
             await window.__TAURI_INTERNALS__.invoke(cmd, {});
             out[cmd] = Math.round(performance.now() - t);
           }
           return out;
         })().then(done, (e) => done({ error: String(e && e.message || e) }));`,
      );
      assert.equal(times.error, undefined, JSON.stringify(times));
      console.log(`while the calendar server held its answer: ${JSON.stringify(times)} (ms)`);
      for (const [cmd, ms] of Object.entries(times)) {
        assert.ok(ms < 1000, `${cmd} took ${ms} ms while the calendar server was slow`);
      }
      release();
      const added = await s.executeAsync(
        `const done = arguments[arguments.length - 1]; window.__slowAdd.then(done);`,
      );
      // A gym evening every week moves many sessions: read, then held for the learner's yes.
      assert.match(added.note ?? "", /^gym is not added yet: it would move \d+ sessions/, JSON.stringify(added));
      const confirmed = await s.executeAsync(
        `const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke("confirm_busy_add", {}).then((v) => done({ note: v.note }), (e) => done({ error: e }));`,
      );
      assert.ok(confirmed.note?.startsWith("Added gym: 1 event"), JSON.stringify(confirmed));
    });
  } finally {
    release();
    server.closeAllConnections();
    server.close();
  }
});
