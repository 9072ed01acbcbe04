import { describe, expect, it } from "vitest";
import { readGoalHours } from "./goal";

describe("readGoalHours", () => {
  it("turns hours into whole minutes", () => {
    expect(readGoalHours(6)).toEqual({ minutes: 360 });
    expect(readGoalHours(7.25)).toEqual({ minutes: 435 });
    expect(readGoalHours("2.5")).toEqual({ minutes: 150 });
  });

  it("refuses an empty field instead of saving 0 h", () => {
    for (const empty of [null, undefined, "", "  "]) {
      const r = readGoalHours(empty);
      expect(r).toHaveProperty("error");
      expect("error" in r && r.error).toMatch(/Enter how many hours/);
    }
  });

  it("refuses nothing, negatives, non-numbers and more than a week", () => {
    expect(readGoalHours(0)).toHaveProperty("error");
    expect(readGoalHours(-3)).toHaveProperty("error");
    expect(readGoalHours("abc")).toHaveProperty("error");
    expect(readGoalHours(Number.NaN)).toHaveProperty("error");
    expect(readGoalHours(169)).toHaveProperty("error");
    expect(readGoalHours(168)).toEqual({ minutes: 10080 });
  });
});
