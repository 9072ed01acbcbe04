// The plan in a real CalDAV server (Radicale, started here on 127.0.0.1 with a password) from
// the window: connect, see the last sync's result, a session moved on "the phone" comes back
// on "Sync now", disconnect. (The e2e runs have no keyring: the app keeps the password in
// memory for the session and says so.)

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { withApp } from "./webdriver.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.join(here, "artifacts");
const radicaleBin = path.join(here, "../../.tools/caldav/bin/radicale");
const PASSWORD = "e2e secret";

async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

async function startRadicale(dir) {
  writeFileSync(path.join(dir, "users"), `carol:${PASSWORD}\n`);
  const port = await freePort();
  const proc = spawn(radicaleBin, [
    "--server-hosts", `127.0.0.1:${port}`, "--auth-type", "htpasswd",
    "--auth-htpasswd-filename", path.join(dir, "users"), "--auth-htpasswd-encryption", "plain",
    "--storage-filesystem-folder", path.join(dir, "collections"), "--rights-type", "owner_only",
    "--logging-level", "error",
  ], { stdio: "ignore" });
  for (let i = 0; i < 300; i++) {
    const up = await new Promise((r) => {
      const c = net.connect(port, "127.0.0.1", () => { c.end(); r(true); });
      c.on("error", () => r(false));
    });
    if (up) return { proc, url: `http://127.0.0.1:${port}/` };
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error("Radicale did not start");
}

const auth = "Basic " + Buffer.from(`carol:${PASSWORD}`).toString("base64");

test("connect to a CalDAV server, see the sync's result, and a move made there comes back", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "roadmap-e2e-caldav-"));
  const env = { ROADMAP_PLANNER_DATA_DIR: dataDir, ROADMAP_PLANNER_NOW: "2027-01-04T08:00", TZ: "Europe/Berlin" };
  const cli = (args) => execFileSync(process.env.ROADMAP_CLI, args, { env: { ...process.env, ...env }, encoding: "utf8" });
  // A small roadmap: a few dozen objects, so the sync is quick in a debug build.
  writeFileSync(path.join(dataDir, "small.toml"), [
    'title = "Small"', "[[skills]]", 'id = "s"', 'name = "S"',
    "[[steps]]", 'id = "one"', 'title = "One"',
    "[[topics]]", 'id = "a"', 'step = "one"', 'title = "Alpha"', "hours = 6", 'skills = ["s"]',
    "[[topics]]", 'id = "b"', 'step = "one"', 'title = "Beta"', "hours = 6", 'skills = ["s"]', 'requires = ["a"]', "",
  ].join("\n"));
  cli(["plan", "--roadmap", path.join(dataDir, "small.toml"), "--start", "2027-01-04", "--availability", "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-12:00", "--save"]);
  const server = await startRadicale(dataDir);
  try {
    await withApp(env, async (s) => {
      await (await s.waitFor('[data-testid="tab-calendars"]')).click();
      await s.waitFor('[data-testid="caldav-panel"]');
      await (await s.find('[data-testid="caldav-server"]')).setValue(server.url);
      await (await s.find('[data-testid="caldav-user"]')).setValue("carol");
      await (await s.find('[data-testid="caldav-password"]')).setValue(PASSWORD);
      await (await s.find('[data-testid="caldav-connect"]')).click();
      const connected = await s.waitFor('[data-testid="caldav-connected"]', 60_000);
      assert.match(await connected.text(), /Connected to .*127\.0\.0\.1.* as carol: the calendar “Roadmap Planner”/);
      await s.waitForText('[data-testid="caldav-last-sync"]', (t) => /complete — \d+ new, 0 changed, 0 deleted; nothing came back/.test(t), 60_000);
      const note = await (await s.find('[data-testid="caldav-note"]')).text();
      assert.match(note, /could not be kept/, "no keyring in the e2e run: said so");
      await s.screenshot(path.join(artifacts, "98-caldav-connected.png"));

      // On "the phone": a planned study session of next week moved to Thursday 07:30.
      const sessions = JSON.parse(cli(["sessions", "--format", "json"]));
      const session = sessions.find((x) => x.status === "planned" && x.kind === "study" && x.date >= "2027-01-11");
      const calendarUrl = JSON.parse(cli(["caldav", "status", "--format", "json"])).calendar_url;
      const list = await fetch(calendarUrl, { method: "PROPFIND", headers: { Authorization: auth, Depth: "1" } });
      const names = [...(await list.text()).matchAll(/href>([^<]*\.ics)</g)].map((m) => m[1].split("/").pop());
      const name = names.find((n) => n.startsWith(`session-${session.id}.`));
      assert.ok(name, `the session's event is on the server: ${names.length} objects`);
      const got = await fetch(calendarUrl + name, { headers: { Authorization: auth } });
      const etag = got.headers.get("etag");
      const ics = await got.text();
      const start = ics.match(/DTSTART:(\S+)/)[1];
      const end = ics.match(/DTEND:(\S+)/)[1];
      const moved = ics.replace(`DTSTART:${start}`, "DTSTART;TZID=Europe/Berlin:20270114T073000")
        .replace(`DTEND:${end}`, "DTEND;TZID=Europe/Berlin:20270114T083000");
      const put = await fetch(calendarUrl + name, { method: "PUT", headers: { Authorization: auth, "If-Match": etag, "Content-Type": "text/calendar" }, body: moved });
      assert.ok(put.ok, `PUT ${put.status}`);

      await (await s.find('[data-testid="caldav-sync"]')).click();
      await s.waitForText('[data-testid="caldav-last-sync"]', (t) => t.includes("1 session moved"), 60_000);
      const after = JSON.parse(cli(["sessions", "--format", "json"])).find((x) => x.id === session.id);
      assert.equal(after.date, "2027-01-14");
      assert.equal(after.start, "07:30");
      assert.equal(after.pinned, true);
      await s.screenshot(path.join(artifacts, "98-caldav-synced.png"));

      // Another calendar on the same server blocks study time: the night shift on Tuesdays.
      const work = `${server.url}carol/work/`;
      const mk = await fetch(work, { method: "MKCALENDAR", headers: { Authorization: auth, "Content-Type": "application/xml" },
        body: '<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>Work shifts</D:displayname></D:prop></D:set></C:mkcalendar>' });
      assert.ok(mk.ok, `MKCALENDAR ${mk.status}`);
      const shift = await fetch(`${work}shift.ics`, { method: "PUT", headers: { Authorization: auth, "Content-Type": "text/calendar" },
        body: ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//phone//EN", "BEGIN:VEVENT", "UID:shift@phone", "DTSTAMP:20261201T000000Z",
          "DTSTART;TZID=Europe/Berlin:20270105T180000", "DTEND;TZID=Europe/Berlin:20270105T230000", "RRULE:FREQ=WEEKLY",
          "SUMMARY:Night shift", "END:VEVENT", "END:VCALENDAR", ""].join("\r\n") });
      assert.ok(shift.ok, `PUT ${shift.status}`);
      await (await s.find('[data-testid="busy-from-server"]')).click();
      const offered = await s.waitFor('[data-testid="busy-server-calendars"]');
      assert.match(await offered.text(), /Work shifts/);
      assert.doesNotMatch(await offered.text(), /Roadmap Planner/);
      await (await s.find('[data-testid="busy-server-add"]')).click();
      await s.waitForText('[data-testid="busy-note"]', (t) => t.startsWith("Added work: 1 event,"));
      await s.waitFor('[data-testid="busy-calendar"][data-name="work"]');

      // Disconnect asks first; "remove" takes the plan's events and tasks off the calendar
      // (the one moved on the phone too), and the form to connect again keeps the address.
      await (await s.find('[data-testid="caldav-disconnect"]')).click();
      const question = await s.waitFor('[data-testid="caldav-disconnect-confirm"]');
      assert.match(await question.text(), /The plan's \d+ events and tasks are in "Roadmap Planner"/);
      await s.screenshot(path.join(artifacts, "98-caldav-disconnect.png"));
      await (await s.find('[data-testid="caldav-disconnect-remove"]')).click();
      await s.waitForText('[data-testid="caldav-note"]', (t) => /^Removed the plan's \d+ events and tasks from "Roadmap Planner" and disconnected from 127\.0\.0\.1/.test(t), 60_000);
      const left = await fetch(calendarUrl, { method: "PROPFIND", headers: { Authorization: auth, Depth: "1" } });
      assert.deepEqual([...(await left.text()).matchAll(/href>([^<]*\.ics)</g)].map((m) => m[1]), [], "nothing of the plan is left");
      await s.waitFor('[data-testid="caldav-server"]');
      assert.equal(await s.execute(`return document.querySelector('[data-testid="caldav-server"]').value`), server.url);
    });
  } finally {
    server.proc.kill();
  }
});
