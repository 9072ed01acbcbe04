import { describe, expect, it } from "vitest";
import type { TopicView } from "../bindings/TopicView";
import { laneRows, topicStatus } from "./timeline";
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

describe("laneRows", () => {
  it("keeps sequential topics on one row and puts overlapping ones below", () => {
    const rows = laneRows([
      topic("b", "2027-01-06", "2027-01-09"),
      topic("a", "2027-01-01", "2027-01-05"),
      topic("c", "2027-01-08", "2027-01-10"),
    ]);
    expect(rows.map((r) => r.map((t) => t.id))).toEqual([["a", "b"], ["c"]]);
  });
  it("does not share a row when one topic starts on the day another finishes", () => {
    const rows = laneRows([topic("a", "2027-01-01", "2027-01-05"), topic("b", "2027-01-05", "2027-01-07")]);
    expect(rows.length).toBe(2);
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
