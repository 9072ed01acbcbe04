// Pure helpers for the timeline: a topic's status as the timeline shows it, and where each bar,
// label and milestone of a lane goes so that nothing overlaps.

import type { TopicView } from "../bindings/TopicView";

export type TopicStatus = "done" | "in_progress" | "late" | "not_started" | "skipped";

/** Done and skipped as marked; late when its finish has passed unfinished; else its state. */
export function topicStatus(t: TopicView, today: string): TopicStatus {
  if (t.state === "done" || t.state === "skipped") return t.state;
  if (t.finish !== null && t.finish < today) return "late";
  return t.state;
}

/** Something drawn in a lane: a topic's bar (with its label) or a step's milestone. */
export interface LaneItem {
  id: string;
  kind: "bar" | "milestone";
  /** Pixels from the track's left edge. */
  left: number;
  width: number;
  /** Width of the label's text in pixels (0 for a milestone). */
  labelWidth: number;
}

/** Where an item ended up: its row, and where its label is drawn. */
export interface Placed extends LaneItem {
  row: number;
  /** Inside the bar when it fits there; else beside it, right when there is room, else left. */
  labelAt: "inside" | "right" | "left" | "none";
  /** The horizontal span the item takes with its label: no other item of its row enters it. */
  from: number;
  to: number;
}

/** Padding inside a bar on each side of its label, and the gap between neighbours. */
export const LABEL_PAD = 5;
export const GAP = 6;

/**
 * Lays a lane's items out so that nothing overlaps: each label inside its bar when it fits,
 * beside it otherwise (never cut), and each item in the first row where its whole span
 * (label included) is free. Items are taken by start, so the rows read left to right.
 */
export function placeItems(items: LaneItem[], trackWidth: number): Placed[] {
  const spans = items.map((item): Placed => {
    if (item.kind === "milestone") {
      return { ...item, row: 0, labelAt: "none", from: item.left, to: item.left + item.width };
    }
    const end = item.left + item.width;
    if (item.labelWidth + 2 * LABEL_PAD <= item.width) {
      return { ...item, row: 0, labelAt: "inside", from: item.left, to: end };
    }
    const right = end + GAP / 2 + item.labelWidth;
    if (right <= trackWidth || item.left - GAP / 2 - item.labelWidth < 0) {
      return { ...item, row: 0, labelAt: "right", from: item.left, to: right };
    }
    return { ...item, row: 0, labelAt: "left", from: item.left - GAP / 2 - item.labelWidth, to: end };
  });
  spans.sort((a, b) => a.from - b.from || a.id.localeCompare(b.id));
  const rowEnds: number[] = [];
  for (const s of spans) {
    let row = rowEnds.findIndex((end) => end + GAP <= s.from);
    if (row === -1) {
      row = rowEnds.length;
      rowEnds.push(s.to);
    } else {
      rowEnds[row] = s.to;
    }
    s.row = row;
  }
  return spans;
}

/**
 * Where the column labels go: the first of each month (`monthly`) or every seventh day from
 * the first, thinned evenly (every k-th, the same k throughout) so that no two are closer than
 * `minGap` pixels: never one month dropped here and none there. Returns day offsets from the
 * first day.
 */
export function tickDays(days: number, monthly: boolean, dayOf: (i: number) => string, at: (i: number) => number, minGap: number): number[] {
  const candidates: number[] = [];
  for (let i = 0; i < days; i++) {
    if (monthly ? dayOf(i).endsWith("-01") : i % 7 === 0) candidates.push(i);
  }
  return thinEvenly(candidates, at, minGap);
}

/** Every k-th of `candidates` (positions by `at`), the smallest k that keeps them `minGap` apart. */
export function thinEvenly(candidates: number[], at: (i: number) => number, minGap: number): number[] {
  let closest = Infinity;
  for (let j = 1; j < candidates.length; j++) closest = Math.min(closest, at(candidates[j]!) - at(candidates[j - 1]!));
  const every = closest === Infinity || closest <= 0 ? 1 : Math.max(1, Math.ceil(minGap / closest));
  return candidates.filter((_, j) => j % every === 0);
}
