// Date helpers for the UI. Dates cross IPC as "YYYY-MM-DD" strings and are treated as
// calendar days, never instants, so no time zone can shift them.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CalendarDay {
  year: number;
  month: number; // 1-12
  day: number;
}

export function parseDay(text: string): CalendarDay | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function formatDay({ year, month, day }: CalendarDay): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Adds calendar months, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29),
 * the same rule the Rust core uses for the target end. */
export function addMonths(d: CalendarDay, months: number): CalendarDay {
  const index = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(d.day, daysInMonth(year, month)) };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "3 Mar 2027" */
export function humanDay(text: string): string {
  const d = parseDay(text);
  return d ? `${d.day} ${MONTHS[d.month - 1]} ${d.year}` : text;
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  const a = parseDay(from);
  const b = parseDay(to);
  if (!a || !b) return 0;
  const ms = Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day);
  return Math.round(ms / 86_400_000);
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** "Mon" for a "YYYY-MM-DD" day. */
export function weekdayName(text: string): string {
  const d = parseDay(text);
  if (!d) return "";
  return WEEKDAYS[new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay()] ?? "";
}

/** The day `n` days after `text` (before, when negative). */
export function addDays(text: string, n: number): string {
  const d = parseDay(text);
  if (!d) return text;
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return formatDay({ year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() });
}

/** The Monday of the ISO week `text` falls in. */
export function mondayOf(text: string): string {
  const d = parseDay(text);
  if (!d) return text;
  const weekday = (new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7;
  return addDays(text, -weekday);
}
