import { describe, expect, it } from "vitest";
import { heatLevel, weeksOfDays } from "./dashboard";

describe("weeksOfDays", () => {
  it("starts a new column on each Monday", () => {
    const days = ["2027-01-02", "2027-01-03", "2027-01-04", "2027-01-05"].map((date) => ({ date, minutes: 0 }));
    const weeks = weeksOfDays(days);
    expect(weeks.map((w) => w.map((d) => d.weekday))).toEqual([[5, 6], [0, 1]]);
  });
});

describe("heatLevel", () => {
  it("buckets minutes by the hour", () => {
    expect([0, 1, 59, 60, 119, 120, 180, 600].map(heatLevel)).toEqual([0, 1, 1, 2, 2, 3, 4, 4]);
  });
});
