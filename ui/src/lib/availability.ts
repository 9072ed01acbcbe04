// The weekly availability as the week grid edits it: for each weekday (0 = Monday) the quarter
// hours free for study. The text form ("mon=19:00-21:00,sat=09:00-13:00") is what the core,
// the CLI and power users read and write; these helpers go between the two without loss.

import { clockTime } from "./dates";

export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export const QUARTERS = 96;

/** 7 × 96 flags: `week[day][q]` is true when the quarter hour q of that day is free. */
export type Week = boolean[][];

export function emptyWeek(): Week {
  return DAYS.map(() => new Array<boolean>(QUARTERS).fill(false));
}

const TIME = /^(\d{1,2}):(\d{2})$/;
function quarter(text: string): number | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (h > 24 || min > 59 || (h === 24 && min !== 0) || min % 15 !== 0) return null;
  return (h * 60 + min) / 15;
}

/** Reads the text form; `null` when it does not read (the core says why in the preview). */
export function parseWeek(text: string): Week | null {
  const week = emptyWeek();
  const parts = text.split(",").map((p) => p.trim()).filter((p) => p !== "");
  for (const part of parts) {
    const [day, range] = part.split("=");
    const d = DAYS.indexOf((day ?? "").trim().toLowerCase().slice(0, 3) as (typeof DAYS)[number]);
    const [from, to] = (range ?? "").split("-");
    const a = quarter(from ?? "");
    const b = quarter(to ?? "");
    if (d < 0 || a === null || b === null || b <= a) return null;
    for (let q = a; q < b; q++) week[d]![q] = true;
  }
  return week;
}

const hhmm = (q: number) => `${String(Math.floor(q / 4)).padStart(2, "0")}:${String((q % 4) * 15).padStart(2, "0")}`;

/** Each day's runs of free quarter hours, as [start, end) quarter indices. */
export function runs(week: Week): { day: number; from: number; to: number }[] {
  const out: { day: number; from: number; to: number }[] = [];
  week.forEach((quarters, day) => {
    let from = -1;
    for (let q = 0; q <= QUARTERS; q++) {
      const on = q < QUARTERS && quarters[q];
      if (on && from < 0) from = q;
      if (!on && from >= 0) {
        out.push({ day, from, to: q });
        from = -1;
      }
    }
  });
  return out;
}

/** The text form, in the core's own order and spelling. */
export function formatWeek(week: Week): string {
  return runs(week)
    .map((r) => `${DAYS[r.day]}=${hhmm(r.from)}-${hhmm(r.to)}`)
    .join(",");
}

/** Hours a week. */
export function weekHours(week: Week): number {
  return week.reduce((sum, day) => sum + day.filter(Boolean).length, 0) / 4;
}

/** "Mon 19:00–21:00; Sat 09:00–13:00", in the locale's words, for reading. */
export function describeWeek(week: Week, dayName: (day: number) => string, locale?: string): string {
  return runs(week)
    .map((r) => `${dayName(r.day)} ${clockTime(hhmm(r.from), locale)}–${clockTime(hhmm(r.to), locale)}`)
    .join("; ");
}

/** Sets every quarter hour of the rectangle between two cells (days × half hours) to `on`. */
export function paint(base: Week, a: { day: number; slot: number }, b: { day: number; slot: number }, on: boolean): Week {
  const week = base.map((d) => [...d]);
  const [d0, d1] = [Math.min(a.day, b.day), Math.max(a.day, b.day)];
  const [s0, s1] = [Math.min(a.slot, b.slot), Math.max(a.slot, b.slot)];
  for (let d = d0; d <= d1; d++) for (let s = s0; s <= s1; s++) {
    week[d]![2 * s] = on;
    week[d]![2 * s + 1] = on;
  }
  return week;
}

export type Cell = { day: number; slot: number };
/** What the keyboard is carrying: the change Space made or the first Shift+arrow chose. */
export type Anchor = { on: boolean } | null;
const ARROWS: Record<string, [number, number]> = {
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
};

/**
 * One key on the week grid (half-hour slots from `firstSlot`): Space or Enter switches the
 * focused half hour, an arrow moves, Shift with an arrow carries the last change along. A
 * Space then Shift+↓ extends the block Space just made, as in a spreadsheet. `null` when the
 * key is not the grid's.
 */
export function gridKey(
  week: Week,
  at: Cell,
  anchor: Anchor,
  key: string,
  shift: boolean,
  firstSlot: number,
): { week: Week; focus: Cell; anchor: Anchor } | null {
  const isFree = (c: Cell) => week[c.day]![2 * c.slot]! && week[c.day]![2 * c.slot + 1]!;
  if (key === " " || key === "Enter") {
    const on = !isFree(at);
    return { week: paint(week, at, at, on), focus: at, anchor: { on } };
  }
  const step = ARROWS[key];
  if (!step) return null;
  const focus = {
    day: Math.min(6, Math.max(0, at.day + step[0])),
    slot: Math.min(QUARTERS / 2 - 1, Math.max(firstSlot, at.slot + step[1])),
  };
  if (!shift) return { week, focus, anchor: null };
  const carried = anchor ?? { on: !isFree(at) };
  return { week: paint(week, at, focus, carried.on), focus, anchor: carried };
}
