// A busy calendar in the window: This week says how much of the availability it takes, and
// no session of the week sits on its times.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { withApp } from "./webdriver.mjs";

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");

test("This week says how much of the week the learner's calendar takes, and studies around it", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-busy-"));
  const file = path.join(dataDir, "work.ics");
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_NOW: "2027-01-04T08:00", TZ: "Europe/Berlin", ROADMAP_PLANNER_TEST_PICK_ICS: file };
  const cli = (args) => execFileSync(process.env.ROADMAP_CLI, args, { env: { ...process.env, ...env }, encoding: "utf8" });
  cli(["plan", "--start", "2027-01-04", "--availability", "mon=19:00-22:00,tue=19:00-22:00,wed=19:00-22:00,sat=09:00-15:00", "--save"]);
  writeFileSync(file, [
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
    "BEGIN:VEVENT", "UID:shift@test", "DTSTAMP:20261201T000000Z",
    "DTSTART;TZID=Europe/Berlin:20270105T180000", "DTEND;TZID=Europe/Berlin:20270105T230000",
    "RRULE:FREQ=WEEKLY;BYDAY=TU", "SUMMARY:Night shift", "END:VEVENT",
    "BEGIN:VEVENT", "UID:trip@test", "DTSTAMP:20261201T000000Z",
    "DTSTART;VALUE=DATE:20270109", "DTEND;VALUE=DATE:20270110", "SUMMARY:Family visit", "END:VEVENT",
    "END:VCALENDAR", "",
  ].join("\r\n"));
  cli(["busy", "add", file, "--yes"]);

  await withApp(env, async (s) => {
    const line = await s.waitFor('[data-testid="busy-week"]');
    // Tuesday's 3 h and Saturday's 6 h of the week's 15 h.
    assert.equal(await line.text(), "Your calendar takes 9.0 h of your 15.0 h this week; sessions stay clear of it.");
    const days = await s.execute(`return [...document.querySelectorAll('[data-testid="session"] .when')].map((e) => e.textContent)`);
    assert.ok(days.length > 0, "the week has sessions");
    assert.ok(days.every((d) => !/^Tue|^Sat/.test(d)), JSON.stringify(days));
    await s.screenshot(path.join(artifacts, "97-busy-week.png"));

    // The Calendars tab lists it; removed there, the week has its hours back; added again
    // (the file the dialog would pick), they are taken again.
    const calendars = async () => (await s.find('[data-testid="tab-calendars"]')).click();
    const calendar = async () => {
      await (await s.find('[data-testid="tab-calendar"]')).click();
      await s.waitFor('[data-testid="calendar-event"]');
    };
    await calendars();
    const item = await s.waitFor('[data-testid="busy-calendar"][data-name="work"]');
    assert.match(await item.text(), /work · 2 events · read /);
    await (await s.find('[data-testid="busy-remove"]')).click();
    assert.equal(await (await s.waitFor('[data-testid="busy-note"]')).text(), "Removed work; the times it blocked are free again.");
    await s.waitFor('[data-testid="busy-none"]');
    await calendar();
    // Sessions on the busy days of a calendar column (the week shown), found by the column.
    const onBusyDays = () => s.execute(`return [...document.querySelectorAll('[data-testid="calendar-event"]')]
      .filter((e) => /Tue|Sat/.test(e.closest('[data-date]')?.dataset.date ? new Date(e.closest('[data-date]').dataset.date).toDateString() : "")).length`);
    // The times are free again, but nothing moves into them by itself: the plan stays put
    // until the learner asks for a replan.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await onBusyDays(), 0, "no session moved into the freed times by itself");
    await calendars();
    await (await s.waitFor('[data-testid="busy-add"]')).click();
    // The sessions it blocked were moved off when it was first added; none came back.
    await s.waitForText('[data-testid="busy-note"]', (t) => t === "Added work: 2 events, 158 busy stretches. No session had to move.");
    await calendar();
    // The calendar redraws without the sessions that sat on the shift and the visit.
    for (let i = 0; i < 50 && (await onBusyDays()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await onBusyDays(), 0, "the calendar shows nothing on the busy days");
    // A second calendar by its web address (a server on this computer): Wednesday evening's
    // choir takes three more hours.
    const server = http.createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/calendar" });
      res.end(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
        "BEGIN:VEVENT", "UID:choir@test", "DTSTAMP:20261201T000000Z",
        "DTSTART;TZID=Europe/Berlin:20270106T183000", "DTEND;TZID=Europe/Berlin:20270106T223000",
        "RRULE:FREQ=WEEKLY", "SUMMARY:Choir", "END:VEVENT", "END:VCALENDAR", ""].join("\r\n"));
    });
    await new Promise((r) => server.listen(0, "127.0.0.1", r));
    await calendars();
    try {
      await (await s.find('[data-testid="busy-url"]')).setValue(`http://127.0.0.1:${server.address().port}/k3y/choir.ics`);
      await (await s.find('[data-testid="busy-url-add"]')).click();
      // Choir every Wednesday evening moves many sessions: it is held, the sessions listed by
      // week (this week's and next open), until the learner says yes.
      await s.waitForText('[data-testid="busy-note"]', (t) => /^choir is not added yet: it would move \d+ sessions\./.test(t));
      const held = await s.waitFor('[data-testid="busy-held"]');
      const weeks = await s.execute(`return [...document.querySelectorAll('[data-testid="changes-week"]')].map((w) => [w.dataset.monday, w.open])`);
      assert.ok(weeks.length > 1, JSON.stringify(weeks));
      assert.deepEqual(weeks[0], ["2027-01-04", true], "this week's changes are open");
      assert.ok(weeks.filter(([, open]) => open).length <= 2, "weeks after next fold away");
      // Each change is said in words: where the session goes, or (when its week is full, as in
      // this plan) that its work waits for the next replan.
      assert.match(await held.text(), /Wed 6 Jan 19:00(, no free time left that week: its work waits for your next replan| → )/);
      await s.screenshot(path.join(artifacts, "98-busy-held.png"));
      assert.equal(await s.execute(`return document.querySelector('[data-testid="busy-calendar"][data-name="choir"]')`), null, "a held calendar is not added");
      await (await s.find('[data-testid="busy-held-add"]')).click();
      await s.waitForText('[data-testid="busy-note"]', (t) => t.startsWith("Added choir: 1 event,"));
    } finally {
      server.close();
    }
    await calendar();
    // The busy times are shaded in the calendar, titled "Busy" and nothing else.
    // (The calendar redraws after the note: wait for the choir's evening to be drawn too.)
    const shadedNow = () => s.execute(`return [...document.querySelectorAll('.calendar-host .busy-time')].map((e) => e.textContent.trim())`);
    let shaded = await shadedNow();
    for (let i = 0; i < 50 && shaded.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      shaded = await shadedNow();
    }
    assert.ok(shaded.length >= 3, `busy times shaded: ${shaded.length}`);
    assert.ok(shaded.every((t) => t === "" || t === "Busy"), JSON.stringify(shaded));
    await s.execute(`document.querySelector('.calendar-host .busy-time')?.scrollIntoView({ block: "center" })`);
    await s.screenshot(path.join(artifacts, "98-busy-calendars.png"));
    await (await s.find('[data-testid="tab-week"]')).click();
    await s.waitForText('[data-testid="busy-week"]', (t) => t.includes("12.0 h of your 15.0 h"));
    const again = await s.execute(`return [...document.querySelectorAll('[data-testid="session"] .when')].map((e) => e.textContent)`);
    assert.ok(again.length > 0 && again.every((d) => !/^Tue|^Wed|^Sat/.test(d)), JSON.stringify(again));
  });
  const sessions = JSON.parse(cli(["sessions", "--format", "json"]));
  assert.ok(!sessions.some((x) => x.status === "planned" && x.date === "2027-01-12"), "no session on the next Tuesday shift");
});

test("the app starts normally with hostile busy calendars configured", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-hostile-"));
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_NOW: "2027-01-04T08:00", TZ: "Europe/Berlin" };
  const cli = (args) => execFileSync(process.env.ROADMAP_CLI, args, { env: { ...process.env, ...env }, encoding: "utf8" });
  cli(["plan", "--start", "2027-01-04", "--availability", "mon=19:00-21:00,sat=09:00-13:00", "--save"]);
  const ok = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
    "BEGIN:VEVENT", "UID:one@test", "DTSTAMP:20261201T000000Z",
    "DTSTART:20270105T100000Z", "DTEND:20270105T110000Z", "END:VEVENT", "END:VCALENDAR", ""].join("\r\n");
  // Each added while it was sound, then turned hostile: read again at every start.
  const hostile = {
    nested: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "BEGIN:VEVENT\r\n".repeat(10_000) + "END:VEVENT\r\n".repeat(10_000) + "END:VCALENDAR\r\n",
    secondly: ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "BEGIN:VEVENT", "UID:s@test", "DTSTAMP:20261201T000000Z",
      "DTSTART:00010101T000000Z", "DURATION:PT1S", "RRULE:FREQ=SECONDLY", "END:VEVENT", "END:VCALENDAR", ""].join("\r\n"),
    ancient: ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "BEGIN:VEVENT", "UID:a@test", "DTSTAMP:20261201T000000Z",
      "DTSTART:18930101T000000Z", "DTEND:99991231T000000Z", "END:VEVENT", "END:VCALENDAR", ""].join("\r\n"),
  };
  for (const [name, text] of Object.entries(hostile)) {
    const file = path.join(dataDir, `${name}.ics`);
    writeFileSync(file, ok);
    cli(["busy", "add", file, "--yes"]);
    writeFileSync(file, text);
  }
  await withApp(env, async (s) => {
    // The window opens on This week (the 1893–9999 event keeps every session of it off its
    // time: the week says so rather than showing none without a word).
    await s.waitFor('[data-testid="this-week"]');
    await (await s.find('[data-testid="tab-calendars"]')).click();
    // The nested one could not be read: said, its last good copy in use; the others read.
    const error = await s.waitFor('[data-testid="busy-calendar"][data-name="nested"] [data-testid="busy-error"]', 30_000);
    assert.match(await error.text(), /nest more than 8 deep/);
    await s.screenshot(path.join(artifacts, "98-hostile-calendars.png"));
  });
  const listed = cli(["busy", "list"]);
  assert.match(listed, /secondly: .*left out|steps to read/s, listed);
});
