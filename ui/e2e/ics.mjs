// Checks an exported iCalendar file the way calendar apps will read it: our own structural
// lint (`roadmap check-ics`), three Python parsers (scripts/ics-check/check.py, with the
// packages make test installs into .tools/venv) and ical.js, Mozilla's parser that Thunderbird
// uses. Every parser must accept the file, and all must agree on every event.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ICAL from "ical.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** What ical.js finds in `text`, in the shape check.py prints. */
export function withIcalJs(text) {
  const cal = new ICAL.Component(ICAL.parse(text));
  const items = cal.getAllSubcomponents("vevent").map((v) => {
    const start = v.getFirstPropertyValue("dtstart");
    const iso = start.isDate
      ? start.toString()
      : start.toJSDate().toISOString().replace(/\.\d{3}Z$/, "Z");
    return {
      uid: v.getFirstPropertyValue("uid"),
      start: iso,
      sequence: Number(v.getFirstPropertyValue("sequence") ?? 0),
      status: v.getFirstPropertyValue("status") ?? "",
      summary: v.getFirstPropertyValue("summary") ?? "",
      alarms: v
        .getAllSubcomponents("valarm")
        .map((a) => a.getFirstPropertyValue("trigger").toSeconds() / 60)
        .sort((x, y) => x - y),
    };
  });
  items.sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
  return { events: items.length, items };
}

/** Lints and parses `file` every way; returns the agreed list of events. */
export function checkIcs(file) {
  execFileSync(process.env.ROADMAP_CLI, ["check-ics", file], { encoding: "utf8" });
  const python = process.env.ICS_CHECK_PYTHON ?? path.join(root, ".tools/venv/bin/python");
  const parsed = JSON.parse(
    execFileSync(python, [path.join(root, "scripts/ics-check/check.py"), file], { encoding: "utf8" }),
  );
  parsed.icaljs = withIcalJs(readFileSync(file, "utf8"));
  const reference = parsed.icalendar;
  for (const [name, got] of Object.entries(parsed)) {
    assert.equal(got.events, reference.events, `${name} counts ${got.events} events, icalendar ${reference.events}`);
    assert.deepEqual(got.items, reference.items, `${name} disagrees with icalendar`);
  }
  return reference;
}
