// Every view as a demanding user sees it: at the smallest window the app allows (1024×700) and
// at a common laptop size (1440×900), in the light and the dark theme. For each it fails on
// horizontal page overflow, on text clipped inside a control or spilling out of its panel, and
// on any serious or critical finding of axe-core run in the real window. The screenshots are
// kept in ui/e2e/artifacts/look-*.png (CI keeps that folder as its artifacts).

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { withApp } from "./webdriver.mjs";

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** The roadmap's topic ids with a hyphen (no English word has one of those): the window must
 * show titles, never these. */
let topicIds = [];
const SIZES = [
  [1024, 700],
  [1440, 900],
];

/** A plan four weeks old with a history: study done, partly done, missed, logged, a topic
 * skipped, a week closed. Wednesday evening, 3 February 2027. */
function planWithHistory() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-look-"));
  const at = (now) => ({ ...process.env, ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_NOW: now, TZ: "Europe/Berlin" });
  const cli = (args, now = "2027-02-03T18:00") =>
    execFileSync(process.env.ROADMAP_CLI, args, { env: at(now), encoding: "utf8" });
  cli(
    ["plan", "--start", "2027-01-04", "--months", "12", "--availability", "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-13:00",
      "--blackout", "2027-03-15..2027-03-21", "--save"],
    "2027-01-04T08:00",
  );
  const sessions = JSON.parse(cli(["sessions", "--to", "2027-02-02", "--format", "json"]));
  sessions.forEach((s, i) => {
    const mark = i % 5 === 3 ? ["missed"] : i % 5 === 1 ? ["partly", String(Math.max(15, s.minutes - 45))] : ["done"];
    cli(["mark", String(s.id), ...mark]);
  });
  // Today's two sessions: one done in advance, one missed, so this week shows every status.
  const today = JSON.parse(cli(["sessions", "--from", "2027-02-03", "--to", "2027-02-03", "--format", "json"]));
  cli(["mark", String(today[0].id), "done"]);
  cli(["mark", String(today[1].id), "missed"]);
  cli(["log", sessions[0].topic, "45", "--date", "2027-01-12"]);
  const topics = JSON.parse(cli(["status", "--format", "json"])).plan.topics;
  cli(["skip", topics.at(-1).id]);
  topicIds = topics.map((t) => t.id).filter((id) => id.includes("-"));
  return { dataDir, env: { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_NOW: "2027-02-03T18:00", TZ: "Europe/Berlin" } };
}

/** What the page shows wrongly right now: overflow, clipped or spilled text. */
const LAYOUT_PROBLEMS = String.raw`
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth) problems.push('page ' + (doc.scrollWidth - doc.clientWidth) + 'px too wide');
  const name = (el) => (el.dataset.testid ? '[' + el.dataset.testid + '] ' : el.tagName.toLowerCase() + ' ')
    + JSON.stringify((el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40));
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  // Text cut inside a control or a label: what it holds is wider than what it shows.
  for (const el of document.querySelectorAll('button, select, label, [role=tab], .badge, .chip, .lane-label, .bar-label, .tick, th, td, code, legend')) {
    if (!visible(el)) continue;
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
      problems.push('clipped: ' + name(el) + ' shows ' + el.clientWidth + ' of ' + el.scrollWidth + 'px');
  }
  // A one-line control or pill broken onto two lines.
  for (const el of document.querySelectorAll('button:not(.step-toggle):not(.bar), .badge, .chip, [role=tab], .tick')) {
    if (!visible(el)) continue;
    const lh = parseFloat(getComputedStyle(el).lineHeight) || 20;
    const pad = parseFloat(getComputedStyle(el).paddingTop) + parseFloat(getComputedStyle(el).paddingBottom);
    if (el.getBoundingClientRect().height - pad > lh * 1.6) problems.push('wraps: ' + name(el));
  }
  // Anything sticking out of its panel or card (scrolling regions may hold wider content).
  for (const box of document.querySelectorAll('.panel, .card')) {
    const b = box.getBoundingClientRect();
    for (const el of box.querySelectorAll('*')) {
      if (!visible(el) || el.closest('.timeline-scroll, .calendar-host, .fc')) continue;
      const r = el.getBoundingClientRect();
      if (r.right > b.right + 1 || r.left < b.left - 1)
        problems.push('spills out of its panel: ' + name(el) + ' by ' + Math.round(Math.max(r.right - b.right, b.left - r.left)) + 'px');
    }
  }
  // A radio or checkbox away from its words, or a number field away from its unit.
  const centre = (r) => r.top + r.height / 2;
  const firstLine = (node) => { const range = document.createRange(); range.selectNodeContents(node); return range.getClientRects()[0]; };
  for (const input of document.querySelectorAll('input')) {
    if (!visible(input)) continue;
    const r = input.getBoundingClientRect();
    let words = null;
    if (input.type === 'radio' || input.type === 'checkbox') {
      const label = input.closest('label') ?? (input.id ? document.querySelector('label[for="' + input.id + '"]') : null);
      if (!label) { problems.push('no label: ' + name(input)); continue; }
      const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) if (walker.currentNode.textContent.trim()) { words = walker.currentNode; break; }
    } else {
      let next = input.nextSibling;
      while (next && next.nodeType === 3 && !next.textContent.trim()) next = next.nextSibling;
      if (next && next.nodeType === 3) words = next;
    }
    if (!words) continue;
    const w = firstLine(words);
    if (w && (Math.abs(centre(w) - centre(r)) > r.height / 2 + 2 || w.left < r.left))
      problems.push('apart from its words: ' + name(input) + ' and ' + JSON.stringify(words.textContent.trim().slice(0, 30)));
  }
  // Text for people: no ISO dates or week numbers, topic ids or programmers' error text.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const ids = arguments[0] || [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent;
    if (!text.trim() || node.parentElement.closest('code, pre, textarea, script, style, title, desc, [hidden]')) continue;
    if (!visible(node.parentElement)) continue;
    const iso = /\b\d{4}-\d{2}-\d{2}\b|\b\d{4}-W\d{2}\b/.exec(text);
    if (iso) problems.push('raw date ' + iso[0] + ' in ' + JSON.stringify(text.trim().slice(0, 60)));
    const raw = /ExitStatus|unix_wait_status|invalid value:|expected u32|Something went wrong|\bNaN\b|undefined|\[object /.exec(text);
    if (raw) problems.push('raw text ' + JSON.stringify(raw[0]) + ' in ' + JSON.stringify(text.trim().slice(0, 60)));
    const words = new Set(text.split(/[^a-z0-9-]+/));
    const id = ids.find((i) => words.has(i));
    if (id) problems.push('topic id ' + id + ' shown in ' + JSON.stringify(text.trim().slice(0, 60)));
  }
  return [...new Set(problems)].slice(0, 30);`;

/** The timeline fits the whole plan in the window, and nothing in a lane overlaps. */
const TIMELINE_PROBLEMS = `
  const out = [];
  const sc = document.querySelector('[data-testid="timeline-scroll"]');
  if (sc.scrollWidth > sc.clientWidth + 1) out.push('the whole plan needs scrolling: ' + sc.scrollWidth + ' > ' + sc.clientWidth + 'px');
  const meet = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  for (const lane of document.querySelectorAll('[data-testid="lane"]')) {
    const items = [...lane.querySelectorAll('.bar-box, .bar-label, .milestone')].map((e) => [e, e.getBoundingClientRect()]);
    for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) {
      const [a, ra] = items[i], [b, rb] = items[j];
      if (a.contains(b) || b.contains(a)) continue;
      if (meet(ra, rb)) out.push('overlap in ' + lane.dataset.stepId + ': ' + JSON.stringify(a.textContent.trim().slice(0, 25) || a.className) + ' and ' + JSON.stringify(b.textContent.trim().slice(0, 25) || b.className));
    }
    for (const label of lane.querySelectorAll('.bar-box .bar-label')) {
      const r = label.getBoundingClientRect(), box = label.parentElement.getBoundingClientRect();
      if (r.right > box.right + 0.5) out.push('label cut by its bar: ' + JSON.stringify(label.textContent.trim().slice(0, 30)));
    }
    const name = lane.querySelector('.lane-label');
    if (name.scrollWidth > name.clientWidth + 1 || name.scrollHeight > name.clientHeight + 1) out.push('lane name cut: ' + name.textContent);
  }
  return out.slice(0, 20);`;

async function axe(s) {
  const loaded = await s.execute("return typeof window.axe");
  if (loaded !== "object") await s.execute(axeSource + "; return true;");
  return s.executeAsync(`const done = arguments[arguments.length - 1];
    axe.run(document, { resultTypes: ['violations'] }).then(
      (r) => done(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '))),
      (e) => done(['axe failed: ' + e]));`);
}

async function check(s, label, failures, size) {
  await sleep(350);
  const layout = await s.execute(LAYOUT_PROBLEMS, [topicIds]);
  const a11y = await axe(s);
  await s.screenshot(path.join(artifacts, `look-${label}.png`), size);
  // A long page is looked at to its end too.
  if (await s.execute("return document.documentElement.scrollHeight > window.innerHeight + 40")) {
    await s.execute("window.scrollTo(0, document.documentElement.scrollHeight)");
    await sleep(150);
    await s.screenshot(path.join(artifacts, `look-${label}-end.png`), size);
    await s.execute("window.scrollTo(0, 0)");
  }
  for (const p of [...layout, ...a11y]) failures.push(`${label}: ${p}`);
}

const click = async (s, css) => (await s.waitFor(css)).click();

async function tour(s, theme, failures) {
  for (const [w, h] of SIZES) {
    await s.resize(w, h);
    await sleep(400);
    const inner = await s.execute("return [window.innerWidth, window.innerHeight]");
    assert.ok(Math.abs(inner[0] - w) <= 16, `the window is ${inner[0]} px wide, asked for ${w}`);
    const at = `${theme}-${w}`;
    await click(s, '[data-testid="tab-week"]');
    await s.waitFor('[data-testid="this-week"]');
    await check(s, `${at}-week`, failures, [w, h]);
    // Each session status has a look of its own; a row's buttons stay on one line; the page
    // sits in the middle of a wide window.
    const week = await s.execute(`const looks = {};
      for (const b of document.querySelectorAll('[data-testid="session-status"]')) {
        const c = getComputedStyle(b);
        // A past session never ticked ("not checked off") looks unlike one still to come.
        looks[b.closest('[data-status]').dataset.status + (b.classList.contains('unticked') ? '-unticked' : '')] = [c.backgroundColor, c.borderStyle, c.color].join(' ');
      }
      const rows = [...document.querySelectorAll('.session-actions')].map((a) => {
        const buttons = [...a.querySelectorAll('button')].map((b) => b.getBoundingClientRect().top);
        return new Set(buttons.map(Math.round)).size;
      });
      const main = document.querySelector('main').getBoundingClientRect();
      return { looks, lines: Math.max(0, ...rows), left: main.left, right: window.innerWidth - main.right };`);
    const looks = Object.values(week.looks);
    if (looks.length < 4 || new Set(looks).size !== looks.length) failures.push(`${at}-week: statuses look alike: ${JSON.stringify(week.looks)}`);
    if (week.lines > 1) failures.push(`${at}-week: a session's buttons take ${week.lines} lines`);
    if (Math.abs(week.left - week.right) > 24) failures.push(`${at}-week: content not centred (${week.left} px left, ${week.right} px right)`);
    await click(s, '[data-testid="replan-open"]');
    await click(s, '[data-testid="policy-drop"]');
    await click(s, '[data-testid="replan-preview"]');
    await s.waitFor('[data-testid="replan-result"]');
    await check(s, `${at}-replan`, failures, [w, h]);
    await click(s, '[data-testid="goal-edit"]');
    await check(s, `${at}-goal-edit`, failures, [w, h]);

    await click(s, '[data-testid="tab-timeline"]');
    await s.waitFor('[data-testid="bar"]');
    await check(s, `${at}-timeline`, failures, [w, h]);
    for (const p of await s.execute(TIMELINE_PROBLEMS)) failures.push(`${at}-timeline: ${p}`);
    await click(s, '[data-testid="bar"]');
    await s.waitFor('[data-testid="topic-panel"] [data-testid="resources"]');
    await check(s, `${at}-timeline-topic`, failures, [w, h]);
    await click(s, '[data-testid="topic-close"]');

    await click(s, '[data-testid="tab-calendar"]');
    await s.waitFor('[data-testid="calendar-event"]');
    await check(s, `${at}-calendar`, failures, [w, h]);
    // The week view shows the evening sessions without a scroll of its own.
    const cal = await s.execute(`const host = document.querySelector('.calendar-host');
      const scrollers = [...host.querySelectorAll('*')].filter((e) => /auto|scroll/.test(getComputedStyle(e).overflowY) && e.scrollHeight > e.clientHeight + 1);
      return { evening: !!host.querySelector('[data-time="20:00:00"]'), scrollers: scrollers.length };`);
    if (!cal.evening || cal.scrollers > 0) failures.push(`${at}-calendar: evening shown ${cal.evening}, inner scrolling regions ${cal.scrollers}`);
    // The hour column writes times as the events do ("7:00 PM" beside "7:00 PM", not "07:00PM").
    const clocks = await s.execute(`const shape = (t) => t.trim().replace(/\\d+/g, "9").replace(/[AaPp]\\.?[Mm]\\.?/g, "XM");
      const axis = [...document.querySelectorAll('.calendar-host [data-time]')].map((e) => e.innerText.trim()).filter((t) => /\\d/.test(t));
      const events = [...document.querySelectorAll('.calendar-host .event-time')].map((e) => e.textContent.split("–")[0].trim());
      return { axis: [...new Set(axis.map(shape))], events: [...new Set(events.map(shape))], sample: axis.slice(0, 2) };`);
    if (clocks.axis.length !== 1 || clocks.events.length !== 1 || clocks.axis[0] !== clocks.events[0]) {
      failures.push(`${at}-calendar: the hour column reads ${JSON.stringify(clocks.sample)} (${clocks.axis}), events ${clocks.events}`);
    }

    await click(s, '[data-testid="tab-calendars"]');
    await s.waitFor('[data-testid="caldav-panel"] form');
    await check(s, `${at}-calendars`, failures, [w, h]);

    await click(s, '[data-testid="tab-progress"]');
    await s.waitFor('[data-testid="heatmap"]');
    await check(s, `${at}-progress`, failures, [w, h]);
    // The heatmap at its natural size: a small square a day, labels of the text's size.
    const [heatHeight, cell, label] = await s.execute(`const r = (q) => document.querySelector(q).getBoundingClientRect();
      return [r('[data-testid="heatmap"]').height, r('[data-testid="heatmap"] rect').width, r('[data-testid="heatmap"] text').height];`);
    if (heatHeight > 140 || cell > 14 || label > 16) failures.push(`${at}-progress: heatmap ${heatHeight}px tall, a day ${cell}px, a label ${label}px`);

    await click(s, '[data-testid="tab-plan"]');
    await click(s, '[data-testid="step-toggle"]');
    await s.waitFor('[data-testid="topic"]');
    await check(s, `${at}-plan`, failures, [w, h]);
    await click(s, '[data-testid="new-plan"]');
    await s.waitFor('[data-testid="preview-feasible"]');
    await check(s, `${at}-setup`, failures, [w, h]);
    await s.execute(`[...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Cancel').click()`);

    await click(s, '[data-testid="tab-roadmap"]');
    await click(s, '[data-testid="roadmap-step-toggle"]');
    await s.waitFor('[data-testid="roadmap-step-topics"] li');
    await check(s, `${at}-roadmap`, failures, [w, h]);
  }
}

for (const [theme, lang] of [["light", "en_GB"], ["dark", "en_US"]]) {
  test(`every view at 1024×700 and 1440×900, ${theme}, ${lang}: no overflow, nothing clipped, no serious axe finding`, async () => {
    const { env } = planWithHistory();
    const failures = [];
    const system = { GTK_THEME: theme === "dark" ? "Adwaita:dark" : "Adwaita", LANG: `${lang}.UTF-8` };
    await withApp({ ...env, ...system }, async (s) => {
      await s.waitFor('[data-testid="this-week"]');
      const [dark, language] = await s.execute("return [matchMedia('(prefers-color-scheme: dark)').matches, navigator.language]");
      assert.equal(dark, theme === "dark", "the window follows the system theme");
      assert.equal(language, lang.replace("_", "-"), "and the system's language");
      await tour(s, theme, failures);
    });
    assert.deepEqual(failures, []);
  });
}
