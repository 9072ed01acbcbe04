import { describe, expect, it } from "vitest";
import type { TopicView } from "../bindings/TopicView";
import { GAP, LABEL_PAD, placeItems, tickDays, topicStatus, type LaneItem } from "./timeline";
import { addDays, mondayOf } from "./dates";

const topic = (id: string, start: string, finish: string, state: TopicView["state"] = "not_started"): TopicView => ({
  id,
  step: "s",
  title: id,
  optional: false,
  state,
  planned_minutes: 60,
  done_minutes: 0,
  start,
  finish,
});

describe("topicStatus", () => {
  it("calls an unfinished topic whose finish has passed late", () => {
    expect(topicStatus(topic("a", "2027-01-01", "2027-01-05"), "2027-01-06")).toBe("late");
    expect(topicStatus(topic("a", "2027-01-01", "2027-01-05", "in_progress"), "2027-01-06")).toBe("late");
    expect(topicStatus(topic("a", "2027-01-01", "2027-01-05"), "2027-01-05")).toBe("not_started");
    expect(topicStatus(topic("a", "2027-01-01", "2027-01-05", "done"), "2027-02-01")).toBe("done");
  });
});

describe("addDays and mondayOf", () => {
  it("cross month and year ends", () => {
    expect(addDays("2026-12-30", 3)).toBe("2027-01-02");
    expect(addDays("2027-03-01", -1)).toBe("2027-02-28");
    expect(mondayOf("2027-01-10")).toBe("2027-01-04");
    expect(mondayOf("2027-01-04")).toBe("2027-01-04");
  });
});

describe("placeItems", () => {
  // A small deterministic generator, so a failure can be replayed.
  function random(seed: number) {
    let x = seed >>> 0 || 1;
    return () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 4294967296;
    };
  }

  it("never lets two items of a row, labels included, touch; labels sit inside only when they fit", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = random(seed);
      const track = 300 + Math.floor(rnd() * 1200);
      const items: LaneItem[] = [];
      const n = Math.floor(rnd() * 14);
      for (let i = 0; i < n; i++) {
        const milestone = rnd() < 0.15;
        const left = Math.floor(rnd() * (track - 20));
        items.push({
          id: `t${i}`,
          kind: milestone ? "milestone" : "bar",
          left,
          width: milestone ? 14 : Math.max(2, Math.floor(rnd() * Math.min(300, track - left))),
          labelWidth: milestone ? 0 : 20 + Math.floor(rnd() * 220),
        });
      }
      const placed = placeItems(items, track);
      expect(placed.length).toBe(items.length);
      for (const p of placed) {
        expect(p.from).toBeLessThanOrEqual(p.left);
        expect(p.to).toBeGreaterThanOrEqual(p.left + p.width);
        if (p.labelAt === "inside") expect(p.labelWidth + 2 * LABEL_PAD).toBeLessThanOrEqual(p.width);
        if (p.kind === "bar") expect(p.labelAt).not.toBe("none");
        if (p.labelAt === "right") expect(p.to - (p.left + p.width)).toBeGreaterThanOrEqual(p.labelWidth);
        if (p.labelAt === "left") expect(p.left - p.from).toBeGreaterThanOrEqual(p.labelWidth);
        for (const q of placed) {
          if (q === p || q.row !== p.row) continue;
          const apart = p.to + GAP <= q.from || q.to + GAP <= p.from;
          expect(apart, `seed ${seed}: ${p.id} and ${q.id} share row ${p.row}`).toBe(true);
        }
      }
    }
  });

  it("puts a label that does not fit beside its bar, on the left near the end of the track", () => {
    const [inside] = placeItems([{ id: "a", kind: "bar", left: 0, width: 200, labelWidth: 80 }], 1000);
    expect(inside!.labelAt).toBe("inside");
    const [right] = placeItems([{ id: "a", kind: "bar", left: 100, width: 30, labelWidth: 80 }], 1000);
    expect(right!.labelAt).toBe("right");
    const [left] = placeItems([{ id: "a", kind: "bar", left: 950, width: 30, labelWidth: 80 }], 1000);
    expect(left!.labelAt).toBe("left");
  });
});

describe("the timeline's column labels", () => {
  const first = "2027-01-04";
  const dayOf = (i: number) => {
    const d = new Date(Date.UTC(2027, 0, 4 + i));
    return d.toISOString().slice(0, 10);
  };
  it("are evenly thinned months that never touch, at any width", () => {
    for (let days = 60; days <= 800; days += 37) {
      for (const px of [0.3, 0.7, 1.1, 2.5, 4]) {
        const kept = tickDays(days, true, dayOf, (i) => i * px, 72);
        const months = Array.from({ length: days }, (_, i) => i).filter((i) => dayOf(i).endsWith("-01"));
        expect(kept.length).toBeGreaterThan(0);
        expect(kept[0]).toBe(months[0]);
        // Never closer than the gap, and every k-th month for one k.
        for (let j = 1; j < kept.length; j++) expect(kept[j]! * px - kept[j - 1]! * px).toBeGreaterThanOrEqual(72);
        const steps = new Set(kept.slice(1).map((k, j) => months.indexOf(k) - months.indexOf(kept[j]!)));
        expect(steps.size, `${days} days at ${px} px: ${[...steps]}`).toBeLessThanOrEqual(1);
      }
    }
    expect(first).toBe(dayOf(0));
  });
  it("are every Monday when zoomed in with room", () => {
    expect(tickDays(30, false, dayOf, (i) => i * 14, 56)).toEqual([0, 7, 14, 21, 28]);
  });
});
