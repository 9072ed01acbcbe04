// Spaced review in the window: a finished topic's review on This week, rated with how well it
// was remembered; the next review planned from the grade; reviews marked as reviews in the
// Calendar, the exported .ics file (checked by three parsers) and the live feed.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { checkIcs, withIcalJs } from "./ics.mjs";
import { withApp } from "./webdriver.mjs";

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");
const click = async (s, css) => (await s.waitFor(css)).click();

test("a finished topic's review is rated on This week and comes back later, marked as a review everywhere", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-review-"));
  const base = { ROADMAP_PLANNER_DATA_DIR: dataDir, TZ: "Europe/Berlin" };
  const cli = (args, now) =>
    execFileSync(process.env.ROADMAP_CLI, args, { env: { ...process.env, ...base, ROADMAP_PLANNER_NOW: now }, encoding: "utf8" });
  const sessions = (now) => JSON.parse(cli(["sessions", "--format", "json"], now));
  cli(["plan", "--start", "2027-01-04", "--months", "12",
    "--availability", "mon=19:00-22:00,tue=19:00-22:00,wed=19:00-22:00,thu=19:00-22:00,sat=09:00-15:00", "--save"], "2027-01-04T08:00");
  // Finished at once (the learner knew more than the plan thought): its reviews begin.
  cli(["done", "python-fundamentals"], "2027-01-04T08:00");
  const first = sessions("2027-01-04T08:00").find((s) => s.kind === "review" && s.topic === "python-fundamentals" && s.status === "planned");
  assert.ok(first, "a first review is planned");
  assert.ok(first.date <= "2027-01-11", `first review on ${first.date}`);
  // The evening of the review, after it.
  const now = `${first.date}T23:30`;
  const env = { ...base, ROADMAP_PLANNER_NOW: now };

  await withApp(env, async (s) => {
    const row = await s.waitFor(`[data-testid="session"][data-session-id="${first.id}"]`);
    assert.equal(await row.attribute("data-kind"), "review");
    assert.equal(await (await s.find(`[data-session-id="${first.id}"] [data-testid="review-tag"]`)).text(), "Review");
    // A review has no "Done" and no "Partly": it is rated, or missed.
    assert.equal((await s.findAll(`[data-session-id="${first.id}"] [data-testid="mark-done"]`)).length, 0);
    assert.equal((await s.findAll(`[data-session-id="${first.id}"] [data-testid="mark-partial"]`)).length, 0);
    await click(s, `[data-session-id="${first.id}"] [data-testid="mark-reviewed"]`);
    const form = await s.waitFor('[data-testid="recall-form"]');
    assert.match(await form.text(), /How well did you remember it\?/);
    for (const grade of ["again", "hard", "good", "easy"]) {
      assert.ok(await s.find(`[data-testid="recall-${grade}"]`), `a ${grade} button`);
    }
    await s.screenshot(path.join(artifacts, "95-review-rate.png"));
    // What each grade means is on screen, not only in a tooltip.
    assert.match(await form.text(), /Good\s+I recalled it after a moment's thought/);
    await click(s, '[data-testid="recall-good"]');
    await s.waitForAttribute(`[data-session-id="${first.id}"]`, "data-status", (v) => v === "done");
    // The row keeps the grade and says when the topic comes back.
    const nextPlanned = sessions(now)
      .filter((x) => x.kind === "review" && x.topic === "python-fundamentals" && x.status === "planned" && x.date > first.date)
      .map((x) => x.date).sort()[0];
    assert.ok(nextPlanned, "a next review is planned");
    const rated = await s.waitForText(`[data-session-id="${first.id}"] [data-testid="review-rated"]`, (t) => t.length > 0);
    const [y, m, d] = nextPlanned.split("-").map(Number);
    const nextShown = new Date(y, m - 1, d).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" });
    assert.equal(rated, `✓ Reviewed: good · next review ${nextShown}`);

    // The calendar marks reviews as reviews.
    await click(s, '[data-testid="tab-calendar"]');
    await s.waitFor('[data-testid="calendar-event"]');
    const titles = await s.execute(`return [...document.querySelectorAll('[data-testid="calendar-event"][data-kind="review"]')]
      .map((e) => e.textContent)`);
    assert.ok(titles.length > 0, "a review on the calendar this week");
    assert.ok(titles.every((t) => /Review: /.test(t)), JSON.stringify(titles));
    await s.execute(`document.querySelector('[data-testid="calendar-event"][data-kind="review"]').scrollIntoView({ block: "center" })`);
    await new Promise((r) => setTimeout(r, 300));
    await s.screenshot(path.join(artifacts, "96-review-calendar.png"));
    // A short review beside a session squeezes neither into a part of the day's column: only
    // sessions whose times overlap share it. The first week with a quarter-hour review right
    // before or after a session, a few weeks on.
    const shown = sessions(now).filter((x) => x.status !== "cancelled");
    const minutes = (hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
    const touching = (a, b) => a.id !== b.id && a.date === b.date
      && (minutes(b.start) === minutes(a.start) + a.minutes || minutes(a.start) === minutes(b.start) + b.minutes);
    const beside = shown.find((x) => x.kind === "review" && x.minutes === 15 && shown.some((o) => touching(x, o)));
    assert.ok(beside, "a quarter-hour review right beside a session");
    const monday = (d) => { const t = new Date(`${d}T12:00Z`); t.setUTCDate(t.getUTCDate() - ((t.getUTCDay() + 6) % 7)); return t; };
    const weeks = Math.round((monday(beside.date) - monday(first.date)) / (7 * 86_400_000));
    for (let k = 0; k < weeks; k++) {
      assert.ok(await s.execute(`const b = [...document.querySelectorAll('[data-testid="calendar"] button')]
        .find((b) => /^Next/.test(b.getAttribute("aria-label") ?? b.title ?? "")); b?.click(); return !!b;`), "a Next week button");
    }
    await s.waitFor(`[data-testid="calendar-event"][data-session-id="${beside.id}"]`);
    const boxes = await s.execute(`return [...document.querySelectorAll('[data-testid="calendar-event"]')]
      .filter((e) => /^[0-9]+$/.test(e.dataset.sessionId))
      .map((e) => { const r = e.getBoundingClientRect(); return [Number(e.dataset.sessionId), r.width]; })`);
    const widest = Math.max(...boxes.map(([, w]) => w));
    const overlaps = (a, b) => a.id !== b.id && a.date === b.date
      && minutes(a.start) < minutes(b.start) + b.minutes && minutes(b.start) < minutes(a.start) + a.minutes;
    const squeezed = boxes
      .map(([id, w]) => [shown.find((x) => x.id === id), w])
      .filter(([x, w]) => x && !shown.some((o) => overlaps(x, o)) && w < widest - 4)
      .map(([x, w]) => `${x.kind} ${x.date} ${x.start} ${x.minutes} min: ${Math.round(w)} of ${Math.round(widest)} px`);
    assert.deepEqual(squeezed, []);
    await s.execute(`document.querySelector('[data-testid="calendar-event"][data-session-id="${beside.id}"]').scrollIntoView({ block: "center" })`);
    await s.screenshot(path.join(artifacts, "96-review-beside-session.png"));

    // The live feed says so too.
    await click(s, '[data-testid="feed-toggle"]');
    const url = await s.waitForAttribute('[data-testid="feed-url"]', "value", (v) => typeof v === "string" && v.startsWith("http://127.0.0.1:"));
    const served = withIcalJs(await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).text());
    const reviewEvent = served.items.find((e) => e.uid.startsWith(`session-${first.id}.`));
    assert.equal(reviewEvent.summary, "Review: Python fundamentals");
    await click(s, '[data-testid="feed-toggle"]');
  });

  // Checked off, and the next review comes later than the first one's interval.
  const after = sessions(now);
  assert.equal(after.find((s) => s.id === first.id).status, "done");
  const next = after
    .filter((s) => s.kind === "review" && s.topic === "python-fundamentals" && s.status === "planned" && s.date > first.date)
    .map((s) => s.date)
    .sort()[0];
  assert.ok(next, "a next review is planned");
  const days = (a, b) => (Date.parse(b) - Date.parse(a)) / 86_400_000;
  assert.ok(days(first.date, next) > days("2027-01-04", first.date), `next review ${next} after ${first.date}`);

  // The exported file, read by three parsers, names reviews as reviews.
  const file = path.join(dataDir, "plan.ics");
  cli(["export", "--ics", file], now);
  const parsed = checkIcs(file);
  const reviews = parsed.items.filter((e) => e.summary.startsWith("Review: "));
  assert.ok(reviews.length > 0, "reviews in the .ics file");
  const studyIds = new Set(after.filter((s) => s.kind === "study").map((s) => `session-${s.id}.`));
  assert.ok(reviews.every((e) => ![...studyIds].some((p) => e.uid.startsWith(p))), "no study session is called a review");
});
