// Bad databases are explained in the window and left untouched; a backup can be restored from
// the window.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { withApp } from "./webdriver.mjs";

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");
const click = async (s, css) => (await s.waitFor(css)).click();

test("a file that is not a database, and one from a newer version, are refused and kept", async () => {
  for (const [kind, make] of [
    ["not_a_database", (db) => writeFileSync(db, Buffer.alloc(8192, 0x42))],
    ["database_too_new", (db) => execFileSync("python3", ["-c",
      "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table t(x)'); c.execute('pragma user_version=99'); c.commit()", db])],
  ]) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-baddb-"));
    const db = path.join(dataDir, "roadmap-planner.sqlite3");
    make(db);
    const before = readFileSync(db);
    await withApp({ ROADMAP_PLANNER_DATA_DIR: dataDir }, async (s) => {
      const banner = await s.waitFor(`[data-testid="error"][data-kind="${kind}"]`);
      const text = await banner.text();
      assert.match(text, new RegExp(db.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")), "the message names the file");
      assert.match(text, /left untouched/);
      assert.equal((await s.findAll('[data-testid="step"]')).length, 8, "the roadmap is still shown");
      await s.screenshot(path.join(artifacts, `60-bad-database-${kind}.png`));
    });
    assert.deepEqual(readFileSync(db), before, "the file was not changed");
  }
});

test("restore from backup in the window", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-restore-"));
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir };
  const cli = (today, args) =>
    execFileSync(process.env.ROADMAP_CLI, args, {
      env: { ...process.env, ...env, ROADMAP_PLANNER_TODAY: today },
      encoding: "utf8",
    });
  // Plan A on one day; the first use of the next day backs it up.
  cli("2027-01-03", ["plan", "--start", "2027-01-04", "--months", "12", "--save"]);
  cli("2027-01-04", ["status"]);
  // Plan B replaces it that same day (the day's backup exists, so no new one).
  cli("2027-01-04", ["plan", "--start", "2027-03-01", "--months", "12", "--save"]);
  await withApp({ ...env, ROADMAP_PLANNER_TODAY: "2027-01-04" }, async (s) => {
    await click(s, '[data-testid="tab-plan"]');
    await s.waitForText('[data-testid="plan-range"]', (t) => t.startsWith("Start 1 Mar 2027"));
    const names = await Promise.all((await s.findAll('[data-testid="backup"]')).map((b) => b.attribute("data-name")));
    assert.deepEqual(names, ["roadmap-planner-000002-20270104-daily.sqlite3", "roadmap-planner-000001-20270103-daily.sqlite3"]);
    const name = names[0];
    await click(s, `[data-name="${name}"] [data-testid="backup-restore"]`);
    await click(s, `[data-name="${name}"] [data-testid="backup-confirm"]`);
    // The window reloads on the restored data, back on its home tab.
    await s.waitForAttribute('[data-testid="tab-week"]', "aria-selected", (v) => v === "true", 20_000);
    await click(s, '[data-testid="tab-plan"]');
    await s.waitForText('[data-testid="plan-range"]', (t) => t.startsWith("Start 4 Jan 2027"), 20_000);
    await s.waitFor('[data-testid="backup"][data-name$="-before-restore.sqlite3"]');
    // Each copy says when it was made, why, and what it holds.
    const holds = async (css) => (await s.find(`[data-testid="backup"]${css} [data-testid="backup-holds"]`)).text();
    assert.equal(await holds(`[data-name="${name}"]`), "Holds the plan starting 4 Jan 2027, 0 sessions checked off.");
    assert.equal(await holds('[data-name$="-before-restore.sqlite3"]'), "Holds the plan starting 1 Mar 2027, 0 sessions checked off.");
    // Made just now by the debug clock's "now" (4 January 2027), not by the real clock.
    const when = await (await s.find('[data-testid="backup"][data-name$="-before-restore.sqlite3"] strong')).text();
    assert.match(when, /\b4 Jan(uary)? 2027\b/);
    await s.screenshot(path.join(artifacts, "61-restored.png"));
    // The calendar's today is the plan's today too: its week is the one shown, so "Today" has
    // nowhere to go.
    await click(s, '[data-testid="tab-calendar"]');
    await s.waitFor('[data-testid="calendar-event"]');
    const today = await s.execute(`const b = [...document.querySelectorAll('[data-testid="calendar"] button')]
      .find((b) => (b.getAttribute("aria-label") ?? b.title ?? b.textContent).trim() === "Today" || b.textContent.trim() === "Today");
      return b ? b.disabled || b.getAttribute("aria-disabled") === "true" : null;`);
    assert.equal(today, true, "the Today button is disabled on the week of the plan's today");
  });
  const status = JSON.parse(cli("2027-01-04", ["status", "--format", "json"]));
  assert.equal(status.plan.settings.start, "2027-01-04");
});

test("a database that cannot be opened is replaced by a backup from the window, and kept aside", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-rescue-"));
  const db = path.join(dataDir, "roadmap-planner.sqlite3");
  const cli = (today, args) =>
    execFileSync(process.env.ROADMAP_CLI, args, {
      env: { ...process.env, ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_TODAY: today },
      encoding: "utf8",
    });
  cli("2027-01-03", ["plan", "--start", "2027-01-04", "--months", "12", "--save"]);
  cli("2027-01-04", ["status"]); // the day's backup, with the plan in it
  const junk = Buffer.alloc(8192, 0x42);
  writeFileSync(db, junk);

  await withApp({ ROADMAP_PLANNER_DATA_DIR: dataDir }, async (s) => {
    await s.waitFor('[data-testid="error"][data-kind="not_a_database"]');
    const name = "roadmap-planner-000002-20270104-daily.sqlite3";
    await click(s, `[data-name="${name}"] [data-testid="backup-restore"]`);
    await click(s, `[data-name="${name}"] [data-testid="backup-confirm"]`);
    // No restart: the restored data is opened at once, and the window says what was done.
    const said = await s.waitForText('[data-testid="notice"]', (t) => t.length > 0, 20_000);
    assert.match(said, /kept, unchanged, as .*roadmap-planner\.sqlite3\.unusable-/);
    assert.equal(await s.exists('[data-testid="error"]'), false, "the red error is gone");
    await click(s, '[data-testid="tab-plan"]');
    await s.waitForText('[data-testid="plan-range"]', (t) => t.startsWith("Start 4 Jan 2027"));
    await s.screenshot(path.join(artifacts, "62-rescued.png"));
  });
  const aside = readdirSync(dataDir).find((f) => f.startsWith("roadmap-planner.sqlite3.unusable-"));
  assert.ok(aside, "the unusable file was kept");
  assert.deepEqual(readFileSync(path.join(dataDir, aside)), junk, "and kept unchanged");
  await withApp({ ROADMAP_PLANNER_DATA_DIR: dataDir }, async (s) => {
    await click(s, '[data-testid="tab-plan"]');
    await s.waitForText('[data-testid="plan-range"]', (t) => t.startsWith("Start 4 Jan 2027"));
  });
});

test("a damaged database can be set aside to start afresh; banners line up with the content; the notice is in view", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-afresh-"));
  const db = path.join(dataDir, "roadmap-planner.sqlite3");
  const junk = Buffer.alloc(8192, 0x43);
  writeFileSync(db, junk);
  await withApp({ ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_TODAY: "2027-01-04" }, async (s) => {
    await s.waitFor('[data-testid="error"][data-kind="not_a_database"]');
    // The banner and the Backups card are as wide as the content below them, not the window.
    const edges = await s.execute(`const r = (css) => document.querySelector(css).getBoundingClientRect();
      const tabs = document.querySelector('.layout, main') ?? document.body;
      const pad = parseFloat(getComputedStyle(tabs).paddingLeft) || 0;
      const c = tabs.getBoundingClientRect();
      return { banner: [r('[data-testid="error"]').left, r('[data-testid="error"]').right], card: [r('[data-testid="backups"]').left, r('[data-testid="backups"]').right], content: [c.left + pad, c.right - pad] };`);
    for (const [name, [l, r]] of Object.entries({ banner: edges.banner, card: edges.card })) {
      assert.ok(Math.abs(l - edges.content[0]) <= 2 && Math.abs(r - edges.content[1]) <= 2, `${name} ${l}–${r} against the content ${edges.content}`);
    }
    await click(s, '[data-testid="start-afresh"]');
    await click(s, '[data-testid="start-afresh-confirm"]');
    const said = await s.waitForText('[data-testid="notice"]', (t) => t.length > 0, 20_000);
    assert.match(said, /^Started afresh with empty data\. The file that could not be opened was kept, unchanged, as .*roadmap-planner\.sqlite3\.unusable-/);
    const inView = await s.execute(`const r = document.querySelector('[data-testid="notice"]').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight;`);
    assert.equal(inView, true, "the notice is in view");
    await s.waitFor('[data-testid="plan-setup"]');
    assert.equal(await s.exists('[data-testid="error"]'), false);
  });
  const aside = readdirSync(dataDir).find((f) => f.startsWith("roadmap-planner.sqlite3.unusable-"));
  assert.ok(aside, "the damaged file was kept");
  assert.deepEqual(readFileSync(path.join(dataDir, aside)), junk, "and kept unchanged");
});

test("a database found empty (0 bytes) is not started afresh while backups hold the plan", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-empty-"));
  const db = path.join(dataDir, "roadmap-planner.sqlite3");
  const cli = (today, args) =>
    execFileSync(process.env.ROADMAP_CLI, args, {
      env: { ...process.env, ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_TODAY: today },
      encoding: "utf8",
    });
  cli("2027-01-03", ["plan", "--start", "2027-01-04", "--months", "12", "--save"]);
  cli("2027-01-04", ["status"]); // the day's backup, with the plan in it
  for (const f of ["", "-wal", "-shm"]) rmSync(db + f, { force: true });
  writeFileSync(db, "");
  await withApp({ ROADMAP_PLANNER_DATA_DIR: dataDir }, async (s) => {
    const error = await s.waitFor('[data-testid="error"][data-kind="not_a_database"]');
    assert.match(await error.text(), /is empty \(0 bytes\), though backups of your plan exist/);
    const name = await (await s.waitFor('[data-testid="backup"][data-holds="plan"]')).attribute("data-name");
    await click(s, `[data-name="${name}"] [data-testid="backup-restore"]`);
    await click(s, `[data-name="${name}"] [data-testid="backup-confirm"]`);
    await s.waitForText('[data-testid="notice"]', (t) => t.length > 0, 20_000);
    await click(s, '[data-testid="tab-plan"]');
    await s.waitForText('[data-testid="plan-range"]', (t) => t.startsWith("Start 4 Jan 2027"));
  });
});

test("a restore that lands on the first-run screen can be undone from there", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-undo-restore-"));
  const cli = (today, args) =>
    execFileSync(process.env.ROADMAP_CLI, args, {
      env: { ...process.env, ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_TODAY: today },
      encoding: "utf8",
    });
  cli("2027-01-03", ["status"]); // the first day's backup: no plan yet
  cli("2027-01-03", ["plan", "--start", "2027-01-04", "--months", "12", "--save"]);
  await withApp({ ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_TODAY: "2027-01-03" }, async (s) => {
    await click(s, '[data-testid="tab-plan"]');
    const empty = await s.waitFor('[data-testid="backup"][data-holds="no_plan"]');
    const name = await empty.attribute("data-name");
    assert.match(await (await s.find(`[data-name="${name}"] [data-testid="backup-holds"]`)).text(), /no plan yet/);
    await click(s, `[data-name="${name}"] [data-testid="backup-restore"]`);
    await click(s, `[data-name="${name}"] [data-testid="backup-confirm"]`);
    // The copy held no plan: the first-run screen, with the backups still there.
    await s.waitFor('[data-testid="first-run"]');
    await s.waitFor('[data-testid="notice"]');
    await click(s, '[data-testid="backup"][data-name$="-before-restore.sqlite3"] [data-testid="backup-restore"]');
    await click(s, '[data-testid="backup"][data-name$="-before-restore.sqlite3"] [data-testid="backup-confirm"]');
    await click(s, '[data-testid="tab-plan"]');
    await s.waitForText('[data-testid="plan-range"]', (t) => t.startsWith("Start 4 Jan 2027"));
  });
});
