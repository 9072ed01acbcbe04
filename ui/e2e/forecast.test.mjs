// The plan learns the learner, in the window: the finish band on This week and the Timeline,
// the pace on Progress, and "Use my pace" as a replan previewed before it is accepted.

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

test("a learner slower than the estimates sees the band, the pace, and plans with it", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-forecast-"));
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_NOW: "2027-02-15T08:00", TZ: "Europe/Berlin" };
  const cli = (args, now = env.ROADMAP_PLANNER_NOW) =>
    execFileSync(process.env.ROADMAP_CLI, args, { env: { ...process.env, ...env, ROADMAP_PLANNER_NOW: now }, encoding: "utf8" });
  cli(["plan", "--start", "2027-01-04", "--months", "12",
    "--availability", "mon=19:00-22:00,tue=19:00-22:00,wed=19:00-22:00,sat=09:00-15:00", "--save"], "2027-01-04T08:00");
  // Six weeks: the first two topics at 1.5× their estimates, then done.
  let day = 0;
  for (const [topic, hours] of [["python-fundamentals", 35], ["python-data-structures", 15]]) {
    for (let left = hours * 90; left > 0; left -= 110, day++) {
      const date = new Date(Date.UTC(2027, 0, 4 + (day % 42))).toISOString().slice(0, 10);
      cli(["log", topic, String(Math.min(110, left)), "--date", date]);
    }
    cli(["done", topic]);
  }
  const forecast = JSON.parse(cli(["forecast", "--format", "json"]));

  await withApp(env, async (s) => {
    // This week: one sentence, the same band the CLI prints.
    const line = await s.waitFor('[data-testid="forecast"]');
    assert.equal(await line.attribute("data-p50"), forecast.p50);
    assert.equal(await line.attribute("data-p80"), forecast.p80);
    assert.match(await line.text(), /^At your pace, most likely (early|mid-|late) ?\w+ \d{4}; 80 % likely by \d+ \w+ \d{4}\. Most likely later than the plan: .+\.$/);
    // One story: the window's sentence is the core's, as `roadmap forecast` gives it.
    assert.equal(await (await s.find('[data-testid="forecast-story"]')).text(), forecast.story);
    assert.match(forecast.story, /^Most likely later than the plan: Programming languages takes you 1\.[34]× the estimate\.$/);
    await s.screenshot(path.join(artifacts, "90-forecast-week.png"));

    // Timeline: the band from P50 to P90, after the plan's own finish.
    await click(s, '[data-testid="tab-timeline"]');
    const band = await s.waitFor('[data-testid="finish-band"]');
    const [bandLeft, finish] = await s.execute(`return [document.querySelector('[data-testid="finish-band"]').getBoundingClientRect().left,
      document.querySelector('.marker.projected').getBoundingClientRect().left]`);
    assert.ok(bandLeft > finish, "the likely finish is later than the plan's own");
    assert.ok(band);
    // The band never squeezes the plan: the plan's own last date (its finish or its target,
    // whichever is later) sits in the last part of the axis, and a far end is an arrow with
    // its date.
    const [left, width, target] = await s.execute(`const m = document.querySelector('.markers').getBoundingClientRect();
      return [m.left, m.width, document.querySelector('.marker.target')?.getBoundingClientRect().left ?? 0];`);
    const planEnd = Math.max(finish, target);
    assert.ok((planEnd - left) / width >= 0.7, `the plan's last date at ${Math.round((100 * (planEnd - left)) / width)} % of the axis`);
    if ((await band.attribute("data-far")) === "true") {
      assert.match(await (await s.find('[data-testid="band-far"]')).text(), /^→ (\d+ \w+ \d{4} – )?\d+ \w+ \d{4}$/);
    }
    await s.screenshot(path.join(artifacts, "91-forecast-timeline.png"));

    // Progress: the pace in words.
    await click(s, '[data-testid="tab-progress"]');
    const languages = await s.waitFor('[data-testid="pace-skills"] [data-skill="languages"]');
    assert.match(await languages.text(), /^Programming languages: you take about 1\.[34]× the estimate \(75 h of finished topics\)$/);
    assert.match(await (await s.find('[data-testid="adherence"]')).text(), /^You study \d+ % of the hours you plan/);
    await s.screenshot(path.join(artifacts, "92-forecast-pace.png"));

    // Replan: "Use my pace" finishes later than pushing the date alone, and is saved only when
    // accepted.
    await click(s, '[data-testid="tab-week"]');
    await click(s, '[data-testid="replan-open"]');
    await click(s, '[data-testid="policy-extend"]');
    await click(s, '[data-testid="replan-preview"]');
    const plain = await (await s.waitFor('[data-testid="replan-finish"]')).text();
    await click(s, '[data-testid="policy-pace"]');
    await click(s, '[data-testid="replan-preview"]');
    await s.waitFor('[data-testid="replan-result"]');
    const paced = await (await s.find('[data-testid="replan-finish"]')).text();
    assert.notEqual(paced, plain);
    await click(s, '[data-testid="replan-accept"]');
    await s.waitFor('[data-testid="replan-open"]');
  });
  const after = JSON.parse(cli(["status", "--format", "json"]));
  assert.ok(after.plan.projected_end > forecast.naive_end, "the paced plan finishes later than the unpaced one did");
});
