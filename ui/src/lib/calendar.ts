// Pure helpers for the calendar: sessions are local wall-clock times, never instants.

/** `YYYY-MM-DDTHH:MM:00` when a session of `minutes` starting at `start` on `date` ends. */
export function sessionEnd(date: string, start: string, minutes: number): string {
  const [h, m] = start.split(":").map(Number);
  const total = (h ?? 0) * 60 + (m ?? 0) + minutes;
  const hh = String(Math.floor(total / 60)).padStart(2, "0");
  const mm = String(total % 60).padStart(2, "0");
  return `${date}T${hh}:${mm}:00`;
}

/** The local calendar day and `HH:MM` of a Date, as the calendar shows it. */
export function toLocalParts(d: Date): { date: string; time: string } {
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}`,
  };
}
