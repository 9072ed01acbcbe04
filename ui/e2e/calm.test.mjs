// A calm plan in the real window: topics done early leave their time free and This week offers
// to pull the plan forward, previewed week by week before anything moves; a session placed by
// hand on what a calendar later makes busy stays where the learner put it, flagged.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { withApp } from "./webdriver.mjs";

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");

test("ahead: Pull forward is offered, previewed by week, and brings the finish forward; a hand-placed session on busy time is flagged", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-calm-"));
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_NOW: "2027-01-04T08:00", TZ: "Europe/Berlin" };
  const cli = (args) => execFileSync(process.env.ROADMAP_CLI, args, { env: { ...process.env, ...env }, encoding: "utf8" });
  cli(["plan", "--start", "2027-01-04", "--availability", "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-13:00", "--save"]);
  const sessions = () => JSON.parse(cli(["sessions", "--format", "json"]));
  // The learner knows the first three topics already.
  const topics = [...new Set(sessions().map((s) => s.topic))].slice(0, 3);
  for (const t of topics) cli(["done", t]);
  // The next session placed by hand on Thursday morning, then a dentist's appointment there.
  const wednesday = sessions().find((s) => s.status === "planned");
  cli(["move", String(wednesday.id), "2027-01-07T09:00"]);
  const file = path.join(dataDir, "dentist.ics");
  writeFileSync(file, [
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
    "BEGIN:VEVENT", "UID:dentist@test", "DTSTAMP:20261201T000000Z",
    "DTSTART;TZID=Europe/Berlin:20270107T090000", "DTEND;TZID=Europe/Berlin:20270107T100000",
    "SUMMARY:Dentist", "END:VEVENT", "END:VCALENDAR", "",
  ].join("\r\n"));
  const said = cli(["busy", "add", file]);
  assert.match(said, /No other session changed\./, said);
  const status = JSON.parse(cli(["status", "--format", "json"]));
  assert.ok(status.ahead, "three topics done early: the plan is ahead");

  await withApp(env, async (s) => {
    // The hand-placed session stays on Thursday morning, flagged.
    const row = `[data-testid="session"][data-session-id="${wednesday.id}"]`;
    const flag = await s.waitFor(`${row} [data-testid="on-busy"]`);
    assert.match(await flag.text(), /busy time/);
    const flagged = await s.execute(`return [...document.querySelectorAll('[data-testid="on-busy"]')].length`);
    assert.equal(flagged, 1, "only the session on the busy time is flagged");

    // The offer names the finish before and after; nothing moves until the learner asks.
    const offer = await s.waitFor('[data-testid="ahead"]');
    const text = await offer.text();
    assert.match(text, /You are ahead: finish about (a week|\d+ weeks) earlier/);
    await s.screenshot(path.join(artifacts, "99-ahead.png"));
    await (await s.find('[data-testid="pull-forward"]')).click();
    const preview = await s.waitFor('[data-testid="replan-result"]');
    const weeks = await s.execute(`return [...document.querySelectorAll('[data-testid="replan-result"] [data-testid="changes-week"]')].map((w) => [w.dataset.monday, w.open])`);
    assert.ok(weeks.length > 0, "the changed sessions are listed by week");
    assert.ok(weeks.every(([monday, open]) => open === (monday <= "2027-01-11")), JSON.stringify(weeks));
    const finish = await (await s.find('[data-testid="replan-finish"]')).text();
    assert.ok((await preview.text()).includes("→"), "a move reads as from → to");
    await s.screenshot(path.join(artifacts, "99-pull-forward-preview.png"));
    await (await s.find('[data-testid="replan-accept"]')).click();
    await s.waitForGone('[data-testid="ahead"]');
    assert.ok(text.includes(finish), `the offer's finish (${text}) is the preview's (${finish})`);
  });
  const after = JSON.parse(cli(["status", "--format", "json"]));
  assert.equal(after.plan.projected_end, status.ahead.finish);
  assert.equal(after.ahead, null);
  // The hand-placed session stayed where the learner put it.
  const kept = sessions().find((x) => x.id === wednesday.id);
  assert.deepEqual([kept.date, kept.start], ["2027-01-07", "09:00"]);
});
