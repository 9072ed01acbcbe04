// All of the learner's data out of the window and into another: "Export all data…" writes
// the file `roadmap export --all` writes; "Import data…" on a fresh install brings the plan
// back whole (exported again, the same file but for its stamp); a file from a newer version
// is refused in a sentence and changes nothing. The dialogs are skipped in debug builds by
// ROADMAP_PLANNER_TEST_DATA_FILE.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { withApp } from "./webdriver.mjs";

function cli(env, args) {
  return execFileSync(process.env.ROADMAP_CLI, args, {
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
}

const click = async (s, css) => (await s.waitFor(css)).click();
const withoutStamp = (text) => text.split("\n").filter((l) => !l.trim().startsWith('"exported_at"')).join("\n");

test("export all data from the window, import it into a fresh install, refuse a newer file", async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-data-"));
  const first = { ROADMAP_PLANNER_DATA_DIR: path.join(tmp, "first"), ROADMAP_PLANNER_TODAY: "2027-01-13" };
  cli(first, [
    "plan", "--start", "2027-01-04", "--months", "12",
    "--availability", "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-13:00", "--save",
  ]);
  cli(first, ["log", "git-basics", "45"]);
  cli(first, ["done", "git-basics"]);
  cli(first, ["week", "close", "2027-01-06", "--outcome", "partly", "--note", "first week"]);

  const file = path.join(tmp, "mine.json");
  await withApp({ ...first, ROADMAP_PLANNER_TEST_DATA_FILE: file }, async (s) => {
    await s.waitFor('[data-testid="this-week"]');
    await click(s, '[data-testid="tab-plan"]');
    await click(s, '[data-testid="export-all"]');
    await s.waitForText('[data-testid="data-said"]', (t) => t.includes(file));
  });
  assert.ok(existsSync(file));
  const written = readFileSync(file, "utf8");
  const byCli = path.join(tmp, "by-cli.json");
  cli(first, ["export", "--all", byCli]);
  assert.equal(withoutStamp(written), withoutStamp(readFileSync(byCli, "utf8")), "the window writes what the CLI writes");

  // A fresh install: the first screen offers the import.
  const second = { ROADMAP_PLANNER_DATA_DIR: path.join(tmp, "second"), ROADMAP_PLANNER_TODAY: "2027-01-13" };
  const newer = path.join(tmp, "newer.json");
  writeFileSync(newer, written.replace('"version": 1', '"version": 7'));
  await withApp({ ...second, ROADMAP_PLANNER_TEST_DATA_FILE: newer }, async (s) => {
    await s.waitFor('[data-testid="first-run"]');
    await click(s, '[data-testid="import-all"]');
    await click(s, '[data-testid="import-confirm"]');
    await s.waitForText('[data-testid="data-error"]', (t) => t.includes("newer Roadmap Planner") && t.includes("nothing was imported"));
    assert.equal(await s.exists('[data-testid="this-week"]'), false);
  });
  await withApp({ ...second, ROADMAP_PLANNER_TEST_DATA_FILE: file }, async (s) => {
    await s.waitFor('[data-testid="first-run"]');
    await click(s, '[data-testid="import-all"]');
    await click(s, '[data-testid="import-confirm"]');
    await s.waitForText('[data-testid="notice"]', (t) => t.includes("Imported 1 plan with"));
    await s.waitFor('[data-testid="this-week"]');
    // The closed week and the logged study came along.
    await s.waitForText('[data-testid="past-week"][data-week="2027-W01"]', (t) => t.includes("first week"));
  });
  const again = path.join(tmp, "again.json");
  cli(second, ["export", "--all", again]);
  assert.equal(withoutStamp(readFileSync(again, "utf8")), withoutStamp(written));
});
