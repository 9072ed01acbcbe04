// Reading a form field: what the person typed as the value the command takes, or a sentence
// saying what is wrong, shown next to that field. Forms use `novalidate`, so the browser never
// blocks a submit without a word; every rule the browser's attributes stated lives here.

export type Read<T> = { value: T } | { error: string };

const empty = (value: unknown) =>
  value === null || value === undefined || (typeof value === "string" && value.trim() === "") || (typeof value === "number" && Number.isNaN(value));

/**
 * A whole number of minutes between `min` and `max`. `what` names the field in the sentence
 * ("Minutes studied").
 */
export function readMinutes(value: unknown, min: number, max: number, what: string): Read<number> {
  if (empty(value)) return { error: `${what}: enter a number of minutes from ${min} to ${max}.` };
  const n = typeof value === "number" ? value : Number(String(value).trim());
  if (!Number.isFinite(n)) return { error: `${what}: "${String(value)}" is not a number; enter minutes from ${min} to ${max}.` };
  if (!Number.isInteger(n)) return { error: `${what}: enter whole minutes, from ${min} to ${max}.` };
  if (n < min) return { error: `${what}: at least ${min} ${min === 1 ? "minute" : "minutes"}.` };
  if (n > max) return { error: `${what}: at most ${max} minutes.` };
  return { value: n };
}

/** Hours a week, in half hours, between `min` and `max`. */
export function readWeeklyHours(value: unknown, min: number, max: number, what: string): Read<number> {
  if (empty(value)) return { error: `${what}: enter hours a week, from ${min} to ${max}.` };
  const n = typeof value === "number" ? value : Number(String(value).trim());
  if (!Number.isFinite(n)) return { error: `${what}: "${String(value)}" is not a number; enter hours from ${min} to ${max}.` };
  if (n < min) return { error: `${what}: at least ${min} ${min === 1 ? "hour" : "hours"} a week.` };
  if (n > max) return { error: `${what}: at most ${max} hours (a week has ${168}).` };
  if (Math.round(n * 2) !== n * 2) return { error: `${what}: whole or half hours, such as 10 or 10.5.` };
  return { value: n };
}

/**
 * A web address with one of `schemes` (without "://"), as typed: trimmed, with a host. The
 * sentence names the schemes it takes.
 */
export function readAddress(value: string, schemes: string[], what: string): Read<string> {
  const text = value.trim();
  const examples = schemes.map((s) => `${s}://`).join(" or ");
  if (text === "") return { error: `${what}: enter an address starting ${examples}.` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: `${what}: "${text}" is not a web address; it should start ${examples}.` };
  }
  const scheme = url.protocol.replace(/:$/, "").toLowerCase();
  if (!schemes.includes(scheme)) return { error: `${what}: "${scheme}:" addresses are not taken; it should start ${examples}.` };
  if (url.hostname === "") return { error: `${what}: the address has no server name after ${scheme}://.` };
  return { value: text };
}

/** The session lengths a plan accepts, as the core's `session_bounds` says them, by field. */
export function sessionBounds(min: number, max: number): { min?: string; max?: string } {
  const LONGEST = 12 * 60;
  const out: { min?: string; max?: string } = {};
  for (const [key, name, value] of [["min", "shortest", min], ["max", "longest", max]] as const) {
    if (!Number.isInteger(value) || value < 15 || value > LONGEST) {
      out[key] = `The ${name} session must be between 15 minutes and 12 hours (${LONGEST} minutes).`;
    } else if (value % 15 !== 0) {
      out[key] = `The ${name} session must be whole quarter hours (15, 30, 45, 60 … minutes); ${value} minutes is not.`;
    }
  }
  if (!out.min && !out.max && max < min) out.max = `The longest session (${max} minutes) is shorter than the shortest (${min} minutes).`;
  return out;
}

/** A blocked-out period as two date fields; `null` when both are empty (the row is ignored). */
export function readPeriod(from: string, to: string): Read<string> | null {
  if (from === "" && to === "") return null;
  if (from === "" || to === "") return { error: `Give the ${from === "" ? "first" : "last"} day too.` };
  if (to < from) return { error: "The last day comes before the first." };
  return { value: `${from}..${to}` };
}

/** The most hours one topic may take (the roadmap validator's limit). */
export const MAX_TOPIC_HOURS = 1000;

/**
 * A topic's estimate: low, expected and high hours, each a number from 0.5 to 1,000 in half
 * hours, with low ≤ expected ≤ high. Each error names the field it is about.
 */
export function readEstimate(low: unknown, expected: unknown, high: unknown): Read<{ low: number; expected: number; high: number }> {
  const one = (value: unknown, what: string): Read<number> => {
    if (empty(value)) return { error: `${what}: enter hours, from 0.5 to ${MAX_TOPIC_HOURS}.` };
    const n = typeof value === "number" ? value : Number(String(value).trim());
    if (!Number.isFinite(n)) return { error: `${what}: "${String(value)}" is not a number of hours.` };
    if (n < 0.5) return { error: `${what}: at least half an hour.` };
    if (n > MAX_TOPIC_HOURS) return { error: `${what}: at most ${MAX_TOPIC_HOURS} hours.` };
    if (Math.round(n * 2) !== n * 2) return { error: `${what}: whole or half hours, such as 6 or 6.5.` };
    return { value: n };
  };
  const l = one(low, "Fewest hours");
  if ("error" in l) return l;
  const e = one(expected, "Expected hours");
  if ("error" in e) return e;
  const h = one(high, "Most hours");
  if ("error" in h) return h;
  if (l.value > e.value) return { error: `Fewest hours: ${l.value} is more than the expected ${e.value}.` };
  if (e.value > h.value) return { error: `Most hours: ${h.value} is less than the expected ${e.value}.` };
  return { value: { low: l.value, expected: e.value, high: h.value } };
}

/** Low and high hours around an expected estimate (70 % and 150 %, to the half hour), as the core proposes. */
export function around(expected: number): { low: number; high: number } {
  const half = (h: number) => Math.max(0.5, Math.round(h * 2) / 2);
  return { low: Math.min(expected, half(expected * 0.7)), high: Math.max(expected, half(expected * 1.5)) };
}
