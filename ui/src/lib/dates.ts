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

// Every date and time the window shows is written by the formatters below, from the system's
// locale (the one the date fields use too), so the same day never reads two ways. `locale` is
// for tests; the app leaves it undefined. Days are formatted at noon UTC in UTC, so no time
// zone can move them to a neighbour.
type Locale = string | undefined;
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ""}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: "UTC", ...options });
    formatters.set(key, f);
  }
  return f;
}
/** Noon UTC of a day, for formatting. `Date.UTC` reads years 0–99 as 1900–1999, so the year
 * is set on its own: "0007-12-26" is the year 7, not 1907. */
function noon({ year, month, day }: CalendarDay): Date {
  const t = new Date(Date.UTC(2000, month - 1, day, 12));
  t.setUTCFullYear(year, month - 1, day);
  return t;
}
function dayFormat(text: string, options: Intl.DateTimeFormatOptions, locale: Locale): string {
  const d = parseDay(text);
  return d ? formatter(locale, options).format(noon(d)) : text;
}

/** "3 Mar 2027" (en-GB), "Mar 3, 2027" (en-US), "3. März 2027" (de). */
export function humanDay(text: string, locale?: Locale): string {
  return dayFormat(text, { day: "numeric", month: "short", year: "numeric" }, locale);
}

/** "Wed 3 Mar 2027", with the weekday. */
export function longDay(text: string, locale?: Locale): string {
  return dayFormat(text, { weekday: "short", day: "numeric", month: "short", year: "numeric" }, locale);
}

/** "Wed 3 Mar", for days of a week on screen. */
export function weekDay(text: string, locale?: Locale): string {
  return dayFormat(text, { weekday: "short", day: "numeric", month: "short" }, locale);
}

/** "3 Mar", for axes where the year is plain. */
export function shortDay(text: string, locale?: Locale): string {
  return dayFormat(text, { day: "numeric", month: "short" }, locale);
}

/** "Mar 2027", for month columns. */
export function monthYear(text: string, locale?: Locale): string {
  return dayFormat(text, { month: "short", year: "numeric" }, locale);
}

/** A wall-clock time "HH:MM" as the locale writes it ("19:00", "7:00 PM"). */
export function clockTime(hhmm: string, locale?: Locale): string {
  const m = /^(\d{2}):(\d{2})/.exec(hhmm);
  if (!m) return hhmm;
  // "09:00" where the day has 24 hours, "9:00 PM" where it has twice 12.
  const twelve = formatter(locale, { hour: "numeric" }).resolvedOptions().hour12 === true;
  return formatter(locale, { hour: twelve ? "numeric" : "2-digit", minute: "2-digit" }).format(
    Date.UTC(2000, 0, 1, Number(m[1]), Number(m[2])),
  );
}

/** "early March 2027", "mid-March 2027", "late March 2027": a likely day, said as roughly as
 * it is known. */
export function roughDay(text: string, locale?: Locale): string {
  const d = parseDay(text);
  if (!d) return text;
  const part = d.day <= 10 ? "early" : d.day <= 20 ? "mid-" : "late";
  const month = dayFormat(text, { month: "long", year: "numeric" }, locale);
  return part.endsWith("-") ? `${part}${month}` : `${part} ${month}`;
}

/** "Wed 3 Mar 2027 at 19:00". */
export function dayAndTime(date: string, hhmm: string, locale?: Locale): string {
  return `${longDay(date, locale)} at ${clockTime(hhmm, locale)}`;
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  const a = parseDay(from);
  const b = parseDay(to);
  if (!a || !b) return 0;
  const ms = Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day);
  return Math.round(ms / 86_400_000);
}

/** "Mon" for a "YYYY-MM-DD" day, in the locale's words. */
export function weekdayName(text: string, locale?: Locale): string {
  return parseDay(text) ? dayFormat(text, { weekday: "short" }, locale) : "";
}

/** The locale's short name of weekday `index` (0 = Monday), from a week known to start on one. */
export function weekdayAt(index: number, locale?: Locale): string {
  return weekdayName(addDays("2027-01-04", index), locale);
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

/**
 * A sentence from the core, with its dates (YYYY-MM-DD) and clock times (HH:MM) written the
 * locale's way, so every date and time on screen reads alike. Text in the availability format
 * (`mon=19:00-21:00`) and ranges typed as `first..last` are left as written: they quote input.
 */
export function localizeDates(text: string, locale?: Locale): string {
  return text
    .replace(/(?<![\w./\\=-])(\d{4})-(\d{2})-(\d{2})(?![\w./\\-])/g, (whole) => (parseDay(whole) ? humanDay(whole, locale) : whole))
    .replace(/(?<![\w:=/\\-])([01]\d|2[0-3]):([0-5]\d)(?![\w:/\\-])/g, (whole) => clockTime(whole, locale));
}
