// The tray and start-up, opt-in, on a private session bus. Without a tray host the app cannot
// stay in the tray: the Reminders card says closing quits and why. With one (the test server
// as org.kde.StatusNotifierWatcher), choosing it makes the icon register, and the sentence
// goes, and closing the window hides it; a second launch on the same data folder brings it
// back. "Start at login" writes the platform's entry (an XDG autostart file) and removes it.

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { withApp } from "./webdriver.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const artifacts = path.join(root, "ui/e2e/artifacts");
const python = process.env.ICS_CHECK_PYTHON ?? path.join(root, ".tools/venv/bin/python");
const click = async (s, css) => (await s.waitFor(css)).click();

async function start(command, args, env, firstLine) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "inherit"] });
  const lines = [];
  const waiters = [];
  readline.createInterface({ input: child.stdout }).on("line", (l) => {
    lines.push(l);
    for (const w of waiters.splice(0)) w();
  });
  const waitFor = (pick, ms, what) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms: ${lines.join("\n")}`)), ms);
      const check = () => {
        const found = lines.find(pick);
        if (found) {
          clearTimeout(t);
          resolve(found);
        } else waiters.push(check);
      };
      check();
    });
  await waitFor(firstLine, 15_000, `${command} to start`);
  return { lines, waitFor, stop: () => child.kill() };
}

test("tray and start at login: opt-in, and said when closing quits", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-tray-"));
  // The autostart plugin writes under $HOME/.config (it does not read XDG_CONFIG_HOME).
  const home = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-home-"));
  const base = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_TODAY: "2027-01-04" };
  const cli = (args) => execFileSync(process.env.ROADMAP_CLI, args, { env: { ...process.env, ...base }, encoding: "utf8" });
  cli(["plan", "--start", "2027-01-04", "--months", "12", "--availability", "mon=19:00-21:00,wed=19:00-21:00", "--save"]);
  cli(["reminders", "15"]);

  const bus = await start("dbus-daemon", ["--session", "--nofork", "--print-address=1"], {}, (l) => l.startsWith("unix:"));
  const address = bus.lines[0].trim();
  const env = { ...base, DBUS_SESSION_BUS_ADDRESS: address, HOME: home };
  const entry = path.join(home, ".config", "autostart", "Roadmap Planner.desktop");
  let server = await start(python, [path.join(root, "scripts/notify-server.py")], { DBUS_SESSION_BUS_ADDRESS: address }, (l) => l.includes('"ready"'));
  try {
    await withApp(env, async (s) => {
      await click(s, '[data-testid="tab-plan"]');
      await s.waitFor('[data-testid="no-tray-host"]');
      assert.ok(await s.waitForAttribute('[data-testid="keep-in-tray"]', "disabled", (v) => v !== null));
      assert.match(await (await s.waitFor('[data-testid="closing-quits"]')).text(), /quits the app/);

      await click(s, '[data-testid="start-at-login"]');
      await s.waitForAttribute('[data-testid="start-at-login"]', "checked", (v) => v !== null && v !== "false");
      const desktop = readFileSync(entry, "utf8");
      assert.match(desktop, /^Exec=.*roadmap-planner.* --at-login$/m);
      await click(s, '[data-testid="start-at-login"]');
      await s.waitForAttribute('[data-testid="start-at-login"]', "checked", (v) => v === null || v === "false");
      assert.equal(existsSync(entry), false, "the autostart entry is removed");
      // Without the tray, closing the window quits the app.
      execFileSync(python, [path.join(root, "scripts/close-window.py"), "Roadmap Planner"]);
      const deadline = Date.now() + 10_000;
      let alive = true;
      while (alive && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 300));
        alive = await s.cmd("GET", "/title").then(() => true, () => false);
      }
      assert.equal(alive, false, "closing quits");
    });

    server.stop();
    server = await start(python, [path.join(root, "scripts/notify-server.py"), "--watcher"], { DBUS_SESSION_BUS_ADDRESS: address }, (l) => l.includes('"ready"'));
    await withApp(env, async (s) => {
      await click(s, '[data-testid="tab-plan"]');
      await s.waitForAttribute('[data-testid="keep-in-tray"]', "disabled", (v) => v === null);
      assert.equal(await s.exists('[data-testid="no-tray-host"]'), false);
      await click(s, '[data-testid="keep-in-tray"]');
      await server.waitFor((l) => l.includes("RegisterStatusNotifierItem"), 20_000, "the tray icon registering");
      const deadline = Date.now() + 10_000;
      while ((await s.exists('[data-testid="closing-quits"]')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      assert.equal(await s.exists('[data-testid="closing-quits"]'), false, "closing keeps the app in the tray: nothing to warn about");
      await s.screenshot(path.join(artifacts, "61-tray-settings.png"));
      // Closing the window (as a window manager does) now hides it: the app, its reminders
      // and this session live on.
      execFileSync(python, [path.join(root, "scripts/close-window.py"), "Roadmap Planner"]);
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(await s.cmd("GET", "/title"), "Roadmap Planner", "the app still runs");
      assert.equal(await s.execute("return document.visibilityState"), "hidden");
      // A second launch on the same data folder brings this window back and ends at once.
      const second = spawn(process.env.ROADMAP_APP, [], { env: { ...process.env, ...env }, stdio: "ignore" });
      const code = await new Promise((resolve) => {
        const t = setTimeout(() => resolve("still running"), 20_000);
        second.once("exit", (c) => {
          clearTimeout(t);
          resolve(c);
        });
      });
      if (code === "still running") second.kill();
      assert.equal(code, 0, "the second launch ends");
      const shown = Date.now() + 10_000;
      while ((await s.execute("return document.visibilityState")) !== "visible" && Date.now() < shown) {
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(await s.execute("return document.visibilityState"), "visible", "the first window is shown again");
    });
  } finally {
    server.stop();
    bus.stop();
  }
});
