// Rough edges a newcomer hit (issue: every rough edge a newcomer hit), each in the real
// window: a double-clicked Log records the study once; study dated before the plan began is
// refused in a sentence, not saved where no view shows it.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { withApp } from "./webdriver.mjs";

test("a double-clicked Log records once; a log before the plan is refused", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-newcomer-"));
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_TODAY: "2027-01-06" };
  const cli = (args) => execFileSync(process.env.ROADMAP_CLI, args, { env: { ...process.env, ...env }, encoding: "utf8" });
  cli(["plan", "--start", "2027-01-04", "--months", "12", "--availability", "mon=19:00-21:00,wed=19:00-21:00", "--save"]);
  const logs = () => JSON.parse(cli(["status", "--format", "json"])).plan.progress.minutes_done;
  assert.equal(logs(), 0);

  await withApp(env, async (s) => {
    await s.waitFor('[data-testid="log-form"]');
    const topic = await s.waitFor('[data-testid="log-topic"]');
    await topic.click();
    await s.execute(
      "const sel = document.querySelector('[data-testid=\"log-topic\"]'); sel.value = sel.options[1].value; sel.dispatchEvent(new Event('change', { bubbles: true }));",
    );
    await s.execute(
      "const m = document.querySelector('[data-testid=\"log-minutes\"]'); m.value = '25'; m.dispatchEvent(new Event('input', { bubbles: true }));",
    );
    await s.doubleClick('[data-testid="log-submit"]');
    await s.waitForAttribute('[data-testid="week-progress"]', "data-value", (v) => v === "25");
    // Give a second write every chance to land.
    await new Promise((r) => setTimeout(r, 1500));
  });
  assert.equal(logs(), 25, "the double click recorded the study once");

  const refused = (() => {
    try {
      cli(["log", "git-basics", "30", "--date", "1999-01-01"]);
      return null;
    } catch (e) {
      return String(e.stderr);
    }
  })();
  assert.match(refused ?? "", /before the plan began \(2027-01-04\)/);
  assert.equal(logs(), 25);
});

test("with ROADMAP_PLANNER_DATA_DIR set, the window's storage and cache stay in that folder", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-webdata-"));
  const home = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-xdg-"));
  const xdg = { XDG_DATA_HOME: path.join(home, "data"), XDG_CACHE_HOME: path.join(home, "cache"), XDG_CONFIG_HOME: path.join(home, "config") };
  await withApp({ ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_NOW: "2027-01-04T08:00", TZ: "Europe/Berlin", ...xdg }, async (s) => {
    await s.waitFor('[data-testid="plan-setup"]');
    // Something for the WebView to keep: a value in its local storage.
    await s.execute(`localStorage.setItem("roadmap-e2e", "kept"); return true`);
  });
  const mine = (dir) => (existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith("app.roadmap-planner")) : []);
  assert.deepEqual([...mine(xdg.XDG_DATA_HOME), ...mine(xdg.XDG_CACHE_HOME)], [], "nothing in the default folders");
  assert.ok(existsSync(path.join(dataDir, "webview", "main")), `the WebView's folder in the data folder: ${readdirSync(dataDir)}`);
});
