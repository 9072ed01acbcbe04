// From the user's action to the updated view, in the real window: create a plan, check a
// session off and undo it, move a session, preview a replan and accept it. Each action is
// clicked by a script inside the page and timed there, from the click to the first frame after
// the view shows its result (a MutationObserver, then requestAnimationFrame), so WebDriver's
// own round trips are not counted. Run on the bundled roadmap and on a 1,000-topic one, with
// the app built as released plus a clock the script can set (`make bench-window` builds it
// with `--profile bench-app --features test-clock`); ROADMAP_APP may name any other build.
//
// Usage (make bench-window): node bench/window-latency.mjs [RUNS]
// Needs ROADMAP_APP, ROADMAP_CLI and TAURI_DRIVER like the end-to-end tests, under Xvfb.

import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { withApp } from "../ui/e2e/webdriver.mjs";

const RUNS = Number(process.argv[2] ?? 20);
const NOW = "2027-01-20T12:00"; // a Wednesday noon: this week has sessions before and after
const AVAILABILITY = "mon=19:00-21:00,tue=19:00-21:00,wed=19:00-21:00,thu=19:00-21:00,fri=19:00-21:00,sat=09:00-15:00,sun=09:00-13:00";

/** Clicks `click` inside the page and resolves with the milliseconds until `until` matches
 * (and, when given, its text includes `text`) and a frame has been drawn. */
const MEASURE = `
  const [click, until, text, done] = arguments;
  const ok = () => {
    const el = document.querySelector(until);
    return el && (!text || el.textContent.includes(text));
  };
  const target = document.querySelector(click);
  if (!target) return done({ error: "nothing matches " + click });
  const t0 = performance.now();
  const finish = () => requestAnimationFrame(() => done({ ms: performance.now() - t0 }));
  const observer = new MutationObserver(() => {
    if (ok()) { observer.disconnect(); clearTimeout(timer); finish(); }
  });
  const timer = setTimeout(() => { observer.disconnect(); done({ error: "timed out waiting for " + until }); }, 20000);
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  target.click();`;

async function time(s, click, until, text = "") {
  const r = await s.executeAsync(MEASURE, [click, until, text], 30_000);
  if (r.error) {
    const shown = await s.execute(`return [...document.querySelectorAll('[role="alert"], [data-testid="week-status"]')].map((e) => e.textContent)`);
    throw new Error(`${r.error}; the window shows: ${JSON.stringify(shown)}`);
  }
  return r.ms;
}

function stats(samples) {
  const xs = [...samples].sort((a, b) => a - b);
  const at = (q) => xs[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)];
  return { n: xs.length, p50: at(0.5), p95: at(0.95), max: xs[xs.length - 1] };
}

async function scenario(label, roadmapFile) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-bench-window-"));
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_NOW: NOW, TZ: "Europe/Berlin" };
  const cli = (args, now = NOW) =>
    execFileSync(process.env.ROADMAP_CLI, args, { env: { ...process.env, ...env, ROADMAP_PLANNER_NOW: now }, encoding: "utf8" });
  const roadmapArgs = roadmapFile ? ["--roadmap", roadmapFile] : [];
  // Made on its first morning, so this week has sessions to check off.
  cli(["plan", ...roadmapArgs, "--start", "2027-01-04", "--availability", AVAILABILITY, "--save"], "2027-01-04T08:00");
  const sessions = JSON.parse(cli(["sessions", "--from", "2027-01-18", "--to", "2027-01-24", "--format", "json"]));
  const past = sessions.find((s) => s.date === "2027-01-19" && s.status === "planned" && s.kind === "study");
  const results = {};
  await withApp(env, async (s) => {
    await s.waitFor('[data-testid="this-week"]');
    const row = `[data-testid="session"][data-session-id="${past.id}"]`;

    const mark = [];
    const undo = [];
    for (let i = 0; i < RUNS; i++) {
      mark.push(await time(s, `${row} [data-testid="mark-done"]`, `${row}[data-status="done"]`));
      undo.push(await time(s, `${row} [data-testid="mark-undo"]`, `${row}[data-status="planned"]`));
    }
    results["mark a session done"] = stats(mark);
    results["undo the mark"] = stats(undo);

    // The same command without the window's update: the IPC round trip and the Rust side
    // alone, to tell them from Svelte's share.
    const roundTrip = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await s.executeAsync(
        `const [id, done] = arguments;
         const t0 = performance.now();
         window.__TAURI_INTERNALS__.invoke("mark_session", { id, mark: { mark: "planned" } })
           .then(() => done({ ms: performance.now() - t0 }), (e) => done({ error: String(e.message ?? e) }));`,
        [past.id],
      );
      if (r.error) throw new Error(r.error);
      roundTrip.push(r.ms);
    }
    results["(mark: round trip only)"] = stats(roundTrip);

    const preview = [];
    for (let i = 0; i < RUNS; i++) {
      await (await s.waitFor('[data-testid="replan-open"]')).click();
      await s.waitFor('[data-testid="replan-preview"]');
      preview.push(await time(s, '[data-testid="replan-preview"]', '[data-testid="replan-result"]'));
      await s.execute(`[...document.querySelectorAll('[data-testid="replan"] button')].find((b) => b.textContent === "Cancel").click()`);
    }
    results["preview a replan"] = stats(preview);

    const accept = [];
    for (let i = 0; i < Math.max(3, Math.round(RUNS / 2)); i++) {
      await (await s.waitFor('[data-testid="replan-open"]')).click();
      await (await s.waitFor('[data-testid="replan-preview"]')).click();
      await s.waitFor('[data-testid="replan-accept"]');
      accept.push(await time(s, '[data-testid="replan-accept"]', '[data-testid="replan-open"]'));
    }
    results["accept a replan"] = stats(accept);

    // Move: this week's sessions still to come, one after another (and again, once each has
    // moved), to free slots: at most 20 moves, one to each slot below.
    const move = [];
    const ahead = JSON.parse(cli(["sessions", "--from", "2027-01-20", "--to", "2027-01-24", "--format", "json"]))
      .filter((x) => x.status === "planned" && (x.date > "2027-01-20" || x.start >= "12:00"));
    for (let i = 0; i < Math.min(RUNS, 20); i++) {
      const r = `[data-testid="session"][data-session-id="${ahead[i % ahead.length].id}"]`;
      await (await s.waitFor(`${r} [data-testid="move"]`)).click();
      // Two hours apart (no session is longer), Thursday then Friday: each slot is free of
      // sessions that stay put, as a move must be.
      await (await s.waitFor(`${r} [data-testid="move-date"]`)).setValue(i < 10 ? "2027-01-21" : "2027-01-22");
      const start = `${String((i % 10) * 2).padStart(2, "0")}:00`;
      await s.execute(
        `const el = document.querySelector(arguments[0]); el.value = arguments[1]; el.dispatchEvent(new Event("input", { bubbles: true }));`,
        [`${r} [data-testid="move-start"]`, start],
      );
      move.push(await time(s, `${r} [data-testid="move-save"]`, '[data-testid="week-status"]', `at ${start};`));
    }
    results["move a session"] = stats(move);

    // Create: from the Plan tab's "Start a new plan…" to the new This week.
    const create = [];
    for (let i = 0; i < Math.max(3, Math.round(RUNS / 4)); i++) {
      await (await s.waitFor('[data-testid="tab-plan"]')).click();
      await (await s.waitFor('[data-testid="new-plan"]')).click();
      await s.waitFor('[data-testid="create-plan"]:not([disabled])');
      await s.waitFor('[data-testid="preview-feasible"]', 30_000).catch(() => {});
      create.push(await time(s, '[data-testid="create-plan"]', '[data-testid="this-week"]'));
    }
    results["create a plan"] = stats(create);
  });
  console.log(`\n${label}:`);
  for (const [action, r] of Object.entries(results)) {
    console.log(`  ${action.padEnd(22)} p50 ${r.p50.toFixed(1).padStart(6)} ms   p95 ${r.p95.toFixed(1).padStart(6)} ms   max ${r.max.toFixed(1).padStart(6)} ms   (${r.n} runs)`);
  }
  return results;
}

const synthetic = path.join(mkdtempSync(path.join(os.tmpdir(), "roadmap-bench-1000-")), "synthetic-1000.toml");
execFileSync("cargo", ["run", "--quiet", "-p", "roadmap-core", "--example", "synthetic", "--", "1000", synthetic, `${synthetic}.tjp`], { stdio: "inherit" });
const all = {
  "bundled roadmap (56 topics)": await scenario("bundled roadmap (56 topics)", null),
  "synthetic roadmap (1,000 topics)": await scenario("synthetic roadmap (1,000 topics)", synthetic),
};
const over = Object.entries(all).flatMap(([label, r]) =>
  Object.entries(r).filter(([, x]) => x.p95 > 100).map(([action, x]) => `${label}: ${action} p95 ${x.p95.toFixed(1)} ms`),
);
console.log(over.length ? `\nover the 100 ms budget:\n  ${over.join("\n  ")}` : "\nevery action within the 100 ms budget at the 95th percentile");
if (process.env.WINDOW_LATENCY_JSON) writeFileSync(process.env.WINDOW_LATENCY_JSON, JSON.stringify(all, null, 2));
