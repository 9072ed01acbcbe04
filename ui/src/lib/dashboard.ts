// Pure helpers for the dashboard's heatmap.

import type { StudyDay } from "../bindings/StudyDay";

export interface HeatDay extends StudyDay {
  /** 0 = Monday. */
  weekday: number;
}

/** The days grouped into Monday-first weeks, for the heatmap's columns. */
export function weeksOfDays(days: StudyDay[]): HeatDay[][] {
  const weeks: HeatDay[][] = [];
  for (const d of days) {
    const [y, m, day] = d.date.split("-").map(Number);
    const weekday = (new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, day ?? 1)).getUTCDay() + 6) % 7;
    if (weeks.length === 0 || weekday === 0) weeks.push([]);
    weeks[weeks.length - 1]!.push({ ...d, weekday });
  }
  return weeks;
}

/** 0 for no study, then 1 to 4 by hour: under 1 h, 1–2 h, 2–3 h, 3 h or more. */
export function heatLevel(minutes: number): number {
  if (minutes <= 0) return 0;
  return Math.min(4, Math.floor(minutes / 60) + 1);
}
