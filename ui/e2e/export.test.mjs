// iCal export from the real window: export to a path, check the file with our lint, three
// Python parsers and ical.js, replan, export again, and check that UIDs are kept, SEQUENCE is
// raised on moved sessions and cancelled sessions are present. Then the live feed: on, fetched
// like a subscribed calendar would, kept across a restart, and off.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { checkIcs, withIcalJs } from "./ics.mjs";
import { withApp } from "./webdriver.mjs";

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");
const click = async (s, css) => (await s.waitFor(css)).click();

test("export, replan, export again; the calendar feed", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-export-"));
  const file = path.join(dataDir, "my plan.ics");
  const env = {
    ROADMAP_PLANNER_DATA_DIR: dataDir,
    ROADMAP_PLANNER_TODAY: "2027-03-01",
    ROADMAP_PLANNER_TEST_SAVE_FILE: file,
  };
  execFileSync(process.env.ROADMAP_CLI, [
    "plan", "--start", "2027-01-04", "--months", "18", "--time-zone", "Europe/Berlin",
    "--availability", "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-15:00", "--save",
    // Made on its first morning, so it has sessions from 4 January on: a plan made later
    // starts at the hour it is made.
  ], { env: { ...process.env, ...env, ROADMAP_PLANNER_NOW: "2027-01-04T08:00" } });

  let first;
  let preview;
  await withApp(env, async (s) => {
    // The one reminder setting, on the Plan tab: the export follows it.
    await click(s, '[data-testid="tab-plan"]');
    await s.waitFor('[data-testid="reminders-unchosen"]');
    await click(s, '[data-testid="reminders-on"]');
    await (await s.find('[data-testid="reminders-lead"]')).setValue("20");
    await click(s, '[data-testid="reminders-save"]');
    await s.waitForText('[data-testid="reminders-saved"]', (t) => t.includes("20 min"));
    await click(s, '[data-testid="tab-calendar"]');
    await s.waitFor('[data-testid="calendar-event"]');
    await s.waitForText('[data-testid="export-reminder"]', (t) => t.includes("20 min"));
    await (await s.waitFor('[data-testid="export-name"]')).setValue("Study; backend, 2027 🚀");
    await click(s, '[data-testid="export-button"]');
    const saved = await s.waitForText('[data-testid="export-result"]', (t) => t.startsWith("Saved"));
    assert.match(saved, new RegExp(`to ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.$`));
    await s.screenshot(path.join(artifacts, "50-export.png"));
    first = checkIcs(file);
    const text = readFileSync(file, "utf8");
    assert.match(text, /X-WR-CALNAME:Study\\; backend\\, 2027 🚀\r\n/);
    assert.match(text, /TRIGGER:-PT20M/);
    // Every parser reads the alarm on every session.
    assert.ok(first.items.filter((e) => e.uid.startsWith("session-")).every((e) => e.alarms.length === 1 && e.alarms[0] === -20));
    // A 19:00 session in Berlin: 18:00 UTC in winter, 17:00 UTC in summer.
    const starts = first.items.map((e) => e.start);
    assert.ok(starts.includes("2027-01-04T18:00:00Z"), "winter time");
    assert.ok(starts.some((t) => t.endsWith("T17:00:00Z") && t > "2027-04-01"), "summer time");

    // Nearly two months of nothing done: replan, pushing the finish date.
    await click(s, '[data-testid="tab-week"]');
    await click(s, '[data-testid="replan-open"]');
    await click(s, '[data-testid="policy-extend"]');
    await click(s, '[data-testid="replan-preview"]');
    await s.waitFor('[data-testid="replan-result"]');
    preview = {
      moved: Number(await (await s.find('[data-testid="replan-moved"]')).text()),
      text: await (await s.find('[data-testid="replan-result"]')).text(),
    };
    await click(s, '[data-testid="replan-accept"]');
    await s.waitFor('[data-testid="replan-open"]');

    await click(s, '[data-testid="tab-calendar"]');
    // Once the calendar has drawn its week (which moves what is below it down).
    await s.waitFor('[data-testid="calendar-event"]');
    await click(s, '[data-testid="export-button"]');
    await s.waitForText('[data-testid="export-result"]', (t) => t.startsWith("Saved"));
  });

  const second = checkIcs(file);
  const before = new Map(first.items.map((e) => [e.uid, e]));
  const after = new Map(second.items.map((e) => [e.uid, e]));
  for (const uid of before.keys()) {
    if (uid.startsWith("session-")) assert.ok(after.has(uid), `${uid} kept its UID`);
  }
  const moved = second.items.filter((e) => {
    const old = before.get(e.uid);
    return e.uid.startsWith("session-") && old && old.start !== e.start;
  });
  assert.ok(moved.length > 0, "sessions moved");
  assert.ok(moved.length >= preview.moved, `${moved.length} moved in the file, ${preview.moved} in the preview`);
  for (const e of moved) {
    assert.ok(e.sequence > before.get(e.uid).sequence, `${e.uid} moved but its SEQUENCE stayed ${e.sequence}`);
  }
  const cancelledCount = Number(/(\d+) cancelled/.exec(preview.text)?.[1] ?? "0");
  const cancelled = second.items.filter((e) => e.status === "CANCELLED");
  assert.equal(cancelled.length, cancelledCount, "every session the replan removed is exported as cancelled");
  const unchanged = second.items.filter((e) => before.get(e.uid)?.start === e.start && e.uid.startsWith("session-"));
  assert.ok(unchanged.every((e) => e.sequence === before.get(e.uid).sequence), "unmoved sessions keep their SEQUENCE");

  // The live feed.
  let url;
  await withApp(env, async (s) => {
    await click(s, '[data-testid="tab-calendar"]');
    // The switch is enabled once the feed's settings have loaded.
    await s.waitForAttribute('[data-testid="feed-toggle"]', "disabled", (v) => v === null);
    await click(s, '[data-testid="feed-toggle"]');
    url = await s.waitForAttribute('[data-testid="feed-url"]', "value", (v) => typeof v === "string" && v.startsWith("http://127.0.0.1:"));
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{64}\/calendar\.ics$/);
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /^text\/calendar/);
    const served = withIcalJs(await res.text());
    assert.equal(served.events, second.events);
    const wrong = await fetch(url.replace(/[0-9a-f]{64}/, "0".repeat(64)), { signal: AbortSignal.timeout(10_000) });
    assert.equal(wrong.status, 404);
    // The feed follows the reminder setting at once, without being switched off and on.
    assert.ok(served.items.some((e) => e.alarms[0] === -20), "the feed carries the reminders");
    await click(s, '[data-testid="tab-plan"]');
    await click(s, '[data-testid="reminders-on"]');
    await click(s, '[data-testid="reminders-save"]');
    await s.waitForText('[data-testid="reminders-saved"]', (t) => t.includes("off"));
    const quiet = withIcalJs(await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).text());
    assert.ok(quiet.items.every((e) => e.alarms.length === 0), "reminders off: the feed has no alarm");
    await s.screenshot(path.join(artifacts, "51-feed-on.png"));
  });
  // Left on, it comes back with the app, at the same address.
  await withApp(env, async (s) => {
    await click(s, '[data-testid="tab-calendar"]');
    const again = await s.waitForAttribute('[data-testid="feed-url"]', "value", (v) => typeof v === "string" && v.length > 0);
    assert.equal(again, url);
    assert.equal((await fetch(url, { signal: AbortSignal.timeout(10_000) })).status, 200);
    await click(s, '[data-testid="feed-toggle"]');
    await s.waitForAttribute('[data-testid="feed-toggle"]', "checked", (v) => v === null || v === "false");
    await assert.rejects(fetch(url, { signal: AbortSignal.timeout(5_000) }), "the feed is off");
  });
});
