// The sessions a change moves, as a person reads them: by week, and this week and next side by
// side before and after.
import type { SessionChange } from "../bindings/SessionChange";
import type { SessionPlace } from "../bindings/SessionPlace";
import { addDays, mondayOf } from "./dates";

export interface WeekOfChanges {
  /** The Monday of the week. */
  monday: string;
  changes: SessionChange[];
}

/** The week a change belongs to: where the session comes (what the learner will meet there),
 * or where it was when it goes. */
function weekOf(c: SessionChange): string | null {
  const place = c.after ?? c.before;
  return place ? mondayOf(place.date) : null;
}

/** `changes` by week, weeks in order, each week's in order of the time they come (or were). */
export function byWeek(changes: SessionChange[]): WeekOfChanges[] {
  const weeks = new Map<string, SessionChange[]>();
  for (const c of changes) {
    const monday = weekOf(c);
    if (monday === null) continue;
    const list = weeks.get(monday) ?? [];
    list.push(c);
    weeks.set(monday, list);
  }
  const key = (c: SessionChange) => {
    const p = c.after ?? c.before;
    return p ? `${p.date} ${p.start}` : "";
  };
  return [...weeks.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([monday, list]) => ({ monday, changes: [...list].sort((a, b) => key(a).localeCompare(key(b)) || a.id - b.id) }));
}

/** Minutes of the changed sessions that sit in the week of `monday`, before and after the
 * change: what the change takes out of the week and what it brings in. */
export function weekMinutes(changes: SessionChange[], monday: string): { before: number; after: number } {
  const sunday = addDays(monday, 6);
  const inWeek = (p: SessionPlace | null) => p !== null && p.date >= monday && p.date <= sunday;
  let before = 0;
  let after = 0;
  for (const c of changes) {
    if (inWeek(c.before)) before += c.before!.minutes;
    if (inWeek(c.after)) after += c.after!.minutes;
  }
  return { before, after };
}

/** What happened to one session, in words: "moved", "cancelled", "added". */
export function kindOf(c: SessionChange): "moved" | "cancelled" | "added" {
  if (c.before && c.after) return "moved";
  return c.before ? "cancelled" : "added";
}

interface Placed {
  id: number;
  topic: string;
  topic_title?: string;
  date: string;
  start: string;
  minutes: number;
  status: string;
}

/** The sessions whose place differs between two views of the same plan (a cancelled one has no
 * place), leaving out session `except` (the one the learner moved). */
export function placeChanges(before: Placed[], after: Placed[], except: number | null = null): SessionChange[] {
  const place = (s: Placed | undefined): SessionPlace | null =>
    s && s.status !== "cancelled" ? { date: s.date, start: s.start, minutes: s.minutes } : null;
  const was = new Map(before.map((s) => [s.id, s]));
  const now = new Map(after.map((s) => [s.id, s]));
  const out: SessionChange[] = [];
  for (const id of new Set([...was.keys(), ...now.keys()])) {
    if (id === except) continue;
    const b = place(was.get(id));
    const a = place(now.get(id));
    const same = b === a || (b !== null && a !== null && b.date === a.date && b.start === a.start && b.minutes === a.minutes);
    if (!same) out.push({ id, topic: (was.get(id) ?? now.get(id))!.topic, before: b, after: a });
  }
  return out.sort((x, y) => x.id - y.id);
}

/** "and 2 other sessions moved: Databases Tue 19:00 → Thu 19:00; …", or that none did. */
export function othersSentence(changes: SessionChange[], describe: (c: SessionChange) => string): string {
  if (changes.length === 0) return "No other session moved.";
  const listed = changes.slice(0, 4).map(describe).join("; ");
  const more = changes.length > 4 ? `; and ${changes.length - 4} more` : "";
  return `${changes.length === 1 ? "1 other session" : `${changes.length} other sessions`} changed: ${listed}${more}.`;
}
