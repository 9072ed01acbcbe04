// Pure helpers for the timeline: a topic's status as the timeline shows it, and the rows a
// lane needs so that no two bars overlap.

import type { TopicView } from "../bindings/TopicView";

export type TopicStatus = "done" | "in_progress" | "late" | "not_started" | "skipped";

/** Done and skipped as marked; late when its finish has passed unfinished; else its state. */
export function topicStatus(t: TopicView, today: string): TopicStatus {
  if (t.state === "done" || t.state === "skipped") return t.state;
  if (t.finish !== null && t.finish < today) return "late";
  return t.state;
}

/** Greedy interval packing: each topic goes in the first row whose last bar ends before it
 * starts. Topics must have a start and a finish. */
export function laneRows(topics: TopicView[]): TopicView[][] {
  const sorted = [...topics].sort((a, b) => (a.start ?? "").localeCompare(b.start ?? "") || a.id.localeCompare(b.id));
  const rows: TopicView[][] = [];
  const ends: string[] = [];
  for (const t of sorted) {
    const start = t.start ?? "";
    const i = ends.findIndex((end) => end < start);
    if (i === -1) {
      rows.push([t]);
      ends.push(t.finish ?? start);
    } else {
      rows[i]!.push(t);
      ends[i] = t.finish ?? start;
    }
  }
  return rows;
}
