// Out-of-range and malformed input sent straight to the real app's commands, past the UI's own
// checks (as a compromised or buggy page could): every call is refused with a typed error
// ({ kind, message }) naming the problem, the app keeps answering, and the database is
// byte-for-byte what it was.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { dump } from "./db.mjs";
import { withApp } from "./webdriver.mjs";

const settings = {
  start: "2027-01-04", months: 12, availability: "mon=19:00-21:00,sat=09:00-13:00",
  blackouts: [], session_min: 30, session_max: 120, include_optional: true,
};

// [command, args, what the message must mention]
const CASES = [
  ["log_study", { topic: "no-such-topic", minutes: 30, date: null }, /no-such-topic/],
  ["log_study", { topic: "TOPIC", minutes: 0, date: null }, /minutes/],
  ["log_study", { topic: "TOPIC", minutes: 1441, date: null }, /minutes/],
  ["log_study", { topic: "TOPIC", minutes: -5, date: null }, /minutes/],
  ["log_study", { topic: "TOPIC", minutes: 1.5, date: null }, /minutes/],
  ["log_study", { topic: "TOPIC", minutes: 30, date: "2027-13-40" }, /date/],
  ["log_study", { topic: "TOPIC", minutes: 30, date: "2031-01-01" }, /future|today/],
  ["log_study", { topic: "TOPIC", date: null }, /minutes/],
  ["mark_session", { id: 999999, mark: { mark: "done" } }, /999999/],
  ["mark_session", { id: -1, mark: { mark: "done" } }, /-1/],
  ["mark_session", { id: "SESSION", mark: { mark: "partial", minutes: 0 } }, /minutes/],
  ["mark_session", { id: "SESSION", mark: { mark: "partial", minutes: 100000 } }, /minutes/],
  ["mark_session", { id: "SESSION", mark: { mark: "finished" } }, /mark/],
  ["mark_session", { id: 1e30, mark: { mark: "done" } }, /id/],
  ["move_session", { id: "SESSION", date: "yesterday", start: "10:00" }, /date/],
  ["move_session", { id: "SESSION", date: "2027-01-21", start: "25:00" }, /25:00/],
  ["move_session", { id: "SESSION", date: "2027-01-01", start: "10:00" }, /past/],
  ["edit_week_goal", { topics: ["no-such-topic"], targetMinutes: 60 }, /no-such-topic/],
  ["edit_week_goal", { topics: [], targetMinutes: 100000 }, /hours|minutes/],
  ["close_week", { review: { outcome: "maybe", note: "" } }, /outcome|review/],
  ["close_week", { review: { outcome: "done", note: "x".repeat(5000) } }, /note/],
  ["set_topic_mark", { topic: "no-such-topic", mark: "done" }, /no-such-topic/],
  ["set_topic_mark", { topic: "TOPIC", mark: "half" }, /mark/],
  ["preview_replan", { policy: { policy: "compress", cap_hours_per_week: -5 } }, /cap|hours/],
  ["preview_replan", { policy: { policy: "compress", cap_hours_per_week: 1000 } }, /cap|hours/],
  ["apply_replan", { policy: { policy: "sideways" } }, /policy/],
  ["preview_track_switch", { option: "rust" }, /rust/],
  ["switch_track", { option: 7 }, /option/],
  ["edit_topic", { edit: { edit: "remove", id: "no-such-topic" } }, /no-such-topic/],
  ["edit_topic", { edit: { edit: "add", topic: { id: "own-x", step: "nowhere", title: "X", skills: ["apis"], hours: { low: 1, expected: 2, high: 3 } } } }, /nowhere/],
  ["edit_topic", { edit: { edit: "explode" } }, /edit/],
  ["undo_topic_edit", { index: 99 }, /change/],
  ["undo_topic_edit", { index: -1 }, /index/],
  ["set_week_times", { day: "2027-02-30", windows: null }, /day|date/],
  ["set_week_times", { day: "2027-03-01", windows: "funday=19:00-21:00" }, /funday/],
  ["set_week_times", { day: "2027-03-01", windows: 5 }, /windows/],
  ["get_topic", { topic: "no-such-topic" }, /no-such-topic/],
  ["save_topic_note", { topic: "no-such-topic", note: "hi" }, /no-such-topic/],
  ["save_topic_note", { topic: "TOPIC", note: "x".repeat(200_000) }, /note/],
  ["open_resource", { topic: "TOPIC", index: 999 }, /999|resource/],
  ["open_resource", { topic: "TOPIC", index: -1 }, /index/],
  ["create_plan", { settings: { ...settings, months: 30 } }, /months|6|24/],
  ["create_plan", { settings: { ...settings, start: "2027-02-30" } }, /start|date/],
  ["create_plan", { settings: { ...settings, session_min: 200, session_max: 30 } }, /session/],
  ["create_plan", { settings: { ...settings, availability: "funday=19:00-21:00" } }, /funday/],
  ["preview_plan", { settings: { ...settings, blackouts: ["2027-05-10..2027-05-01"] } }, /2027-05-10/],
  ["export_calendar", { request: { name: 5 } }, /request|name/],
  ["set_reminders", { minutes: 100000 }, /reminder/],
  ["set_reminders", { minutes: -10 }, /minutes/],
  ["timer_start", { session: 99999999, topic: null }, /99999999/],
  ["timer_start", { session: null, topic: "no-such-topic" }, /no-such-topic/],
  ["timer_stop", { away: "maybe", discard: false }, /away/],
  ["timer_pause", {}, /no timer/],
  ["set_keep_in_tray", { keep: "yes" }, /keep/],
  ["set_start_at_login", { on: 1 }, /on/],
  ["restore_backup", { name: "../../roadmap-planner.sqlite3" }, /no backup/],
  ["start_afresh", {}, /opens as it is/],
  ["edit_log", { id: 99999999, topic: "TOPIC", minutes: 30, date: "2027-01-19" }, /99999999/],
  ["edit_log", { id: 1, topic: "TOPIC", minutes: "lots", date: "2027-01-19" }, /minutes/],
  ["edit_log", { id: 1, topic: "TOPIC", minutes: 30, date: "2027-02-30" }, /date/],
  ["delete_log", { id: -4 }, /-4/],
  ["delete_log", { id: "one" }, /id/],
];

test("out-of-range input to every command: a typed error, nothing changed", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-ipc-"));
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_TODAY: "2027-01-20" };
  execFileSync(process.env.ROADMAP_CLI, [
    "plan", "--start", "2027-01-04", "--months", "12",
    "--availability", "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-15:00", "--save",
  ], { env: { ...process.env, ...env } });
  const session = dump(dataDir).sessions.find((row) => row.includes("2027-01-23"))[0];
  const topic = JSON.parse(
    execFileSync(process.env.ROADMAP_CLI, ["status", "--format", "json"], { env: { ...process.env, ...env }, encoding: "utf8" }),
  ).plan.topics[0].id;

  let before;
  const outcomes = await withApp(env, async (s) => {
    await s.waitFor('[data-testid="this-week"]');
    // Taken once the window shows the week (seeing a week for the first time fixes its goal).
    before = dump(dataDir);
    const fill = (v) => (v === "TOPIC" ? topic : v === "SESSION" ? session : v);
    const cases = CASES.map(([cmd, args, mention]) => [
      cmd,
      Object.fromEntries(Object.entries(args).map(([k, v]) => [k, fill(v)])),
      mention.source,
    ]);
    return s.executeAsync(
      `const [cases, done] = arguments;
       (async () => {
         const out = [];
         for (const [cmd, args] of cases) {
           try {
             await window.__TAURI_INTERNALS__.invoke(cmd, args);
             out.push({ cmd, accepted: true });
           } catch (e) {
             out.push({ cmd, error: e });
           }
         }
         // Still answering after all that.
         out.push({ alive: (await window.__TAURI_INTERNALS__.invoke("get_home", {})) !== null });
         return out;
       })().then(done, (e) => done([{ failed: String(e) }]));`,
      [cases],
    ).then((out) => ({ out, cases }));
  });

  const { out, cases } = outcomes;
  assert.deepEqual(out.at(-1), { alive: true }, JSON.stringify(out.at(-1)));
  const problems = [];
  cases.forEach(([cmd, args, mention], i) => {
    const o = out[i];
    const label = `${cmd}(${JSON.stringify(args).slice(0, 80)})`;
    if (o.accepted) return problems.push(`${label}: accepted`);
    const e = o.error;
    if (typeof e !== "object" || e === null || typeof e.kind !== "string" || typeof e.message !== "string") {
      return problems.push(`${label}: untyped error ${JSON.stringify(e)}`);
    }
    if (!["invalid_input", "not_found"].includes(e.kind)) problems.push(`${label}: kind ${e.kind}: ${e.message}`);
    if (!new RegExp(mention).test(e.message)) problems.push(`${label}: message does not mention ${mention}: ${e.message}`);
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(dump(dataDir), before, "the database is unchanged");
});
