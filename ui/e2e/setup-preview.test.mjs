// The plan setup screen runs the scheduler live: feasibility, hours needed and available, and
// one-click fixes; the week is marked by dragging on a grid (the text form stays for power
// users); bad input is explained beside its field, for a person, and blocks "Create plan".

import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { withApp } from "./webdriver.mjs";

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");
const created = (s) => s.execute(`return !document.querySelector('[data-testid="create-plan"]').disabled`);

test("the setup screen previews feasibility and applies a fix in one click", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-preview-"));
  await withApp({ ROADMAP_PLANNER_DATA_DIR: dataDir }, async (s) => {
    await (await s.waitFor('[data-testid="start-date"]')).setValue("2027-01-04");
    // The first launch has nothing to restore: no Backups card offering the empty database.
    await s.waitFor('[data-testid="preview-feasible"]');
    assert.equal(await s.exists('[data-testid="backups"]'), false);
    // The preview stays in view from the top of the long form, and sits at its end.
    await s.execute(`window.scrollTo(0, 0); document.querySelector('[data-testid="start-date"]').scrollIntoView({ block: "start" }); return true;`);
    const inView = await s.execute(`const r = document.querySelector('[data-testid="preview"]').getBoundingClientRect();
      return r.top < innerHeight && r.bottom <= innerHeight + 1;`);
    assert.equal(inView, true, "the preview is in view while the top of the form is");
    await (await s.find('[data-testid="months"]')).setValue("6");
    await (await s.find('[data-testid="availability-text-toggle"]')).click();
    await (await s.waitFor('[data-testid="availability"]')).setValue("mon=19:00-21:00,sat=09:00-13:00");
    await s.waitForText('[data-testid="preview-feasible"]', (t) => t.startsWith("Not feasible"));
    assert.equal(await (await s.find('[data-testid="preview-available"]')).text(), "6.0 h a week");
    // The grid shows what the text says: Monday 19:00–21:00 is four marked half hours.
    const marked = await s.execute(`return [...document.querySelectorAll('[data-testid="availability-grid"] [aria-selected="true"]')].map((c) => c.dataset.cell)`);
    assert.deepEqual(marked.filter((c) => c.startsWith("0-")).sort(), ["0-38", "0-39", "0-40", "0-41"]);
    await s.waitFor('[data-testid="fix-more-hours"]');
    await s.screenshot(path.join(artifacts, "20-setup-not-feasible.png"));

    // The fix proposes a week, and the proposal lands in the editor (grid and text alike).
    await (await s.find('[data-testid="fix-more-hours"]')).click();
    await s.waitForText('[data-testid="preview-feasible"]', (t) => t.startsWith("On track"));
    await s.waitFor('[data-testid="preview-proposed"]');
    const proposal = await s.execute(`return document.querySelector('[data-testid="availability"]').value`);
    assert.match(proposal, /sat=09:00-/);
    assert.ok((await s.findAll('[data-testid="availability-grid"] [aria-selected="true"]')).length > 8);
    await s.screenshot(path.join(artifacts, "21-setup-fixed.png"));

    // Dragging down a free column from 06:00 to 07:30 marks 06:00–08:00 and adds two hours.
    const before = Number((await (await s.find('[data-testid="preview-available"]')).text()).split(" ")[0]);
    const drag = await s.execute(`const cell = (d, q) => document.querySelector('[data-cell="' + d + '-' + q + '"]');
      const day = [0, 1, 2, 3, 4, 5, 6].find((d) => [12, 13, 14, 15].every((q) => cell(d, q).getAttribute('aria-selected') === 'false'));
      cell(day, 12).scrollIntoView({ block: "center" });
      const a = cell(day, 12).getBoundingClientRect(), b = cell(day, 15).getBoundingClientRect();
      return { day, from: { x: a.left + a.width / 2, y: a.top + a.height / 2 }, to: { x: b.left + b.width / 2, y: b.top + b.height / 2 } };`);
    await s.drag(drag.from, drag.to, 6);
    await s.waitForText('[data-testid="preview-available"]', (t) => Number(t.split(" ")[0]) === before + 2);
    const now = await s.execute(`return [12, 13, 14, 15].map((q) => document.querySelector('[data-cell="${drag.day}-' + q + '"]').getAttribute('aria-selected'))`);
    assert.deepEqual(now, ["true", "true", "true", "true"]);
    const day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][drag.day];
    assert.match(await s.execute(`return document.querySelector('[data-testid="availability"]').value`), new RegExp(`${day}=06:00-08:00`));
    assert.equal(await s.exists('[data-testid="preview-proposed"]'), false, "an edited week is no longer called a proposal");

    // Malformed text: the planner's reason, in words.
    await (await s.find('[data-testid="availability"]')).setValue("someday=19:00-21:00");
    const err = await s.waitForText('[data-testid="preview-error"]', (t) => t.length > 0);
    assert.match(err, /unknown weekday "someday"/);
    assert.equal(await created(s), false, "nothing to create from a week that does not read");
  });
});

test("bad settings are explained beside their field and keep Create plan off", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-badsetup-"));
  await withApp({ ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_TODAY: "2027-01-04" }, async (s) => {
    await s.waitFor('[data-testid="preview-feasible"]');
    assert.equal(await created(s), true);

    // A negative shortest session: a sentence, not "invalid value: integer `-30`".
    await (await s.find('[data-testid="session-min"]')).setValue("-30");
    const min = await s.waitForText('[data-testid="session-min-error"]', (t) => t.length > 0);
    assert.match(min, /^Give the shortest session as a whole number of minutes/);
    assert.equal(await created(s), false);
    await (await s.find('[data-testid="session-min"]')).setValue("30");

    // A longest session of 5,000 minutes is too long (not "not quarter hours").
    await (await s.find('[data-testid="session-max"]')).setValue("5000");
    const max = await s.waitForText('[data-testid="session-max-error"]', (t) => t.length > 0);
    assert.match(max, /^The longest session must be between 15 minutes and 12 hours/);
    assert.equal(await (await s.find('[data-testid="session-max"]')).attribute("aria-invalid"), "true");
    assert.equal(await created(s), false);
    await (await s.find('[data-testid="session-max"]')).setValue("120");
    await s.waitFor('[data-testid="preview-feasible"]');

    // A blocked-out period whose last day comes first: said beside it, in a sentence.
    await (await s.find('[data-testid="blackout-add"]')).click();
    await (await s.waitFor('[data-testid="blackout-from"]')).setValue("2027-07-14");
    await (await s.find('[data-testid="blackout-to"]')).setValue("2027-07-01");
    assert.equal(await s.waitForText('[data-testid="blackout-error"]', (t) => t.length > 0), "The last day comes before the first.");
    assert.equal(await (await s.find('[data-testid="blackout-to"]')).attribute("aria-invalid"), "true");
    assert.equal(await created(s), false);
    await (await s.find('[data-testid="blackout-to"]')).setValue("2027-07-20");
    await s.waitForGone('[data-testid="blackout-error"]');
    await s.waitFor('[data-testid="preview-feasible"]');
    assert.equal(await created(s), true);
    await (await s.find('[data-testid="blackout-remove"]')).click();
    // An empty months field asks for months, it does not call "nothing" out of range.
    await (await s.find('[data-testid="months-number"]')).setValue("");
    assert.equal(await s.waitForText('[data-testid="months-error"]', (t) => t.length > 0), "Give the number of months, from 6 to 24.");
    await (await s.find('[data-testid="months-number"]')).setValue("12");
    await s.waitFor('[data-testid="preview-feasible"]');

    // Months typed out of range: said, not silently clamped.
    for (const months of ["0", "30"]) {
      await (await s.find('[data-testid="months-number"]')).setValue(months);
      const said = await s.waitForText('[data-testid="months-error"]', (t) => t.length > 0);
      assert.match(said, new RegExp(`^A plan takes 6 to 24 months; ${months} is not in that range`));
      assert.equal(await created(s), false);
    }
    await (await s.find('[data-testid="months-number"]')).setValue("12");

    // No start date: the form says what is missing, and never "Working out the plan…" forever.
    await (await s.find('[data-testid="start-date"]')).setValue("");
    await s.waitForText('[data-testid="start-error"]', (t) => t === "Pick the day you start.");
    await s.waitFor('[data-testid="preview-waiting"]');
    assert.equal(await created(s), false);
    await (await s.find('[data-testid="start-date"]')).setValue("2027-01-04");

    // Half an hour a week: not even 24 months is enough, and the screen says so.
    await (await s.find('[data-testid="months-number"]')).setValue("24");
    await (await s.find('[data-testid="availability-text-toggle"]')).click();
    await (await s.waitFor('[data-testid="availability"]')).setValue("sun=09:00-09:30");
    await s.waitForText('[data-testid="preview-feasible"]', (t) => t.startsWith("Not feasible"));
    const none = await s.waitForText('[data-testid="fix-later-none"]', (t) => t.length > 0);
    assert.match(none, /Even 24 months, the longest plan, is not enough/);
    assert.equal(await s.exists('[data-testid="fix-later"]'), false);
    await s.screenshot(path.join(artifacts, "22-setup-not-even-24-months.png"));
  });
});
