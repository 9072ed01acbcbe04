import { describe, expect, it } from "vitest";
import type { SessionChange } from "../bindings/SessionChange";
import { byWeek, kindOf, placeChanges, weekMinutes } from "./changes";

const at = (date: string, start = "19:00", minutes = 120) => ({ date, start, minutes });
const change = (id: number, before: ReturnType<typeof at> | null, after: ReturnType<typeof at> | null): SessionChange => ({
  id,
  topic: `t${id}`,
  before,
  after,
});

describe("byWeek", () => {
  it("groups by the week a session comes into, a cancelled one by where it was", () => {
    const weeks = byWeek([
      change(3, at("2027-02-10"), at("2027-02-11")),
      change(1, null, at("2027-02-01")),
      change(2, at("2027-02-07", "09:00"), null),
      change(4, at("2027-02-01", "08:00"), at("2027-02-20")),
    ]);
    expect(weeks.map((w) => w.monday)).toEqual(["2027-02-01", "2027-02-08", "2027-02-15"]);
    // Sunday 7 Feb is still the week of Monday 1 Feb; in order of time within the week.
    expect(weeks[0]?.changes.map((c) => c.topic)).toEqual(["t1", "t2"]);
    expect(weeks[1]?.changes.map((c) => c.topic)).toEqual(["t3"]);
    expect(weeks[2]?.changes.map((c) => c.topic)).toEqual(["t4"]);
  });

  it("loses no change and invents none", () => {
    const changes = Array.from({ length: 40 }, (_, i) => change(i, at(`2027-03-${String((i % 28) + 1).padStart(2, "0")}`), i % 3 ? at("2027-04-01") : null));
    const total = byWeek(changes).reduce((n, w) => n + w.changes.length, 0);
    expect(total).toBe(changes.length);
  });
});

describe("weekMinutes", () => {
  it("counts what leaves and what comes into the week", () => {
    const changes = [change(1, at("2027-02-01", "19:00", 120), at("2027-02-09", "19:00", 120)), change(2, null, at("2027-02-03", "10:00", 60))];
    expect(weekMinutes(changes, "2027-02-01")).toEqual({ before: 120, after: 60 });
    expect(weekMinutes(changes, "2027-02-08")).toEqual({ before: 0, after: 120 });
  });
});

describe("kindOf", () => {
  it("names moved, cancelled and added", () => {
    expect(kindOf(change(1, at("2027-02-01"), at("2027-02-02")))).toBe("moved");
    expect(kindOf(change(1, at("2027-02-01"), null))).toBe("cancelled");
    expect(kindOf(change(1, null, at("2027-02-01")))).toBe("added");
  });
});

describe("placeChanges", () => {
  const s = (id: number, date: string, start = "19:00", status = "planned") => ({ id, topic: `t${id}`, date, start, minutes: 60, status });
  it("finds moved, cancelled and new sessions, and leaves out the one moved by hand", () => {
    const before = [s(1, "2027-02-01"), s(2, "2027-02-02"), s(3, "2027-02-03"), s(4, "2027-02-04")];
    const after = [s(1, "2027-02-05"), s(2, "2027-02-02", "20:00"), s(3, "2027-02-03", "19:00", "cancelled"), s(4, "2027-02-04"), s(5, "2027-02-06")];
    const changes = placeChanges(before, after, 1);
    expect(changes.map((c) => [c.id, kindOf(c)])).toEqual([[2, "moved"], [3, "cancelled"], [5, "added"]]);
  });
  it("sees no change between a view and itself", () => {
    const v = [s(1, "2027-02-01"), s(2, "2027-02-02", "09:00", "done")];
    expect(placeChanges(v, v)).toEqual([]);
  });
});
