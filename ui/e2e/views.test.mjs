// The timeline, the calendar and the dashboard in the real window: open a topic from the
// timeline and keep a note, drag a session in the calendar and find it saved after a restart,
// and read the dashboard's figures against the database itself.

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
const shot = (s, name) => s.screenshot(path.join(artifacts, name));
const click = async (s, css) => (await s.waitFor(css)).click();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test("timeline details and notes, calendar drag, dashboard figures, restart", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-views-"));
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_TODAY: "2027-01-20" };
  const cli = (args) =>
    execFileSync(process.env.ROADMAP_CLI, args, { env: { ...process.env, ...env }, encoding: "utf8" });
  cli([
    "plan", "--start", "2027-01-04", "--months", "12",
    "--availability", "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-15:00",
    "--blackout", "2027-02-15..2027-02-21", "--save",
  ]);
  const first = JSON.parse(cli(["status", "--format", "json"])).plan.topics[0].id;
  cli(["log", first, "90", "--date", "2027-01-18"]);
  cli(["log", "sql-queries", "45", "--date", "2027-01-19"]);
  // One topic skipped, so the timeline draws that state too.
  const topics = JSON.parse(cli(["status", "--format", "json"])).plan.topics;
  cli(["skip", topics[topics.length - 1].id]);
  const note = "Read PEP 8 again; the 'with' statement finally clicked.";

  let moved;
  await withApp(env, async (s) => {
    // Timeline: lanes, bars with their status, zoom.
    await click(s, '[data-testid="tab-timeline"]');
    await s.waitFor('[data-testid="bar"]');
    assert.equal((await s.findAll('[data-testid="lane"]')).length, 8);
    assert.equal(await (await s.find(`[data-testid="bar"][data-topic-id="${first}"]`)).attribute("data-status"), "in_progress");
    assert.equal((await s.findAll('[data-testid="timeline-milestone"]')).length, 8);
    // Every state a bar is drawn in has its key in the legend.
    const unexplained = await s.execute(`const drawn = new Set([...document.querySelectorAll('[data-testid="bar"] .bar-box')]
        .flatMap((b) => [...b.classList].filter((c) => c.startsWith("status-"))));
      return [...drawn].filter((c) => !document.querySelector('.legend .swatch.bar-box.' + c));`);
    assert.deepEqual(unexplained, []);
    assert.equal(await s.exists('[data-testid="bar"] .bar-box.status-skipped'), true);
    // The blocked-out week of February is drawn, as the calendar draws it, and in the legend.
    const blockedOut = await s.findAll('[data-testid="timeline-blackout"]');
    assert.equal(blockedOut.length, 1);
    assert.match(await blockedOut[0].attribute("title"), /^Blocked out: 15 Feb 2027 – 21 Feb 2027$/);
    assert.equal(await s.exists('.timeline .legend .blocked-hatch'), true);
    await shot(s, "40-timeline-months.png");
    const monthsWidth = await s.execute("return document.querySelector('.timeline-canvas').scrollWidth");
    await click(s, '[data-testid="zoom-weeks"]');
    const weeksWidth = await s.execute("return document.querySelector('.timeline-canvas').scrollWidth");
    assert.ok(weeksWidth > 3 * monthsWidth, `zooming in widens the timeline (${monthsWidth} → ${weeksWidth})`);
    // Zooming in keeps your place: today's line is in view, not the plan's first weeks.
    const todayInView = await s.execute(`const sc = document.querySelector('[data-testid="timeline-scroll"]').getBoundingClientRect();
      const m = document.querySelector('.marker.today').getBoundingClientRect();
      return m.left >= sc.left + 150 && m.left <= sc.right;`);
    assert.ok(todayInView, "today is in view after zooming in");
    await shot(s, "41-timeline-weeks.png");

    // Open a topic, write a note, save it.
    await click(s, `[data-testid="bar"][data-topic-id="${first}"]`);
    await s.waitFor(`[data-testid="topic-panel"][data-topic-id="${first}"] [data-testid="resource"]`);
    assert.match(await (await s.find('[data-testid="topic-hours"]')).text(), /^1\.5 h done/);
    assert.match(await (await s.find('[data-testid="topic-context"]')).text(), /^Step: Programming languages · Skills?: /);
    // The limit shows while typing: one character over it, the count says so and Save waits.
    const long = await s.execute(`const t = document.querySelector('[data-testid="topic-note"]');
      t.value = "é".repeat(20_001); t.dispatchEvent(new Event("input", { bubbles: true })); return true;`);
    assert.equal(long, true);
    assert.match(await s.waitForText('[data-testid="topic-note-count"]', (t) => /over/.test(t)), /^1 character over the 20,000 a note keeps: shorten it to save\.$/);
    assert.equal(await (await s.find('[data-testid="topic-note-save"]')).attribute("disabled"), "true");
    await (await s.find('[data-testid="topic-note"]')).setValue(note);
    assert.match(await s.waitForText('[data-testid="topic-note-count"]', (t) => !/over/.test(t)), new RegExp(`^${[...note].length} of 20,000 characters$`));
    await click(s, '[data-testid="topic-note-save"]');
    await s.waitFor('[data-testid="topic-note-saved"]');
    await shot(s, "42-topic-details.png");
    await click(s, '[data-testid="topic-close"]');

    // Calendar: drag Saturday's 09:00 session to Thursday 10:00.
    await click(s, '[data-testid="tab-calendar"]');
    await s.waitFor('[data-testid="calendar-event"]');
    await sleep(300);
    await shot(s, "43-calendar-week.png");
    const pts = await s.execute(`
      const ev = [...document.querySelectorAll('[data-testid="calendar-event"]')]
        .find((e) => e.textContent.includes('09:00'));
      const r = ev.getBoundingClientRect();
      const col = [...document.querySelectorAll('[role="gridcell"][data-date="2027-01-21"]')]
        .sort((a, b) => b.getBoundingClientRect().height - a.getBoundingClientRect().height)[0];
      const slot = [...document.querySelectorAll('[data-time="10:00:00"]')]
        .sort((a, b) => b.getBoundingClientRect().width - a.getBoundingClientRect().width)[0];
      const c = col.getBoundingClientRect();
      return { id: ev.dataset.sessionId, from: { x: r.left + r.width / 2, y: r.top + 8 },
               to: { x: c.left + c.width / 2, y: slot.getBoundingClientRect().top + 8 } };`);
    moved = pts.id;
    await s.drag(pts.from, pts.to);
    const status = await s.waitForText('[data-testid="calendar-status"]', (t) => t.startsWith("Moved"));
    assert.match(status, /^Moved to Thu,? 21 Jan 2027 at 10:00\. (No other session moved\.|\d+ other sessions? changed: .+\.)$/);
    await sleep(300);
    await shot(s, "44-calendar-moved.png");
    // Every way an event is drawn has its key in the legend: the moved one is "moved by hand".
    const keys = { "status-planned": "planned", "status-done": "done", "status-partial": "partial", "status-missed": "missed",
      "status-unticked": "unticked", "kind-review": "review", pinned: "pinned", "on-busy": "on-busy" };
    const drawn = await s.execute(`return [...new Set([...document.querySelectorAll('.calendar-host .session-event')].flatMap((e) => [...e.classList]))]`);
    assert.ok(drawn.includes("pinned"), JSON.stringify(drawn));
    for (const c of drawn.filter((c) => c in keys)) {
      assert.equal(await s.exists(`.legend .cal-key.${keys[c]}`), true, `the legend explains ${c}`);
    }
    // Tonight's session dropped on Monday evening, which has passed: refused, and the reason is
    // in view beside the evening's sessions, not above the toolbar.
    const tonight = JSON.parse(cli(["sessions", "--format", "json"])).find((x) => x.date === "2027-01-20" && x.start === "19:00");
    const back = await s.execute(`
      const ev = document.querySelector('[data-testid="calendar-event"][data-session-id="${tonight.id}"]');
      ev.scrollIntoView({ block: "center" });
      const r = ev.getBoundingClientRect();
      const col = [...document.querySelectorAll('[role="gridcell"][data-date="2027-01-18"]')]
        .sort((a, b) => b.getBoundingClientRect().height - a.getBoundingClientRect().height)[0];
      const slot = [...document.querySelectorAll('[data-time="19:00:00"]')]
        .sort((a, b) => b.getBoundingClientRect().width - a.getBoundingClientRect().width)[0];
      const c = col.getBoundingClientRect();
      return { from: { x: r.left + r.width / 2, y: r.top + 8 }, to: { x: c.left + c.width / 2, y: slot.getBoundingClientRect().top + 8 } };`);
    await s.drag(back.from, back.to);
    await s.waitForText('[data-testid="calendar-error"]', (t) => t.length > 0);
    const seen = await s.execute(`const r = document.querySelector('[data-testid="calendar-error"]').getBoundingClientRect();
      return r.top >= 0 && r.bottom <= innerHeight;`);
    assert.equal(seen, true, "the refusal is in view");
    await shot(s, "44b-calendar-refused.png");
    assert.equal(JSON.parse(cli(["sessions", "--format", "json"])).find((x) => x.id === tonight.id).date, "2027-01-20");

    // Month view, and the blocked-out week in February.
    await s.execute(`[...document.querySelectorAll('.calendar-host button')].find((b) => b.textContent.trim() === 'Month').click();`);
    await s.execute(`[...document.querySelectorAll('.calendar-host button')]
      .find((b) => /next/i.test(b.getAttribute('aria-label') ?? b.title ?? '')).click();`);
    await s.waitForText(".calendar-host", (t) => t.includes("February 2027"));
    await sleep(300);
    const blocked = await s.execute("return document.querySelectorAll('.calendar-host .blocked').length");
    assert.ok(blocked > 0, "the blocked-out week is shown");
    await shot(s, "45-calendar-month-blocked.png");

    // Dashboard: its figures against the database.
    await click(s, '[data-testid="tab-progress"]');
    const summary = await s.waitFor('[data-testid="heat-summary"]');
    const [[logged]] = query(dataDir, "SELECT SUM(minutes) FROM study_log");
    const [[sessionsDone]] = query(dataDir,
      "SELECT COALESCE(SUM(CASE status WHEN 'done' THEN minutes WHEN 'partial' THEN done_minutes ELSE 0 END), 0) FROM sessions");
    assert.equal(Number(await summary.attribute("data-minutes")), logged + sessionsDone);
    assert.equal(Number(await summary.attribute("data-days")), 2);
    const byStep = await Promise.all(
      (await s.findAll('[data-testid="dash-step"]')).map(async (e) => Number(await e.attribute("data-minutes-done"))),
    );
    assert.equal(byStep.reduce((a, b) => a + b, 0), logged + sessionsDone);
    const [[heatCells]] = query(dataDir, "SELECT julianday('2027-01-20') - julianday(start_date) + 1 FROM plans WHERE is_current = 1");
    assert.equal((await s.findAll('[data-testid="heatmap"] rect')).length, heatCells);
    await s.waitFor('[data-testid="burnup"] polyline.done');
    // The chart is as wide as its panel (not a fixed 760 px), drawn unscaled.
    const fit = await s.execute(`const svg = document.querySelector('[data-testid="burnup"]');
      const box = svg.parentElement.getBoundingClientRect(), r = svg.getBoundingClientRect();
      return { svg: r.width, box: box.width, drawn: Number(svg.getAttribute("width")) };`);
    assert.ok(fit.svg >= fit.box * 0.9 && fit.svg <= fit.box + 1, JSON.stringify(fit));
    assert.ok(Math.abs(fit.drawn - fit.svg) <= 1, `drawn at its own size: ${JSON.stringify(fit)}`);
    await shot(s, "46-dashboard.png");
  });

  // Saved: the moved session is pinned where it was put.
  const [[date, start, pinned]] = query(dataDir, `SELECT date, start, pinned FROM sessions WHERE id = ${moved}`);
  assert.deepEqual([date, start, pinned], ["2027-01-21", "10:00", 1]);

  // After a restart: the note, and the moved session in the calendar.
  await withApp(env, async (s) => {
    await click(s, '[data-testid="tab-timeline"]');
    await click(s, `[data-testid="bar"][data-topic-id="${first}"]`);
    await s.waitFor('[data-testid="topic-panel"] [data-testid="resources"]');
    const shown = await s.execute(
      "return [document.querySelector('[data-testid=\"topic-note\"]').value, document.querySelector('[data-testid=\"topic-panel\"]').innerText]",
    );
    assert.equal(shown[0], note, `the note is kept; the panel shows: ${shown[1]}`);
    await click(s, '[data-testid="tab-calendar"]');
    await s.waitFor(`[data-testid="calendar-event"][data-session-id="${moved}"]`);
    const text = await s.execute(
      `return document.querySelector('[data-testid="calendar-event"][data-session-id="${moved}"]').textContent`,
    );
    assert.match(text, /10:00/);

    // Keyboard: the arrows move between tabs, and focus is visible.
    const calendarTab = await s.find('[data-testid="tab-calendar"]');
    await calendarTab.sendKeys("\uE014");
    await s.waitForAttribute('[data-testid="tab-calendars"]', "aria-selected", (v) => v === "true");
    const focused = await s.execute("return document.activeElement.dataset.testid");
    assert.equal(focused, "tab-calendars");

    // With a topic panel left open on Timeline, the arrows go all the way round the tabs and
    // stay on the tab bar; closing the panel puts focus back on the bar that opened it.
    await click(s, '[data-testid="tab-timeline"]');
    await click(s, `[data-testid="bar"][data-topic-id="${first}"]`);
    await s.waitFor('[data-testid="topic-panel"] [data-testid="resources"]');
    await (await s.find('[data-testid="tab-timeline"]')).click();
    // Seven tabs: eight presses go all the way round and one further, to the Calendar.
    for (let i = 0; i < 8; i++) {
      await s.execute("document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }))");
      const at = await s.execute("return document.activeElement.getAttribute('role')");
      assert.equal(at, "tab", `focus stays on the tab bar after ${i + 1} presses`);
    }
    await s.waitForAttribute('[data-testid="tab-calendar"]', "aria-selected", (v) => v === "true");
    await click(s, '[data-testid="tab-timeline"]');
    await click(s, `[data-testid="bar"][data-topic-id="${first}"]`);
    await (await s.waitFor('[data-testid="topic-close"]')).click();
    await s.waitForText("body", () => true);
    const back = await s.execute("return [document.activeElement.dataset.testid, document.activeElement.dataset.topicId]");
    assert.deepEqual(back, ["bar", first], "focus goes back to the bar, not the page");

    // The smallest window the app allows: nothing spills out sideways.
    await s.resize(1024, 700);
    await sleep(500);
    for (const tab of ["week", "timeline", "calendar", "progress", "plan"]) {
      await click(s, `[data-testid="tab-${tab}"]`);
      await sleep(400);
      const overflow = await s.execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
      assert.ok(overflow <= 0, `the ${tab} view is ${overflow}px too wide at 1024 px`);
      await shot(s, `47-small-${tab}.png`);
    }
  });
});
